"""Labels for free: k-means clusters of the training images, so that a conditional GAN can train
without labels and still sample unconditionally.

An unconditional GAN must draw every digit from one noise space, and its samples between two
digits' regions come out as blends (lesson 06). Self-conditioning (Liu et al. 2020, "Diverse
Image Generation via Self-Conditioned GANs", https://arxiv.org/abs/2006.10728) gives each image
a cluster index and trains a class-conditional GAN on the clusters; sampling first draws a
cluster in its training frequency, then an image of that cluster. Liu et al. cluster the
discriminator's features and re-cluster during training; the course takes the simplest form:
k-means (scikit-learn) on the pixels, once, before training (lesson 08; lesson 07 clusters
2-D points the same way).

    clusters = pixel_clusters(images, 50, seed=0)  # images (n, 28, 28, 1) in [-1, 1]
    gan = make_conditional_dcgan(num_classes=clusters.count, **DCGAN_RECIPE)
    train(gan, (images, clusters.labels), ...)
    samples = gan.generate(labels=clusters.sample(1_000, seed=0), seed=0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import check_int

__all__ = ["Clusters", "pixel_clusters"]


@dataclass(frozen=True)
class Clusters:
    """k-means clusters of n training images.

    Attributes:
        labels: int32 (n,), each image's cluster in [0, count).
        frequencies: float64 (count,), the share of the images in each cluster (sums to 1).
        centres: float32 (count, *image shape), each cluster's mean image.
    """

    labels: np.ndarray
    frequencies: np.ndarray
    centres: np.ndarray

    @property
    def count(self) -> int:
        """The number of clusters."""
        return len(self.frequencies)

    def sample(self, count: int, seed: int | None = None) -> np.ndarray:
        """``count`` cluster indices drawn in the training frequencies, int32 (count,): the
        labels to ask a self-conditioned GAN for, so that its samples hold each cluster as
        often as the training images do."""
        count = check_int(count, "count", 1)
        rng = np.random.default_rng(seed)
        return rng.choice(self.count, size=count, p=self.frequencies).astype(np.int32)


def pixel_clusters(images: np.ndarray, count: int = 50, *, seed: int = 0) -> Clusters:
    """k-means on the flattened pixels of ``images`` (n, ...) with n >= ``count`` >= 2; any
    samples will do, such as lesson 07's 2-D points (n, 2), whose pixels are their coordinates.

    scikit-learn's ``KMeans`` (k-means++ starts, the best of 3 by inertia, ``seed`` fixed), so
    the same images and seed give the same clusters. Empty clusters cannot occur (k-means keeps
    every centre's nearest image).
    """
    from sklearn.cluster import KMeans

    count = check_int(count, "count", 2)
    images = np.asarray(images)
    if images.ndim < 2 or images.dtype.kind not in "fiu":
        raise ValueError(
            f"images must be a numeric array (n, ...) of n images, got {images.dtype} "
            f"{images.shape}."
        )
    if len(images) < count:
        raise ValueError(f"{count} clusters need at least {count} images, got {len(images)}.")
    flat = images.reshape(len(images), -1).astype(np.float32)
    if not np.all(np.isfinite(flat)):
        raise ValueError("images contain NaN or infinite values.")
    kmeans = KMeans(n_clusters=count, n_init=3, random_state=seed).fit(flat)
    labels = kmeans.labels_.astype(np.int32)
    sizes = np.bincount(labels, minlength=count)
    centres = np.stack([flat[labels == c].mean(axis=0) for c in range(count)])
    return Clusters(
        labels=labels,
        frequencies=sizes / len(labels),
        centres=centres.reshape(count, *images.shape[1:]).astype(np.float32),
    )
