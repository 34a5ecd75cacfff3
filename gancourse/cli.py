"""The ``gancourse`` command: grade, doctor, download, lab, site, make-exercises,
train-classifier."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def _grade(args: argparse.Namespace) -> int:
    from .grading import grade

    report = grade(args.exercise, target=args.target, isolated=args.isolated)
    print(report)
    return 0 if report.passed else 1


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import doctor

    report = doctor()
    print(report)
    return 0 if report.ok else 1


def _download(args: argparse.Namespace) -> int:
    from . import data, download
    from .metrics.inception import WeightsUnavailableError, download_inception_weights

    failed: dict[str, str] = {}  # name -> the error printed
    for name in args.names:
        try:
            if name == "inception":
                paths = [download_inception_weights(force=args.force)]
            else:
                paths = data.download(name, force=args.force)
        except (
            data.DatasetUnavailableError,
            download.CorruptFileError,
            WeightsUnavailableError,
        ) as error:
            print(f"{name}: FAILED. {error}", file=sys.stderr)
            failed[name] = str(error)
            continue
        for path in paths:
            print(f"{name}: {path}")
    for name, message in failed.items():  # what the lessons do meanwhile, unless said already
        without = data.WITHOUT_IT.get(name)
        if without and without not in message and not data.damaged_files(name):
            print(f"{name}: meanwhile {without}.", file=sys.stderr)
    return 1 if failed else 0


FIRST_LESSON = "lessons/00_setup_and_tour.ipynb"


def _lab(args: argparse.Namespace, jupyter_args: Sequence[str]) -> int:
    """JupyterLab over the whole course folder (lessons/ and exercises/), opened at lesson 00."""
    from .exercises import repo_root

    root = repo_root()
    command = [
        *(sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}"),
        f"--LabApp.default_url=/lab/tree/{FIRST_LESSON}",
    ]
    if args.headless:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in jupyter_args:
        command.append("--allow-root")  # containers often run as root; Jupyter refuses otherwise
    return subprocess.call([*command, *jupyter_args], cwd=root)


def _site(args: argparse.Namespace) -> int:
    from .exercises import repo_root
    from .site import build_site

    root = repo_root()
    report = build_site(
        root,
        (args.output or root / "build" / "site").resolve(),
        lessons=args.lessons,
        execute=args.execute,
        quick=not args.full,
        offline=not args.online,
        timeout=args.timeout,
        log=lambda line: print(line, flush=True),
    )
    return 0 if report.ok else 1


def _make_exercises(args: argparse.Namespace) -> int:
    from .exercises import check_in_sync, write_exercises

    if args.check:
        problems = check_in_sync()
        for problem in problems:
            print(f"{problem.path}: {problem.reason}")
        print(
            "exercises/ is out of date." if problems else "exercises/ is in sync with solutions/."
        )
        return 1 if problems else 0
    written = write_exercises(overwrite=args.overwrite)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("exercises/ is already in sync with solutions/; nothing written.")
    return 0


_TRAIN_OPTIONS = ("output", "epochs", "seed", "augment", "outliers_per_digit")


def _train_classifier(args: argparse.Namespace) -> int:
    from .models.digit_classifier import train_and_save_digit_classifier

    options = {key: value for key, value in vars(args).items() if key in _TRAIN_OPTIONS}
    record = train_and_save_digit_classifier(**options)
    print(json.dumps(record, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gancourse", description="The command line of the gancourse course."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser("grade", help="grade your exercises and print a scoreboard")
    grade.add_argument(
        "exercise", nargs="?", help="an exercise or lesson, e.g. lesson01 (default: all)"
    )
    grade.add_argument(
        "--target",
        default="exercises",
        help="exercises (your answers, default), solutions (the key), or a folder of lessonNN.py",
    )
    grade.add_argument(
        "--isolated",
        action="store_true",
        help="run the graders under pytest in a fresh Python, as the test suite does (slower)",
    )
    grade.set_defaults(run=_grade)

    doctor = commands.add_parser("doctor", help="check this machine for the course")
    doctor.set_defaults(run=_doctor)

    download = commands.add_parser(
        "download", help="fetch data sets (and the InceptionV3 weights) into the cache now"
    )
    download.add_argument("names", nargs="*", default=["mnist", "fashion_mnist", "inception"])
    download.add_argument("--force", action="store_true", help="download again even if cached")
    download.set_defaults(run=_download)

    lab = commands.add_parser(
        "lab", help="open the lessons in JupyterLab (other options go to jupyter lab)"
    )
    lab.add_argument("--headless", action="store_true", help="print the URL, open no browser")
    lab.set_defaults(run=_lab)

    train = commands.add_parser(
        "train-classifier",
        help="(course authors) train the digit classifier that ships with gancourse.metrics",
    )
    hidden = argparse.SUPPRESS  # options not given keep the defaults of the Python function
    train.add_argument(
        "--output", type=Path, default=hidden, help="a .keras path (default: the package copy)"
    )
    train.add_argument("--epochs", type=int, default=hidden, help="passes over the training set")
    train.add_argument("--seed", type=int, default=hidden, help="seed for a repeatable run")
    train.add_argument(
        "--no-augment",
        dest="augment",
        action="store_false",
        default=hidden,
        help="train without random rotations, shifts and zooms",
    )
    train.add_argument(
        "--outliers-per-digit", type=float, default=hidden, help="non-digit images per digit"
    )
    train.set_defaults(run=_train_classifier)

    site = commands.add_parser(
        "site",
        help="run every lesson in quick mode and render the course as a website (build/site/)",
    )
    site.add_argument("--output", type=Path, help="the site's folder (default: build/site)")
    site.add_argument(
        "--lessons",
        nargs="+",
        metavar="LESSON",
        help="only these lessons, e.g. 04 or 04_gan_from_scratch_numpy (default: all)",
    )
    site.add_argument(
        "--execute",
        nargs="*",
        metavar="LESSON",
        help="run only these lessons and render the others without outputs "
        "(default: run all; --execute alone runs none)",
    )
    site.add_argument(
        "--full", action="store_true", help="run in full mode (an hour or more on a CPU)"
    )
    site.add_argument(
        "--online",
        action="store_true",
        help="let the lessons download data (default: offline, GANCOURSE_OFFLINE=1)",
    )
    site.add_argument(
        "--timeout", type=int, default=1800, help="seconds one cell may run (default: 1800)"
    )
    site.set_defaults(run=_site)

    make = commands.add_parser(
        "make-exercises", help="(instructors) write exercises/ from solutions/"
    )
    make.add_argument("--check", action="store_true", help="only report files that are out of date")
    make.add_argument("--overwrite", action="store_true", help="rewrite every file (keeps a .bak)")
    make.set_defaults(run=_make_exercises)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        parser.print_help(sys.stderr)
        return 2
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.run(args, extra) if args.command == "lab" else args.run(args)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"gancourse {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
