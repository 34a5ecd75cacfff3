"""Lesson 00 tells the truth: its course table lists exactly the lessons present, by their titles,
and no paragraph is said twice."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
TOUR = LESSONS / "00_setup_and_tour.ipynb"


def _markdown(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def _title(path: Path) -> str:
    """The title in the first line: "# Lesson 04: A GAN from scratch in NumPy" gives the part
    after the colon."""
    first_line = _markdown(path)[0].splitlines()[0]
    match = re.fullmatch(r"# Lesson (\d\d): (.+)", first_line.strip())
    assert match, (
        f"{path.name}: the first cell should start '# Lesson NN: title', not {first_line!r}"
    )
    assert match.group(1) == path.name[:2], f"{path.name}: its title has the number {match[1]}"
    return match.group(2)


def test_the_course_table_lists_exactly_the_lessons_present():
    rows = re.findall(r"^\| (\d\d) \| ([^|]+?) \|", _markdown(TOUR)[0], flags=re.MULTILINE)
    present = [(path.name[:2], _title(path)) for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))]
    assert rows == present, (
        "The course table in lessons/00_setup_and_tour.ipynb (first cell) must have one row per "
        "notebook in lessons/, in order, named by its title: '| NN | title | you build |'."
    )


def test_no_paragraph_is_said_twice():
    paragraphs = [
        " ".join(paragraph.split())
        for source in _markdown(TOUR)
        for paragraph in source.split("\n\n")
        if len(paragraph) > 40  # not headings or short lines
    ]
    repeated = {p for p in paragraphs if paragraphs.count(p) > 1}
    assert not repeated, repeated
    explained = [source.splitlines()[0] for source in _markdown(TOUR) if "oneDNN" in source]
    assert len(explained) == 1, f"TensorFlow's start-up lines are explained in {explained}"


TIMES_HEADER = "| lesson | quick mode, Xeon with AMX |"


def _times_table(text: str) -> list[str]:
    """The rows of the run-time table that starts with TIMES_HEADER in ``text``."""
    start = text.index(TIMES_HEADER)
    lines = text[start:].splitlines()
    end = next((i for i, line in enumerate(lines) if not line.startswith("|")), len(lines))
    return [line.strip() for line in lines[2:end]]


def test_the_run_time_table_is_the_readmes_and_lists_every_lesson():
    readme = (LESSONS.parent / "README.md").read_text(encoding="utf-8")
    tour = next(source for source in _markdown(TOUR) if TIMES_HEADER in source)
    rows = _times_table(tour)
    assert rows == _times_table(readme), "lesson 00's and the README's run-time tables differ"
    numbers = [row.split("|")[1].strip()[:2] for row in rows]
    assert numbers == [path.name[:2] for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))]


def test_every_lesson_states_its_times_from_the_table_on_every_cpu():
    rows = _times_table((LESSONS.parent / "README.md").read_text(encoding="utf-8"))
    for path, row in zip(sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")), rows, strict=True):
        title = " ".join(_markdown(path)[0].split())
        cells = [cell.strip() for cell in row.split("|")[2:-1]]
        walls = [re.sub(r"\s*\(.*\)$", "", cell) for cell in cells]
        missing = [
            wall for wall in walls if not re.search(r"(?<![\d.])" + re.escape(wall) + r"\b", title)
        ]
        assert not missing, f"{path.name}'s first cell should state the table's times {missing}"
        for cpu in ("Intel Xeon with AMX", "AMD EPYC without AMX", "limited to AVX2"):
            assert cpu in title, (
                f"{path.name}'s first cell should name the {cpu} its times are from"
            )
