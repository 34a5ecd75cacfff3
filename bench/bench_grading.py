"""Grading speed: CPU and wall time of one grade, the pytest path it replaced against today's.

Run it from the repository root:

    .venv/bin/python bench/bench_grading.py [--repeats 5] [--target solutions]

Three grades: lesson04 (NumPy), its exercise ``discriminator_gradient`` asked for by name, and
lesson05 (Keras, TensorFlow). Each is graded in the two places a learner grades, each way
interleaved with the other, ``--repeats`` times:

- terminal: ``gancourse grade WHAT`` in a fresh Python. Before (the anchor):
  ``gancourse grade WHAT --isolated``, the path every grade took before issue 14 (pytest in a
  second fresh Python, all its plugins and the course's conftests loaded; for an exercise named
  without its lesson, every lesson's graders, TensorFlow included). After: the default, the
  graders run in the command's own Python with only that lesson's imports.
- notebook: ``gc.grade(WHAT)`` in a Python that has already imported the learner's answer file,
  as the lesson's kernel has (lesson05's: TensorFlow and Keras). Before:
  ``gc.grade(WHAT, isolated=True)`` (the same pytest subprocess); after: ``gc.grade(WHAT)``.

CPU time is user + system time of every process involved (the grading Python and the processes
it waited for, all their threads); wall time is the clock. The report gives medians and every
repetition. Targets (issue 14): at most 3 CPU seconds for a NumPy exercise and 10 for a Keras
one, in both places. The exit status is 1 when a target is missed. The CPU model and the load
average before and after are printed: numbers taken on a loaded machine are not comparable.

Linux and macOS (``resource``). Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

from machine import cpu_model

CASES = (  # what is graded, its lesson, a label, the target in CPU seconds
    ("lesson04", "lesson04", "NumPy", 3.0),
    ("discriminator_gradient", "lesson04", "NumPy, by name", 3.0),
    ("lesson05", "lesson05", "Keras", 10.0),
)
ENVIRONMENT = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}  # as `gancourse grade` sets it


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for, all threads."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _summary(text: str) -> str:
    """The scoreboard's last line ("2 of 2 exercises pass"), to show that a grade happened."""
    lines = [line for line in text.splitlines() if "exercises pass" in line]
    return lines[-1].split(";")[0] if lines else "no scoreboard"


def time_terminal(what: str, target: str, isolated: bool) -> dict:
    """One ``gancourse grade`` in a fresh Python."""
    command = [sys.executable, "-m", "gancourse.cli", "grade", what, "--target", target]
    command += ["--isolated"] if isolated else []
    cpu, wall = _cpu_seconds(), time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, env=ENVIRONMENT)
    cpu, wall = _cpu_seconds() - cpu, time.perf_counter() - wall
    return {"cpu": cpu, "wall": wall, "scoreboard": _summary(finished.stdout + finished.stderr)}


def kernel(what: str, lesson: str, target: str, repeats: int) -> None:
    """(In a child Python.) Grade ``repeats`` times each way in this warm process; print JSON."""
    from gancourse.grading import grade, load_answers

    load_answers(lesson, target)  # what the lesson's kernel has imported: the learner's file
    for _ in range(repeats):
        for isolated in (True, False):
            cpu, wall = _cpu_seconds(), time.perf_counter()
            report = grade(what, target=target, isolated=isolated)
            cpu, wall = _cpu_seconds() - cpu, time.perf_counter() - wall
            row = {"isolated": isolated, "cpu": cpu, "wall": wall, "scoreboard": report.summary}
            print(json.dumps(row), flush=True)


def time_notebook(what: str, lesson: str, target: str, repeats: int) -> dict[bool, list[dict]]:
    """Rows of ``kernel`` run in a fresh Python, by ``isolated``."""
    command = [sys.executable, __file__, "--kernel", what, lesson, "--target", target]
    command += ["--repeats", str(repeats)]
    finished = subprocess.run(command, capture_output=True, text=True, env=ENVIRONMENT)
    if finished.returncode != 0:
        raise RuntimeError(f"the notebook-like run failed:\n{finished.stdout}{finished.stderr}")
    rows = [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]
    return {isolated: [r for r in rows if r["isolated"] is isolated] for isolated in (True, False)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="grades per way and place")
    parser.add_argument(
        "--target", default="solutions", help="what is graded (see gancourse grade)"
    )
    parser.add_argument("--kernel", nargs=2, help=argparse.SUPPRESS)  # the notebook-like child
    args = parser.parse_args(argv)
    if args.kernel:
        kernel(*args.kernel, args.target, args.repeats)
        return 0

    print(f"Grading speed, {datetime.date.today()}, {cpu_model()}")
    print(f"Python {platform.python_version()}; target {args.target}; {args.repeats} repetitions")
    print(f"load average before: {os.getloadavg()[0]:.2f}\n")
    header = f"{'place':<9} {'graded':<40} {'path':<26} {'CPU s':>6} {'wall s':>7}  CPU s each"
    print(header)
    missed = []
    for what, lesson, kind, target_cpu in CASES:
        terminal = {True: [], False: []}
        for _ in range(args.repeats):
            for isolated in (True, False):
                terminal[isolated].append(time_terminal(what, args.target, isolated))
        notebook = time_notebook(what, lesson, args.target, args.repeats)
        for place, rows_by_way in (("terminal", terminal), ("notebook", notebook)):
            for isolated, label in ((True, "before: pytest subprocess"), (False, "after")):
                rows = rows_by_way[isolated]
                cpu = statistics.median(r["cpu"] for r in rows)
                wall = statistics.median(r["wall"] for r in rows)
                each = " ".join(f"{r['cpu']:.2f}" for r in rows)
                print(
                    f"{place:<9} {what + ' (' + kind + ')':<40} {label:<26} {cpu:>6.2f} "
                    f"{wall:>7.2f}  {each}  [{rows[-1]['scoreboard']}]"
                )
                if not isolated and cpu > target_cpu:
                    missed.append(f"{what} in the {place}: {cpu:.2f} CPU s")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    targets = "after: NumPy <= 3 CPU s, Keras <= 10 CPU s (medians)"
    print(f"targets ({targets}): " + ("MISSED: " + "; ".join(missed) if missed else "all met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
