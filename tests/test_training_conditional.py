"""The conditional path of the one trainer (lesson 08): G(z, y) and D(x, y) learn what each label
means, the fakes get the real batch's labels, generate(labels=...), every loss, exact resume,
the NaN guard, one sample row per class, errors."""

import keras
import numpy as np
import pytest
from keras import layers

from gancourse.data import make_pipeline
from gancourse.models import (
    build_conditional_dcgan_discriminator,
    build_conditional_dcgan_generator,
)
from gancourse.models.conditional_gans import label_input
from gancourse.plotting import image_mosaic
from gancourse.training import GAN, LOSSES, make_conditional_dcgan, make_dcgan, train

CENTRES = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.0]])  # class k's points sit around CENTRES[k]


def _points(count=600, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(CENTRES), count).astype("int32")
    return (CENTRES[labels] + 0.1 * rng.normal(size=(count, 2))).astype("float32"), labels


def _toy_conditional_gan(seed=0, **options):
    """A small conditional MLP GAN on 2-D points: each label embedded and joined to the input."""
    keras.utils.set_random_seed(seed)
    classes = len(CENTRES)
    z, labels = keras.Input((2,), name="z"), label_input()
    h = layers.Concatenate()([z, layers.Embedding(classes, 4)(labels)])
    h = layers.Dense(32, activation="relu")(layers.Dense(32, activation="relu")(h))
    generator = keras.Model([z, labels], layers.Dense(2)(h))
    points, labels = keras.Input((2,), name="points"), label_input()
    h = layers.Concatenate()([points, layers.Embedding(classes, 4)(labels)])
    h = layers.Dense(32, activation="leaky_relu")(layers.Dense(32, activation="leaky_relu")(h))
    discriminator = keras.Model([points, labels], layers.Dense(1)(h))
    gan = GAN(generator, discriminator, num_classes=classes, seed=seed, **options)
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
    )
    return gan


def _quiet(**options):
    return {"live": False, "progress": False, "tensorboard": False, **options}


def test_each_label_is_learned_where_its_class_lives():
    gan = _toy_conditional_gan()
    train(gan, _points(), epochs=40, batch_size=64, **_quiet())
    for label, centre in enumerate(CENTRES):
        samples = gan.generate(200, labels=label, seed=1)
        # Ignoring the label would put a third of each class's samples on every centre.
        nearest = np.linalg.norm(samples[:, None] - CENTRES[None], axis=-1).argmin(axis=1)
        assert np.mean(nearest == label) > 0.9, (label, np.bincount(nearest, minlength=3))
        np.testing.assert_allclose(np.median(samples, axis=0), centre, atol=0.5)


class _SeenLabels(layers.Layer):
    """Identity on the labels that records every batch of them (run eagerly)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, labels):
        if labels.shape[0] is not None:
            self.seen.append(np.asarray(labels).tolist())
        return labels


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_the_fakes_are_asked_for_the_classes_of_the_real_batch(update):
    generator_side, discriminator_side = _SeenLabels(), _SeenLabels()
    toy = _toy_conditional_gan()
    z, labels = keras.Input((2,)), label_input()
    generator = keras.Model([z, labels], toy.generator([z, generator_side(labels)]))
    points, labels = keras.Input((2,)), label_input()
    discriminator = keras.Model(
        [points, labels], toy.discriminator([points, discriminator_side(labels)])
    )
    gan = GAN(generator, discriminator, num_classes=3, update=update)
    gan.compile(run_eagerly=True)
    points, labels = _points(8)
    gan.fit(
        make_pipeline(points, labels, batch_size=4, shuffle=False),
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    batches = [labels[:4].tolist(), labels[4:].tolist()]
    # Per step G makes fakes for the real labels (again for G's own step when alternating);
    # D judges real and fake with those same labels.
    per_step = 2 if update == "alternating" else 1
    assert generator_side.seen == [b for b in batches for _ in range(per_step)]
    assert discriminator_side.seen == [b for b in batches for _ in range(per_step + 1)]


@pytest.mark.parametrize("loss", LOSSES)
def test_each_loss_trains_a_conditional_gan_with_finite_metrics(loss):
    options = {"n_critic": 2} if loss == "wasserstein-gp" else {"r1_weight": 1.0}
    gan = _toy_conditional_gan(loss=loss, **options)
    run = train(gan, _points(256), epochs=2, batch_size=32, **_quiet())
    final = {name: values[-1] for name, values in run.history.history.items()}
    assert all(np.isfinite(value) for value in final.values())
    assert final["gradient_penalty"] > 0  # WGAN-GP's, or R1's, taken through D(., y)


def test_generate_takes_one_label_for_all_or_one_per_sample():
    gan = _toy_conditional_gan()
    labels = np.array([0, 2, 1, 0])
    samples = gan.generate(labels=labels, seed=3)
    assert samples.shape == (4, 2) and samples.dtype == np.float32
    z = gan.sample_noise(4, seed=3)
    np.testing.assert_array_equal(gan.generate(z=z, labels=labels), samples)
    np.testing.assert_array_equal(gan.generate(4, labels=1, seed=3), gan.generate(z=z, labels=1))
    # The label changes the sample made from the same z.
    assert not np.allclose(gan.generate(z=z, labels=0), gan.generate(z=z, labels=1))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda gan: gan.generate(4), "needs labels"),
        (lambda gan: gan.generate(4, labels=3), r"class indices in \[0, 3\)"),
        (lambda gan: gan.generate(4, labels=[0, 1]), "4 integer class indices"),
        (lambda gan: gan.generate(labels=np.array([0.0, 1.0])), "integer class indices"),
        (lambda gan: gan.generate(labels=[-1, 0]), r"class indices in \[0, 3\)"),
    ],
)
def test_generate_refuses_missing_or_bad_labels(call, message):
    with pytest.raises(ValueError, match=message):
        call(_toy_conditional_gan())


def test_an_unconditional_gan_refuses_labels():
    gan = make_dcgan(filters=4, precision="float32")
    with pytest.raises(ValueError, match="unconditional"):
        gan.generate(2, labels=[0, 1])


def test_train_wants_one_class_index_per_sample_for_a_conditional_gan():
    gan, (points, labels) = _toy_conditional_gan(), _points(64)
    with pytest.raises(ValueError, match=r"pair \(samples, labels\)"):
        train(gan, points, epochs=1, **_quiet())
    with pytest.raises(ValueError, match="64 integer class indices"):
        train(gan, (points, labels[:10]), epochs=1, **_quiet())
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\)"):
        train(gan, (points, labels + 1), epochs=1, **_quiet())
    with pytest.raises(ValueError, match="integer class indices"):
        train(gan, (points, labels.astype("float32")), epochs=1, **_quiet())


def test_the_networks_and_num_classes_must_agree():
    toy = _toy_conditional_gan()
    plain = make_dcgan(filters=4, precision="float32")
    with pytest.raises(ValueError, match="give num_classes"):
        GAN(toy.generator, toy.discriminator)
    with pytest.raises(ValueError, match=r"\[z, labels\]"):
        GAN(plain.generator, plain.discriminator, num_classes=10)
    with pytest.raises(ValueError, match="num_classes must be an integer >= 2"):
        GAN(toy.generator, toy.discriminator, num_classes=1)
    with pytest.raises(ValueError, match="pack > 1"):
        GAN(toy.generator, toy.discriminator, num_classes=3, pack=2)


def test_a_killed_conditional_run_resumes_exactly(tmp_path):
    points, labels = _points(128)
    data = make_pipeline(points, labels, batch_size=32, shuffle=False)
    straight = train(_toy_conditional_gan(), data, epochs=3, directory=tmp_path / "a", **_quiet())
    first = _toy_conditional_gan()
    train(first, data, epochs=1, directory=tmp_path / "b", **_quiet())
    resumed_gan = _toy_conditional_gan()
    resumed = train(resumed_gan, data, epochs=3, directory=tmp_path / "b", **_quiet())
    assert resumed.checkpoint.resumed_from == 1
    for name, values in resumed.history.history.items():
        np.testing.assert_allclose(values, straight.history.history[name][1:], rtol=1e-5, atol=1e-6)


def test_a_nan_stops_a_conditional_run(capsys):
    points, labels = _points(128)
    points[70, 0] = np.nan
    run = train(
        _toy_conditional_gan(),
        (points, labels),
        epochs=3,
        batch_size=32,
        **_quiet(shuffle_seed=None),
    )
    assert run.diverged and "became nan" in capsys.readouterr().out


def test_the_sample_grid_has_one_row_per_class_with_the_same_noise_in_each_column(tmp_path):
    keras.utils.set_random_seed(0)
    gan = make_conditional_dcgan(filters=4, precision="float32", num_classes=4, latent_dim=8)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    labels = np.arange(64) % 4
    run = train(gan, (images, labels), epochs=1, batch_size=32, directory=tmp_path, **_quiet())
    columns = 64 // 4
    z = np.tile(gan.sample_noise(columns, seed=run.samples.seed), (4, 1))
    expected = gan.generate(z=z, labels=np.repeat(np.arange(4), columns))
    grid = image_mosaic(expected, value_range=(-1, 1), ncols=columns, scale=run.samples.scale)
    np.testing.assert_array_equal(run.samples.latest, grid)


@pytest.mark.parametrize("conditioning", ["projection", "concat"])
def test_the_conditional_dcgan_trains_in_bfloat16_and_round_trips_its_config(conditioning):
    gan = make_conditional_dcgan(
        filters=4, precision="mixed_bfloat16", conditioning=conditioning, latent_dim=8
    )
    images = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype("float32")
    run = train(gan, (images, np.arange(32) % 10), epochs=1, batch_size=16, **_quiet())
    assert np.isfinite(run.history.history["d_loss"][-1])
    assert gan.generate(labels=[3, 7]).shape == (2, 28, 28, 1)
    copy = GAN.from_config(gan.get_config())
    assert (
        copy.num_classes == 10 and copy.discriminator.name == f"{conditioning}_dcgan_discriminator"
    )


def test_the_projection_discriminator_adds_the_class_vector_dot_the_features():
    discriminator = build_conditional_dcgan_discriminator(3, 4, dropout=0.0)
    images = np.random.default_rng(0).uniform(-1, 1, (5, 28, 28, 1)).astype("float32")
    features = keras.Model(discriminator.inputs[0], discriminator.get_layer("projection").input[2])
    phi = np.asarray(features(images))  # (5, 7 * 7 * 8)
    class_vectors = discriminator.get_layer("class_vectors").get_weights()[0]  # (3, 392)
    logits = {y: np.asarray(discriminator([images, np.full(5, y)]))[:, 0] for y in range(3)}
    for y in (1, 2):  # psi(phi(x)) cancels in the difference of two classes
        np.testing.assert_allclose(
            logits[y] - logits[0], phi @ (class_vectors[y] - class_vectors[0]), rtol=1e-4, atol=1e-5
        )


def test_concat_conditioning_feeds_a_learned_map_per_class_as_a_second_channel():
    discriminator = build_conditional_dcgan_discriminator(3, 4, conditioning="concat")
    joined = discriminator.get_layer("image_and_class_map")
    assert tuple(joined.output.shape) == (None, 28, 28, 2)
    generator = build_conditional_dcgan_generator(3, 8, 4, embedding_dim=5)
    assert tuple(generator.get_layer("noise_and_label").output.shape) == (None, 8 + 5)
    with pytest.raises(ValueError, match="conditioning must be one of projection, concat"):
        build_conditional_dcgan_discriminator(conditioning="one-hot")


def test_the_lesson_recipe_keeps_lesson_06s_discriminator_settings():
    gan = make_conditional_dcgan(filters=4, precision="float32")
    assert gan.real_label == 1.0 and gan.update == "simultaneous"
    dropouts = [layer for layer in gan.discriminator.layers if isinstance(layer, layers.Dropout)]
    assert [layer.rate for layer in dropouts] == [0.3, 0.3]
    none = make_conditional_dcgan(filters=4, precision="float32", dropout=0.0)
    assert not any(isinstance(layer, layers.Dropout) for layer in none.discriminator.layers)
