"""Tests of gancourse.widgets: what each widget shows as its sliders move, bad inputs, and the
still picture that renderers without widgets show (checked in an executed notebook)."""

from __future__ import annotations

import base64
import io
import subprocess
import sys

import numpy as np
import PIL.Image
import pytest

from gancourse import widgets
from gancourse.data import add_noise
from gancourse.pixels import to_uint8

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WEIGHTS = np.random.default_rng(0).normal(size=(64, 20)).astype(np.float32)


def decode(z: np.ndarray) -> np.ndarray:
    """(1, D) codes, D <= 20 -> (1, 8, 8) images in (0, 1): a sigmoid of a fixed linear map."""
    logits = np.asarray(z) @ WEIGHTS[:, : np.shape(z)[1]].T  # (1, 64)
    return (1 / (1 + np.exp(-logits))).reshape(1, 8, 8)


def expected_pixels(z: np.ndarray) -> np.ndarray:
    return to_uint8(decode(np.asarray(z, np.float32).reshape(1, -1)), value_range=(0, 1))[0]


def denoise(images: np.ndarray) -> np.ndarray:
    """A stand-in denoiser: blend each image towards its mean."""
    return 0.5 * images + 0.5 * images.mean(axis=(1, 2), keepdims=True)


def png_pixels(png: bytes | memoryview) -> np.ndarray:
    """PNG bytes (or an Image widget's value, a memoryview) -> the pixels, uint8."""
    assert bytes(png).startswith(PNG_SIGNATURE)
    return np.asarray(PIL.Image.open(io.BytesIO(png)))


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(1).uniform(0.2, 0.8, size=(5, 8, 8)).astype(np.float32)


# ## Importing


def test_import_is_cheap_and_has_no_side_effects() -> None:
    code = (
        "import sys, matplotlib\n"
        "before = dict(matplotlib.rcParams)\n"
        "import gancourse.widgets\n"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed'\n"
        "heavy = {'matplotlib.pyplot', 'tensorflow', 'keras'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


# ## latent_explorer


def test_latent_explorer_has_one_slider_per_dimension_starting_at_start() -> None:
    start = np.array([0.5, -1.0, 0.0], np.float32)
    explorer = widgets.latent_explorer(decode, 3, start=start, limits=(-2, 2))
    assert [slider.description for slider in explorer.sliders] == ["z[0]", "z[1]", "z[2]"]
    assert [slider.value for slider in explorer.sliders] == [0.5, -1.0, 0.0]
    assert {(slider.min, slider.max) for slider in explorer.sliders} == {(-2.0, 2.0)}
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels(start))
    np.testing.assert_array_equal(explorer.code, start)


def test_moving_a_slider_shows_what_decode_gives_for_the_new_code() -> None:
    explorer = widgets.latent_explorer(decode, 2)
    before_png, before_view = explorer.png, explorer._view.value
    explorer.sliders[0].value = 2.0
    np.testing.assert_array_equal(explorer.code, [2.0, 0.0])
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels([2.0, 0.0]))
    assert not np.array_equal(explorer.current_image(), expected_pixels([0.0, 0.0]))
    assert explorer.png != before_png and explorer._view.value != before_view
    explorer.sliders[1].value = -1.5
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels([2.0, -1.5]))


def test_the_shown_image_is_the_decoded_one_upscaled_without_blur() -> None:
    explorer = widgets.latent_explorer(decode, 2, start=[1.0, 1.0])
    shown = png_pixels(explorer._view.value)  # 8 x 8 at 25x: 200 x 200
    assert shown.shape == (200, 200)
    np.testing.assert_array_equal(shown[::25, ::25], explorer.current_image())
    np.testing.assert_array_equal(shown[24::25, 24::25], explorer.current_image())


def test_reset_returns_to_the_start_code() -> None:
    start = [0.3, -0.6]
    explorer = widgets.latent_explorer(decode, 2, start=start)
    explorer.sliders[0].value = 2.5
    explorer.sliders[1].value = -2.5
    explorer.reset_button.click()
    assert [slider.value for slider in explorer.sliders] == pytest.approx(start)
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels(start))


def test_a_long_code_gets_sliders_for_its_first_dimensions_only() -> None:
    start = np.linspace(-1, 1, 20).astype(np.float32)
    explorer = widgets.latent_explorer(decode, 20, start=start, max_sliders=4)
    assert len(explorer.sliders) == 4
    assert "z[4]..z[19] stay at their start values" in explorer._message.value
    explorer.sliders[3].value = 2.0
    moved = start.copy()
    moved[3] = 2.0
    np.testing.assert_array_equal(explorer.code, moved)
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels(moved))


def test_decode_failing_while_sliding_is_reported_in_the_widget_and_raised() -> None:
    def fragile(z: np.ndarray) -> np.ndarray:
        return decode(z) * (2.0 if z[0, 0] > 1 else 1.0)  # leaves (0, 1) for z[0] > 1

    explorer = widgets.latent_explorer(fragile, 2)
    shown = explorer.current_image()
    with pytest.raises(ValueError, match=r"decode\(z\) for z = \[2\.00, 0\.00\].*value_range"):
        explorer.sliders[0].value = 2.0
    assert "value_range" in explorer._message.value
    np.testing.assert_array_equal(explorer.current_image(), shown)  # the last good image stays
    explorer.sliders[0].value = 0.5
    assert explorer._message.value == ""


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"latent_dim": 0}, "latent_dim must be an integer >= 1"),
        ({"latent_dim": 2.0}, "latent_dim must be an integer"),
        ({"start": [0.0, 0.0, 0.0]}, r"start must have shape \(2,\) or \(1, 2\)"),
        ({"start": [0.0, 5.0]}, r"start\[1\] = 5 is outside the slider limits"),
        ({"start": [0.0, np.nan]}, "start contains NaN"),
        ({"limits": (3, -3)}, "low < high"),
        ({"limits": 3}, r"limits must be a pair"),
        ({"max_sliders": 0}, "max_sliders must be an integer >= 1"),
        ({"value_range": (1, 0)}, "value_range"),
    ],
)
def test_latent_explorer_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    arguments = {"latent_dim": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        widgets.latent_explorer(decode, **arguments)


@pytest.mark.parametrize(
    ("bad_decode", "match"),
    [
        (lambda z: decode(z)[0], r"expected 1 image\(s\).*got shape \(8, 8\)"),
        (lambda z: np.zeros((1, 5)), "not a perfect square"),
        (lambda z: decode(z) * 255, r"value_range=\(0, 1\)"),
        (lambda z: decode(z) * np.nan, "NaN"),
    ],
)
def test_latent_explorer_names_what_is_wrong_with_decode_output(bad_decode, match) -> None:
    with pytest.raises(ValueError, match=r"decode\(z\) for z = \[0\.00, 0\.00\]: .*" + match):
        widgets.latent_explorer(bad_decode, 2)


def test_decode_must_be_a_function() -> None:
    with pytest.raises(TypeError, match="decode must be a function"):
        widgets.latent_explorer(np.zeros((1, 8, 8)), 2)


# ## class_explorer


def class_decode(z: np.ndarray, label: int) -> np.ndarray:
    """A stand-in conditional generator: the label shifts the code before decoding."""
    return decode(np.asarray(z) + label)


def test_the_class_explorer_shows_the_class_chosen_with_the_code_of_the_sliders() -> None:
    explorer = widgets.class_explorer(class_decode, 2, 3, label=1, value_range=(0, 1))
    assert explorer.class_buttons.options == (0, 1, 2) and explorer.label == 1
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels([1.0, 1.0]))
    explorer.class_buttons.value = 2  # another class, the same code
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels([2.0, 2.0]))
    explorer.sliders[0].value = -1.0  # another code, the same class
    np.testing.assert_array_equal(explorer.current_image(), expected_pixels([1.0, 2.0]))
    assert "class 2" in repr(explorer)
    assert explorer.children[0] is explorer.class_buttons


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"label": 3}, r"label must be a class in \[0, 3\)"),
        ({"label": True}, "label must be a class"),
        ({"classes": 1}, "classes must be an integer >= 2"),
        ({"latent_dim": 0}, "latent_dim must be an integer >= 1"),
    ],
)
def test_class_explorer_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    arguments = {"latent_dim": 2, "classes": 3, "value_range": (0, 1), **kwargs}
    with pytest.raises(ValueError, match=match):
        widgets.class_explorer(class_decode, **arguments)


# ## interpolation_slider


def test_interpolation_ends_and_midpoint_are_the_decoded_codes() -> None:
    z_start, z_end = np.array([[0.0, 2.0]]), np.array([-2.0, 1.0])  # shapes (1, 2) and (2,)
    slider = widgets.interpolation_slider(decode, z_start, z_end, steps=11)
    assert (slider.slider.min, slider.slider.max, slider.slider.step) == (0.0, 1.0, 0.1)
    assert slider.codes.shape == (11, 1, 2)
    np.testing.assert_array_equal(slider.current_image(), expected_pixels(z_start))
    slider.slider.value = 1.0
    np.testing.assert_array_equal(slider.current_image(), expected_pixels(z_end))
    slider.slider.value = 0.5
    np.testing.assert_array_equal(slider.current_image(), expected_pixels([-1.0, 1.5]))
    slider.slider.value = 0.3
    np.testing.assert_allclose(slider.codes[3], [[-0.6, 1.7]], rtol=1e-6)
    np.testing.assert_array_equal(slider.current_image(), expected_pixels(slider.codes[3]))
    slider.slider.value = 0.58  # between two steps: the nearest one is shown
    np.testing.assert_array_equal(slider.current_image(), expected_pixels(slider.codes[6]))
    assert png_pixels(slider._view.value).shape == (200, 200)


def test_interpolation_between_images_with_the_identity_blends_pixels(images) -> None:
    slider = widgets.interpolation_slider(lambda x: x, images[:1], images[1:2], steps=3)
    slider.slider.value = 0.5
    blend = to_uint8((images[0] + images[1]) / 2, value_range=(0, 1))
    np.testing.assert_array_equal(slider.current_image(), blend)


def test_interpolation_png_changes_with_t() -> None:
    slider = widgets.interpolation_slider(decode, [0.0, 0.0], [2.0, -2.0], labels=("a", "b"))
    first = slider.png
    slider.slider.value = 0.7
    assert slider.png != first
    assert repr(slider).startswith("Interpolation from a to b in 11 steps")


@pytest.mark.parametrize(
    ("z_start", "z_end", "kwargs", "match"),
    [
        ([0.0, 0.0], [0.0, 0.0, 0.0], {}, r"same shape, got \(2,\) and \(3,\)"),
        ([0.0, 0.0], [1.0, 1.0], {"steps": 1}, "steps must be an integer >= 2"),
        ([], [], {}, r"z_start must be a non-empty array .* shape \(0,\)"),
        ([0.0, 0.0], ["a", "b"], {}, "z_end must be a non-empty array of numbers"),
        ([0.0, 0.0], [1.0, 1.0], {"labels": ("only one",)}, "labels must be two captions"),
    ],
)
def test_interpolation_slider_rejects_bad_arguments(z_start, z_end, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        widgets.interpolation_slider(decode, z_start, z_end, **kwargs)


def test_interpolation_slider_names_bad_decode_output() -> None:
    def leaky(z: np.ndarray) -> np.ndarray:
        return decode(z) + (2.0 if z[0, 0] > 0.75 else 0.0)  # out of range from t = 0.8

    with pytest.raises(ValueError, match=r"decode\(z\) for z = \[0\.80, 0\.00\].*value_range"):
        widgets.interpolation_slider(leaky, [0.0, 0.0], [1.0, 0.0])


# ## noise_slider


def test_noise_slider_starts_at_the_middle_level_with_seeded_noise(images) -> None:
    slider = widgets.noise_slider(denoise, images, seed=3)
    assert slider.levels == (0.0, 0.1, 0.2, 0.3, 0.5, 0.7)
    assert slider.level == slider.slider.value == 0.3
    expected = add_noise(images, 0.3, seed=3, value_range=(0, 1))
    np.testing.assert_array_equal(slider.noisy, expected)
    np.testing.assert_array_equal(slider.denoised, denoise(expected))


def test_the_same_level_always_shows_the_same_noise(images) -> None:
    slider = widgets.noise_slider(denoise, images)
    first = slider.noisy
    slider.slider.value = 0.7
    assert not np.array_equal(slider.noisy, first)
    slider.slider.value = 0.3
    np.testing.assert_array_equal(slider.noisy, first)
    np.testing.assert_array_equal(widgets.noise_slider(denoise, images).noisy, first)
    assert not np.array_equal(widgets.noise_slider(denoise, images, seed=1).noisy, first)


def test_level_zero_leaves_the_inputs_unchanged(images) -> None:
    slider = widgets.noise_slider(denoise, images)
    slider.slider.value = 0.0
    np.testing.assert_array_equal(slider.noisy, images)
    np.testing.assert_array_equal(slider.denoised, denoise(images))


def test_the_rows_shown_are_the_noisy_inputs_and_the_outputs(images) -> None:
    slider = widgets.noise_slider(denoise, images[..., None], levels=(0.0, 0.5))  # (5, 8, 8, 1)
    slider.slider.value = 0.5
    noisy, denoised = slider.current_images()
    np.testing.assert_array_equal(noisy, to_uint8(slider.noisy[..., 0], value_range=(0, 1)))
    np.testing.assert_array_equal(denoised, to_uint8(slider.denoised[..., 0], value_range=(0, 1)))
    shown = png_pixels(slider._views[1].value)  # 5 images of 8 x 8, 1-pixel gaps, at 10x
    assert shown.shape == (80, 440)
    np.testing.assert_array_equal(shown[::10, 90:170:10], denoised[1])
    assert (shown[:, 80:90] == 255).all()  # the white line between images


@pytest.mark.parametrize(
    ("images", "kwargs", "match"),
    [
        (np.zeros((0, 8, 8)), {}, "holds no images"),
        (np.zeros((13, 8, 8)), {}, "at most 12 images"),
        (np.full((2, 8, 8), 2.0), {}, r"value_range=\(0, 1\)"),
        (np.zeros((2, 8, 8)), {"levels": (0.3, 0.1)}, "levels must be increasing"),
        (np.zeros((2, 8, 8)), {"levels": (-0.1, 0.1)}, "levels must be increasing"),
        (np.zeros((2, 8, 8)), {"levels": ()}, "levels must be increasing"),
        (np.zeros((2, 8, 8)), {"levels": ("low",)}, "levels must be a sequence of numbers"),
    ],
)
def test_noise_slider_rejects_bad_arguments(images, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        widgets.noise_slider(denoise, images, **kwargs)


def test_noise_slider_names_bad_denoiser_output(images) -> None:
    with pytest.raises(ValueError, match=r"denoise\(noisy\) at noise std 0: expected 5 image"):
        widgets.noise_slider(lambda x: x[:2], images)
    with pytest.raises(ValueError, match=r"denoise\(noisy\) at noise std 0:.*value_range"):
        widgets.noise_slider(lambda x: x * 255, images)


# ## Displaying: the widget view and a still picture


def make_all() -> list:
    rng = np.random.default_rng(2)
    return [
        widgets.class_explorer(class_decode, 3, 4, value_range=(0, 1)),
        widgets.latent_explorer(decode, 3),
        widgets.interpolation_slider(decode, [0.0, 0.0], [1.0, -1.0]),
        widgets.noise_slider(denoise, rng.uniform(0.2, 0.8, (3, 8, 8))),
    ]


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_the_mimebundle_holds_the_widget_view_a_png_and_a_description(index) -> None:
    widget = make_all()[index]
    bundle = widget._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == widget.model_id
    assert base64.b64decode(bundle["image/png"]) == widget.png
    height, width, _ = png_pixels(widget.png).shape
    assert 100 < height < 600 and 100 < width < 1000
    assert "JupyterLab" in bundle["text/plain"] and bundle["text/plain"] == repr(widget)


NOTEBOOK_CELLS = [
    "import numpy as np\n"
    "from gancourse import widgets\n"
    "weights = np.random.default_rng(0).normal(size=(64, 2))\n"
    "def decode(z):\n"
    "    return (1 / (1 + np.exp(-(z @ weights.T)))).reshape(1, 8, 8)\n"
    "images = np.random.default_rng(1).uniform(0.2, 0.8, (4, 8, 8))",
    "explorer = widgets.latent_explorer(decode, 2)\nexplorer",
    "explorer.sliders[0].value = 2.0\nexplorer",  # shown again, in its new state
    "widgets.interpolation_slider(decode, [0.0, 0.0], [2.0, -2.0])",
    "widgets.noise_slider(lambda x: x, images)",
]


def test_an_executed_notebook_holds_the_widgets_and_their_pictures(tmp_path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    )
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()

    outputs = [cell.outputs for cell in notebook.cells]
    assert [len(cell_outputs) for cell_outputs in outputs] == [0, 1, 1, 1, 1], outputs
    pngs = []
    for (output,) in outputs[1:]:
        assert output.output_type == "execute_result"
        assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(output.data)
        assert "open the notebook in JupyterLab" in output.data["text/plain"]
        pngs.append(base64.b64decode(output.data["image/png"]))
        assert pngs[-1].startswith(PNG_SIGNATURE)
    assert pngs[0] != pngs[1]  # the picture shows the state at display time
    assert notebook.metadata["widgets"]  # nbclient saved the widget state for HTML export
