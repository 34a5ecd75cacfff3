"""FID speed and agreement: gancourse.metrics against the pytorch-fid formula, in one run.

Run it from the repository root:

    .venv/bin/python bench/bench_fid.py [--n 10000] [--dim 2048] [--rounds 3] [--no-scaling]

Two seeded feature sets of ``n`` x ``dim`` stand in for Inception pool features: non-negative
and skewed (softplus of a correlated Gaussian with per-feature offsets, so some features stay
near zero), with a decaying spectrum, so their covariances are full rank but ill-conditioned,
as real ones are (a plain ReLU would leave dead features and singular covariances). The
generated set comes from the same mixing, its latent shifted and scaled a little.

- anchor: pytorch-fid's formula re-typed here (``np.mean``, ``np.cov``, ``scipy.linalg.sqrtm``
  of ``sigma1 @ sigma2`` with its eps retry, the trace formula); SciPy's LinAlgWarning on
  ill-conditioned input is silenced, as ``sqrtm(disp=False)`` in pytorch-fid was silent;
- gancourse: ``frechet_distance(a, b)``, end to end from the features (statistics + distance).

Both receive the same float64 arrays (pytorch-fid's ``np.mean`` on float32 activations would
average in float32; gancourse converts float32 to float64 itself). Rounds interleave the two so
that noise from other jobs on the machine hits both alike; the report gives median wall-clock
and CPU seconds (this process, all threads), the speed ratio (target >= 5x) and the relative
difference of the values (target <= 1e-9). Then, unless ``--no-scaling``: wall-clock seconds
against n (dim fixed) and against dim (n fixed), one run each, gancourse's time split into
statistics and distance. The load average is printed before and after: on a shared machine,
numbers taken under load are not comparable with quiet ones.

Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import scipy
import scipy.linalg

from gancourse.metrics import feature_statistics, frechet_distance, frechet_distance_from_statistics

TARGET_SPEEDUP = 5.0
TARGET_RELATIVE_DIFFERENCE = 1e-9


def make_feature_sets(n: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two (n, dim) float64 sets of non-negative, correlated features ("real", "generated")."""
    rng = np.random.default_rng(seed)
    rotation, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    mixing = (rotation * (1.0 + np.arange(dim)) ** -0.5).astype(np.float32)  # decaying spectrum
    offsets = rng.normal(0.0, 0.5, size=dim).astype(np.float32)  # some features mostly near 0

    def features(shift: float, scale: float) -> np.ndarray:
        latent = rng.normal(shift, scale, size=(n, dim)).astype(np.float32)
        return np.logaddexp(0.0, latent @ mixing.T + offsets).astype(np.float64)  # softplus

    return features(0.0, 1.0), features(0.1, 1.2)


def pytorch_fid_anchor(act1: np.ndarray, act2: np.ndarray, eps: float = 1e-6) -> float:
    """pytorch-fid's calculate_activation_statistics + calculate_frechet_distance, re-typed."""
    mu1, sigma1 = np.mean(act1, axis=0), np.cov(act1, rowvar=False)
    mu2, sigma2 = np.mean(act2, axis=0), np.cov(act2, rowvar=False)
    diff = mu1 - mu2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        covmean = scipy.linalg.sqrtm(sigma1.dot(sigma2))
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError(f"Imaginary component {np.max(np.abs(covmean.imag))}")
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def timed(function: Callable[[], object]) -> tuple[float, float, object]:
    """(wall-clock seconds, CPU seconds of this process over all threads, value) of one call."""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    value = function()
    return time.perf_counter() - wall_start, time.process_time() - cpu_start, value


def _relative(value: float, reference: float) -> float:
    return abs(value - reference) / abs(reference)


def compare(n: int, dim: int, seed: int, rounds: int) -> None:
    a, b = make_feature_sets(n, dim, seed)
    runs: dict[str, list[tuple[float, float, object]]] = {"anchor": [], "gancourse": []}
    for _ in range(rounds):
        runs["anchor"].append(timed(lambda: pytorch_fid_anchor(a, b)))
        runs["gancourse"].append(timed(lambda: frechet_distance(a, b)))
    wall = {name: statistics.median(run[0] for run in runs[name]) for name in runs}
    cpu = {name: statistics.median(run[1] for run in runs[name]) for name in runs}
    value = {name: runs[name][-1][2] for name in runs}
    print(f"## FID of two {n} x {dim} feature sets, median of {rounds} interleaved rounds\n")
    print("| | wall seconds (each round) | CPU seconds | FID |")
    print("|---|---|---|---|")
    labels = {"anchor": "anchor: pytorch-fid formula", "gancourse": "gancourse `frechet_distance`"}
    for name, label in labels.items():
        each = ", ".join(f"{run[0]:.2f}" for run in runs[name])
        print(f"| {label} | {wall[name]:.2f} ({each}) | {cpu[name]:.2f} | {value[name]!r} |")
    speedup = wall["anchor"] / wall["gancourse"]
    relative = _relative(value["gancourse"], value["anchor"])
    print(
        f"\nspeed-up {speedup:.1f}x wall-clock, {cpu['anchor'] / cpu['gancourse']:.1f}x CPU time "
        f"(target >= {TARGET_SPEEDUP:g}x: {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}); "
        f"relative difference {relative:.1e} (target <= {TARGET_RELATIVE_DIFFERENCE:g}: "
        f"{'met' if relative <= TARGET_RELATIVE_DIFFERENCE else 'NOT met'})\n"
    )


def scaling_row(n: int, dim: int, seed: int) -> str:
    a, b = make_feature_sets(n, dim, seed)
    stats_s, _, (stats_a, stats_b) = timed(lambda: (feature_statistics(a), feature_statistics(b)))
    distance_s, _, ours = timed(lambda: frechet_distance_from_statistics(*stats_a, *stats_b))
    anchor_s, _, anchor = timed(lambda: pytorch_fid_anchor(a, b))
    ours_s = stats_s + distance_s
    return (
        f"| {n} | {dim} | {stats_s:.2f} | {distance_s:.2f} | {ours_s:.2f} | {anchor_s:.2f} | "
        f"{anchor_s / ours_s:.1f}x | {_relative(ours, anchor):.0e} |"
    )


def scaling(n: int, dim: int, seed: int) -> None:
    print("## Wall-clock seconds against n and dim (one run each)\n")
    print(
        "| n | dim | gancourse statistics | gancourse distance | gancourse total | anchor | "
        "speed-up | relative difference |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (n // 4, n // 2, n, 2 * n):
        print(scaling_row(size, dim, seed))
    for width in (dim // 8, dim // 4, dim // 2):
        print(scaling_row(n, width, seed))
    print()


def _load() -> str:
    return (
        "load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="samples per set")
    parser.add_argument("--dim", type=int, default=2048, help="feature dimension")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling tables")
    args = parser.parse_args()
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"OPENBLAS_NUM_THREADS={threads}; before: {_load()}\n"
    )
    compare(args.n, args.dim, args.seed, args.rounds)
    if not args.no_scaling:
        scaling(args.n, args.dim, args.seed)
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
