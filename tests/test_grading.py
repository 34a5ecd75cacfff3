"""``gancourse grade``: a scoreboard that fails stubs, passes answers, and explains failures;
graded in the calling Python, with only the graded lesson's imports and the latest saved edit."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

from gancourse.exercises import make_exercise_source, repo_root
from gancourse.grading import ExerciseResult, GradeReport, exercises_by_lesson, grade

SOLUTION = repo_root() / "solutions" / "lesson01.py"
NUMPY_SOLUTION = repo_root() / "solutions" / "lesson04.py"  # a lesson graded without TensorFlow


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


def test_an_edit_saved_right_before_grading_is_graded(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a learner's machine
    right = NUMPY_SOLUTION.read_text()
    wrong = right.replace("(1.0 - h**2)", "(1.0 + h**2)")  # tanh's derivative with a wrong sign
    assert wrong != right and len(wrong) == len(right)
    answers = tmp_path / "lesson04.py"
    # Same size and the same modification time for both versions: a cached .pyc would be taken
    # for the fixed file, and the wrong answer graded again.
    for text, passes in ((wrong, False), (right, True), (wrong, False)):
        answers.write_text(text)
        os.utime(answers, ns=(1_700_000_000 * 10**9,) * 2)
        report = grade("lesson04.discriminator_gradient", target=str(tmp_path))
        assert report.passed is passes, report


def test_a_numpy_lesson_is_graded_without_importing_tensorflow():
    code = (
        "import sys\n"
        "from gancourse.cli import main\n"
        "assert main(['grade', 'lesson04', '--target', 'solutions']) == 0\n"
        "print(sorted({'tensorflow', 'keras', 'nbval', 'jupyter_client'} & set(sys.modules)))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "2 of 2 exercises pass" in finished.stdout
    assert finished.stdout.strip().endswith("[]"), finished.stdout


def test_grading_here_and_in_a_fresh_pytest_give_the_same_scoreboard(tmp_path, capsys):
    text = NUMPY_SOLUTION.read_text()
    text = text.replace("(1.0 - h**2)", "(1.0 + h**2)")
    text = text.replace(
        "    x = np.concatenate([x_real, x_fake])  # (n_real + n_fake, 1)\n",
        '    print("my debugging output")\n    x = np.concatenate([x_real, x_fake])\n',
    )
    text = text.replace(  # a RuntimeWarning: an error, as everywhere in the tests
        "    x_fake = gan.generate(generator, z)\n",
        "    x_fake = gan.generate(generator, z) + np.log(-1.0)\n",
    )
    (tmp_path / "lesson04.py").write_text(text)
    here = grade("lesson04", target=str(tmp_path))
    assert "my debugging output" not in capsys.readouterr().out  # captured, as under pytest
    assert [r.passed for r in here.results] == [False, False]
    assert "multiply by its derivative 1 - h**2" in here.results[0].message
    assert here.results[1].message.startswith("your code raised RuntimeWarning")
    assert "lesson04.py, line" in here.results[1].message
    assert str(here) == str(grade("lesson04", target=str(tmp_path), isolated=True))


def test_an_answer_file_that_does_not_import_fails_every_exercise(tmp_path):
    (tmp_path / "lesson04.py").write_text("def discriminator_gradient(:\n")
    report = grade("lesson04", target=str(tmp_path))
    assert [r.exercise for r in report.results] == [
        "lesson04.discriminator_gradient",
        "lesson04.train_step",
    ]
    assert all(r.message.startswith("your code raised SyntaxError") for r in report.results)


def test_the_cli_grades_in_a_fresh_pytest_on_request():
    default, isolated = (
        run_grade("lesson04", "--target", "solutions"),
        run_grade("lesson04", "--target", "solutions", "--isolated"),
    )
    assert default.returncode == isolated.returncode == 0
    assert default.stdout == isolated.stdout


def test_exercises_are_listed_without_importing_the_graders():
    lessons = exercises_by_lesson()
    assert lessons["lesson04"] == ["discriminator_gradient", "train_step"]
    assert sorted(lessons) == sorted(p.stem for p in (SOLUTION.parent).glob("lesson*.py"))


def test_grading_in_a_notebook_leaves_its_random_numbers_alone():
    import keras
    import numpy as np

    def draws():
        layer = keras.layers.Dense(2)  # unseeded initializers, as in a lesson's models
        layer.build((None, 3))
        numbers = [random.random(), np.random.rand(), keras.random.normal((2,))]  # noqa: NPY002
        return [np.asarray(value).tolist() for value in [*numbers, layer.kernel]]

    keras.utils.set_random_seed(0)
    expected = draws()
    keras.utils.set_random_seed(0)
    assert grade("lesson01", target="solutions").passed  # builds and runs Keras models
    assert draws() == expected
