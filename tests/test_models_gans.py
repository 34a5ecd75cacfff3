"""The GAN builders: shapes, output ranges, precision policies, bad arguments."""

import keras
import numpy as np
import pytest

from gancourse.models import gans
from gancourse.models.layers import Maxout, MinibatchStdDev


@pytest.mark.parametrize(
    ("build_generator", "build_discriminator"),
    [
        (gans.build_mlp_generator, gans.build_mlp_discriminator),
        (gans.build_dcgan_generator, gans.build_dcgan_discriminator),
    ],
)
def test_generator_makes_images_in_tanh_range_and_discriminator_one_logit(
    build_generator, build_discriminator
):
    generator, discriminator = build_generator(16), build_discriminator()
    z = np.random.default_rng(0).normal(size=(5, 16)).astype("float32") * 10.0
    images = np.asarray(generator(z))
    assert images.shape == (5, 28, 28, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0
    logits = np.asarray(discriminator(images))
    assert logits.shape == (5, 1)
    assert discriminator.layers[-1].activation is keras.activations.linear  # logits, no sigmoid


def test_mlp_gan_has_the_classic_layer_sizes():
    generator = gans.build_mlp_generator()
    dense = [layer.units for layer in generator.layers if isinstance(layer, keras.layers.Dense)]
    assert dense == [128, 128, 784]
    assert generator.input_shape == (None, gans.DEFAULT_LATENT_DIM)


def test_dcgan_with_tutorial_settings_matches_the_tutorial_parameter_counts():
    # TensorFlow DCGAN tutorial: generator 2,330,944 parameters, discriminator 212,865.
    assert gans.build_dcgan_generator(100, 64).count_params() == 2_330_944
    assert gans.build_dcgan_discriminator(64).count_params() == 212_865


def test_mixed_precision_computes_in_bfloat16_and_outputs_float32():
    generator = gans.build_dcgan_generator(8, 8, dtype="mixed_bfloat16")
    discriminator = gans.build_dcgan_discriminator(8, dtype="mixed_bfloat16")
    assert generator.layers[1].compute_dtype == "bfloat16"
    assert generator.layers[1].variable_dtype == "float32"
    images = generator(np.zeros((2, 8), "float32"))
    assert images.dtype == "float32"
    assert discriminator(images).dtype == "float32"


@pytest.mark.parametrize(
    "call",
    [
        lambda: gans.build_mlp_generator(0),
        lambda: gans.build_dcgan_generator(10, -1),
        lambda: gans.build_dcgan_discriminator(dropout=1.0),
    ],
)
def test_bad_sizes_are_refused(call):
    with pytest.raises(ValueError, match="must be"):
        call()


def test_toy_networks_follow_pacgans_2d_architecture():
    # Lin et al. 2018 (PacGAN), 2-D experiments: G 2 -> 4 x 400 (batch norm, ReLU) -> 2 linear;
    # D 2 -> 3 x 200 maxout units of 5 pieces -> 1 logit.
    generator, discriminator = gans.build_toy_generator(), gans.build_toy_discriminator()
    assert generator.input_shape == (None, 2) and generator.output_shape == (None, 2)
    dense = [layer for layer in generator.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [400, 400, 400, 400, 2]
    norms = [n for n in generator.layers if isinstance(n, keras.layers.BatchNormalization)]
    assert [norm.momentum for norm in norms] == [0.95] * 4  # their running-average update
    assert dense[-1].activation is keras.activations.linear  # points anywhere on the plane
    maxouts = [layer for layer in discriminator.layers if isinstance(layer, Maxout)]
    assert [layer.pieces for layer in maxouts] == [5, 5, 5]
    assert [layer.output.shape[-1] for layer in maxouts] == [200, 200, 200]
    assert discriminator.output_shape == (None, 1)
    # By hand: G 2*400 + 3*400*400 + 400*2 + 2 (no hidden biases) + 4 * 4 * 400 (batch norm);
    # D (2 + 1) * 1000 + 2 * (200 + 1) * 1000 + 201.
    assert generator.count_params() == 488_002
    assert discriminator.count_params() == 405_201


def test_toy_generator_reaches_points_outside_minus_one_to_one():
    generator = gans.build_toy_generator(2, 8)
    generator.layers[-1].set_weights([np.full((8, 2), 3.0, "float32"), np.full(2, 4.0, "float32")])
    points = np.asarray(generator(np.random.default_rng(0).normal(size=(16, 2)).astype("f4")))
    assert points.shape == (16, 2) and points.min() >= 4.0  # no tanh: the grid reaches +-4


def test_equal_shaped_toy_layers_start_from_different_weights():
    discriminator = gans.build_toy_discriminator(16)
    kernels = [w for w in discriminator.get_weights() if w.shape == (16, 80)]
    assert len(kernels) == 2 and not np.array_equal(kernels[0], kernels[1])
    assert abs(float(np.std(kernels[0])) - 0.02) < 0.002  # N(0, 0.02^2), as PacGAN


def test_packing_widens_only_the_toy_discriminators_input():
    packed = gans.build_toy_discriminator(16, pack=4)
    assert packed.input_shape == (None, 8)  # 4 points of 2 coordinates side by side
    assert packed.layers[1].kernel.shape == (8, 80)
    assert packed.count_params() - gans.build_toy_discriminator(16).count_params() == 6 * 80


def test_conditional_toy_networks_take_labels_and_project_them_in_d():
    generator = gans.build_toy_generator(2, 16, num_classes=3, embedding_dim=4)
    z = np.zeros((2, 2), "float32")  # the same noise for both rows: only the label differs
    for layer in generator.layers:  # non-zero embeddings and output weights
        if isinstance(layer, keras.layers.Embedding):
            layer.set_weights([np.arange(12, dtype="float32").reshape(3, 4)])
    points = np.asarray(generator([z, np.array([0, 2], "int32")], training=True))
    assert points.shape == (2, 2) and not np.allclose(points[0], points[1])

    discriminator = gans.build_toy_discriminator(16, num_classes=3)
    x = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    zeros, twos = np.zeros(4, "int32"), np.full(4, 2, "int32")
    (embedding,) = [w for w in discriminator.layers if isinstance(w, keras.layers.Embedding)]
    assert embedding.output.shape[-1] == 16  # one class vector per class, as wide as h
    assert not np.allclose(discriminator([x, zeros]), discriminator([x, twos]))
    embedding.set_weights([np.zeros((3, 16), "float32")])  # e(y) = 0: the class term vanishes
    np.testing.assert_allclose(discriminator([x, zeros]), discriminator([x, twos]))


DISCRIMINATORS = [
    (lambda **kw: gans.build_mlp_discriminator(8, **kw), (3, 28, 28, 1)),
    (lambda **kw: gans.build_dcgan_discriminator(4, **kw), (3, 28, 28, 1)),
    (lambda **kw: gans.build_toy_discriminator(8, **kw), (3, 2)),
]


@pytest.mark.parametrize(("build", "shape"), DISCRIMINATORS)
def test_spectral_norm_wraps_every_dense_and_conv_layer_of_each_discriminator(build, shape):
    plain, normalised = build(), build(spectral_norm=True)
    linear = (keras.layers.Dense, keras.layers.Conv2D)
    count = sum(isinstance(layer, linear) for layer in plain.layers)
    normalising = keras.layers.SpectralNormalization
    wrapped = [layer for layer in normalised.layers if isinstance(layer, normalising)]
    assert len(wrapped) == count >= 2
    assert not any(isinstance(layer, linear) for layer in normalised.layers)  # none left bare
    assert all(isinstance(layer.layer, linear) for layer in wrapped)
    assert plain.count_params() == normalised.count_params() - sum(
        layer.vector_u.shape[-1]
        for layer in wrapped  # + one power-iteration vector each
    )
    assert normalised(np.zeros(shape, "float32"), training=True).shape == (shape[0], 1)


@pytest.mark.parametrize(("build", "shape"), DISCRIMINATORS)
def test_minibatch_std_adds_one_layer_whose_feature_changes_the_logit(build, shape):
    discriminator = build(minibatch_std=True)
    assert sum(isinstance(layer, MinibatchStdDev) for layer in discriminator.layers) == 1
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(4, *shape[1:])).astype("float32")
    varied = batch.copy()
    varied[1:] *= 3.0  # the same first sample in a more varied group
    first = [np.asarray(discriminator(b))[0, 0] for b in (batch, varied)]
    assert first[0] != first[1]  # D's verdict on a sample depends on its group
    assert build()(batch).shape == (4, 1)


def test_discriminators_with_both_switches_save_and_load(tmp_path):
    discriminator = gans.build_toy_discriminator(8, pack=2, spectral_norm=True, minibatch_std=True)
    points = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    discriminator(points, training=True)  # one power iteration: u and the kernels change
    discriminator.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras")
    np.testing.assert_allclose(np.asarray(loaded(points)), np.asarray(discriminator(points)))


def test_maxout_keeps_the_largest_of_each_units_pieces():
    features = np.array([[1.0, -2.0, 5.0, 3.0, 0.0, -1.0]], "float32")  # 3 units x 2 pieces
    np.testing.assert_array_equal(np.asarray(Maxout(2)(features)), [[1.0, 5.0, 0.0]])
    np.testing.assert_array_equal(np.asarray(Maxout(3)(features)), [[5.0, 3.0]])
    with pytest.raises(
        ValueError, match=r"Maxout\(4\) takes inputs of shape \(batch, units \* 4\)"
    ):
        Maxout(4)(features)


def test_dcgan_discriminator_with_batch_norm_judges_each_image_through_its_batch():
    plain = gans.build_dcgan_discriminator(8, dropout=0.0)
    normed = gans.build_dcgan_discriminator(8, dropout=0.0, batch_norm=True)
    norms = [layer for layer in normed.layers if isinstance(layer, keras.layers.BatchNormalization)]
    convs = [layer for layer in normed.layers if isinstance(layer, keras.layers.Conv2D)]
    assert len(norms) == 1 and norms[0].input.shape[1:] == (7, 7, 16)  # the second layer only
    assert [conv.use_bias for conv in convs] == [True, False]  # batch norm's offset replaces it
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in plain.layers)
    images = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    others = np.concatenate([images[:1], -images[1:]])  # the same first image, other company

    def first_logit(model, batch, training):
        return float(model(batch, training=training)[0, 0])

    assert first_logit(normed, images, True) != pytest.approx(first_logit(normed, others, True))
    assert first_logit(normed, images, False) == pytest.approx(first_logit(normed, others, False))
    assert first_logit(plain, images, True) == pytest.approx(first_logit(plain, others, True))
