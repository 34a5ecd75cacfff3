"""bench/dcgan_quality.py: its smallest path runs (untimed), and its verdict and averaging are
right on hand-made curves, so that the benchmark that judges lesson 06 cannot rot or flatter."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def bench(load_bench):
    return load_bench("dcgan_quality")


def _point(bench, seconds, steps, fid, confident, drawn=10, independent=None):
    shipped = bench.Score(fid=fid, confident=confident, drawn=drawn)
    other = independent or bench.Score(fid=fid / 4, confident=confident, drawn=drawn)
    return bench.Point(seconds, steps, {"shipped": shipped, "independent": other})


def test_verdict_meets_every_target_only_when_each_holds(bench):
    anchor = [_point(bench, 60, 100, 200.0, 0.2), _point(bench, 180, 300, 90.0, 0.5)]
    good = [_point(bench, 60, 500, 100.0, 0.5), _point(bench, 180, 1500, 19.0, 0.81)]
    assert all(bench.verdict(anchor, good).values())

    def missed(lesson):
        return [check for check, met in bench.verdict(anchor, lesson).items() if not met]

    assert missed([good[0], _point(bench, 180, 1500, 19.0, 0.79)]) == [
        "confident share >= 0.80 (shipped judge)"
    ]
    assert missed([good[0], _point(bench, 180, 1500, 21.0, 0.81)]) == ["FID <= 20 (shipped judge)"]
    assert missed([good[0], _point(bench, 180, 1500, 19.0, 0.81, drawn=9)]) == [
        "all ten digits drawn (every seed)"
    ]
    # behind the anchor at the first minute only, and on one judge only: still a miss
    behind = bench.Score(fid=60.0, confident=0.5, drawn=10)  # anchor's independent FID is 50
    assert missed([_point(bench, 60, 500, 100.0, 0.5, independent=behind), good[1]]) == [
        "ahead of the anchor at every scoring time, both judges"
    ]


def test_mean_curve_averages_each_time_and_keeps_the_fewest_digits(bench):
    runs = [bench.Run("lesson 06", "float32", seed) for seed in (0, 1)]
    runs[0].points = [_point(bench, 60, 100, 100.0, 0.2), _point(bench, 120, 200, 50.0, 0.6)]
    runs[1].points = [
        _point(bench, 62, 110, 200.0, 0.4, drawn=8),
        _point(bench, 121, 210, 30.0, 0.8),
    ]
    curve = bench.mean_curve(runs)
    assert [p.seconds for p in curve] == [61, 120.5]
    assert [p.steps for p in curve] == [105, 205]
    assert curve[0].scores["shipped"] == bench.Score(
        fid=150.0, confident=pytest.approx(0.3), drawn=8
    )
    assert curve[1].scores["shipped"].fid == 40.0


def test_score_times_end_at_the_budget(bench):
    assert bench._score_times(180, 60) == [60, 120, 180]
    assert bench._score_times(100, 60) == [60, 100]
    assert bench._score_times(30, 60) == [30]


def test_smallest_run_scores_every_contender_with_both_judges(bench, tmp_path):
    rng = np.random.default_rng(0)
    digits = rng.integers(0, 256, (200, 28, 28), dtype=np.uint8)  # > 128 features
    labels = np.arange(200) % 10
    independent = bench.train_independent_judge(digits, labels, epochs=1)
    images = (digits[..., None] / 127.5 - 1).astype("float32")
    judges = [
        bench.Judge(name, features, features.features(images, value_range=(-1, 1)))
        for name, features in (("shipped", bench.DigitFeatures()), ("independent", independent))
    ]
    z = rng.standard_normal((200, bench.NOISE_DIM)).astype("float32")
    lines = []
    contenders = [bench.Anchor(images, 0)]
    contenders += [bench.COURSE[name](images, 0, "float32") for name in bench.COURSE]
    for contender in contenders:
        run = bench.measure(
            contender, judges, z, seconds=1e-3, every=1.0, clock="cpu", seed=0, out=lines.append
        )
        assert len(run.points) == 1 and run.points[0].steps >= 1
        assert set(run.points[0].scores) == {"shipped", "independent"}
        assert all(np.isfinite(s.fid) for s in run.points[0].scores.values())
        assert run.samples.shape == (64, 28, 28, 1)
    assert [line.split()[0] for line in lines] == ["anchor", "lesson", "self-conditioned"]
    assert "| CPU s per core | steps: anchor / self-conditioned |" in bench.side_by_side(
        bench.mean_curve([run]), bench.mean_curve([run]), "self-conditioned"
    )


def test_the_self_conditioned_contender_clusters_on_the_clock_and_samples_every_cluster(bench):
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (128, 28, 28, 1)).astype("float32")
    contender = bench.SelfConditioned(images, 0, "float32")
    assert contender.clusters is None  # not yet: k-means runs inside train_until, on the clock
    contender.train_until(lambda: True)
    assert contender.clusters.count == bench.CLUSTERS and contender.steps == 1
    assert contender.gan.num_classes == bench.CLUSTERS
    z = rng.standard_normal((2000, bench.NOISE_DIM)).astype("float32")
    assert contender.generate(z).shape == (2000, 28, 28, 1)
    asked = contender.clusters.sample(2000, seed=0)
    assert np.unique(asked).size == bench.CLUSTERS
