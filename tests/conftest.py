"""Unit-test fixtures: no network, the offline MNIST digits, freshly generated stubs."""

from __future__ import annotations

import socket
import warnings

import pytest

# Quick mode, offline, a private cache and runs folder: set in the root conftest.py, so that
# they also hold when only a notebook is collected (pytest lessons/12_....ipynb).


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"tests may not use the network (tried to connect to {host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails, so no test can reach the internet."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def mnist():
    """The offline fallback (the tests run offline with a private cache): 4,000 / 1,000 digits."""
    from gancourse import data

    with warnings.catch_warnings():  # warned once per process, maybe already by another test
        warnings.simplefilter("ignore", data.OfflineFallbackWarning)
        dataset = data.load_mnist()
    assert "offline fallback" in dataset.source
    return dataset


@pytest.fixture
def stub_answers(tmp_path):
    """Load a lesson's untouched stubs, freshly generated from solutions/ (not the learner's)."""
    from gancourse.exercises import make_exercise_source, repo_root
    from gancourse.grading import load_answers

    def load(lesson: str):
        solution = repo_root() / "solutions" / f"{lesson}.py"
        stub = tmp_path / solution.name
        stub.write_text(make_exercise_source(solution.read_text(), solution.name))
        return load_answers(lesson, tmp_path)

    return load


@pytest.fixture(scope="module")
def load_bench():
    """``load_bench("bench_x")``: the script bench/bench_x.py imported as a module (with bench/
    on the path, as when it is run), removed again after the test module."""
    import importlib.util
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "bench"
    sys.path.insert(0, str(folder))
    loaded = []

    def load(name: str):
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being made
        spec.loader.exec_module(module)
        loaded.append(name)
        return module

    yield load
    for name in loaded:
        sys.modules.pop(name, None)
    sys.path.remove(str(folder))
