"""Every grader passes the answer key, fails the untouched stub, and fails plausible wrong answers.

Wrong answers live in ``tests/wrong_answers/lessonNN.py`` as ``(exercise, function, hint)``: the
grader must reject the function with a message containing ``hint``.
"""

from __future__ import annotations

import importlib

import pytest

from gancourse.exercises import repo_root
from gancourse.grading import GradeFailure, load_answers

LESSONS = sorted(path.stem for path in (repo_root() / "solutions").glob("lesson*.py"))


def _graders(lesson: str):
    return importlib.import_module(f"grade_{lesson}")


def _exercises(lesson: str) -> list[str]:
    module = _graders(lesson)
    return [name.removeprefix("check_") for name in dir(module) if name.startswith("check_")]


EXERCISES = [(lesson, name) for lesson in LESSONS for name in _exercises(lesson)]
WRONG = [
    (lesson, *wrong)
    for lesson in LESSONS
    for wrong in importlib.import_module(f"wrong_answers.{lesson}").WRONG_ANSWERS
]


def _check(lesson: str, exercise: str):
    return getattr(_graders(lesson), f"check_{exercise}")


def test_every_lesson_with_exercises_has_graders_and_wrong_answers():
    for lesson in LESSONS:
        assert (repo_root() / "tests" / "graders" / f"grade_{lesson}.py").exists()
        graded = {exercise for owner, exercise, _, _ in WRONG if owner == lesson}
        assert graded == set(_exercises(lesson)), f"{lesson}: every exercise needs a wrong answer"


@pytest.mark.parametrize(("lesson", "exercise"), EXERCISES)
def test_solution_passes(lesson, exercise):
    _check(lesson, exercise)(getattr(load_answers(lesson, "solutions"), exercise))


@pytest.mark.parametrize(("lesson", "exercise"), EXERCISES)
def test_stub_fails_as_not_implemented(lesson, exercise, stub_answers):
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        _check(lesson, exercise)(getattr(stub_answers(lesson), exercise))


@pytest.mark.parametrize(
    ("lesson", "exercise", "wrong", "hint"), WRONG, ids=[f"{w[0]}-{w[2].__name__}" for w in WRONG]
)
def test_wrong_answer_fails_with_a_helpful_message(lesson, exercise, wrong, hint):
    with pytest.raises(GradeFailure) as failure:
        _check(lesson, exercise)(wrong)
    assert hint in str(failure.value)
