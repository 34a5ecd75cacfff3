"""Settings for every collected test, the lesson notebooks included (also when only a notebook
is collected)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Every test and every notebook runs in quick mode, offline, with a private cache and runs
# folder. Set here, before any notebook kernel starts (kernels inherit the environment).
os.environ["GANCOURSE_QUICK"] = "1"
os.environ["GANCOURSE_OFFLINE"] = "1"
_PRIVATE_FOLDERS: list[str] = []  # made here, removed when the session ends (pytest_unconfigure)
for _variable, _prefix in (("GANCOURSE_CACHE", "cache"), ("GANCOURSE_RUNS", "runs")):
    if _variable not in os.environ:
        os.environ[_variable] = tempfile.mkdtemp(prefix=f"gancourse-test-{_prefix}-")
        _PRIVATE_FOLDERS.append(os.environ[_variable])
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# nbval waits at most 5 s (hard-coded) for each output message of a notebook cell after the cell
# has run; on a busy 2-core machine a training cell's live view and progress bar can take longer
# to arrive, which fails the cell although it ran fine. The cell's own time limit is unchanged.
NOTEBOOK_OUTPUT_TIMEOUT_SECONDS = 60


def pytest_addoption(parser: pytest.Parser) -> None:
    # Here, not in tests/conftest.py, so that `course.py test <one notebook>` (which passes
    # --target=solutions) works when tests/ is not collected.
    parser.addoption(
        "--target",
        default="exercises",
        help="what the graders grade: exercises (default), solutions, or a folder of lessonNN.py",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if hasattr(item, "output_timeout"):  # an nbval notebook cell
            item.output_timeout = NOTEBOOK_OUTPUT_TIMEOUT_SECONDS


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _PRIVATE_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
