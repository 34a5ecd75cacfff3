"""InceptionV3 features, offline: the pipeline with untrained weights, the resize, the weights file.

No ImageNet weights are available here, so the network runs with random weights
(``weights=None``): enough to check shapes, the preprocessing and that the outputs are the
network's own, not that the numbers mean anything. A few images only: InceptionV3 is slow on a CPU.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from gancourse import cli, download, pixels
from gancourse.metrics import (
    InceptionFeatures,
    UntrainedInceptionWarning,
    WeightsUnavailableError,
    download_inception_weights,
)
from gancourse.metrics import inception as inception_module


@pytest.fixture(scope="module")
def untrained() -> InceptionFeatures:
    with pytest.warns(UntrainedInceptionWarning, match="mean nothing"):
        return InceptionFeatures(weights=None)


@pytest.fixture(scope="module")
def gray() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, size=(3, 28, 28), dtype=np.uint8)


def bilinear_matrix(size_in: int, size_out: int, align_corners: bool = False) -> np.ndarray:
    """(size_out, size_in) weights of bilinear interpolation, edges clamped. Half-pixel centres:
    output pixel i samples the input at (i + 0.5) * size_in / size_out - 0.5; with
    ``align_corners`` (TF1's and old PyTorch's other mode) at i * (size_in - 1) / (size_out - 1)."""
    weights = np.zeros((size_out, size_in))
    for i in range(size_out):
        if align_corners:
            source = i * (size_in - 1) / (size_out - 1)
        else:
            source = np.clip((i + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
        low = int(np.floor(source))
        high = min(low + 1, size_in - 1)
        weights[i, low] += 1.0 - (source - low)
        weights[i, high] += source - low
    return weights


def reference_resize(images: np.ndarray, align_corners: bool = False) -> np.ndarray:
    """(n, H, W, C) -> (n, 299, 299, C), separably, in float64."""
    rows = bilinear_matrix(images.shape[1], 299, align_corners)
    columns = bilinear_matrix(images.shape[2], 299, align_corners)
    return np.einsum("ih,nhwc,jw->nijc", rows, images, columns)


# ## The pipeline ##################################################################################


def test_shapes_dtypes_and_probabilities(untrained, gray):
    features, probabilities = untrained.features_and_probabilities(gray)
    assert features.shape == (3, 2048) and features.dtype == np.float64
    assert probabilities.shape == (3, 1000) and probabilities.dtype == np.float64
    assert (untrained.feature_dim, untrained.num_classes) == (2048, 1000)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(np.isfinite(features)) and untrained.weights is None


def test_the_resize_is_bilinear_with_half_pixel_centres(untrained):
    images = np.random.default_rng(1).uniform(size=(2, 28, 20, 3)).astype(np.float32)
    resized = np.asarray(untrained.model.get_layer("resize")(images))
    assert resized.shape == (2, 299, 299, 3)
    np.testing.assert_allclose(resized, reference_resize(images), rtol=0, atol=1e-5)
    # The other bilinear convention gives other pixels: the method matters.
    assert np.max(np.abs(resized - reference_resize(images, align_corners=True))) > 0.05


def test_the_network_sees_resized_three_channel_images_in_minus_one_to_one(untrained, gray):
    """The whole preprocessing, redone by hand in NumPy, gives the same pool features and logits."""
    unit = gray[..., None].astype(np.float64) / 255.0  # (3, 28, 28, 1) in [0, 1]
    by_hand = reference_resize(np.repeat(unit, 3, axis=-1)) * 2.0 - 1.0  # (3, 299, 299, 3)
    assert by_hand.min() >= -1.0 and by_hand.max() <= 1.0
    core = untrained.model.get_layer("inception_v3_pool_and_logits")
    pool, logits = (np.asarray(out, np.float64) for out in core(by_hand.astype(np.float32)))
    features = untrained.features(gray, batch_size=2)
    np.testing.assert_allclose(features, pool, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(untrained.logits(gray), logits, rtol=1e-4, atol=1e-5)
    reference = np.exp(logits - logits.max(axis=1, keepdims=True))
    reference /= reference.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(untrained.probabilities(gray), reference, rtol=1e-4, atol=1e-9)


def test_gray_is_the_same_as_gray_repeated_to_rgb_in_any_layout(untrained, gray):
    reference = untrained.features(gray[:2])
    as_rgb = np.repeat(gray[:2, ..., None], 3, axis=-1)
    as_floats = pixels.to_float(gray[:2])[..., None]  # (2, 28, 28, 1) in (-1, 1)
    np.testing.assert_allclose(untrained.features(as_rgb), reference, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        untrained.features(as_floats, value_range=(-1, 1)), reference, rtol=1e-5, atol=1e-5
    )


def test_any_image_size_and_streamed_batches(untrained):
    rgb = np.random.default_rng(2).uniform(0, 1, size=(2, 40, 33, 3))
    one_shot = untrained.features(rgb, value_range=(0, 1))
    streamed = untrained.features(lambda: iter([rgb[:1], rgb[1:]]), value_range=(0, 1))
    assert one_shot.shape == (2, 2048)
    np.testing.assert_allclose(streamed, one_shot, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((2, 28, 28, 2), np.uint8), r"\(n, H, W\) or \(n, H, W, 1\) or \(n, H, W, 3\)"),
        (np.zeros((28, 28), np.uint8), "InceptionFeatures expects images of shape"),
        (np.full((1, 28, 28), 2.0), r"value_range=\(-1, 1\)"),
        (np.full((1, 28, 28), np.nan), "NaN"),
    ],
)
def test_bad_images_are_refused(untrained, images, message):
    with pytest.raises(ValueError, match=message):
        untrained.features(images, value_range=None if images.dtype == np.uint8 else (-1, 1))


# ## The weights file ##############################################################################


@pytest.fixture
def caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An empty gancourse cache and an empty Keras home; (gancourse weights, Keras models)."""
    monkeypatch.setenv("GANCOURSE_CACHE", str(tmp_path / "gancourse"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "gancourse" / "weights", tmp_path / "keras" / "models"


FAKE_WEIGHTS = b"not really 96 MB of InceptionV3 weights"


@pytest.fixture
def fake_checksum(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the expected md5 that of FAKE_WEIGHTS, so small files can stand in for the real one."""
    digest = hashlib.md5(FAKE_WEIGHTS).hexdigest()
    fake = download.RemoteFile(inception_module.WEIGHTS_FILE.filename, "md5", digest)
    monkeypatch.setattr(inception_module, "WEIGHTS_FILE", fake)
    return digest


def test_offline_without_weights_the_error_says_where_to_put_the_file(caches):
    ours, _ = caches
    with pytest.raises(WeightsUnavailableError) as raised:
        InceptionFeatures()
    message = str(raised.value)
    for needed in (
        "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
        str(ours),
        "GANCOURSE_OFFLINE=1",
        "gancourse download inception",
        "weights=None",
        "testing only",
        "mean nothing",
    ):
        assert needed in message
    assert not ours.exists()


def test_the_weights_in_either_cache_are_found_and_checked(caches, fake_checksum):
    ours, keras_models = caches
    assert inception_module.find_inception_weights() is None
    keras_models.mkdir(parents=True)
    (keras_models / inception_module.WEIGHTS_FILE.filename).write_bytes(FAKE_WEIGHTS)
    found = inception_module.find_inception_weights()
    assert found == keras_models / inception_module.WEIGHTS_FILE.filename
    assert download_inception_weights() == found  # offline, but nothing needs downloading

    ours.mkdir(parents=True)
    (ours / inception_module.WEIGHTS_FILE.filename).write_bytes(b"damaged")
    with pytest.raises(download.CorruptFileError, match=f"expected {fake_checksum}"):
        inception_module.find_inception_weights()  # the gancourse cache is looked at first


def test_the_real_download_code_fetches_from_a_file_mirror(caches, fake_checksum, monkeypatch):
    ours, _ = caches
    mirror = ours.parent.parent / "mirror"
    mirror.mkdir()
    (mirror / inception_module.WEIGHTS_FILE.filename).write_bytes(FAKE_WEIGHTS)
    monkeypatch.setenv("GANCOURSE_OFFLINE", "0")
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", mirror.as_uri())
    path = download_inception_weights()
    assert path == ours / inception_module.WEIGHTS_FILE.filename
    assert path.read_bytes() == FAKE_WEIGHTS
    assert sorted(p.name for p in ours.iterdir()) == [path.name]  # no .part left behind

    (mirror / inception_module.WEIGHTS_FILE.filename).write_bytes(b"something else")
    with pytest.raises(download.CorruptFileError, match="expected checksum"):
        download_inception_weights(force=True)
    assert path.read_bytes() == FAKE_WEIGHTS  # the good copy is kept


def test_a_failed_download_is_a_weights_unavailable_error(caches, monkeypatch):
    monkeypatch.setenv("GANCOURSE_OFFLINE", "0")
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", (caches[0].parent / "empty").as_uri())
    with pytest.raises(WeightsUnavailableError, match="every mirror failed"):
        download_inception_weights()


def test_gancourse_download_inception_offline_explains(caches, capsys):
    assert cli.main(["download", "inception"]) == 1
    assert "inception: FAILED" in capsys.readouterr().err


def test_a_weights_path_that_does_not_exist_is_named():
    with pytest.raises(FileNotFoundError, match=r"no-such-file\.h5"):
        InceptionFeatures(weights="no-such-file.h5")
