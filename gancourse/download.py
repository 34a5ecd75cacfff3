"""Downloading one file from a list of mirrors into the cache, checked against its checksum.

Used by :mod:`gancourse.data` (MNIST, Fashion-MNIST) and :mod:`gancourse.metrics.inception`
(InceptionV3's weights). A download goes to ``<path>.part`` and is renamed into place only when
its checksum matches, so the cache never holds a partial or wrong file.

``GANCOURSE_DATA_MIRROR`` (read on every call): a base URL (``http://``, ``https://`` or
``file://``) that replaces the default mirrors, for a classroom LAN. It must serve the files
flat, as the Keras mirror does: ``<base>/mnist.npz``, ``<base>/train-images-idx3-ubyte.gz``, ...
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DOWNLOAD_TIMEOUT_S",
    "MIRROR_ENV",
    "CorruptFileError",
    "NotFetchedError",
    "RemoteFile",
    "download_file",
    "file_checksum",
    "mirrors_for",
]

DOWNLOAD_TIMEOUT_S = 30  # per socket operation (connect, each read), not for the whole file
MIRROR_ENV = "GANCOURSE_DATA_MIRROR"
_CHUNK_BYTES = 1 << 20


class CorruptFileError(RuntimeError):
    """A file fails its checksum or format check: a damaged cache file or a bad download."""


class NotFetchedError(Exception):
    """A file could not be fetched from any mirror (offline, network or checksum failure); the
    message says why. Loaders turn it into :class:`~gancourse.data.DatasetUnavailableError` or
    their own error."""


@dataclass(frozen=True)
class RemoteFile:
    """One file and its published checksum (``algorithm`` is a :mod:`hashlib` name)."""

    filename: str
    algorithm: str
    digest: str


def mirrors_for(default_mirrors: tuple[str, ...]) -> tuple[str, ...]:
    """The base URLs to try: ``default_mirrors``, or only ``GANCOURSE_DATA_MIRROR`` if set."""
    override = os.environ.get(MIRROR_ENV, "").strip()
    if not override:
        return default_mirrors
    if urllib.parse.urlsplit(override).scheme not in {"http", "https", "file"}:
        raise ValueError(
            f"{MIRROR_ENV}={override!r} must be a base URL starting with "
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
            f"{MIRROR_ENV} and your network, or set GANCOURSE_OFFLINE=1 to work offline."
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
