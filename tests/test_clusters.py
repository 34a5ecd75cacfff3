"""gancourse.clusters: k-means labels for self-conditioning, checked on images whose clusters are
known, with uneven cluster sizes so that uniform sampling or swapped centres fail."""

import numpy as np
import pytest

from gancourse.clusters import Clusters, pixel_clusters

SIZES = (10, 20, 30)  # uneven on purpose
LEVELS = (-1.0, 0.0, 1.0)  # each group's pixel value


def _three_groups(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """60 images (60, 4, 4, 1) in three groups of constant grey plus small noise, shuffled."""
    rng = np.random.default_rng(seed)
    group = np.repeat(np.arange(3), SIZES)
    images = np.asarray(LEVELS)[group][:, None, None, None] + rng.normal(0, 0.01, (60, 4, 4, 1))
    order = rng.permutation(60)
    return images[order].astype(np.float32), group[order]


def test_clusters_recover_the_groups_with_their_sizes_and_mean_images():
    images, group = _three_groups()
    clusters = pixel_clusters(images, 3, seed=0)
    assert clusters.count == 3 and clusters.labels.dtype == np.int32
    for c in range(3):  # each cluster is exactly one group, whatever its index
        members = group[clusters.labels == c]
        assert len(set(members)) == 1
        g = members[0]
        assert clusters.frequencies[c] == pytest.approx(SIZES[g] / 60)
        assert clusters.centres[c].shape == (4, 4, 1)
        np.testing.assert_allclose(clusters.centres[c], images[group == g].mean(axis=0), atol=1e-6)
    assert clusters.frequencies.sum() == pytest.approx(1.0)


def test_the_same_images_and_seed_give_the_same_clusters():
    images, _ = _three_groups()
    first, again = pixel_clusters(images, 3, seed=4), pixel_clusters(images, 3, seed=4)
    np.testing.assert_array_equal(first.labels, again.labels)


def test_sample_draws_clusters_in_their_training_frequencies_not_uniformly():
    clusters = Clusters(
        labels=np.repeat(np.arange(3), SIZES).astype(np.int32),
        frequencies=np.asarray(SIZES) / 60,
        centres=np.zeros((3, 4, 4, 1), np.float32),
    )
    drawn = clusters.sample(60_000, seed=1)
    assert drawn.dtype == np.int32 and drawn.shape == (60_000,)
    shares = np.bincount(drawn, minlength=3) / 60_000
    np.testing.assert_allclose(shares, [1 / 6, 1 / 3, 1 / 2], atol=0.01)  # uniform: 1/3 each
    np.testing.assert_array_equal(drawn[:100], clusters.sample(100, seed=1)[:100])
    with pytest.raises(ValueError, match="count"):
        clusters.sample(0)


@pytest.mark.parametrize(
    ("images", "count", "message"),
    [
        (np.zeros((5, 4, 4, 1), np.float32), 6, "at least 6 images"),
        (np.zeros((10, 4, 4, 1), np.float32), 1, "integer >= 2"),
        (np.zeros(10, np.float32), 2, r"\(n, \.\.\.\)"),
        (np.full((10, 4, 4, 1), np.nan, np.float32), 2, "NaN"),
        (np.array([["a", "b"]] * 4), 2, "numeric"),
    ],
)
def test_bad_input_is_refused_with_what_was_expected(images, count, message):
    with pytest.raises(ValueError, match=message):
        pixel_clusters(images, count)
