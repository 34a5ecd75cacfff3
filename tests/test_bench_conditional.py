"""Lesson 08's benchmark runs end to end on its smallest budget (untimed), so it cannot rot."""

import pytest


@pytest.fixture(scope="module")
def bench(load_bench):
    return load_bench("bench_conditional")


def test_one_epoch_of_two_models_gives_a_row_each_and_judges_the_target(bench, tmp_path, capsys):
    png = tmp_path / "samples.png"
    arguments = ["--steps", "63", "--every", "63", "--models", "projection", "unconditional"]
    status = bench.main([*arguments, "--png", str(png)])
    out = capsys.readouterr().out
    assert status == 1  # one epoch cannot reach the target, and the exit status says so
    assert "target (projection, every seed" in out and "MISSED" in out
    rows = [line for line in out.splitlines() if line.startswith("| 63 |")]
    assert [row.split("|")[2].strip() for row in rows] == ["projection", "unconditional"]
    assert "| - |" in rows[1]  # no class accuracy for the unconditional model
    assert png.stat().st_size > 0


def test_the_recipe_model_is_lesson_06s_recipe_made_conditional(bench):
    gan = bench._make("projection-recipe", "float32", 0)
    assert gan.conditional and gan.ema_decay == 0.999
    assert "BatchNormalization" in {type(layer).__name__ for layer in gan.discriminator.layers}
    assert bench._batch_size("projection-recipe") == 32 and bench._batch_size("projection") == 64
    plain = bench._make("unconditional-recipe", "float32", 0)
    assert not plain.conditional and plain.ema_decay == 0.999
    assert bench._batch_size("unconditional-recipe") == 32
