"""Plausible wrong answers to lesson 02, each with a phrase its grader's message must contain."""

import numpy as np


def conv_size_without_plus_one(size, kernel_size, stride, padding):
    if padding == "valid":
        return (size - kernel_size) // stride
    return -(-size // stride)


def conv_size_rounding_down(size, kernel_size, stride, padding):
    if padding == "valid":
        return (size - kernel_size) // stride + 1
    return size // stride


def conv_size_as_float(size, kernel_size, stride, padding):
    if padding == "valid":
        return (size - kernel_size) / stride + 1
    return size / stride


def transpose_size_ignoring_kernel(size, kernel_size, stride, padding):
    return size * stride


def transpose_size_inverting_valid_conv(size, kernel_size, stride, padding):
    if padding == "valid":
        return (size - 1) * stride + 1
    return size * stride


def transpose_size_textbook_formula(size, kernel_size, stride, padding):
    if padding == "valid":
        return (size - 1) * stride + kernel_size  # wrong when the kernel is smaller than the stride
    return size * stride


def noise_without_clipping(images, noise_std, rng):
    return images + rng.normal(0.0, noise_std, size=np.shape(images))


def noise_std_used_as_variance(images, noise_std, rng):
    return np.clip(images + rng.normal(0.0, noise_std**2, size=np.shape(images)), 0.0, 1.0)


def noise_added_in_place(images, noise_std, rng):
    images += rng.normal(0.0, noise_std, size=np.shape(images))
    np.clip(images, 0.0, 1.0, out=images)
    return images


def noise_from_the_global_generator(images, noise_std, rng):
    return np.clip(images + np.random.normal(0.0, noise_std, np.shape(images)), 0.0, 1.0)  # noqa: NPY002


WRONG_ANSWERS = [
    ("conv_output_size", conv_size_without_plus_one, "expected 26"),
    ("conv_output_size", conv_size_rounding_down, "expected 3"),
    ("conv_output_size", conv_size_as_float, "whole number"),
    ("conv_transpose_output_size", transpose_size_ignoring_kernel, "expected 15"),
    ("conv_transpose_output_size", transpose_size_inverting_valid_conv, "expected 15"),
    ("conv_transpose_output_size", transpose_size_textbook_formula, "expected 52"),
    ("add_noise", noise_without_clipping, "keep them in [0, 1]"),
    ("add_noise", noise_std_used_as_variance, "not the variance"),
    ("add_noise", noise_added_in_place, "changed its input"),
    ("add_noise", noise_from_the_global_generator, "draw it from `rng`"),
]
