"""`gancourse site` without a browser: choosing lessons, links between pages, widgets' still
pictures, and a lesson that fails (reported with its cell and error, exit code 1)."""

from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest

from gancourse import cli, doctor, site

LESSONS = [site.Path(f"lessons/{name}.ipynb") for name in ("00_tour", "04_gan", "12_capstone")]


# ## Choosing lessons


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (None, ["00_tour", "04_gan", "12_capstone"]),
        (["4"], ["04_gan"]),
        (["12", "04"], ["04_gan", "12_capstone"]),  # in course order
        (["04_gan", "lessons/04_gan.ipynb"], ["04_gan"]),
        ([], []),
    ],
)
def test_select_lessons(wanted, expected):
    assert [path.stem for path in site.select_lessons(LESSONS, wanted)] == expected


def test_an_unknown_lesson_is_an_error_that_lists_the_lessons():
    with pytest.raises(ValueError, match="no lesson '7'; the lessons are: 00_tour, 04_gan"):
        site.select_lessons(LESSONS, ["7"])


# ## Links


def link(text: str, prefix: str = "") -> str:
    return site.link_markdown(
        text, pages={"01_autoencoders", "04_gan"}, exercises={"lesson04"}, prefix=prefix
    )


def test_mentions_of_exercise_files_and_lessons_become_links():
    assert link("Open `exercises/lesson04.py` now.") == (
        "Open [`exercises/lesson04.py`](exercises/lesson04.html) now."
    )
    assert link("Open **01_autoencoders.ipynb**.", prefix="../") == (
        "Open [**01_autoencoders.ipynb**](../01_autoencoders.html)."
    )
    assert link("see [lesson 4](../lessons/04_gan.ipynb)") == "see [lesson 4](04_gan.html)"
    assert link("the [README](../README.md)") == "the [README](readme.html)"
    assert link("[guide](docs/instructor-guide.md)", "../") == "[guide](../instructor-guide.html)"


def test_links_are_not_made_to_missing_pages_or_inside_code_blocks():
    untouched = "`exercises/lesson09.py`, **07_collapse.ipynb**, [x](08_cgan.ipynb)"
    assert link(untouched) == untouched
    fenced = "```bash\nvim `exercises/lesson04.py`\n```\nthen `exercises/lesson04.py`"
    assert link(fenced) == (
        "```bash\nvim `exercises/lesson04.py`\n```\n"
        "then [`exercises/lesson04.py`](exercises/lesson04.html)"
    )


# ## Widgets


def test_widgets_keep_their_still_picture_and_progress_bars_go():
    png = base64.b64encode(b"\x89PNG...").decode()
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={site.WIDGET_VIEW: view, "image/png": png, "text/plain": "w"}
        ),
        nbformat.v4.new_output(
            "display_data", data={site.WIDGET_VIEW: view, "text/plain": "  0%|  | 0/10"}
        ),
        nbformat.v4.new_output("stream", name="stdout", text="done\n"),
    ]
    notebook.cells = [cell]
    notebook.metadata["widgets"] = {"state": {}}
    site._keep_still_pictures(notebook)
    assert [output.get("data", {}).get("image/png") for output in cell.outputs] == [png, None]
    assert site.WIDGET_VIEW not in cell.outputs[0]["data"]
    assert "widgets" not in notebook.metadata


def test_tensorflow_start_up_lines_are_left_out():
    text = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1796220875.423875   25082 port.cc:153] oneDNN custom operations are on.\n"
        "/tmp/ipykernel_1/1.py:1: OfflineFallbackWarning: MNIST is not cached\n"
        "E0000 00:00:1796220883.983886   25082 cuda_platform.cc:52] failed call to cuInit\n"
    )
    cell = nbformat.v4.new_code_cell("import tensorflow")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=text),
        nbformat.v4.new_output("stream", name="stderr", text="E0000 00:00:1.2 1 a.cc:5] x\n"),
        nbformat.v4.new_output("stream", name="stdout", text="I0000 00:00:1.2 1 a.cc:5] mine\n"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    site._drop_native_log_lines(notebook)
    assert [output["text"] for output in cell.outputs] == [
        "/tmp/ipykernel_1/1.py:1: OfflineFallbackWarning: MNIST is not cached\n",
        "I0000 00:00:1.2 1 a.cc:5] mine\n",  # what the lesson prints itself stays
    ]


# ## Building, with a lesson that fails


@pytest.fixture
def course(tmp_path):
    """A course folder with two small lessons, the second failing in its third cell."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "exercises").mkdir()
    (tmp_path / "solutions").mkdir()
    (tmp_path / "tests" / "graders").mkdir(parents=True)
    (tmp_path / "exercises" / "lesson01.py").write_text(
        "def answer():\n    raise NotImplementedError\n"
    )
    (tmp_path / "README.md").write_text(
        "# c\n\n| lesson | what you build |\n|---|---|\n| 00 tour | nothing |\n\n"
        "## Exercises and grading\n\nRun `gancourse grade`.\n\n## Other\n"
    )
    cells = {
        "00_tour": [
            nbformat.v4.new_markdown_cell(
                "# Lesson 00: Tour\n\n$$E = mc^2$$ Next: **01_broken.ipynb**"
            ),
            nbformat.v4.new_code_cell("import os\nprint(os.environ['GANCOURSE_QUICK'])"),
            # what a native library writes to the kernel process's stderr, as TensorFlow does
            nbformat.v4.new_code_cell("os.write(2, b'I0000 native start-up line\\n')"),
        ],
        "01_broken": [
            nbformat.v4.new_markdown_cell("# Lesson 01: Broken\n\nSee `exercises/lesson01.py`."),
            nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}),
            nbformat.v4.new_code_cell("# divide\nx = [1][3]"),
            nbformat.v4.new_code_cell("print('never')"),
        ],
    }
    for name, content in cells.items():
        notebook = nbformat.v4.new_notebook(cells=content)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(notebook, tmp_path / "lessons" / f"{name}.ipynb")
    return tmp_path


def test_a_failing_lesson_is_reported_with_its_cell_and_error(course, tmp_path):
    lines: list[str] = []
    report = site.build_site(course, tmp_path / "out", log=lines.append, timeout=120)
    assert not report.ok
    tour, broken = report.lessons
    assert tour.failure is None and tour.executed and tour.wall_s > 0
    assert broken.failure == site.CellFailure(
        3, "x = [1][3]", "IndexError: list index out of range"
    )
    assert any(
        "01_broken: FAILED at cell 3 (`x = [1][3]`): IndexError" in line for line in lines
    ), lines
    assert "1 lesson(s) failed to execute" in lines[-1]
    logs = tmp_path / "out" / "kernel-logs"
    assert f"the kernel's own output is in {logs / '01_broken.txt'}" in lines[-1]
    assert "I0000 native start-up line" in (logs / "00_tour.txt").read_text()
    page = (tmp_path / "out" / "01_broken.html").read_text()
    assert "This lesson failed while the site was built" in page
    assert 'href="exercises/lesson01.html"' in page
    tour_page = (tmp_path / "out" / "00_tour.html").read_text()
    assert "Run in quick mode" in tour_page and 'href="01_broken.html"' in tour_page
    assert "not a git checkout" in tour_page  # the version, named on every page
    assert (tmp_path / "out" / "mathjax" / "MathJax.js").is_file()
    loads = re.findall(r"""(?:src|href)=["']?(https?://[^"' >]+)""", tour_page.split("<body")[0])
    assert loads == [], f"the page loads from the network: {loads}"


def test_the_cli_exits_1_when_a_lesson_fails_and_runs_only_what_it_is_told(
    course, tmp_path, monkeypatch, capfd
):
    monkeypatch.setattr("gancourse.exercises.repo_root", lambda: course)
    output = tmp_path / "site"
    assert cli.main(["site", "--output", str(output), "--execute", "00"]) == 0
    printed, errors = capfd.readouterr()
    assert "00_tour: executed in" in printed
    assert "native start-up line" not in printed + errors  # one line a lesson, no kernel noise
    assert "01_broken: rendered without running" in printed
    assert cli.main(["site", "--output", str(output), "--lessons", "1"]) == 1
    assert not (output / "00_tour.html").exists()  # the folder was emptied, then rebuilt


def test_the_site_refuses_to_empty_a_folder_it_did_not_make(course, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("...")
    with pytest.raises(ValueError, match="not made by `gancourse site`"):
        site.build_site(course, precious, execute=[], log=lambda line: None)
    assert (precious / "thesis.tex").exists()


# ## Chromium, for the browser tests


def test_doctor_says_when_the_browser_tests_cannot_run(monkeypatch, tmp_path):
    monkeypatch.setenv(site.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    assert site.find_chromium() is None
    check = doctor._browser_tests()
    assert check.ok  # learners need no browser tests: a note, not a FIX
    assert check.found.startswith("will be skipped: Chromium not found")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv(site.CHROMIUM_ENV, str(fake))
    assert site.find_chromium() == fake


def test_the_template_is_shipped_with_the_package():
    conf = json.loads((site.TEMPLATE_DIR / site.TEMPLATE_NAME / "conf.json").read_text())
    assert conf["base_template"] == "lab"
