"""Graders grade the learner's ``exercises/`` unless ``--target`` says otherwise."""

from __future__ import annotations

from types import ModuleType

import pytest

from gancourse.grading import load_answers


@pytest.fixture
def answers(request: pytest.FixtureRequest) -> ModuleType:
    """The answer module of the grader file's ``LESSON`` for the chosen target."""
    return load_answers(request.module.LESSON, request.config.getoption("--target"))
