"""Tests of gancourse.pixels: uint8 <-> model ranges, one rule for values outside the range."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse.pixels import ROUND_OFF, to_float, to_uint8, to_unit_range

ALL_PIXELS = np.arange(256, dtype=np.uint8)


@pytest.mark.parametrize("value_range", [(0.0, 1.0), (-1.0, 1.0), (0.0, 255.0)])
def test_pixel_round_trip_is_exact(value_range):
    floats = to_float(ALL_PIXELS, value_range)
    assert floats.dtype == np.float32
    assert floats[0] == value_range[0] and floats[255] == pytest.approx(value_range[1], rel=1e-6)
    np.testing.assert_array_equal(to_uint8(floats, value_range), ALL_PIXELS)
    np.testing.assert_allclose(to_unit_range(floats, value_range), ALL_PIXELS / 255, atol=1e-6)


def test_to_float_scales_linearly_and_keeps_shape():
    images = np.array([[[0, 51], [204, 255]]], np.uint8)  # (1, 2, 2)
    np.testing.assert_allclose(to_float(images, (0, 1)), [[[0, 0.2], [0.8, 1]]], atol=1e-6)
    np.testing.assert_allclose(to_float(images), [[[-1, -0.6], [0.6, 1]]], atol=1e-6)


def test_to_uint8_maps_the_ends_without_wrapping():
    np.testing.assert_array_equal(to_uint8(np.array([-1.0, 0.0, 1.0]), (-1, 1)), [0, 128, 255])
    np.testing.assert_array_equal(to_uint8(np.float32([1.0, 0.0]), (0, 1)), [255, 0])
    assert to_uint8(np.zeros((0, 28, 28)), (0, 1)).shape == (0, 28, 28)


def test_round_off_beyond_an_end_is_absorbed_and_anything_more_is_refused():
    np.testing.assert_array_equal(to_uint8([1 + ROUND_OFF, -1 - ROUND_OFF], (-1, 1)), [255, 0])
    np.testing.assert_array_equal(to_unit_range(np.float32([1 + 1e-6]), (0, 1)), [1.0])
    for convert in (to_uint8, to_unit_range):
        with pytest.raises(ValueError, match=r"from -1 to 1\.001.*nothing is clipped"):
            convert(np.array([-1.0, 1.001]), (-1, 1))


def test_to_uint8_leaves_its_input_alone():
    images = np.array([-1.0, 0.5, 1.0])
    to_uint8(images, (-1, 1))
    np.testing.assert_array_equal(images, [-1.0, 0.5, 1.0])


def test_to_uint8_accepts_tensors():
    import tensorflow as tf

    np.testing.assert_array_equal(to_uint8(tf.constant([[-1.0, 1.0]]), (-1, 1)), [[0, 255]])


@pytest.mark.parametrize("convert", [to_uint8, to_unit_range])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_refused(convert, bad):
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        convert(np.array([0.0, bad, 0.5]), (0, 1))


@pytest.mark.parametrize("convert", [to_uint8, to_unit_range])
def test_float_images_need_their_range(convert):
    with pytest.raises(ValueError, match=r"not uint8: pass value_range=\(low, high\)"):
        convert(np.array([0.0, 0.5]), None)


def test_values_outside_the_range_are_refused():
    with pytest.raises(ValueError, match=r"value_range=\(-1, 1\).*from 0 to 255"):
        to_uint8(np.array([0.0, 128.0, 255.0]), (-1, 1))
    with pytest.raises(ValueError, match=r"from -1\.25"):
        to_uint8(np.array([-1.25, 0.0]), (-1, 1))
    with pytest.raises(ValueError, match=r"value_range=\(0, 1\)"):
        to_unit_range(np.array([-0.5, 0.5]), (0, 1))


def test_uint8_is_read_as_0_to_255_only():
    np.testing.assert_allclose(to_unit_range(ALL_PIXELS, None), ALL_PIXELS / 255, atol=1e-7)
    np.testing.assert_allclose(to_unit_range(ALL_PIXELS, (0, 255)), ALL_PIXELS / 255, atol=1e-7)
    with pytest.raises(ValueError, match=r"uint8 images are read as 0\.\.255"):
        to_unit_range(ALL_PIXELS, (-1, 1))


def test_bad_types_and_ranges_are_rejected():
    with pytest.raises(TypeError, match=r"uint8 images with values 0\.\.255"):
        to_float(np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="uint8 images"):
        to_float(np.array([0, 255], np.int64))
    with pytest.raises(TypeError, match="real numbers"):
        to_uint8(np.array(["a"]), (0, 1))
    with pytest.raises(TypeError, match=r"astype\(np.uint8\)"):
        to_unit_range(np.array([0, 255], np.int64), None)
    with pytest.raises(ValueError, match="low < high"):
        to_float(ALL_PIXELS, (1.0, -1.0))
    with pytest.raises(ValueError, match="pair"):
        to_uint8(np.zeros(3), 1.0)
