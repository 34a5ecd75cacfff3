"""Toy distributions for the GAN lessons: a 1-D Gaussian, a ring and a grid of 2-D Gaussians.

Their densities and modes are known exactly, so a generator can be judged against the truth:
lesson 04 compares a NumPy GAN's density with the 1-D Gaussian's, and lesson 07 counts the
modes of the ring and the grid that a generator covers.

Every sampler takes the number of samples ``n`` and a seeded :class:`numpy.random.Generator`
(``np.random.default_rng(0)``), in that order, so ``functools.partial(gaussian_1d, mean=2.0)``
is again a sampler ``(n, rng) -> samples``. Samples are float64 arrays of shape (n, 1) or (n, 2).

Defaults follow the literature:

* ring: 8 Gaussians of standard deviation 0.02, equally spaced on a circle of radius 2
  (Metz et al., *Unrolled Generative Adversarial Networks*, https://arxiv.org/abs/1611.02163).
  VEEGAN and PacGAN use the same ring scaled down by 2 (radius 1, standard deviation 0.01).
* grid: 25 Gaussians of standard deviation 0.05 centred on (-4 + 2i, -4 + 2j), i, j = 0..4
  (Srivastava et al., *VEEGAN*, https://arxiv.org/abs/1705.07761; Lin et al., *PacGAN*,
  https://arxiv.org/abs/1712.04086).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .validation import check_int, check_positive, check_rng

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from .metrics.mixture import MixtureScore

__all__ = [
    "GAUSSIAN_MEAN",
    "GAUSSIAN_STD",
    "PAPER_GRID",
    "PAPER_RING",
    "Mixture",
    "gaussian_1d",
    "gaussian_1d_density",
    "grid_centers",
    "grid_of_gaussians",
    "ring_centers",
    "ring_of_gaussians",
]

GAUSSIAN_MEAN = 3.0  # far enough from a fresh generator's outputs (near 0) to watch it travel
GAUSSIAN_STD = 0.5


def _check_scale(value: Any, name: str) -> float:
    """A finite number > 0 (a standard deviation, a radius, a spacing), as a float."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not (np.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def _check_mean(mean: Any) -> float:
    try:
        number = float(mean)
    except (TypeError, ValueError):
        raise ValueError(f"mean must be a number, got {mean!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"mean must be finite, got {mean!r}")
    return number


# ## 1-D


def gaussian_1d(
    n: int, rng: np.random.Generator, *, mean: float = GAUSSIAN_MEAN, std: float = GAUSSIAN_STD
) -> np.ndarray:
    """``n`` draws from N(mean, std^2): float64 array of shape (n, 1)."""
    check_positive(n=n)
    mean, std = _check_mean(mean), _check_scale(std, "std")
    return check_rng(rng).normal(mean, std, size=(n, 1))


def gaussian_1d_density(
    x: ArrayLike, *, mean: float = GAUSSIAN_MEAN, std: float = GAUSSIAN_STD
) -> np.ndarray:
    """The density of N(mean, std^2) at each point of ``x`` (any shape), as float64 >= 0."""
    mean, std = _check_mean(mean), _check_scale(std, "std")
    points = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(points)):
        raise ValueError("x contains NaN or infinity")
    return np.exp(-0.5 * ((points - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


# ## 2-D mixtures


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The ring's mode centres: (modes, 2), at angles 2 pi k / modes, the first at (radius, 0)."""
    modes = check_int(modes, "modes", minimum=2)
    angles = 2.0 * np.pi * np.arange(modes) / modes
    return _check_scale(radius, "radius") * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_centers(size: int = 5, spacing: float = 2.0) -> np.ndarray:
    """The grid's mode centres: (size * size, 2), a square centred on 0, sorted by x then y.

    With the defaults: (-4 + 2i, -4 + 2j) for i, j = 0..4.
    """
    size = check_int(size, "size", minimum=2)
    axis = _check_scale(spacing, "spacing") * (np.arange(size) - (size - 1) / 2)
    xs, ys = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


def _mixture(centers: np.ndarray, n: int, rng: np.random.Generator, std: Any) -> np.ndarray:
    """``n`` draws from an equal-weight mixture of isotropic Gaussians at ``centers``."""
    check_positive(n=n)
    std = _check_scale(std, "std")
    which = check_rng(rng).integers(len(centers), size=n)
    return centers[which] + rng.normal(0.0, std, size=(n, centers.shape[1]))


def ring_of_gaussians(
    n: int, rng: np.random.Generator, *, modes: int = 8, radius: float = 2.0, std: float = 0.02
) -> np.ndarray:
    """``n`` draws from the ring of Gaussians (equal weights): float64 array of shape (n, 2).

    Defaults as Metz et al. (https://arxiv.org/abs/1611.02163); centres from :func:`ring_centers`.
    """
    return _mixture(ring_centers(modes, radius), n, rng, std)


def grid_of_gaussians(
    n: int, rng: np.random.Generator, *, size: int = 5, spacing: float = 2.0, std: float = 0.05
) -> np.ndarray:
    """``n`` draws from the grid of ``size * size`` Gaussians (equal weights): shape (n, 2).

    Defaults as VEEGAN and PacGAN (https://arxiv.org/abs/1705.07761,
    https://arxiv.org/abs/1712.04086); centres from :func:`grid_centers`.
    """
    return _mixture(grid_centers(size, spacing), n, rng, std)


# ## The benchmark mixtures, as objects that sample and score


@dataclass(frozen=True, eq=False)
class Mixture:
    """An equal-weight mixture of isotropic Gaussians that can sample itself and score samples.

    Attributes:
        name: for tables and titles ("ring", "grid").
        centres: (modes, 2) float64, the component means.
        std: the shared standard deviation of every component.
    """

    name: str
    centres: np.ndarray
    std: float

    @property
    def modes(self) -> int:
        return len(self.centres)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws, float32 of shape (n, 2) (the trainer's dtype)."""
        return _mixture(self.centres, n, rng, self.std).astype(np.float32)

    def score(self, samples: ArrayLike) -> MixtureScore:
        """Modes captured, high-quality share and reverse KL of ``samples`` (n, 2):
        :func:`gancourse.metrics.mixture.mixture_score` with this mixture's centres and std."""
        from .metrics.mixture import mixture_score

        return mixture_score(samples, self.centres, self.std)


#: The 2-D benchmarks of VEEGAN (https://arxiv.org/abs/1705.07761) and PacGAN
#: (https://arxiv.org/abs/1712.04086) as PacGAN's released code draws them (github.com/fjxmlzn/
#: PacGAN, ``2DRing``/``2DGrid`` ``config.py``): 8 modes on a circle of radius 1 (angles
#: 2 pi k / 8, all distinct), std 0.01; 25 modes at (-4 + 2i, -4 + 2j), std 0.05. Metz et al.'s
#: ring (the samplers' defaults above) is the same ring scaled by 2.
PAPER_RING = Mixture("ring", ring_centers(8, radius=1.0), 0.01)
PAPER_GRID = Mixture("grid", grid_centers(5, spacing=2.0), 0.05)
