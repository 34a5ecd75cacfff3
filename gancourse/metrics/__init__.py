"""Metrics for generative models, on NumPy arrays."""

from .reconstruction import reconstruction_error

__all__ = ["reconstruction_error"]
