"""Grade the exercises: run the graders in ``tests/graders`` and show a scoreboard.

``grade()`` runs in the calling Python (a notebook kernel, or the ``gancourse grade`` command)
and imports only the graders of the lessons asked for, so a NumPy exercise never waits for
TensorFlow. The learner's file is compiled from its source at every grade, so the latest saved
edit is always the one graded (no kernel restart), and the global random states are put back
afterwards, so a notebook's later cells are not changed by grading. ``grade(..., isolated=True)``
instead runs the graders under pytest in a fresh Python, as the test suite does.
The graders themselves use the small helpers below (``GradeFailure``, ``expect_close``...)
so that every failure reads as a sentence about the learner's function, not a traceback.
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from .exercises import repo_root

TARGETS = ("exercises", "solutions")


class GradeFailure(AssertionError):
    """A grader's verdict on a wrong answer; its message is shown to the learner as is."""


# --------------------------------------------------------------------------- graders' helpers


def expect(condition: bool, message: str) -> None:
    """Fail with ``message`` (plain words: what was expected, what was seen) unless true."""
    if not condition:
        raise GradeFailure(message)


def expect_shape(value: Any, shape: Sequence[int | None], what: str) -> None:
    """Check ``value.shape`` against ``shape`` (``None`` matches any size)."""
    actual = tuple(getattr(value, "shape", np.shape(value)))
    matches = len(actual) == len(shape) and all(
        want is None or want == got for want, got in zip(shape, actual, strict=True)
    )
    expect(matches, f"{what} has shape {actual}; expected {tuple(shape)}.")


def expect_close(
    actual: Any, expected: Any, what: str, *, rtol: float = 1e-5, atol: float = 1e-7
) -> None:
    """Check two arrays agree element-wise within tolerance, with a message that shows both."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    expect_shape(actual, expected.shape, what)
    expect(bool(np.all(np.isfinite(actual))), f"{what} contains NaN or infinity.")
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        worst = int(np.argmax(np.abs(actual - expected)))
        raise GradeFailure(
            f"{what} is wrong: got {actual.flat[worst]:.6g} where {expected.flat[worst]:.6g} "
            f"was expected (element {worst} of {actual.size})."
        )


def expect_number(
    value: Any, what: str, *, finite: bool = False, hint: str = "", complex_hint: str = ""
) -> float:
    """``value`` as a float, after checking that it is one real number (and, with ``finite``,
    not NaN or infinity); ``hint`` ends the message for an array, ``complex_hint`` the one for a
    complex number."""
    expect(value is not None, f"{what} returned None; return the number.")
    shape = tuple(getattr(value, "shape", np.shape(value)))
    expect(shape == (), f"{what} returned something of shape {shape}; return one number{hint}.")
    expect(
        not np.iscomplexobj(value),
        f"{what} returned a complex number ({value}); return a real float{complex_hint}.",
    )
    number = float(value)
    if finite:
        expect(bool(np.isfinite(number)), f"{what} returned {number}; expected a finite number.")
    return number


def expect_value(
    actual: float,
    expected: float,
    what: str,
    suspects: Mapping[str, float] | None = None,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    suspect_rtol: float = 1e-6,
    suspect_atol: float = 1e-9,
    formula: str = "",
    hint: str = "",
) -> None:
    """Fail unless the number ``actual`` matches ``expected``; when it matches the value of a
    known mistake (``suspects``: {explanation: the value that mistake gives}) name every such
    mistake, else add ``hint``. ``formula`` shows how ``expected`` is made ("2 log 2")."""
    wanted = f"{what} should be {formula + ' = ' if formula else ''}{expected:.6g}"
    if np.isfinite(actual) and np.isclose(actual, expected, rtol=rtol, atol=atol):
        return
    mistakes = [
        mistake
        for mistake, wrong in (suspects or {}).items()
        if np.isclose(actual, wrong, rtol=suspect_rtol, atol=suspect_atol)
    ]
    if mistakes:  # two mistakes can give the same value on a small case: name both
        raise GradeFailure(f"{wanted}, got {actual:.6g}: {'; or: '.join(mistakes)}.")
    raise GradeFailure(f"{wanted}, got {actual:.6g}{': ' + hint if hint else ''}.")


# --------------------------------------------------------------------------- loading answers


def answers_path(lesson: str, target: str | os.PathLike[str] = "exercises") -> Path:
    """Where ``lesson``'s answers live for a target: ``exercises``, ``solutions`` or a folder."""
    folder = repo_root() / target if str(target) in TARGETS else Path(target)
    path = folder / f"{lesson}.py"
    if not path.is_file():
        raise FileNotFoundError(f"No answers for {lesson}: {path} does not exist.")
    return path


def load_answers(lesson: str, target: str | os.PathLike[str] = "exercises") -> ModuleType:
    """Import a lesson's answer file afresh (edits are always picked up).

    >>> mine = load_answers("lesson01")          # your exercises/lesson01.py
    >>> key = load_answers("lesson01", "solutions")
    """
    path = answers_path(lesson, target)
    name = f"_gancourse_answers_{Path(target).name}_{lesson}"
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
    # Compiled from the source every time, never from __pycache__: Python trusts a cached .pyc
    # whose source has the same size and the same whole second, so an edit saved within a
    # second of the last grade could be missed.
    exec(compile(path.read_bytes(), module.__file__, "exec"), module.__dict__)
    return module


# --------------------------------------------------------------------------- the scoreboard


@dataclass(frozen=True)
class ExerciseResult:
    """How one exercise fared: passed, or the first failure explained."""

    exercise: str
    passed: bool
    message: str = ""


@dataclass(frozen=True, repr=False)
class GradeReport:
    """The scoreboard of one grading run; prints as text, shows as a table in a notebook."""

    target: str
    results: tuple[ExerciseResult, ...]

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def summary(self) -> str:
        done = sum(r.passed for r in self.results)
        return f"{done} of {len(self.results)} exercises pass"

    def __str__(self) -> str:
        width = max([len("exercise"), *(len(r.exercise) for r in self.results)])
        lines = [f"Grading {self.target}", f"  {'exercise':<{width}}  result"]
        for r in self.results:
            verdict = "PASS" if r.passed else "FAIL"
            detail = "" if r.passed else f"  {r.message}"
            lines.append(f"  {r.exercise:<{width}}  {verdict}{detail}")
        lines.append(self.summary + ("" if self.passed else "; fix the first FAIL and run again."))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = []
        for r in self.results:
            colour, verdict = ("#1a7f37", "PASS") if r.passed else ("#cf222e", "FAIL")
            rows.append(
                f"<tr><td><code>{html.escape(r.exercise)}</code></td>"
                f'<td style="color:{colour};font-weight:bold">{verdict}</td>'
                f'<td style="text-align:left">{html.escape(r.message)}</td></tr>'
            )
        return (
            f"<p>Grading <code>{html.escape(self.target)}</code>: {self.summary}</p>"
            "<table><tr><th>exercise</th><th>result</th><th>first problem</th></tr>"
            + "".join(rows)
            + "</table>"
        )


def grade(
    exercise: str | None = None, *, target: str = "exercises", isolated: bool = False
) -> GradeReport:
    """Run the graders and return the scoreboard.

    Args:
        exercise: one exercise (``"reconstruction_error"`` or ``"lesson01.reconstruction_error"``),
            a lesson (``"lesson01"``), or ``None`` for all.
        target: ``"exercises"`` (your answers), ``"solutions"`` (the key), or a folder holding
            ``lessonNN.py`` files.
        isolated: run the graders under pytest in a fresh Python, as the test suite does (a few
            seconds more per grade): for an answer that hangs or crashes the kernel, or to rule
            out anything a notebook changed.

    Raises:
        ValueError: no exercise matches ``exercise`` (the message lists the known ones).
    """
    if isolated:
        return _grade_in_pytest(exercise, target)
    index = exercises_by_lesson()
    chosen = {
        lesson: [n for n in names if not exercise or exercise_matches(f"{lesson}.{n}", exercise)]
        for lesson, names in index.items()
    }
    chosen = {lesson: names for lesson, names in chosen.items() if names}
    if exercise and not chosen:
        known = ", ".join(f"{lesson}.{name}" for lesson, names in index.items() for name in names)
        raise ValueError(f"No exercise matches {exercise!r}. Known exercises: {known or 'none'}.")
    with _random_states_kept():
        results = [
            result
            for lesson, names in chosen.items()
            for result in _run_graders(lesson, names, target)
        ]
    return GradeReport(target, tuple(results))


def _graders_folder() -> Path:
    return repo_root() / "tests" / "graders"


_CHECK = re.compile(r"^def check_(\w+)\(", re.MULTILINE)


def exercises_by_lesson() -> dict[str, list[str]]:
    """Each lesson's graded exercises in the graders' order: ``{"lesson01": ["build_encoder",
    ...]}``. Read from the ``check_NAME`` functions in the graders' source, importing nothing."""
    return {
        path.stem.removeprefix("grade_"): _CHECK.findall(path.read_text(encoding="utf-8"))
        for path in sorted(_graders_folder().glob("grade_lesson*.py"))
    }


def exercise_matches(exercise: str, wanted: str) -> bool:
    """``wanted`` names this exercise (``lesson01.name``), its lesson, or its bare name."""
    lesson, _, name = exercise.partition(".")
    return wanted in (exercise, lesson, name)


def _import_graders(lesson: str) -> ModuleType:
    """The grader module of one lesson (its imports, e.g. TensorFlow, load here)."""
    path = _graders_folder() / f"grade_{lesson}.py"
    name = f"_gancourse_graders_{lesson}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # registered like any import (dataclasses look classes up there)
    spec.loader.exec_module(module)
    return module


_KERAS_SEED_GENERATOR = "global_seed_generator"  # keras.src.random.seed_generator, Keras 3


def _keras_seed_generator() -> Any:
    """The SeedGenerator of Keras' unseeded ``keras.random`` calls; None until one is made.
    Keras 3 offers no public way to read it."""
    if "keras" not in sys.modules:
        return None
    from keras.src.backend.common import global_state

    return global_state.get_global_attribute(_KERAS_SEED_GENERATOR)


@contextlib.contextmanager
def _random_states_kept() -> Iterator[None]:
    """Put back the global random states that grading draws from (the graders' cases, Keras'
    unseeded initializers): Python's, NumPy's and Keras' generator. A notebook's later cells then
    draw the same numbers whether, and however often, the learner graded."""
    # NumPy's legacy global state: the one np.random.* functions and keras' set_random_seed use.
    python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    keras_generator = _keras_seed_generator()
    keras_state = None if keras_generator is None else keras_generator.state.numpy()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        if "keras" in sys.modules:  # imported before or during grading
            from keras.src.backend.common import global_state

            global_state.set_global_attribute(_KERAS_SEED_GENERATOR, keras_generator)
            if keras_generator is not None:
                keras_generator.state.assign(keras_state)


def _run_graders(lesson: str, names: Sequence[str], target: str) -> list[ExerciseResult]:
    """Grade ``names`` of one lesson: each ``check_NAME`` of its graders on the answer ``NAME``.

    As under pytest (the test suite's settings): warnings raised by the answers are errors,
    and what they print is captured, so the scoreboard reads the same in every place.
    """
    graders = _import_graders(lesson)
    results = []
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("error")
        try:
            answers = load_answers(lesson, target)
        except Exception as error:  # a missing file, or one that does not import
            message = explain(error, None)
            return [ExerciseResult(f"{lesson}.{name}", False, message) for name in names]
        for name in names:
            try:
                getattr(graders, f"check_{name}")(getattr(answers, name))
            except Exception as error:  # the learner's code may raise anything: explain it
                message = explain(error, answers.__file__)
            else:
                message = None
            results.append(ExerciseResult(f"{lesson}.{name}", message is None, message or ""))
    return results


def explain(error: BaseException, answers_file: str | None) -> str:
    """One or two sentences a learner can act on; the line of ``answers_file`` that raised
    ``error``, if any, is named."""
    if isinstance(error, NotImplementedError):
        return str(error) or "not implemented yet"
    if isinstance(error, (GradeFailure, FileNotFoundError)):
        return str(error)
    where = ""
    if answers_file:
        frames = traceback.extract_tb(error.__traceback__)
        frames = [frame for frame in frames if frame.filename == answers_file]
        if frames:
            where = f" (at {Path(answers_file).name}, line {frames[-1].lineno}: {frames[-1].line})"
    if isinstance(error, AssertionError):
        return f"a check failed: {error}{where}" if str(error) else f"a check failed{where}"
    return f"your code raised {type(error).__name__}: {error}{where}"


def _grade_in_pytest(exercise: str | None, target: str) -> GradeReport:
    """``grade(isolated=True)``: pytest over the graders in a fresh Python, with
    ``gancourse._grading_plugin`` recording the verdicts."""
    root = repo_root()
    graders = _graders_folder()
    lesson_file = graders / f"grade_{(exercise or '').split('.')[0]}.py"
    if lesson_file.is_file():  # one lesson: collect only its graders (others may import TF)
        graders = lesson_file
    with tempfile.TemporaryDirectory() as tmp:
        report_file = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(graders),
            "-p",
            "gancourse._grading_plugin",
            f"--target={target}",
            f"--grade-report={report_file}",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
        ]
        if exercise:
            command.append(f"--grade-only={exercise}")
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        finished = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        if not report_file.exists():
            raise RuntimeError(
                "The graders could not run. pytest said:\n" + finished.stdout + finished.stderr
            )
        report = json.loads(report_file.read_text(encoding="utf-8"))
    if exercise and not report["results"]:
        known = ", ".join(report["known"]) or "none"
        raise ValueError(f"No exercise matches {exercise!r}. Known exercises: {known}.")
    return _summarise(target, report["results"])


def _summarise(target: str, outcomes: list[dict[str, Any]]) -> GradeReport:
    """One row per exercise: it passes when all its graders pass; show the first failure."""
    by_exercise: dict[str, ExerciseResult] = {}
    for outcome in outcomes:
        name = outcome["exercise"]
        previous = by_exercise.get(name)
        if previous is not None and not previous.passed:
            continue
        by_exercise[name] = ExerciseResult(name, outcome["passed"], outcome["message"])
    return GradeReport(target, tuple(by_exercise.values()))
