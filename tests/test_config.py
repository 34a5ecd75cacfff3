"""gancourse.config: budgets by mode, seeding, the cache folder; importing has no side effects."""

from __future__ import annotations

import random
import subprocess
import sys

import keras
import numpy as np
import pytest

from gancourse import config


@pytest.mark.parametrize(
    ("value", "quick"), [("1", True), ("true", True), ("0", False), ("", False)]
)
def test_budget_follows_the_environment(monkeypatch, value, quick):
    monkeypatch.setenv("GANCOURSE_QUICK", value)
    assert config.is_quick() is quick
    assert config.budget(quick=1, full=30) == (1 if quick else 30)
    assert config.mode() == ("quick" if quick else "full")


def test_an_unclear_flag_is_an_error(monkeypatch):
    monkeypatch.setenv("GANCOURSE_QUICK", "maybe")
    with pytest.raises(ValueError, match="GANCOURSE_QUICK"):
        config.is_quick()


def test_budget_needs_both_values():
    with pytest.raises(TypeError):
        config.budget(quick=1)  # the full-mode budget must always be stated


def test_cache_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("GANCOURSE_CACHE", str(tmp_path / "here"))
    assert config.cache_dir() == tmp_path / "here"
    assert (tmp_path / "here").is_dir()


def test_cache_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv("GANCOURSE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert config.cache_dir() == tmp_path / "gancourse"


def _draws():
    return random.random(), np.random.rand(), float(keras.random.normal(()))  # noqa: NPY002


def test_set_seed_repeats_python_numpy_and_keras():
    config.set_seed(7)
    first = _draws()
    config.set_seed(7)
    assert _draws() == first
    config.set_seed(8)
    assert _draws() != first


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_set_seed_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        config.set_seed(bad)


def test_seeded_weights_gives_the_same_start_whatever_was_drawn_before():
    def built(seed):
        with config.seeded_weights(seed):
            return keras.layers.Dense(3).add_weight(shape=(4, 3)).numpy()

    first = built(5)
    _draws()  # a cell before used every random state
    assert np.array_equal(built(5), first)
    assert not np.array_equal(built(6), first)


def test_seeded_weights_puts_the_callers_random_state_back():
    random.seed(1)
    expected = random.random()
    random.seed(1)
    with config.seeded_weights(5):
        random.random()
    assert random.random() == expected


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_seeded_weights_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="non-negative integer"), config.seeded_weights(bad):
        pass


def test_importing_gancourse_has_no_side_effects():
    code = (
        "import sys, random, numpy as np\n"
        "state = (random.getstate(), np.random.get_state()[1].tolist())\n"
        "import gancourse\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TF imported'\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert (random.getstate(), np.random.get_state()[1].tolist()) == state, 'seeded'\n"
        "gancourse.budget\n"
        "print('clean')\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert finished.stdout.strip() == "clean", finished.stderr
    assert finished.stderr == ""
