"""Every image metric of the course for one set of generated images, against one real set.

>>> evaluator = ImageEvaluator(held_out_digits)  # features of the reference set, computed once
>>> evaluator.evaluate(samples, value_range=(0, 1))
{'IS': 5.6, 'FID': 117.0, 'KID': 11.7, 'precision': 0.85, 'recall': 0.44, ...}

The metrics are those of lesson 09 (see each function for its definition and reference):
Inception Score, FID, KID, precision/recall (k=3), density/coverage (k=5) and the confident
share. ``LOWER_IS_BETTER`` names the two where smaller is better.
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from ..validation import check_positive
from .classifier import DigitFeatures, confident_share
from .extractor import FeatureExtractor, ImageSource
from .fid import frechet_distance
from .inception_score import inception_score
from .kid import kernel_inception_distance
from .manifold import density_coverage, precision_recall

__all__ = ["LOWER_IS_BETTER", "METRICS", "ImageEvaluator"]

METRICS: tuple[str, ...] = (
    "IS",
    "FID",
    "KID",
    "precision",
    "recall",
    "density",
    "coverage",
    "confident",
)
LOWER_IS_BETTER = frozenset({"FID", "KID"})


class ImageEvaluator:
    """Scores sets of images against one reference set with every metric in ``METRICS``.

    Args:
        reference: the real images (held-out ones, that no model trained on), in any layout the
            extractor accepts.
        extractor: features and class probabilities; default :class:`DigitFeatures`.
        value_range: the range of ``reference`` if it holds floats (uint8 needs none).
        kid_subsets: KID's number of random subsets (the paper: 100).
        kid_subset_size: samples per KID subset; default half of the reference set, at most
            1,000 (the paper's size): subsets as large as the sets would all be the same.
        seed: seeds KID's subsets.
    """

    def __init__(
        self,
        reference: ImageSource,
        extractor: FeatureExtractor | None = None,
        *,
        value_range: tuple[float, float] | None = None,
        kid_subsets: int = 100,
        kid_subset_size: int | None = None,
        seed: int = 0,
    ) -> None:
        self.extractor = DigitFeatures() if extractor is None else extractor
        self.reference_features = self.extractor.features(reference, value_range=value_range)
        count = len(self.reference_features)
        if count < 10:
            raise ValueError(
                f"reference needs at least 10 images for the k-NN metrics and KID, got {count}."
            )
        size = min(1000, count // 2) if kid_subset_size is None else kid_subset_size
        check_positive(kid_subsets=kid_subsets, kid_subset_size=size)
        self.kid_subsets, self.kid_subset_size, self.seed = kid_subsets, size, seed

    def evaluate(
        self, images: ImageSource, *, value_range: tuple[float, float] | None = None
    ) -> dict[str, float]:
        """``{metric: value}`` for ``images`` (float images in ``value_range``), keys in
        ``METRICS`` order."""
        features, probabilities = self.extractor.features_and_probabilities(
            images, value_range=value_range
        )
        return self.evaluate_features(features, probabilities)

    def evaluate_features(self, features: ArrayLike, probabilities: ArrayLike) -> dict[str, float]:
        """As :meth:`evaluate`, from the extractor's features and probabilities of the images."""
        real = self.reference_features
        precision, recall = precision_recall(real, features)
        density, coverage = density_coverage(real, features)
        kid, _ = kernel_inception_distance(
            real,
            features,
            subsets=self.kid_subsets,
            subset_size=self.kid_subset_size,
            seed=self.seed,
        )
        return {
            "IS": inception_score(probabilities)[0],
            "FID": frechet_distance(real, features),
            "KID": kid,
            "precision": precision,
            "recall": recall,
            "density": density,
            "coverage": coverage,
            "confident": confident_share(probabilities),
        }
