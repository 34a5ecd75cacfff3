"""Mode collapse on a known Gaussian mixture: modes captured, high-quality share, reverse KL.

When the data are an equal-weight mixture of isotropic Gaussians with known centres and one
shared standard deviation ``std`` (the ring and grid of :mod:`gancourse.toy_data`), a
generator's samples can be scored against the truth. Each sample is assigned to its nearest
centre (Euclidean distance; a tie goes to the lower index). Then, as in VEEGAN (Srivastava et
al. 2017, https://arxiv.org/abs/1705.07761, section 5.1) and PacGAN (Lin et al. 2018,
https://arxiv.org/abs/1712.04086, section 3 and Table 1):

- a sample is **high quality** when it lies within ``threshold`` (3) standard deviations of its
  nearest centre: ``|x - c| < threshold * std``. The inequality is strict, as in PacGAN's
  released code (github.com/fjxmlzn/PacGAN, ``MetricLogger``); VEEGAN's text says "within", and
  a sample exactly on the boundary has probability zero. VEEGAN uses 10 standard deviations for
  its 1200-dimensional mixture, hence the keyword.
- a mode is **captured** when it is the nearest centre of at least one high-quality sample
  (VEEGAN's words; PacGAN's code counts the modes with a non-zero count, the same rule).
  ``min_count`` raises that minimum; both papers use 1.
- the **reverse KL** is KL(p || u) = sum_k p_k log(p_k / u_k), p the histogram of the
  high-quality samples over the modes (nearest centre, normalised to sum to 1) and u the
  uniform distribution 1 / modes (the true mixture's weights). PacGAN reports it (Table 1);
  VEEGAN does not for the 2-D mixtures. The generated distribution comes first ("reverse" for a
  model fitted to data), so an empty mode adds 0 log 0 = 0 and the value stays finite: 0 when
  the high-quality samples are spread evenly, log(modes) when they all sit on one mode. (The
  forward KL(u || p) would be infinite as soon as one mode is missed.) PacGAN's code logs the
  entropy H(p) of the same histogram; KL(p || u) = log(modes) - H(p).

Both papers score :data:`PAPER_SAMPLE_COUNT` = 2,500 samples per trained generator (VEEGAN
section 5.1; PacGAN's code draws ``num_log_figure_sample = 2500``). The share estimates a
fixed quantity at any sample count; the KL of a histogram of n samples is biased upwards by
about (modes - 1) / (2 n) (0.005 for the grid at 2,500), and the number of modes captured grows
with n: compare models at the same count.

Departure: centres closer than one ``std`` to each other are refused (the papers have no such
check). They are not separate modes, and a repeated centre (a ring built with
``np.linspace(0, 2 pi, modes)``) could never be captured, which would silently cap the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.special
from numpy.typing import ArrayLike

from ..validation import as_matrix, check_int, check_positive_number

__all__ = ["PAPER_SAMPLE_COUNT", "MixtureScore", "mixture_score", "nearest_modes"]

# Samples drawn from each trained generator by VEEGAN (section 5.1) and PacGAN (Table 1).
PAPER_SAMPLE_COUNT = 2500


@dataclass(frozen=True)
class MixtureScore:
    """How a set of samples covers a known Gaussian mixture (module docstring).

    Attributes:
        modes_captured: modes that are the nearest centre of at least ``min_count``
            high-quality samples, an int in [0, modes].
        high_quality_share: share of all samples within ``threshold`` standard deviations of
            their nearest centre, a float in [0, 1] (the papers print it as a percentage).
        reverse_kl: KL(high-quality histogram || uniform) in nats, in [0, log(modes)] up to
            round-off; NaN when no sample is of high quality (the histogram is then undefined).
        counts_per_mode: how many high-quality samples have each centre as their nearest, one
            int per centre in the order of ``centres``.
    """

    modes_captured: int
    high_quality_share: float
    reverse_kl: float
    counts_per_mode: tuple[int, ...]


def _check_mixture(samples: ArrayLike, centres: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` (n, dim) with n >= 1 and ``centres`` (modes, dim) with modes >= 2, float64."""
    points = as_matrix(samples, "samples", min_rows=1, what="coordinates")
    means = as_matrix(centres, "centres", min_rows=1, what="coordinates")
    if means.shape[0] < 2:
        raise ValueError(
            f"centres must hold at least 2 mode centres, shape (modes, dim), got shape "
            f"{means.shape}; with one mode there is no collapse to measure."
        )
    if points.shape[1] != means.shape[1]:
        raise ValueError(
            f"samples have {points.shape[1]} coordinates each but centres have "
            f"{means.shape[1]}; pass samples of the same dimension as the mixture."
        )
    return points, means


def _check_distinct(centres: np.ndarray, std: float) -> None:
    """Refuse two centres closer than one standard deviation: they are not separate modes."""
    gaps = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1))
    gaps[np.diag_indices_from(gaps)] = np.inf
    first, second = np.unravel_index(np.argmin(gaps), gaps.shape)
    if gaps[first, second] < std:
        raise ValueError(
            f"centres {min(first, second)} and {max(first, second)} are "
            f"{gaps[first, second]:.3g} apart, less than one standard deviation ({std:g}): they "
            "are not separate modes. A ring built with np.linspace(0, 2 pi, modes) repeats its "
            "first centre; use 2 pi k / modes for k = 0..modes-1 (toy_data.ring_centers)."
        )


def nearest_modes(samples: ArrayLike, centres: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's nearest centre and its Euclidean distance to it.

    Args:
        samples: (n, dim) real values, n >= 1, all finite.
        centres: (modes, dim) mode centres, modes >= 2.

    Returns:
        ``(index, distance)``: int64 (n,) in [0, modes), the lower index on a tie, and float64
        (n,) >= 0. Distances come from the differences themselves (no |x|^2 + |c|^2 - 2 x.c
        cancellation), one centre at a time, so memory stays at n x dim.
    """
    return _nearest(*_check_mixture(samples, centres))


def _nearest(points: np.ndarray, means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    best = np.zeros(points.shape[0], dtype=np.int64)
    best_squared = np.full(points.shape[0], np.inf)
    for index, centre in enumerate(means):
        offsets = points - centre  # (n, dim)
        squared = np.einsum("ij,ij->i", offsets, offsets)  # (n,)
        closer = squared < best_squared  # strict: a tie keeps the lower index
        best[closer] = index
        best_squared[closer] = squared[closer]
    return best, np.sqrt(best_squared)


def mixture_score(
    samples: ArrayLike,
    centres: ArrayLike,
    std: float,
    *,
    threshold: float = 3.0,
    min_count: int = 1,
) -> MixtureScore:
    """Modes captured, high-quality share and reverse KL of samples from a Gaussian mixture.

    Definitions, sources and departures are in the module docstring.

    Args:
        samples: (n, dim) generated samples, n >= 1, finite; the papers use
            :data:`PAPER_SAMPLE_COUNT` = 2,500 of them.
        centres: (modes, dim) the mixture's centres, modes >= 2, no two closer than ``std``
            (e.g. ``toy_data.ring_centers(8, radius=1.0)`` or ``toy_data.grid_centers()``).
        std: the shared standard deviation of every component (> 0): 0.01 for the papers'
            ring of radius 1, 0.05 for their grid.
        threshold: a sample is of high quality when its distance to the nearest centre is
            below ``threshold * std`` (> 0; 3 in both papers for 2-D data).
        min_count: high-quality samples a mode needs to count as captured (>= 1; 1 in both
            papers).

    Returns:
        A :class:`MixtureScore`.

    Raises:
        ValueError: samples or centres not 2-D, empty, of different dimensions, NaN or
            infinite; fewer than 2 centres or two centres closer than ``std``; ``std`` or
            ``threshold`` not a finite number > 0; ``min_count`` not an integer >= 1.
        TypeError: samples or centres not real numbers.
    """
    std = check_positive_number(std, "std")
    threshold = check_positive_number(threshold, "threshold")
    min_count = check_int(min_count, "min_count", minimum=1)
    points, means = _check_mixture(samples, centres)
    _check_distinct(means, std)

    nearest, distance = _nearest(points, means)  # (n,), (n,)
    high_quality = distance < threshold * std  # (n,) bool
    counts = np.bincount(nearest[high_quality], minlength=len(means))  # (modes,)
    total = int(counts.sum())
    if total:
        histogram = counts / total  # p, sums to 1
        reverse_kl = float(scipy.special.rel_entr(histogram, 1.0 / len(means)).sum())
    else:
        reverse_kl = math.nan  # no high-quality sample: p is undefined
    return MixtureScore(
        modes_captured=int(np.count_nonzero(counts >= min_count)),
        high_quality_share=total / points.shape[0],
        reverse_kl=reverse_kl,
        counts_per_mode=tuple(int(count) for count in counts),
    )
