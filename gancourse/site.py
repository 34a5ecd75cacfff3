"""``gancourse site``: the course as a static website that works offline from the file system.

Every lesson in ``lessons/`` is executed in quick mode (``GANCOURSE_QUICK=1``), offline
(``GANCOURSE_OFFLINE=1``), with a private runs folder, by nbclient, then rendered to HTML by
nbconvert's JupyterLab template (:mod:`gancourse` adds a navigation bar, a banner that says how
the page was run, and a footer naming the version and date). Beside the lessons the site holds a
contents page, one page per exercise file (``exercises/lessonNN.py``), the grading
instructions (the README's section), the README and the instructor's guide
(``docs/instructor-guide.md``).

Figures and the widgets' still pictures are PNGs embedded in the pages; equations are typeset
by MathJax 2.7, copied into the site from the ``jupyter-server-mathjax`` package, so no page
loads anything from the network. The course's widgets cannot run without a kernel: their
output carries a still picture (``image/png``) of the state they were shown in, and the site
shows that. Solutions are not published.

Output, in ``build/site/`` by default::

    index.html                         contents
    00_setup_and_tour.html ...         one page per lesson
    exercises/lesson01.html ...        the exercise files, with how to grade them
    grading.html                       how grading works
    readme.html                        the README: installing and running the course
    instructor-guide.html              the instructor's guide
    mathjax/                           MathJax, for equations offline
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import html
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "CellFailure",
    "LessonBuild",
    "SiteReport",
    "browser_problem",
    "build_site",
    "find_chromium",
    "find_lessons",
    "select_lessons",
]

TEMPLATE_NAME = "gancourse_site"
TEMPLATE_DIR = Path(__file__).resolve().parent / "site_template"
MARKER = ".gancourse-site"  # in a folder that a build made, so the next build may empty it
KERNEL_LOGS = "kernel-logs"  # in the site's folder: each kernel's own output, one file a lesson
GUIDE = Path("docs") / "instructor-guide.md"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
DEFAULT_CELL_TIMEOUT_S = 1800  # one cell; full-mode training cells take minutes on a CPU
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

_FULL_MODE_NOTE = (
    "Full mode, the default when you run the notebook yourself, trains long enough for sharp "
    "samples, low losses and steady metrics; numbers the text quotes as measured in full mode "
    "come from such runs."
)


@dataclasses.dataclass(frozen=True)
class CellFailure:
    """Where a lesson stopped: the cell (numbered from 1, as in the notebook file), the first
    line of its code, and the error."""

    cell_number: int
    code_line: str
    error: str

    def __str__(self) -> str:
        return f"cell {self.cell_number} (`{self.code_line}`): {self.error}"


@dataclasses.dataclass(frozen=True)
class LessonBuild:
    """One lesson's page: whether it was executed, how long that took, and any failure."""

    name: str
    executed: bool
    wall_s: float = 0.0
    kernel_cpu_s: float | None = None  # the kernel and the processes it waited for
    failure: CellFailure | None = None

    def summary(self) -> str:
        if not self.executed:
            return "rendered without running (no outputs)"
        cpu = "" if self.kernel_cpu_s is None else f", kernel CPU {self.kernel_cpu_s:.1f} s"
        outcome = f"FAILED at {self.failure}" if self.failure else "executed"
        return f"{outcome} in {self.wall_s:.1f} s{cpu}"


@dataclasses.dataclass(frozen=True)
class SiteReport:
    output: Path
    lessons: tuple[LessonBuild, ...]
    version: str
    built: str

    @property
    def ok(self) -> bool:
        return all(lesson.failure is None for lesson in self.lessons)

    def __str__(self) -> str:
        failed = [lesson for lesson in self.lessons if lesson.failure]
        lines = [f"Site written to {self.output / 'index.html'} ({self.version}, {self.built})."]
        if failed:
            lines.append(f"{len(failed)} lesson(s) failed to execute:")
            lines += [
                f"  {lesson.name}: {lesson.failure}; the kernel's own output is in "
                f"{self.output / KERNEL_LOGS / lesson.name}.txt"
                for lesson in failed
            ]
        return "\n".join(lines)


# ## The browser that the tests of the site and of JupyterLab drive

CHROMIUM_ENV = "GANCOURSE_CHROMIUM"  # a Chromium executable, if not on PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> Path | None:
    """Chromium for the browser tests: ``GANCOURSE_CHROMIUM``, else the first of
    ``CHROMIUM_NAMES`` on PATH (Debian's package installs ``/usr/bin/chromium``)."""
    override = os.environ.get(CHROMIUM_ENV, "").strip()
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def browser_problem() -> str | None:
    """Why the browser tests cannot run here (no Chromium, no Playwright), or None."""
    if find_chromium() is None:
        return (
            "Chromium not found (looked for $GANCOURSE_CHROMIUM, then "
            f"{', '.join(CHROMIUM_NAMES)} on PATH); on Debian or Ubuntu: "
            "sudo apt-get install chromium"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing; run the set-up again: python3 course.py setup"
    return None


# ## Which lessons


def find_lessons(root: Path) -> list[Path]:
    """Every lesson notebook, in order: ``lessons/NN_*.ipynb``."""
    return sorted((root / "lessons").glob("[0-9][0-9]_*.ipynb"))


def select_lessons(lessons: Sequence[Path], wanted: Sequence[str] | None) -> list[Path]:
    """The lessons that ``wanted`` names (``04``, ``4``, ``04_gan_from_scratch_numpy``, or a
    path); all of them for None. An unknown name is a ValueError that lists the lessons."""
    if wanted is None:
        return list(lessons)
    chosen = []
    for item in wanted:
        stem = Path(item).stem
        key = f"{int(stem):02d}" if stem.isdigit() else stem
        matches = [path for path in lessons if path.stem == key or path.stem.startswith(key + "_")]
        if not matches:
            names = ", ".join(path.stem for path in lessons)
            raise ValueError(f"no lesson {item!r}; the lessons are: {names}")
        chosen += [path for path in matches if path not in chosen]
    return [path for path in lessons if path in chosen]


# ## Executing a lesson


def kernel_environment(*, quick: bool, offline: bool, runs: Path) -> dict[str, str]:
    """The environment of the kernels that run the lessons."""
    env = dict(os.environ)
    if quick:
        env["GANCOURSE_QUICK"] = "1"
    else:
        env.pop("GANCOURSE_QUICK", None)
    if offline:
        env["GANCOURSE_OFFLINE"] = "1"
    else:
        env.pop("GANCOURSE_OFFLINE", None)
    env["GANCOURSE_RUNS"] = str(runs)  # checkpoints and GIFs of this build only
    env["MPLBACKEND"] = INLINE_BACKEND  # figures inline, whatever the caller's backend
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:80]
    return "(empty cell)"


def _process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and of the children it has waited for."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return None
    return times.user + times.system + times.children_user + times.children_system


def _kernel_config(sockets: Path):
    """Kernels over Unix sockets in ``sockets`` where there are such (no "running over TCP
    without encryption" warning from each kernel), else over TCP on 127.0.0.1."""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    sockets.mkdir(parents=True, exist_ok=True)
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")}})


def execute_lesson(
    notebook, *, cwd: Path, env: dict[str, str], timeout: int, sockets: Path, kernel_log: Path
):
    """Run every cell of ``notebook`` (an nbformat node, changed in place) in a fresh kernel.

    Returns (wall seconds, kernel CPU seconds or None, CellFailure or None). A cell tagged
    ``raises-exception`` may fail: its error is part of the lesson. ``sockets``: a private
    folder for the kernel's sockets. What the kernel process itself writes to its stdout and
    stderr (TensorFlow's native start-up lines, a crash) goes to ``kernel_log``, not the terminal.
    """
    from nbclient import NotebookClient

    started: dict[str, int] = {}
    errors: dict[int, str] = {}
    cpu: list[float | None] = [None]

    def on_cell_start(cell, cell_index, **_):
        started["index"] = cell_index

    def on_cell_error(cell, cell_index, execute_reply, **_):
        if "raises-exception" not in cell.metadata.get("tags", []):
            content = execute_reply["content"]
            errors[cell_index] = f"{content.get('ename')}: {content.get('evalue')}"

    def on_cell_executed(cell, cell_index, **_):
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        if process is not None:
            cpu[0] = _process_cpu_seconds(process.pid)

    client = NotebookClient(
        notebook,
        config=_kernel_config(sockets),
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=False,  # the site shows the widgets' still pictures
        on_cell_start=on_cell_start,
        on_cell_error=on_cell_error,
        on_cell_executed=on_cell_executed,
    )
    start = time.perf_counter()
    failure = None
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with kernel_log.open("w", encoding="utf-8") as log_file:
            client.execute(env=env, stdout=log_file, stderr=subprocess.STDOUT)
    except Exception as error:  # CellExecutionError, a timeout, a kernel that died
        index = started.get("index", 0)
        message = errors.get(index) or f"{type(error).__name__}: {str(error).strip()[-300:]}"
        source = notebook.cells[index].source if notebook.cells else ""
        failure = CellFailure(index + 1, _first_code_line(source), message.strip())
    return time.perf_counter() - start, cpu[0], failure


def _clear_outputs(notebook) -> None:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def _keep_still_pictures(notebook) -> None:
    """Widgets cannot run in a static page: keep the still picture (``image/png``) that the
    course's widgets carry, drop the live view; drop widgets without one (progress bars, whose
    text form shows 0 %)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                if "image/png" not in data:
                    continue
                del data[WIDGET_VIEW]
            kept.append(output)
        cell.outputs = kept
    notebook.metadata.pop("widgets", None)


# TensorFlow's C++ start-up lines (absl logging: "I0000 00:00:17... 123 port.cc:153] oneDNN ...",
# "E0000 ... failed call to cuInit"): about the machine that built the site, not the lesson.
_NATIVE_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [\w.-]+:\d+\] .*"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called .*)\n?",
    re.MULTILINE,
)


def _drop_native_log_lines(notebook) -> None:
    """Remove TensorFlow's C++ log lines from the cells' stderr (empty outputs go too)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["text"] = _NATIVE_LOG_LINE.sub("", output["text"])
                if not output["text"].strip():
                    continue
            kept.append(output)
        cell.outputs = kept


# ## Links between pages

_FENCE = re.compile(r"(^```.*?^```[^\n]*$)", re.MULTILINE | re.DOTALL)
_EXERCISE_MENTION = re.compile(r"`(exercises/(lesson\d\d)\.py)`")
_LESSON_MENTION = re.compile(r"(\*\*|`)(?:lessons/)?(\d\d_[A-Za-z0-9_]+)\.ipynb(\*\*|`)")
_LESSON_LINK = re.compile(r"\]\((?:\.\./)?(?:lessons/)?(\d\d_[A-Za-z0-9_]+)\.ipynb\)")
# Links from the README and the guide to each other, as they are in the repository.
_DOCUMENT_LINKS = {"README.md": "readme.html", "docs/instructor-guide.md": "instructor-guide.html"}
_DOCUMENT_LINK = re.compile(r"\]\((?:\.\./)?(README\.md|docs/instructor-guide\.md)\)")


def link_markdown(text: str, *, pages: set[str], exercises: set[str], prefix: str) -> str:
    """Markdown with mentions of a lesson notebook (``**01_autoencoders.ipynb**``, a link to
    ``.ipynb``) and of an exercise file (`` `exercises/lesson04.py` ``) turned into links to
    their pages. Fenced code is left alone; ``prefix`` leads from this page to the site's top."""

    def exercise(match: re.Match[str]) -> str:
        if match.group(2) not in exercises:
            return match.group(0)
        return f"[`{match.group(1)}`]({prefix}exercises/{match.group(2)}.html)"

    def mention(match: re.Match[str]) -> str:
        if match.group(2) not in pages:
            return match.group(0)
        return f"[{match.group(0)}]({prefix}{match.group(2)}.html)"

    def link(match: re.Match[str]) -> str:
        if match.group(1) not in pages:
            return match.group(0)
        return f"]({prefix}{match.group(1)}.html)"

    parts = _FENCE.split(text)
    for index in range(0, len(parts), 2):  # odd parts are fenced code
        part = _EXERCISE_MENTION.sub(exercise, parts[index])
        part = _LESSON_MENTION.sub(mention, part)
        part = _LESSON_LINK.sub(link, part)
        parts[index] = _DOCUMENT_LINK.sub(
            lambda match: f"]({prefix}{_DOCUMENT_LINKS[match.group(1)]})", part
        )
    return "".join(parts)


def _link_notebook(notebook, **kwargs) -> None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = link_markdown(cell.source, **kwargs)


# ## Pages that are not lessons


def lesson_title(notebook, fallback: str) -> str:
    """The first heading of the first cell, e.g. 'Lesson 04: A GAN from scratch in NumPy'."""
    for cell in notebook.cells[:1]:
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


def readme_section(readme: str, heading: str) -> str:
    """The README's section under ``## heading``, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    return match.group(1).strip() if match else ""


def readme_lesson_table(readme: str) -> dict[str, str]:
    """'04' -> 'a GAN from scratch in NumPy' ... from the README's table of lessons."""
    table = {}
    for line in readme.splitlines():
        match = re.match(r"\|\s*(\d\d) ([^|]+)\|([^|]+)\|", line)
        if match:
            table[match.group(1)] = match.group(3).strip()
    return table


def exercise_names(source: str) -> list[str]:
    """The exercises in a file of ``exercises/``: its public functions."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def _markdown_notebook(*cells: str, code: str | None = None):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(text) for text in cells]
    if code is not None:
        notebook.cells.append(nbformat.v4.new_code_cell(code))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


# ## Version and date


def source_version(root: Path) -> str:
    """``git describe`` of the checkout (with the commit date), or the package version."""
    from . import __version__

    def git(*args: str) -> str:
        finished = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
        return finished.stdout.strip() if finished.returncode == 0 else ""

    try:
        described = git("describe", "--tags", "--always", "--dirty")
        date = git("log", "-1", "--format=%cs")
    except OSError:  # no git on this machine
        described = date = ""
    if not described:
        return f"gancourse {__version__} (not a git checkout)"
    return f"gancourse {__version__}, commit {described}" + (f" of {date}" if date else "")


# ## Rendering


def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)]
    )
    exporter.exclude_input_prompt = False
    return exporter


def _render(notebook, path: Path, *, depth: int, context: dict) -> None:
    """Write ``notebook`` as the HTML page ``path``; ``depth`` folders below the site's top."""
    prefix = "../" * depth
    exporter = _exporter()
    exporter.mathjax_url = f"{prefix}mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    resources = {"gancourse": {**context, "prefix": prefix}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def _prepare_folder(output: Path) -> None:
    """An empty folder for the site: a new one, or one that an earlier build made (emptied)."""
    marker = output / MARKER
    if output.exists() and any(output.iterdir()):
        if not marker.exists():
            raise ValueError(
                f"{output} is not empty and was not made by `gancourse site`; give a new or "
                "empty folder with --output"
            )
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by `gancourse site`; the next build empties this folder\n")


def _copy_mathjax(output: Path) -> None:
    try:
        import jupyter_server_mathjax
    except ImportError as missing:
        raise RuntimeError(
            "The site needs the jupyter-server-mathjax package for equations offline; run the "
            "README's set-up again (python3 course.py setup) or pip install jupyter-server-mathjax"
        ) from missing
    static = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
    target = output / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(static, target)


def _mode_words(quick: bool, offline: bool) -> str:
    mode = "quick mode (GANCOURSE_QUICK=1)" if quick else "full mode"
    return mode + (", offline (GANCOURSE_OFFLINE=1)" if offline else "")


def build_site(
    root: Path,
    output: Path,
    *,
    lessons: Sequence[str] | None = None,
    execute: Sequence[str] | None = None,
    quick: bool = True,
    offline: bool = True,
    timeout: int = DEFAULT_CELL_TIMEOUT_S,
    log: Callable[[str], None] = print,
) -> SiteReport:
    """Execute and render the lessons (all, or those named in ``lessons``) into ``output``.

    ``execute`` names the lessons to run (default: every one in the site); the others are
    rendered without outputs, so that every link still leads somewhere. A lesson that fails is
    still rendered (up to the failing cell, the error shown) and reported; the build goes on.
    """
    all_lessons = find_lessons(root)
    if not all_lessons:
        raise FileNotFoundError(f"no lessons found in {root / 'lessons'}")
    chosen = select_lessons(all_lessons, lessons)
    to_run = set(select_lessons(all_lessons, execute)) if execute is not None else set(chosen)
    readme = (root / "README.md").read_text(encoding="utf-8")
    exercise_files = sorted((root / "exercises").glob("lesson[0-9][0-9].py"))
    links = {"pages": {path.stem for path in chosen}, "exercises": {p.stem for p in exercise_files}}
    common = {
        "version": source_version(root),
        "built": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "mode": _mode_words(quick, offline),
        "quick": quick,
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "nav": [(path.stem, path.stem[:2]) for path in chosen],
    }

    _prepare_folder(output)
    _copy_mathjax(output)
    log(
        f"Building the site in {output}: {len(chosen)} lesson(s), {len(to_run & set(chosen))} "
        f"to run in {common['mode']}."
    )
    titles, results = {}, []
    with tempfile.TemporaryDirectory(prefix="gancourse-site-runs-") as runs:
        env = kernel_environment(quick=quick, offline=offline, runs=Path(runs))
        for number, path in enumerate(chosen, 1):
            counter = f"[{number:>2}/{len(chosen)}] {path.stem}"
            if path in to_run:
                log(f"{counter} ...")
            notebook, result = _lesson_page(
                path,
                run=path in to_run,
                env=env,
                timeout=timeout,
                sockets=Path(runs) / "kernel",
                logs=output / KERNEL_LOGS,
            )
            log(f"{counter}: {result.summary()}")
            titles[path.stem] = lesson_title(notebook, path.stem)
            results.append(result)
            _link_notebook(notebook, prefix="", **links)
            before = chosen[number - 2].stem if number > 1 else ""
            after = chosen[number].stem if number < len(chosen) else ""
            exercise = f"lesson{path.stem[:2]}"
            context = {
                **common,
                "kind": "lesson",
                "executed": result.executed,
                "failure": str(result.failure or ""),
                "full_mode_note": _FULL_MODE_NOTE,
                "current": path.stem,
                "previous": before,
                "next": after,
                "exercise": exercise if exercise in links["exercises"] else "",
            }
            _render(notebook, output / f"{path.stem}.html", depth=0, context=context)

    _render_other_pages(root, output, readme, exercise_files, titles, links, common)
    contents = _contents_notebook(chosen, titles, readme, links["exercises"], results, common)
    _render(contents, output / "index.html", depth=0, context={**common, "kind": "contents"})
    report = SiteReport(output, tuple(results), common["version"], common["built"])
    log(str(report))
    return report


def _lesson_page(
    path: Path, *, run: bool, env: dict[str, str], timeout: int, sockets: Path, logs: Path
):
    """The lesson's notebook, executed (if ``run``) and ready to render, and how that went.
    The kernel's own output goes to ``logs/<lesson>.txt``."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    _clear_outputs(notebook)
    if not run:
        return notebook, LessonBuild(path.stem, executed=False)
    wall, cpu, failure = execute_lesson(
        notebook,
        cwd=path.parent,
        env=env,
        timeout=timeout,
        sockets=sockets,
        kernel_log=logs / f"{path.stem}.txt",
    )
    _keep_still_pictures(notebook)
    _drop_native_log_lines(notebook)
    return notebook, LessonBuild(path.stem, True, wall, cpu, failure)


def _render_other_pages(root, output, readme, exercise_files, titles, links, common) -> None:
    """The exercise files, the grading instructions, the README and the instructor's guide."""
    context = {**common, "kind": "page"}
    for exercise in exercise_files:
        page = output / "exercises" / f"{exercise.stem}.html"
        _render(_exercise_notebook(exercise, titles), page, depth=1, context=context)
    grading = link_markdown(readme_section(readme, "Exercises and grading"), prefix="", **links)
    notebook = _markdown_notebook("# Exercises and grading\n\n" + grading)
    _render(notebook, output / "grading.html", depth=0, context=context)
    notebook = _markdown_notebook(link_markdown(readme, prefix="", **links))
    _render(notebook, output / "readme.html", depth=0, context=context)
    guide = root / GUIDE
    if guide.exists():
        notebook = _markdown_notebook(link_markdown(guide.read_text("utf-8"), prefix="", **links))
        _render(notebook, output / "instructor-guide.html", depth=0, context=context)


def _exercise_notebook(path: Path, titles: dict[str, str]):
    source = path.read_text(encoding="utf-8")
    number = path.stem.removeprefix("lesson")
    lesson = next((stem for stem in titles if stem.startswith(number + "_")), None)
    lesson_link = f"[{titles[lesson]}](../{lesson}.html)" if lesson else f"lesson {number}"
    names = exercise_names(source)
    listed = "\n".join(f"- `{name}`" for name in names)
    intro = (
        f"# Exercises: `exercises/{path.name}`\n\n"
        f"The exercises of {lesson_link}. In your copy of the course, open "
        f"`exercises/{path.name}` (in JupyterLab or any editor), replace each "
        "`raise NotImplementedError(...)` with your code, save, and grade:\n\n"
        f"```bash\ngancourse grade {path.stem}\n```\n\n"
        f'or `gc.grade("{path.stem}")` in a notebook cell. How grading works: '
        "[Exercises and grading](../grading.html).\n\n"
        f"The exercises in this file:\n\n{listed}\n\nThe file as it is handed out:"
    )
    return _markdown_notebook(intro, code=source)


def _contents_notebook(chosen, titles, readme, exercises, results, common):
    described = readme_lesson_table(readme)
    built = {result.name: result for result in results}
    rows = ["| lesson | what you build | exercises |", "|---|---|---|"]
    for path in chosen:
        number = path.stem[:2]
        what = described.get(number, "")
        if not built[path.stem].executed:
            what += " *(not run in this build)*"
        exercise = f"lesson{number}"
        if exercise in exercises:
            exercise = f"[`exercises/{exercise}.py`](exercises/{exercise}.html)"
        else:
            exercise = ""
        rows.append(
            f"| [{html.escape(titles[path.stem])}]({path.stem}.html) | {what} | {exercise} |"
        )
    intro = (
        "# gancourse: generative models, from autoencoders to GANs and their evaluation\n\n"
        "A Jupyter course on generative models. This site shows every lesson as it ran once "
        f"in **{common['mode']}**: training budgets cut so that each lesson runs in about a "
        "minute on a laptop CPU. To run the lessons yourself, and to use the widgets, clone "
        "the course and start it with `python3 course.py lab`.\n\n"
        "- [Exercises and grading](grading.html): how to do the exercises and check them.\n"
        "- [The README](readme.html): how to install the course and run it.\n"
        "- [The instructor's guide](instructor-guide.html): plans for one and two days with "
        "measured times, preparing a room, handing out solutions.\n"
    )
    files = ", ".join(f"[`{name}.py`](exercises/{name}.html)" for name in sorted(exercises))
    handout = f"## Exercise files\n\nAs handed out, with how to grade them: {files}."
    return _markdown_notebook(intro, "## Lessons\n\n" + "\n".join(rows), handout)
