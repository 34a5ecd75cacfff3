"""Lesson 07's Stacked MNIST benchmark runs end to end on a tiny budget (untimed), so it cannot
rot."""

import json

import pytest


@pytest.fixture(scope="module")
def bench(load_bench):
    return load_bench("bench_stacked_mnist")


def test_a_tiny_budget_gives_a_row_per_model_the_ceiling_and_the_papers(bench, tmp_path, capsys):
    arguments = ["--seconds", "2", "--every", "1", "--samples", "300", "--models", "DCGAN"]
    prefix, record = tmp_path / "stacked", tmp_path / "curves.json"
    status = bench.main([*arguments, "recipe-pack2", "--png", str(prefix), "--json", str(record)])
    out = capsys.readouterr().out
    assert status == 1 and "MISSED" in out  # two seconds of training cannot cover 990 modes
    rows = [line.split()[0] for line in out.splitlines() if "(2 CPU s)" in line]
    assert rows == ["DCGAN", "recipe-pack2"]
    assert "real stacked digits" in out and "PacDCGAN2 (PacGAN Table 2)" in out
    curves = json.loads(record.read_text())
    assert set(curves["curves"]) == {"DCGAN", "recipe-pack2"}
    assert curves["real"]["modes"] > 200  # 300 real samples: mostly distinct triples
    for name in ("DCGAN", "recipe-pack2"):
        assert (tmp_path / f"stacked_{name}_seed0.png").stat().st_size > 0


def test_the_recipe_models_are_lesson_06s_recipe_with_and_without_packing(bench):
    recipe, packed = bench.MODELS["recipe"], bench.MODELS["recipe-pack2"]
    assert (recipe.pack, packed.pack) == (1, 2)
    assert recipe.batch_size == packed.batch_size == 32
    gan = packed.build(seed=0)
    assert gan.pack == 2 and gan.ema_decay == 0.999
    assert gan.discriminator.input_shape == (None, 28, 28, 6)  # two 3-channel images at once
    assert bench.MODELS["DCGAN"].build(seed=0).ema_decay is None
