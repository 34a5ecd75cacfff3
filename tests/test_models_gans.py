"""The GAN builders: shapes, output ranges, precision policies, bad arguments."""

import keras
import numpy as np
import pytest

from gancourse.models import gans


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
