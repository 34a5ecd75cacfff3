"""Metrics for generative models, on NumPy arrays."""

from .classifier import (
    CLASSIFIER_PATH,
    DigitFeatures,
    confident_share,
    digit_classifier_metadata,
    load_digit_classifier,
)
from .conditional import ClassAccuracy, IntraClassFID, class_accuracy, intra_class_fid
from .extractor import FeatureExtractor
from .fid import (
    FewSamplesWarning,
    FIDInfinity,
    SingularProductWarning,
    feature_statistics,
    fid_infinity,
    frechet_distance,
    frechet_distance_from_statistics,
)
from .human import Estimate, SessionScore, score_session
from .inception import (
    InceptionFeatures,
    UntrainedInceptionWarning,
    WeightsUnavailableError,
    download_inception_weights,
    find_inception_weights,
)
from .inception_score import inception_score, inception_score_from_logits
from .kid import kernel_inception_distance, mmd2_unbiased
from .manifold import DensityCoverage, PrecisionRecall, density_coverage, precision_recall
from .memorisation import copy_ratio, copy_share, nearest_training_distances
from .mixture import MixtureScore, mixture_score, nearest_modes
from .reconstruction import reconstruction_error
from .report import LOWER_IS_BETTER, METRICS, ImageEvaluator
from .stacked_mnist import StackedModes, stacked_channel_labels, stacked_mode_score
from .text import BleuResult, RougeScore, bleu, ngram_precision, rouge, self_bleu

__all__ = [
    "CLASSIFIER_PATH",
    "LOWER_IS_BETTER",
    "METRICS",
    "BleuResult",
    "ClassAccuracy",
    "DensityCoverage",
    "DigitFeatures",
    "Estimate",
    "FIDInfinity",
    "FeatureExtractor",
    "FewSamplesWarning",
    "ImageEvaluator",
    "InceptionFeatures",
    "IntraClassFID",
    "MixtureScore",
    "PrecisionRecall",
    "RougeScore",
    "SessionScore",
    "SingularProductWarning",
    "StackedModes",
    "UntrainedInceptionWarning",
    "WeightsUnavailableError",
    "bleu",
    "class_accuracy",
    "confident_share",
    "copy_ratio",
    "copy_share",
    "density_coverage",
    "digit_classifier_metadata",
    "download_inception_weights",
    "feature_statistics",
    "fid_infinity",
    "find_inception_weights",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "inception_score",
    "inception_score_from_logits",
    "intra_class_fid",
    "kernel_inception_distance",
    "load_digit_classifier",
    "mixture_score",
    "mmd2_unbiased",
    "nearest_modes",
    "nearest_training_distances",
    "ngram_precision",
    "precision_recall",
    "reconstruction_error",
    "rouge",
    "score_session",
    "self_bleu",
    "stacked_channel_labels",
    "stacked_mode_score",
]
