"""Callbacks and train(): exact resume, the NaN guard, sample grids and GIF, live view, logs."""

import keras
import numpy as np
import pytest
from PIL import Image

from gancourse.data import make_pipeline
from gancourse.models import gans
from gancourse.training import GAN, LiveView, SampleGrid, StepHistory, new_run_dir, train

LATENT = 8
EPOCH_STEPS = 4  # 128 images in batches of 32


def _images(count=128, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (count, 28, 28, 1)).astype("float32")


def _fresh_gan():
    keras.utils.set_random_seed(0)  # the same initial weights every time
    gan = GAN(gans.build_mlp_generator(LATENT, 16), gans.build_mlp_discriminator(16), seed=4)
    gan.compile()
    return gan


def _fixed_order(images):
    return make_pipeline(images, batch_size=32, shuffle=False)


def _train(gan, directory, epochs, images=None, **options):
    data = _fixed_order(_images() if images is None else images)
    options = {"live": False, "progress": False, "tensorboard": False, **options}
    return train(gan, data, epochs=epochs, directory=directory, **options)


class _Crash(keras.callbacks.Callback):
    """Kill training (an exception, like a crash or Ctrl-C) at a given epoch and step."""

    def __init__(self, epoch, step):
        super().__init__()
        self.at, self.epoch = (epoch, step), 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise KeyboardInterrupt("killed")


def test_a_killed_run_resumes_with_the_same_steps_and_the_same_losses(tmp_path):
    uninterrupted = _train(_fresh_gan(), tmp_path / "a", epochs=4).history.history

    with pytest.raises(KeyboardInterrupt):
        _train(_fresh_gan(), tmp_path / "b", epochs=4, callbacks=[_Crash(epoch=2, step=1)])
    resumed_gan = _fresh_gan()
    resumed = _train(resumed_gan, tmp_path / "b", epochs=4)

    assert resumed.checkpoint.resumed_from == 2  # epochs 1-2 were saved, epoch 3 was cut short
    assert int(resumed_gan.generator_optimizer.iterations) == 4 * EPOCH_STEPS
    assert int(resumed_gan.discriminator_optimizer.iterations) == 4 * EPOCH_STEPS
    for name, values in resumed.history.history.items():  # epochs 3 and 4 only
        np.testing.assert_allclose(values, uninterrupted[name][2:], rtol=1e-5, atol=1e-6)


def test_resuming_restores_the_optimizer_moments_not_just_the_weights(tmp_path):
    first = _fresh_gan()
    _train(first, tmp_path, epochs=2)
    second = _fresh_gan()
    _train(second, tmp_path, epochs=2)  # nothing left to run: only the restore happens
    for a, b in zip(
        first.generator_optimizer.variables, second.generator_optimizer.variables, strict=True
    ):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_array_equal(
        np.asarray(first.seed_generator.state), np.asarray(second.seed_generator.state)
    )


def test_a_nan_in_the_data_stops_training_and_keeps_the_last_good_checkpoint(tmp_path, capsys):
    _train(_fresh_gan(), tmp_path, epochs=2)
    poisoned = _images()
    poisoned[40, 3, 3, 0] = np.nan  # in the second batch
    run = _train(_fresh_gan(), tmp_path, epochs=5, images=poisoned)

    assert run.diverged
    epoch, step, name, _ = run.guard.stopped
    assert (epoch, step, name) == (3, 2, "d_loss")
    message = capsys.readouterr().out
    assert "d_loss became nan in epoch 3, step 2" in message and "last good checkpoint" in message
    assert run.checkpoint.latest.endswith("ckpt-2")
    restored = _fresh_gan()
    _train(restored, tmp_path, epochs=2)
    assert int(restored.generator_optimizer.iterations) == 2 * EPOCH_STEPS
    assert all(np.isfinite(w).all() for w in restored.generator.get_weights())


def test_sample_grids_are_saved_each_epoch_and_joined_into_a_gif(tmp_path):
    run = _train(_fresh_gan(), tmp_path, epochs=3)
    pngs = sorted((tmp_path / "samples").glob("epoch_*.png"))
    assert [p.name for p in pngs] == ["epoch_0001.png", "epoch_0002.png", "epoch_0003.png"]
    first, last = (_read_png(path) for path in (pngs[0], pngs[2]))
    assert first.dtype == np.uint8 and first.shape == run.samples.latest.shape
    with Image.open(run.samples.gif_path) as gif:
        assert gif.n_frames == 3
    # The same fixed noise each epoch: the pictures change only because the generator learns.
    assert not np.array_equal(first, last)


def _read_png(path):
    with Image.open(path) as image:
        return np.asarray(image)


def test_tensorboard_logs_and_progress_bar(tmp_path, capsys):
    _train(_fresh_gan(), tmp_path, epochs=2, tensorboard=True, progress=True)
    assert list((tmp_path / "logs" / "train").glob("events.out.tfevents.*"))
    assert "epoch 2/2" in capsys.readouterr().err


def test_the_progress_bar_of_a_resumed_run_counts_the_whole_run(tmp_path, capsys):
    _train(_fresh_gan(), tmp_path, epochs=2)
    capsys.readouterr()
    _train(_fresh_gan(), tmp_path, epochs=5, progress=True)  # resumes after epoch 2 of 5
    bar = capsys.readouterr().err
    total = 5 * EPOCH_STEPS
    assert f"| {2 * EPOCH_STEPS}/{total} [" in bar  # starts 2/5 of the way, not at 0
    assert f"| {total}/{total} [" in bar and "epoch 5/5" in bar


def test_live_view_prints_outside_a_notebook_and_draws_curves_and_samples(tmp_path, capsys):
    run = _train(_fresh_gan(), tmp_path, epochs=2, live=True)
    out = capsys.readouterr().out
    assert "epoch 1/2" in out and "d_loss" in out and "epoch 2/2" in out
    assert len(run.steps.values["d_loss"]) == 2 * EPOCH_STEPS
    assert run.live.history is run.steps  # the view draws what the run recorded
    figure = run.live.figure()
    assert len(figure.axes) == 3  # losses, D outputs, samples


def test_step_history_recovers_each_step_from_kerass_running_means():
    history = StepHistory()
    for epoch, means in enumerate([[4.0, 3.0, 3.0], [1.0, 2.0]]):  # steps 4, 2, 3 | 1, 3
        history.on_epoch_begin(epoch)
        for batch, running_mean in enumerate(means):
            history.on_train_batch_end(batch, {"d_loss": running_mean})
    np.testing.assert_allclose(history.values["d_loss"], [4.0, 2.0, 3.0, 1.0, 3.0])


def test_train_records_every_step_without_a_live_view():
    run = train(_fresh_gan(), _images(64), epochs=2, batch_size=32, live=False, progress=False)
    assert run.live is None
    assert {len(v) for v in run.steps.values.values()} == {4}  # 2 epochs of 2 steps
    assert run.steps.values["d_loss"][-1] == pytest.approx(
        2 * run.history.history["d_loss"][-1] - run.steps.values["d_loss"][-2]
    )  # the epoch's mean is the mean of its two steps


def test_live_view_wants_a_step_history():
    with pytest.raises(TypeError, match="StepHistory"):
        LiveView({"d_loss": [1.0]}, notebook=False)  # a dict of values is not a recorder


def test_train_without_a_directory_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = train(_fresh_gan(), _images(64), epochs=1, batch_size=32, live=False, progress=False)
    assert run.samples is None and run.checkpoint is None and not list(tmp_path.iterdir())
    with pytest.raises(TypeError, match="must be a NumPy array"):
        train(_fresh_gan(), [1, 2, 3], epochs=1)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((8, 28, 28, 1), np.uint8), "dtype uint8; convert pixels with gc.pixels.to_float"),
        (np.full((8, 28, 28, 1), 255.0, np.float32), r"values in \[255, 255\]"),
        (np.linspace(-1.5, 1, 8 * 784, dtype=np.float32).reshape(8, 28, 28, 1), r"\[-1.5, 1\]"),
        (np.zeros((0, 28, 28, 1), np.float32), "no images"),
        (np.full((8, 28, 28, 1), np.nan, np.float32), "no images"),
    ],
)
def test_train_refuses_images_outside_minus_one_to_one(images, message):
    with pytest.raises(ValueError, match=message):
        train(_fresh_gan(), images, epochs=1, live=False, progress=False)


def test_train_accepts_images_on_the_bounds_of_the_range():
    images = np.where(_images(64) > 0, 1.0, -1.0).astype("float32")  # only -1 and 1
    run = train(_fresh_gan(), images, epochs=1, batch_size=32, live=False, progress=False)
    assert run.history.epoch == [0]


def test_new_run_dir_gives_a_fresh_folder_under_gancourse_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("GANCOURSE_RUNS", str(tmp_path))
    first, second = new_run_dir("lesson"), new_run_dir("lesson")
    assert first != second and first.parent == second.parent == tmp_path / "lesson"
    assert first.is_dir() and not list(first.iterdir())


def test_the_gif_keeps_at_most_gif_max_frames_evenly_spaced_ending_with_the_newest(tmp_path):
    for epoch in range(1, 11):
        Image.fromarray(np.full((4, 4), epoch * 20, np.uint8)).save(
            tmp_path / f"epoch_{epoch:04d}.png"
        )
    path = SampleGrid(tmp_path, gif_max_frames=4).write_gif()
    with Image.open(path) as gif:
        assert gif.n_frames == 4
        gif.seek(3)
        assert np.asarray(gif.convert("L"))[0, 0] == 200  # epoch 10


def _toy_points(count=300):
    from gancourse.toy_data import ring_of_gaussians

    return ring_of_gaussians(count, np.random.default_rng(0))  # (n, 2) float64, radius 2


def _toy_gan():
    keras.utils.set_random_seed(0)
    gan = GAN(gans.build_toy_generator(2, 16), gans.build_toy_discriminator(16))
    gan.compile()
    return gan


def test_train_takes_2d_points_outside_minus_one_to_one_with_every_callback(tmp_path, capsys):
    points = _toy_points()
    assert np.abs(points).max() > 1.5  # the ring has radius 2: not an image range
    run = train(_toy_gan(), points, epochs=2, batch_size=100, directory=tmp_path, live=True)
    assert run.samples is None  # no grid of pictures for points
    assert not (tmp_path / "samples").exists() and run.checkpoint.latest.endswith("ckpt-2")
    assert list((tmp_path / "logs" / "train").glob("events.out.tfevents.*"))
    assert "epoch 2/2" in capsys.readouterr().out
    assert len(run.steps.values["d_loss"]) == 6 and len(run.live.figure().axes) == 2  # curves
    resumed = _toy_gan()
    train(resumed, points, epochs=2, batch_size=100, directory=tmp_path, live=False)
    assert int(resumed.generator_optimizer.iterations) == 6  # restored, nothing left to run


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            np.zeros((8, 3), np.float32),
            r"samples of shape \(3,\), but the generator makes samples of shape \(2,\)",
        ),
        (np.zeros((8, 28, 28, 1), np.float32), r"generator makes samples of shape \(2,\)"),
        (np.zeros((8, 2), np.int64), "wants float points, got dtype int64"),
        (np.zeros((0, 2), np.float32), "no points"),
    ],
)
def test_train_refuses_points_that_do_not_fit_the_generator(data, message):
    with pytest.raises(ValueError, match=message):
        train(_toy_gan(), data, epochs=1, live=False, progress=False)


def test_train_refuses_points_given_to_an_image_generator():
    with pytest.raises(ValueError, match=r"generator makes samples of shape \(28, 28, 1\)"):
        train(_fresh_gan(), _toy_points(), epochs=1, live=False, progress=False)


def test_a_killed_run_with_a_generator_average_resumes_it_exactly(tmp_path):
    def fresh():
        keras.utils.set_random_seed(0)
        gan = GAN(
            gans.build_mlp_generator(LATENT, 16),
            gans.build_mlp_discriminator(16),
            seed=4,
            ema_decay=0.9,
        )
        gan.compile()
        return gan

    uninterrupted = fresh()
    _train(uninterrupted, tmp_path / "a", epochs=3)
    with pytest.raises(KeyboardInterrupt):
        _train(fresh(), tmp_path / "b", epochs=3, callbacks=[_Crash(epoch=2, step=1)])
    resumed = fresh()
    _train(resumed, tmp_path / "b", epochs=3)
    for a, b in zip(
        resumed.generator_average.get_weights(),
        uninterrupted.generator_average.get_weights(),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
