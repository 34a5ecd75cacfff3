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


def noise_one_value_per_image(images, noise_std, rng):
    shape = (len(images),) + (1,) * (np.ndim(images) - 1)
    return np.clip(images + rng.normal(0.0, noise_std, size=shape), 0.0, 1.0)


def noise_same_pattern_on_every_image(images, noise_std, rng):
    return np.clip(images + rng.normal(0.0, noise_std, size=np.shape(images)[1:]), 0.0, 1.0)


def noise_from_a_fixed_seed(images, noise_std, rng):
    fixed = np.random.default_rng(0).normal(0.0, noise_std, size=np.shape(images))
    return np.clip(images + fixed, 0.0, 1.0)


def noise_uniform(images, noise_std, rng):
    half_width = noise_std * np.sqrt(3.0)  # the same standard deviation, but not Gaussian
    return np.clip(images + rng.uniform(-half_width, half_width, np.shape(images)), 0.0, 1.0)


def noise_laplace(images, noise_std, rng):
    noise = rng.laplace(0.0, noise_std / np.sqrt(2.0), np.shape(images))
    return np.clip(images + noise, 0.0, 1.0)


def noise_on_ink_only(images, noise_std, rng):
    noise = rng.normal(0.0, noise_std, size=np.shape(images))
    return np.clip(images + (images > 0) * noise, 0.0, 1.0)


def noise_as_a_list(images, noise_std, rng):
    noise = rng.normal(0.0, noise_std, size=np.shape(images))
    return np.clip(images + noise, 0.0, 1.0).tolist()


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
    ("add_noise", noise_from_the_global_generator, "does not follow `rng`"),
    ("add_noise", noise_one_value_per_image, "every pixel gets its own Gaussian draw"),
    ("add_noise", noise_same_pattern_on_every_image, "not one shared pattern"),
    ("add_noise", noise_from_a_fixed_seed, "does not follow `rng`"),
    ("add_noise", noise_uniform, "Gaussian noise has 4.6% there"),
    ("add_noise", noise_laplace, "Gaussian noise has 4.6% there"),
    ("add_noise", noise_on_ink_only, "pixels that were 0 stayed 0"),
    ("add_noise", noise_as_a_list, "return a NumPy array"),
]
