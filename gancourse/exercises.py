"""Make the learner's ``exercises/`` from the answer key in ``solutions/``.

``solutions/`` is the single source. Inside a solution function the answer sits between
two marker lines::

    def reconstruction_error(x, x_hat):
        \"\"\"...\"\"\"
        # BEGIN SOLUTION
        # HINT: subtract, square, then average over every axis but the first.
        ...answer...
        # END SOLUTION

In the exercise copy the region becomes ``# YOUR CODE HERE``, the hint lines, and
``raise NotImplementedError("reconstruction_error is not implemented yet ...")``.
``check_in_sync`` tells whether a file in ``exercises/`` still matches its solution outside
those stubs, so a learner's filled-in answers count as in sync but a stale copy does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
HINT = "# HINT:"
STUB_START = "# YOUR CODE HERE"
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)\s*\(")


def repo_root() -> Path:
    """The course folder (the one holding ``solutions/`` and ``tests/graders/``).

    Found from the installed package (the course is installed in editable mode), else from
    the current folder and its parents.
    """
    here = Path(__file__).resolve().parent.parent
    for start in (here, Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "solutions").is_dir() and (folder / "tests" / "graders").is_dir():
                return folder
    raise FileNotFoundError(
        "Could not find the course folder (one with solutions/ and tests/graders/). "
        "Run this from inside the cloned gancourse repository."
    )


def _stub_header(solution_name: str) -> str:
    return (
        f"# Your answers. Generated from solutions/{solution_name} by "
        "`gancourse make-exercises`:\n"
        f"# replace each `{STUB_START}` block, then run `gancourse grade`.\n"
    )


def make_exercise_source(solution_text: str, solution_name: str) -> str:
    """Return the exercise version of a solution file's text (answer regions stubbed out)."""
    out: list[str] = [_stub_header(solution_name)]
    function = None
    region: list[str] | None = None
    indent = ""
    for number, line in enumerate(solution_text.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if region is None:
            match = _DEF.match(line)
            if match:
                function = match.group(1)
            if stripped == BEGIN:
                if function is None:
                    raise ValueError(f"{solution_name}:{number}: {BEGIN} outside a function.")
                region, indent = [], line[: len(line) - len(line.lstrip())]
                continue
            if stripped == END:
                raise ValueError(f"{solution_name}:{number}: {END} without {BEGIN}.")
            out.append(line)
        elif stripped == END:
            hints = [f"{indent}{h.strip()}\n" for h in region if h.strip().startswith(HINT)]
            out.append(f"{indent}{STUB_START}\n")
            out.extend(hints)
            out.append(
                f'{indent}raise NotImplementedError("{function} is not implemented yet: '
                f'write it in exercises/{solution_name}")\n'
            )
            region = None
        elif stripped == BEGIN:
            raise ValueError(f"{solution_name}:{number}: nested {BEGIN}.")
        else:
            region.append(line)
    if region is not None:
        raise ValueError(f"{solution_name}: {BEGIN} without {END}.")
    return "".join(out)


def _stub_pattern(exercise_text: str) -> re.Pattern[str]:
    """A regex matching ``exercise_text`` with every stub block replaced by anything."""
    parts: list[str] = []
    lines = exercise_text.splitlines(keepends=True)
    in_stub = False
    for line in lines:
        stripped = line.strip()
        if stripped == STUB_START:
            in_stub = True
            parts.append(r"(?:.*?)")
            continue
        if in_stub:
            if stripped.startswith("raise NotImplementedError("):
                in_stub = False
            continue
        parts.append(re.escape(line))
    return re.compile("".join(parts), re.DOTALL)


@dataclass(frozen=True)
class SyncProblem:
    """One file in ``exercises/`` that does not match what ``solutions/`` generates."""

    path: Path
    reason: str


def exercise_pairs(root: Path | None = None) -> list[tuple[Path, Path]]:
    """(solution file, exercise file) for every ``solutions/lesson*.py``."""
    root = root or repo_root()
    return [
        (solution, root / "exercises" / solution.name)
        for solution in sorted((root / "solutions").glob("lesson*.py"))
    ]


def check_in_sync(root: Path | None = None) -> list[SyncProblem]:
    """Files in ``exercises/`` that are missing or differ from their solution outside the stubs."""
    problems = []
    for solution, exercise in exercise_pairs(root):
        expected = make_exercise_source(solution.read_text(encoding="utf-8"), solution.name)
        if not exercise.exists():
            problems.append(SyncProblem(exercise, "missing"))
        elif not _stub_pattern(expected).fullmatch(exercise.read_text(encoding="utf-8")):
            problems.append(
                SyncProblem(exercise, f"differs from what solutions/{solution.name} generates")
            )
    return problems


def write_exercises(root: Path | None = None, *, overwrite: bool = False) -> list[Path]:
    """Write ``exercises/`` from ``solutions/``; returns the files written.

    A file already in sync (including one whose stubs a learner has filled in) is left
    alone unless ``overwrite`` is true. A file that is replaced is first copied to
    ``<name>.bak``, so a learner's work is never lost.
    """
    root = root or repo_root()
    stale = {problem.path for problem in check_in_sync(root)}
    written = []
    for solution, exercise in exercise_pairs(root):
        if exercise in stale or overwrite:
            exercise.parent.mkdir(exist_ok=True)
            if exercise.exists():
                exercise.with_suffix(".py.bak").write_bytes(exercise.read_bytes())
            text = make_exercise_source(solution.read_text(encoding="utf-8"), solution.name)
            exercise.write_text(text, encoding="utf-8")
            written.append(exercise)
    return written
