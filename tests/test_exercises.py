"""exercises/ is generated from solutions/ and stays in sync with it."""

from __future__ import annotations

import shutil

import pytest

from gancourse.exercises import (
    check_in_sync,
    make_exercise_source,
    repo_root,
    write_exercises,
)

SOLUTION = '''"""A lesson."""


def double(x):
    """Twice x."""
    # BEGIN SOLUTION
    # HINT: multiply.
    y = 2 * x
    return y
    # END SOLUTION


def untouched():
    return 1
'''


def test_answer_region_becomes_a_stub_with_its_hint():
    text = make_exercise_source(SOLUTION, "lesson99.py")
    assert "2 * x" not in text
    assert "    # YOUR CODE HERE\n    # HINT: multiply.\n    raise NotImplementedError(" in text
    assert "double is not implemented yet" in text
    assert "def untouched():\n    return 1\n" in text
    namespace = {}
    exec(compile(text, "lesson99.py", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        namespace["double"](3)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", "outside a function"),
        ("def f():\n    # BEGIN SOLUTION\n    return 1\n", "without # END SOLUTION"),
        ("def f():\n    return 1\n    # END SOLUTION\n", "without # BEGIN SOLUTION"),
        ("def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n", "nested"),
    ],
)
def test_malformed_markers_are_reported(broken, message):
    with pytest.raises(ValueError, match=message):
        make_exercise_source(broken, "lesson99.py")


def test_repository_exercises_are_in_sync():
    problems = check_in_sync()
    assert problems == [], "run `gancourse make-exercises`: " + "; ".join(
        f"{p.path} {p.reason}" for p in problems
    )


@pytest.fixture
def course(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "lesson99.py").write_text(SOLUTION)
    write_exercises(tmp_path)
    return tmp_path


def test_filled_in_answers_count_as_in_sync(course):
    exercise = course / "exercises" / "lesson99.py"
    text = exercise.read_text()
    start = text.index("    # YOUR CODE HERE")
    end = text.index("\n", text.index("raise NotImplementedError")) + 1
    exercise.write_text(text[:start] + "    return x + x\n" + text[end:])
    assert check_in_sync(course) == []
    assert write_exercises(course) == []  # the learner's work is left alone
    assert "return x + x" in exercise.read_text()


def test_stale_or_missing_exercises_are_reported_and_rewritten_with_a_backup(course):
    solution = course / "solutions" / "lesson99.py"
    solution.write_text(SOLUTION.replace("return 1", "return 2"))
    shutil.copy(solution, course / "solutions" / "lesson98.py")
    reasons = {p.path.name: p.reason for p in check_in_sync(course)}
    assert reasons == {
        "lesson98.py": "missing",
        "lesson99.py": "differs from what solutions/lesson99.py generates",
    }
    written = write_exercises(course)
    assert sorted(p.name for p in written) == ["lesson98.py", "lesson99.py"]
    assert "return 1" in (course / "exercises" / "lesson99.py.bak").read_text()
    assert check_in_sync(course) == []


def test_repo_root_is_the_course_folder():
    root = repo_root()
    assert (root / "solutions").is_dir() and (root / "tests" / "graders").is_dir()
