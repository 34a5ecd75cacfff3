"""Stream images through a feature network: input checks, batching, features and probabilities.

The machinery shared by the domain classifier (:mod:`gancourse.metrics.classifier`) and
InceptionV3 (:mod:`gancourse.metrics.inception`). A :class:`FeatureExtractor` wraps a Keras model
with two outputs, ``[features (batch, d), logits (batch, k)]``, computed in one forward pass, and
turns any source of images into float64 NumPy arrays that the metrics (FID, KID, IS,
precision/recall) take.

Images can come as

- one array (NumPy, or anything with ``__array__`` such as a TensorFlow tensor) of shape
  ``(n, H, W)`` or ``(n, H, W, C)``: it is sliced into batches, and only one batch at a time is
  converted to float32 and sent to the model, so 50,000 uint8 images cost no float copy of all;
- an iterable of such arrays (a list of batches, a generator, a ``tf.data.Dataset`` of image
  batches): each one is split further into pieces of at most ``batch_size`` images;
- a function taking no arguments that returns such an iterable (``lambda: (g.sample(500) for _
  in range(100))``), so that 50,000 generated images never exist at once.

Pixel values are uint8 0..255, or floats in ``value_range``, which float images must give
(``(-1, 1)`` for a tanh generator); :func:`gancourse.pixels.to_unit_range` converts them. Anything
else (values outside the range, NaN, a wrong shape or dtype) is refused with an error that says
what was expected; nothing is clipped.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
from scipy.special import softmax

from ..pixels import to_unit_range
from ..validation import check_positive

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import keras

ImageSource: TypeAlias = Any | Iterable[Any] | Callable[[], Iterable[Any]]
"""An array of images, an iterable of batches, or a function returning such an iterable."""


class FeatureExtractor:
    """Features and class probabilities of images, from one forward pass of ``model``.

    ``model`` takes float32 images ``(batch, H, W, model_channels)`` in [0, 1] and returns
    ``[features (batch, d), logits (batch, k)]``. Subclasses say which input shapes they accept.

    Attributes:
        model: the two-output Keras model.
        feature_dim: d; ``num_classes``: k.
        image_size: the (H, W) images must have, or None for any size.
        channels: the channel counts accepted (a missing channel axis counts as 1).
    """

    default_batch_size = 256

    def __init__(
        self,
        model: keras.Model,
        *,
        image_size: tuple[int, int] | None,
        channels: tuple[int, ...],
        model_channels: int,
    ) -> None:
        if len(model.outputs) != 2:
            raise ValueError(
                "model must return [features (batch, d), logits (batch, k)]; it has "
                f"{len(model.outputs)} output(s)."
            )
        self.model = model
        self.feature_dim = int(model.outputs[0].shape[-1])
        self.num_classes = int(model.outputs[1].shape[-1])
        self.image_size = image_size
        self.channels = channels
        self._model_channels = model_channels

    # ## The public API ############################################################################

    def features(
        self,
        images: ImageSource,
        *,
        value_range: tuple[float, float] | None = None,
        batch_size: int | None = None,
    ) -> np.ndarray:
        """Features of every image, float64 ``(n, feature_dim)``, in the order given.

        Args:
            images: an array ``(n, H, W)`` / ``(n, H, W, C)``, an iterable of such batches, or a
                function returning one (see the module docstring).
            value_range: the (low, high) range of float images (required for them). uint8 images
                are always read as 0..255 (passing a value_range other than (0, 255) with them
                is an error).
            batch_size: images per forward pass (default ``default_batch_size``); it bounds the
                memory used and does not change the results beyond float32 rounding.

        Raises:
            TypeError: images neither uint8 nor float, or a source that is not images.
            ValueError: a wrong shape, NaN or infinity, values outside ``value_range``, no images.
        """
        return self._forward(images, value_range, batch_size)[0]

    def logits(
        self,
        images: ImageSource,
        *,
        value_range: tuple[float, float] | None = None,
        batch_size: int | None = None,
    ) -> np.ndarray:
        """Class logits (the last layer before the softmax), float64 ``(n, num_classes)``.
        Arguments as :meth:`features`."""
        return self._forward(images, value_range, batch_size)[1]

    def probabilities(
        self,
        images: ImageSource,
        *,
        value_range: tuple[float, float] | None = None,
        batch_size: int | None = None,
    ) -> np.ndarray:
        """Class probabilities, float64 ``(n, num_classes)``: the softmax of the logits, taken in
        float64, so each row sums to 1 to within 1e-12. Arguments as :meth:`features`."""
        return softmax(self.logits(images, value_range=value_range, batch_size=batch_size), axis=1)

    def features_and_probabilities(
        self,
        images: ImageSource,
        *,
        value_range: tuple[float, float] | None = None,
        batch_size: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Both :meth:`features` and :meth:`probabilities` from a single pass over the images."""
        features, logits = self._forward(images, value_range, batch_size)
        return features, softmax(logits, axis=1)

    def _forward(
        self, images: ImageSource, value_range: tuple[float, float] | None, batch_size: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(features, logits), float64, over every image."""
        features, logits = [], []
        for batch in self.model_inputs(images, value_range=value_range, batch_size=batch_size):
            batch_features, batch_logits = self.model.predict_on_batch(batch)
            features.append(np.asarray(batch_features))
            logits.append(np.asarray(batch_logits))
        if not features:
            raise ValueError("No images were given; expected at least one image.")
        return np.concatenate(features).astype(np.float64), np.concatenate(logits).astype(
            np.float64
        )

    def model_inputs(
        self,
        images: ImageSource,
        *,
        value_range: tuple[float, float] | None = None,
        batch_size: int | None = None,
    ) -> Iterator[np.ndarray]:
        """The checked batches the model sees: float32 ``(b, H, W, model_channels)`` in [0, 1],
        ``b <= batch_size``. Arguments and errors as :meth:`features`."""
        batch_size = self.default_batch_size if batch_size is None else batch_size
        check_positive(batch_size=batch_size)
        for start, batch in _pieces(images, batch_size, self._check_shape):
            if len(batch):
                batch = to_unit_range(batch, value_range, f"images {start}..{start + len(batch)}")
                if batch.ndim == 3:
                    batch = batch[..., None]  # (b, H, W) -> (b, H, W, 1)
                if batch.shape[-1] != self._model_channels:  # grayscale into an RGB model
                    batch = np.repeat(batch, self._model_channels, axis=-1)
                yield batch

    # ## Checks ####################################################################################

    def _expected_shapes(self) -> str:
        height, width = self.image_size if self.image_size else ("H", "W")
        shapes = [f"(n, {height}, {width})"] + [
            f"(n, {height}, {width}, {channels})" for channels in self.channels
        ]
        return " or ".join(shapes)

    def _check_shape(self, shape: tuple[int, ...], what: str) -> None:
        ok = len(shape) in (3, 4)
        if ok and self.image_size is not None:
            ok = tuple(shape[1:3]) == tuple(self.image_size)
        if ok and len(shape) == 4:
            ok = shape[3] in self.channels
        if not ok:
            raise ValueError(
                f"{type(self).__name__} expects images of shape {self._expected_shapes()}; "
                f"{what} has shape {tuple(shape)}."
            )


def _pieces(
    images: ImageSource, batch_size: int, check_shape: Callable[[tuple[int, ...], str], None]
) -> Iterator[tuple[int, np.ndarray]]:
    """(index of the first image, a batch of at most ``batch_size`` unconverted images)."""
    if callable(images) and not hasattr(images, "__array__"):
        images = images()
    if hasattr(images, "__array__") and hasattr(images, "shape"):  # one array: slice it lazily
        check_shape(tuple(images.shape), "the array")
        for start in range(0, images.shape[0], batch_size):
            yield start, np.asarray(images[start : start + batch_size])
        return
    if isinstance(images, (str, bytes)) or not isinstance(images, Iterable):
        raise TypeError(
            "images must be an array (n, H, W[, C]), an iterable of such batches, or a function "
            f"returning one; got {type(images).__name__}."
        )
    start = 0
    for number, batch in enumerate(images):
        if isinstance(batch, tuple):
            raise TypeError(
                f"batch {number} is a tuple; expected an array of images. A dataset of "
                "(images, labels) pairs must be mapped to images only first."
            )
        batch = np.asarray(batch)
        check_shape(batch.shape, f"batch {number}")
        for offset in range(0, len(batch), batch_size):
            yield start + offset, batch[offset : offset + batch_size]
        start += len(batch)
