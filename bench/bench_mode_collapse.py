"""Lesson 07's closing table in one command: every configuration on the ring and the grid,
every seed, the same step budget, beside the published rows (VEEGAN and PacGAN, Table 1).

    .venv/bin/python bench/bench_mode_collapse.py [--steps 5000] [--seeds 5] [--only NAME ...]
        [--json results.json]

Prints one line per finished run, then the table (mean +- sd over seeds of modes captured,
high-quality %, reverse KL, CPU ms per generator step per core) and the CPU model and precision
(float32: the toy networks are too small for mixed precision to pay). The run time grows with
steps x seeds x configurations; the README in this folder records measured ones.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from machine import cpu_model

from gancourse import mixture_runs, set_seed, toy_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000, help="generator steps per run")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 for every run")
    parser.add_argument("--snapshots", type=int, default=10, help="scored snapshots per run")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(mixture_runs.CONFIGURATIONS),
        help="run only these configurations",
    )
    parser.add_argument("--mixtures", nargs="+", choices=["ring", "grid"], default=["ring", "grid"])
    parser.add_argument("--json", type=Path, help="also write the final scores here")
    args = parser.parse_args()

    # As lesson 07's first cell: tf.data's shuffle depends on TensorFlow's global seed as well
    # as its own, so this makes the runs repeat the lesson's closing table run for run.
    set_seed(0)
    names = args.only or list(mixture_runs.CONFIGURATIONS)
    configurations = {name: mixture_runs.CONFIGURATIONS[name] for name in names}
    mixtures = {"ring": toy_data.PAPER_RING, "grid": toy_data.PAPER_GRID}
    started = time.perf_counter()
    runs = {
        name: mixture_runs.compare(
            configurations,
            mixtures[name],
            seeds=range(args.seeds),
            steps=args.steps,
            snapshots=args.snapshots,
        )
        for name in args.mixtures
    }
    minutes = (time.perf_counter() - started) / 60
    print()
    print(mixture_runs.format_table(runs, published=mixture_runs.PUBLISHED))
    print(
        f"\n{args.steps:,} generator steps per run, seeds 0..{args.seeds - 1}, 2,500 samples "
        f"scored per run; float32 on {cpu_model()}; "
        f"{minutes:.1f} minutes of wall time in all."
    )
    if args.json:
        scores = {
            mixture: {
                name: [
                    {
                        "seed": run.seed,
                        "modes": run.final.score.modes_captured,
                        "high_quality": run.final.score.high_quality_share,
                        "reverse_kl": run.final.score.reverse_kl,
                        "cpu_ms_per_step": run.cpu_ms_per_step(),
                        "cpu_seconds_to_result": run.seconds_to_result(),
                    }
                    for run in group
                ]
                for name, group in by_configuration.items()
            }
            for mixture, by_configuration in runs.items()
        }
        args.json.write_text(json.dumps({"steps": args.steps, "scores": scores}, indent=1))


if __name__ == "__main__":
    main()
