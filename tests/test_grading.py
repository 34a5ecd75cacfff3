"""``gancourse grade``: a scoreboard that fails stubs, passes answers, and explains failures."""

from __future__ import annotations

import shutil
import subprocess
import sys

from gancourse.exercises import make_exercise_source, repo_root
from gancourse.grading import ExerciseResult, GradeReport, grade

SOLUTION = repo_root() / "solutions" / "lesson01.py"


def run_grade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gancourse.cli", "grade", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_stubs_fail_with_not_implemented_yet(tmp_path):
    (tmp_path / "lesson01.py").write_text(make_exercise_source(SOLUTION.read_text(), "lesson01.py"))
    finished = run_grade("lesson01", "--target", str(tmp_path))
    assert finished.returncode == 1
    rows = [line for line in finished.stdout.splitlines() if line.strip().startswith("lesson01.")]
    assert len(rows) == 3
    assert all("FAIL" in row and "not implemented yet" in row for row in rows)
    assert "0 of 3 exercises pass" in finished.stdout


def test_answers_put_in_pass(tmp_path):
    solutions = sorted(SOLUTION.parent.glob("lesson*.py"))
    for solution in solutions:
        shutil.copy(solution, tmp_path / solution.name)
    finished = run_grade("--target", str(tmp_path))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "FAIL" not in finished.stdout
    graders = SOLUTION.parent.parent / "tests" / "graders"
    exercises = sum(path.read_text().count("\ndef check_") for path in graders.glob("grade_*.py"))
    assert finished.stdout.count("PASS") == exercises
    assert f"{exercises} of {exercises} exercises pass" in finished.stdout


def test_a_missing_answer_file_is_named(tmp_path):
    report = grade("lesson01", target=str(tmp_path))
    assert not report.passed
    assert report.results[0].message.startswith("No answers for lesson01")


def test_one_exercise_and_plain_word_failures(tmp_path):
    text = SOLUTION.read_text().replace(
        "return np.mean((x - x_hat) ** 2, axis=tuple(range(1, x.ndim)))",
        "return np.sum((x - x_hat) ** 2, axis=tuple(range(1, x.ndim)))",
    )
    (tmp_path / "lesson01.py").write_text(text)
    report = grade("reconstruction_error", target=str(tmp_path))
    assert [r.exercise for r in report.results] == ["lesson01.reconstruction_error"]
    assert not report.passed
    message = report.results[0].message
    assert "hand-worked case" in message
    assert "is wrong: got 1.25 where 0.3125 was expected" in message


def test_a_crash_in_the_learners_code_names_the_line(tmp_path):
    text = SOLUTION.read_text().replace(
        "    x = np.asarray(x, dtype=np.float64)\n",
        "    x = np.asarray(x, dtype=np.float64) + None\n",
    )
    (tmp_path / "lesson01.py").write_text(text)
    message = grade("lesson01.reconstruction_error", target=str(tmp_path)).results[0].message
    assert message.startswith("your code raised TypeError")
    assert "lesson01.py, line" in message and "+ None" in message


def test_unknown_exercise_lists_the_known_ones():
    finished = run_grade("no_such_exercise", "--target", "solutions")
    assert finished.returncode == 2
    assert "lesson01.reconstruction_error" in finished.stderr


def test_report_renders_as_text_and_html():
    report = GradeReport(
        "exercises",
        (ExerciseResult("lesson01.a", True), ExerciseResult("lesson01.b", False, "x < y")),
    )
    assert not report.passed
    assert "lesson01.b" in str(report) and "FAIL  x < y" in str(report)
    assert "x &lt; y" in report._repr_html_() and "1 of 2 exercises pass" in report._repr_html_()
