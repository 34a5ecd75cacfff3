"""InceptionV3 features (2048-d pool) and ImageNet class probabilities, for FID, KID and IS.

Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015
(https://arxiv.org/abs/1512.00567); its pool features define FID (Heusel et al. 2017,
https://arxiv.org/abs/1706.08500) and KID (Binkowski et al. 2018, https://arxiv.org/abs/1801.01401),
and its class probabilities the Inception Score (Salimans et al. 2016,
https://arxiv.org/abs/1606.03498). The network is Keras' ``keras.applications.InceptionV3`` with
its top (``include_top=True``): one forward pass gives the 2048 pool features ("avg_pool") and
the 1000 logits of the last layer, whose float64 softmax gives the probabilities.

How images reach the network, in this order (the model built by :func:`build_inception_features`):

1. uint8 0..255 or floats in ``value_range`` are scaled to [0, 1]; grayscale is repeated to 3
   channels (:mod:`gancourse.metrics.extractor`);
2. resized to 299x299 by ``tf.image.resize(method="bilinear", antialias=True)`` (a Keras
   ``Resizing`` layer): bilinear interpolation with half-pixel centres. When enlarging (28 -> 299)
   the antialiasing filter is plain bilinear interpolation, the same as PyTorch's
   ``F.interpolate(mode="bilinear", align_corners=False)`` that pytorch-fid uses; when shrinking
   it averages over the footprint instead of skipping pixels. Non-square images are stretched;
3. scaled to Inception's input range [-1, 1] (``x * 2 - 1``, the "tf" mode of Keras'
   ``preprocess_input``).

Numbers depend on all of this. FID and IS change with the resize method (Parmar et al., "On
Aliased Resizing and Surprising Subtleties in GAN Evaluation", 2022,
https://arxiv.org/abs/2104.11222: clean-fid resizes with PIL bicubic), with JPEG compression,
and with the weights: Keras' ImageNet weights are not the 2015 Inception graph that the
reference FID code (TTUR) and pytorch-fid use, and the original IS code had 1008 classes. So FID,
KID and IS from this module are comparable with each other only, never with published numbers
from another implementation (Barratt & Sharma, "A Note on the Inception Score", 2018,
https://arxiv.org/abs/1801.01973).

The weights (:data:`WEIGHTS_FILE`) are looked for in the gancourse cache
(``<GANCOURSE_CACHE>/weights/``), then in Keras' own cache (``$KERAS_HOME/models/``, default
``~/.keras/models/``, where ``keras.applications`` puts them), and checked against Keras' md5;
otherwise they are downloaded into the gancourse cache (``gancourse download inception``, which
also honours ``GANCOURSE_DATA_MIRROR``). ``weights=None`` builds an untrained network, for
testing the pipeline offline only: numbers from it mean nothing.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config, download
from .extractor import FeatureExtractor

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import keras

__all__ = [
    "INCEPTION_SIZE",
    "RESIZE_METHOD",
    "WEIGHTS_FILE",
    "InceptionFeatures",
    "UntrainedInceptionWarning",
    "WeightsUnavailableError",
    "build_inception_features",
    "download_inception_weights",
    "find_inception_weights",
]

INCEPTION_SIZE = 299  # pixels, height and width
RESIZE_METHOD = "bilinear"  # tf.image.resize method, with antialias=True

# The file and md5 that keras.applications.InceptionV3(weights="imagenet", include_top=True) uses.
WEIGHTS_FILE = download.RemoteFile(
    "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
    "md5",
    "9a0d58056eeedaa3f26cb7ebd46da564",
)
_WEIGHTS_MIRRORS = ("https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/",)


class WeightsUnavailableError(RuntimeError):
    """The InceptionV3 weights are in no cache and could not be downloaded."""


class UntrainedInceptionWarning(UserWarning):
    """InceptionV3 was built with random weights: its features and probabilities mean nothing."""


# ## Finding and downloading the weights ##########################################################


def _gancourse_weights_path() -> Path:
    return config.cache_dir() / "weights" / WEIGHTS_FILE.filename


def _keras_weights_path() -> Path:
    keras_home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(keras_home).expanduser() / "models" / WEIGHTS_FILE.filename


def find_inception_weights() -> Path | None:
    """The cached weights file (gancourse cache first, then Keras' cache), or None if neither has
    it. A file found there is checked against its md5.

    Raises:
        gancourse.download.CorruptFileError: a cached file fails its checksum.
    """
    for path in (_gancourse_weights_path(), _keras_weights_path()):
        if path.is_file():
            actual = download.file_checksum(path, WEIGHTS_FILE.algorithm)
            if actual != WEIGHTS_FILE.digest:
                raise download.CorruptFileError(
                    f"The cached InceptionV3 weights {path} are corrupt or incomplete: md5 "
                    f"{actual}, expected {WEIGHTS_FILE.digest}. Delete the file and run "
                    "`gancourse download inception`."
                )
            return path
    return None


def download_inception_weights(*, force: bool = False) -> Path:
    """The path of the ImageNet weights, downloaded into the gancourse cache if no cache has them.

    ``force`` downloads again and replaces the gancourse cache's copy. The download is checked
    against Keras' md5, written to a ``.part`` file first, and comes from
    ``GANCOURSE_DATA_MIRROR`` when that is set (serving the file under its own name).

    Raises:
        WeightsUnavailableError: offline (``GANCOURSE_OFFLINE=1``) or the download failed.
        gancourse.download.CorruptFileError: a cached or downloaded file fails its checksum.
    """
    found = None if force else find_inception_weights()
    if found is not None:
        return found
    target = _gancourse_weights_path()
    if config.is_offline():
        raise WeightsUnavailableError(_unavailable_message("GANCOURSE_OFFLINE=1 is set"))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        download.download_file(WEIGHTS_FILE, download.mirrors_for(_WEIGHTS_MIRRORS), target)
    except download.NotFetchedError as reason:
        raise WeightsUnavailableError(_unavailable_message(str(reason))) from None
    return target


def _unavailable_message(reason: str) -> str:
    url = _WEIGHTS_MIRRORS[0] + WEIGHTS_FILE.filename
    return (
        f"InceptionV3's ImageNet weights ({WEIGHTS_FILE.filename}, about 96 MB) are neither in "
        f"{_gancourse_weights_path().parent} nor in Keras' cache "
        f"({_keras_weights_path().parent}), and cannot be downloaded: {reason}. To fix: run "
        "`gancourse download inception` on a machine with a network (GANCOURSE_OFFLINE unset), "
        f"or copy the file from {url} into {_gancourse_weights_path().parent}/. "
        "InceptionFeatures(weights=None) builds an untrained network for testing only: "
        "numbers from it mean nothing."
    )


# ## The network ###################################################################################


def build_inception_features(weights_path: str | Path | None) -> keras.Model:
    """(batch, H, W, 3) float32 images in [0, 1], any H and W -> [pool features (batch, 2048),
    logits (batch, 1000)].

    Resizes to 299x299 (layer "resize", see the module docstring), scales to [-1, 1] (layer
    "to_inception_range") and runs InceptionV3 with the weights in ``weights_path`` (an ``.h5``
    file of ``keras.applications.InceptionV3``), or random weights for None.
    """
    import keras

    if weights_path is not None and not Path(weights_path).is_file():
        raise FileNotFoundError(f"No InceptionV3 weights file at {weights_path}.")
    inception = keras.applications.InceptionV3(
        include_top=True,
        weights=None if weights_path is None else str(weights_path),
        classifier_activation=None,  # logits; the softmax is taken later, in float64
    )
    core = keras.Model(
        inception.input,
        [inception.get_layer("avg_pool").output, inception.outputs[0]],
        name="inception_v3_pool_and_logits",
    )
    images = keras.Input(shape=(None, None, 3), name="image")  # (batch, H, W, 3) in [0, 1]
    x = keras.layers.Resizing(
        INCEPTION_SIZE, INCEPTION_SIZE, interpolation=RESIZE_METHOD, antialias=True, name="resize"
    )(images)  # (batch, 299, 299, 3) in [0, 1]
    x = keras.layers.Rescaling(2.0, offset=-1.0, name="to_inception_range")(x)  # in [-1, 1]
    pool, logits = core(x)  # (batch, 2048), (batch, 1000)
    return keras.Model(images, [pool, logits], name="inception_features")


class InceptionFeatures(FeatureExtractor):
    """InceptionV3 pool features (2048-d) and ImageNet class probabilities (1000) of images.

    Args:
        weights: ``"imagenet"`` (default: from a cache, else downloaded; see
            :func:`download_inception_weights`), a path to the ``.h5`` weights file, or None for
            random weights (tests of the pipeline only; warns with
            :class:`UntrainedInceptionWarning`).

    Images: ``(n, H, W)``, ``(n, H, W, 1)`` or ``(n, H, W, 3)`` of any size, uint8 0..255 or
    floats in ``value_range`` (which they must give); one array, an iterable of batches, or a
    function returning one. See :class:`gancourse.metrics.extractor.FeatureExtractor` for the
    methods and their errors. On a 2-core CPU a forward pass takes a fraction of a second per
    image (lesson 09 times it): thousands of images take minutes; a GPU is much faster.

    Raises:
        WeightsUnavailableError: ``"imagenet"`` and the weights can be neither found nor
            downloaded (the message says where to put the file).
    """

    default_batch_size = 32

    def __init__(self, weights: str | Path | None = "imagenet") -> None:
        if weights is None:
            warnings.warn(
                "InceptionFeatures(weights=None) has random weights: use it to test the "
                "pipeline only; its features and probabilities mean nothing.",
                UntrainedInceptionWarning,
                stacklevel=2,
            )
            path = None
        elif weights == "imagenet":
            path = download_inception_weights()
        else:
            path = Path(weights)
        self.weights = None if path is None else str(path)
        super().__init__(
            build_inception_features(path), image_size=None, channels=(1, 3), model_channels=3
        )
