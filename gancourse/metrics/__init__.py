"""Metrics for generative models, on NumPy arrays."""

from .fid import (
    FewSamplesWarning,
    FIDInfinity,
    SingularProductWarning,
    feature_statistics,
    fid_infinity,
    frechet_distance,
    frechet_distance_from_statistics,
)
from .inception_score import inception_score, inception_score_from_logits
from .kid import kernel_inception_distance, mmd2_unbiased
from .manifold import DensityCoverage, PrecisionRecall, density_coverage, precision_recall
from .reconstruction import reconstruction_error
from .text import BleuResult, RougeScore, bleu, ngram_precision, rouge, self_bleu

__all__ = [
    "BleuResult",
    "DensityCoverage",
    "FIDInfinity",
    "FewSamplesWarning",
    "PrecisionRecall",
    "RougeScore",
    "SingularProductWarning",
    "bleu",
    "density_coverage",
    "feature_statistics",
    "fid_infinity",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "inception_score",
    "inception_score_from_logits",
    "kernel_inception_distance",
    "mmd2_unbiased",
    "ngram_precision",
    "precision_recall",
    "reconstruction_error",
    "rouge",
    "self_bleu",
]
