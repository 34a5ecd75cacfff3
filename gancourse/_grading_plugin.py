"""pytest plugin of ``gancourse.grading.grade(isolated=True)``: filter graders, record verdicts.

Each grader test carries ``@pytest.mark.exercise("lessonNN.name")``. The plugin keeps the
tests of the requested exercise, and writes one JSON record per test with the first
problem explained for a learner (not a traceback).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .grading import exercise_matches, explain

_KNOWN = pytest.StashKey[list]()  # every exercise name seen at collection
_RESULTS = pytest.StashKey[list]()  # one record per grader test


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gancourse grading")
    group.addoption("--grade-report", help="write the graders' verdicts to this JSON file")
    group.addoption("--grade-only", help="an exercise (name or lesson.name) or a lesson")


def exercise_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("exercise")
    return marker.args[0] if marker else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    known = [e for e in dict.fromkeys(exercise_of(item) for item in items) if e]
    config.stash[_KNOWN] = known
    wanted = config.getoption("--grade-only")
    if wanted:
        keep = [i for i in items if exercise_of(i) and exercise_matches(exercise_of(i), wanted)]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]):
    report = yield
    exercise = exercise_of(item)
    if exercise is None or not (report.failed or report.when == "call"):
        return report
    answers_file = getattr(item, "funcargs", {}).get("answers")
    answers_file = getattr(answers_file, "__file__", None)
    message = explain(call.excinfo.value, answers_file) if report.failed else ""
    item.config.stash.setdefault(_RESULTS, []).append(
        {"exercise": exercise, "test": item.nodeid, "passed": report.passed, "message": message}
    )
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("--grade-report")
    if path:
        payload = {
            "known": session.config.stash.get(_KNOWN, []),
            "results": session.config.stash.get(_RESULTS, []),
        }
        Path(path).write_text(json.dumps(payload, indent=1), encoding="utf-8")
