"""Repository hygiene: notebooks stored without outputs, ruff clean, the CLI answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "lessons").glob("*.ipynb"))


def test_there_are_lessons():
    names = [n.name for n in NOTEBOOKS]
    assert names[:2] == ["00_setup_and_tour.ipynb", "01_autoencoders.ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebooks_are_stored_without_outputs(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    dirty = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert dirty == [], f"{notebook.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args):
    finished = subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


@pytest.mark.parametrize(
    ("setting", "expected", "returncode"),
    [
        ("float32", "float32 (set by GANCOURSE_PRECISION)", 0),
        ("float8", "GANCOURSE_PRECISION='float8' is not a precision", 1),
    ],
)
def test_cli_doctor_reports_a_forced_precision(setting, expected, returncode):
    finished = subprocess.run(
        [sys.executable, "-m", "gancourse.cli", "doctor"],
        capture_output=True,
        text=True,
        env={**os.environ, "GANCOURSE_PRECISION": setting},
    )
    assert expected in finished.stdout, finished.stdout + finished.stderr
    assert finished.returncode == returncode, finished.stdout


def test_cli_doctor_reports_versions_and_devices():
    finished = subprocess.run(
        [sys.executable, "-m", "gancourse.cli", "doctor"], capture_output=True, text=True
    )
    assert "tensorflow" in finished.stdout and "devices" in finished.stdout, finished.stderr
    assert finished.returncode == 0, finished.stdout


def test_cli_without_a_command_explains_itself():
    finished = subprocess.run(
        [sys.executable, "-m", "gancourse.cli"], capture_output=True, text=True
    )
    assert finished.returncode == 2
    assert "grade" in finished.stderr and "doctor" in finished.stderr


def test_cli_download_offline_explains_and_tries_every_dataset(tmp_path):
    env = {**os.environ, "GANCOURSE_OFFLINE": "1", "GANCOURSE_CACHE": str(tmp_path)}
    finished = subprocess.run(
        [sys.executable, "-m", "gancourse.cli", "download"], capture_output=True, text=True, env=env
    )
    assert finished.returncode == 1
    assert "mnist: FAILED" in finished.stderr and "fashion_mnist: FAILED" in finished.stderr
    assert "unset GANCOURSE_OFFLINE" in finished.stderr and "5,000 offline" in finished.stderr


def test_cli_lab_passes_jupyter_options_through(monkeypatch):
    from gancourse import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, cwd: calls.append(command) or 0)
    assert cli.main(["lab", "--headless", "--port", "9999"]) == 0
    command = calls[0]
    assert command[1:4] == ["-m", "jupyter", "lab"] and "--no-browser" in command
    assert command[-2:] == ["--port", "9999"]
    assert f"--ServerApp.root_dir={ROOT}" in command  # exercises/ is reachable from the lab


def test_no_private_name_is_imported_across_modules():
    """A name that starts with an underscore belongs to its module; one that two modules share
    is public (issue 11: no private name imported across modules)."""
    import ast

    borrowed = []
    for path in sorted((ROOT / "gancourse").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                names = [
                    alias.name
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.endswith("__")  # not dunder
                ]
                borrowed += [f"{path.relative_to(ROOT)}: {name}" for name in names]
    assert borrowed == []
