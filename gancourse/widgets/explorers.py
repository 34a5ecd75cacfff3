"""Sliders for looking inside a model: move through a latent space, walk from one code to
another, and watch a denoiser at growing noise levels.

The functions take plain callables, so they work with any model: a Keras decoder, a VAE's
``decode``, a denoising autoencoder, or a NumPy function. Pass a Keras model itself
(``decoder``), not ``decoder.predict``: calling the model is faster for one code, and
``predict`` prints a progress bar on every call.

How they appear. In JupyterLab the widget is live: moving a slider redraws the picture (a PNG
in an ``ipywidgets.Image``, upscaled without smoothing so each pixel stays a crisp square).
Where widgets cannot run (``jupyter nbconvert --execute``, nbval, GitHub's notebook view) the
same output also carries a static PNG of the state the widget was displayed in, drawn with
matplotlib; those renderers show that instead. The PNG is not updated when the sliders move.

Programmatic use and tests drive a widget through its sliders (``w.sliders[0].value = 2.0``)
and read what it shows with ``w.current_image()`` (uint8) and ``w.png`` (the static picture).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike

from ..data import add_noise
from ..display import images_to_uint8
from ..validation import check_int, check_range
from .picture import MAIN_PIXELS, SMALL_PIXELS, WidgetWithPicture, figure_png, png, row_png

__all__ = [
    "ClassExplorer",
    "InterpolationSlider",
    "LatentExplorer",
    "NoiseSlider",
    "class_explorer",
    "interpolation_slider",
    "latent_explorer",
    "noise_slider",
]

ImageFunction = Callable[[np.ndarray], Any]  # float32 array -> images (array or tensor)

_SLIDER_STEPS = 60  # a latent slider moves in steps of (high - low) / 60: 0.1 for (-3, 3)
_MAX_ROW_IMAGES = 12  # a row of 12 digits at 3x is about 1000 pixels wide


# ## Checking inputs and model outputs


def _check_callable(model: Any, name: str, example: str) -> None:
    if not callable(model):
        raise TypeError(f"{name} must be a function, e.g. {example}; got {type(model).__name__}")


def _as_code(z: ArrayLike, name: str) -> np.ndarray:
    """A code -> float32 with a batch axis of one: (D,) -> (1, D); (1, ...) is kept."""
    code = np.asarray(z)
    if code.dtype.kind not in "iuf" or code.size == 0:
        raise ValueError(
            f"{name} must be a non-empty array of numbers, got dtype {code.dtype}, "
            f"shape {code.shape}"
        )
    if not np.all(np.isfinite(code)):
        raise ValueError(f"{name} contains NaN or infinite values")
    code = code.astype(np.float32)
    return code if code.ndim >= 2 and code.shape[0] == 1 else code[None]


def _format_code(z: np.ndarray) -> str:
    return np.array2string(
        np.ravel(z), precision=2, floatmode="fixed", separator=", ", threshold=16, edgeitems=3
    )


def _model_pixels(
    images: Any, value_range: tuple[float, float], what: str, count: int
) -> np.ndarray:
    """What a model returned -> uint8 (count, H, W) or (count, H, W, 3); errors name the call."""
    array = np.asarray(images)
    if array.ndim < 2 or array.shape[0] != count:
        raise ValueError(
            f"{what}: expected {count} image(s), shape ({count}, H, W), ({count}, H, W, 1), "
            f"({count}, H, W, 3) or flat ({count}, H*W); got shape {array.shape}"
        )
    try:
        return images_to_uint8(array, value_range, name="the output")
    except (TypeError, ValueError) as error:
        raise type(error)(f"{what}: {error}") from None


def _decode_one(
    decode: ImageFunction, z: np.ndarray, value_range: tuple[float, float]
) -> np.ndarray:
    """decode(z) for one code z of shape (1, ...) -> uint8 image (H, W) or (H, W, 3)."""
    what = f"decode(z) for z = {_format_code(z)}"
    return _model_pixels(decode(z), value_range, what, count=1)[0]


# ## Latent explorer


class LatentExplorer(WidgetWithPicture):
    """Sliders for the first latent dimensions and the image decoded from the code.

    Made by :func:`latent_explorer`. Attributes: ``sliders`` (one ``FloatSlider`` per explored
    dimension, in order), ``reset_button``, ``code`` (the code shown, shape (latent_dim,)).
    """

    def __init__(
        self,
        decode: ImageFunction,
        start: np.ndarray,
        *,
        slider_count: int,
        limits: tuple[float, float],
        value_range: tuple[float, float],
    ) -> None:
        self._decode, self._start, self._value_range = decode, start, value_range
        self.code = start.copy()
        self._image = _decode_one(decode, start[None], value_range)
        low, high = limits
        self.sliders = [
            widgets.FloatSlider(
                value=float(start[index]),
                min=low,
                max=high,
                step=(high - low) / _SLIDER_STEPS,
                description=f"z[{index}]",
                readout_format=".2f",
            )
            for index in range(slider_count)
        ]
        self.reset_button = widgets.Button(description="reset", tooltip="back to the start code")
        self._view = widgets.Image(value=png(self._image, MAIN_PIXELS), format="png")
        latent_dim = len(start)
        self._note = (
            f"z[{slider_count}]..z[{latent_dim - 1}] stay at their start values."
            if slider_count < latent_dim
            else ""
        )
        self._message = widgets.HTML(self._note)
        controls = widgets.VBox([*self.sliders, self.reset_button])
        super().__init__([widgets.HBox([self._view, controls]), self._message])
        for slider in self.sliders:
            slider.observe(self._redraw, names="value")
        self.reset_button.on_click(lambda _button: self.reset())

    def _redraw(self, _change: Any) -> None:
        code = self._start.copy()
        code[: len(self.sliders)] = [slider.value for slider in self.sliders]
        try:
            image = _decode_one(self._decode, code[None], self._value_range)
        except Exception as error:  # shown in the widget (callback errors go to a log), re-raised
            self._message.value = f'<span style="color:#b00020">{html.escape(str(error))}</span>'
            raise
        self.code, self._image = code, image
        self._view.value = png(image, MAIN_PIXELS)
        self._message.value = self._note

    def reset(self) -> None:
        """Move the sliders back to the start code."""
        for slider, value in zip(self.sliders, self._start, strict=False):
            slider.value = float(value)

    def current_image(self) -> np.ndarray:
        """The image shown, uint8 (H, W) or (H, W, 3)."""
        return self._image.copy()

    @property
    def png(self) -> bytes:
        """The static picture of the current state (the image and its code), as PNG bytes."""
        return figure_png([[self._image]], f"z = {_format_code(self.code)}")

    def __repr__(self) -> str:
        return (
            f"Latent explorer ({len(self.sliders)} sliders for a {len(self.code)}-D code); "
            "open the notebook in JupyterLab to move them"
        )


def latent_explorer(
    decode: ImageFunction,
    latent_dim: int,
    *,
    value_range: tuple[float, float] = (0.0, 1.0),
    limits: tuple[float, float] = (-3.0, 3.0),
    start: ArrayLike | None = None,
    max_sliders: int = 16,
) -> LatentExplorer:
    """One slider per latent dimension; moving one redraws the image decoded from the code.

    Args:
        decode: maps a code z, float32 of shape (1, latent_dim), to one image of shape
            (1, H, W), (1, H, W, 1), (1, H, W, 3) or flat (1, H*W), values in ``value_range``;
            e.g. a Keras decoder, or ``vae.decode``.
        latent_dim: length of the code.
        value_range: (low, high), the output values shown as black and white.
        limits: (low, high) of every slider; (-3, 3) covers a standard normal prior.
        start: the code the sliders start at and ``reset`` returns to, shape (latent_dim,)
            or (1, latent_dim); default all zeros (the prior's mean).
        max_sliders: with a longer code, only z[0]..z[max_sliders - 1] get sliders; the other
            dimensions stay at ``start`` (the widget says so). To explore other dimensions,
            reorder them in ``decode``.
    """
    _check_callable(decode, "decode", "decoder or vae.decode")
    return LatentExplorer(
        decode, **_explorer_settings(latent_dim, value_range, limits, start, max_sliders)
    )


def _explorer_settings(
    latent_dim: int,
    value_range: tuple[float, float],
    limits: tuple[float, float],
    start: ArrayLike | None,
    max_sliders: int,
) -> dict[str, Any]:
    """The checked settings of a latent explorer: start code, slider count, limits, range."""
    latent_dim = check_int(latent_dim, "latent_dim", 1)
    slider_count = min(latent_dim, check_int(max_sliders, "max_sliders", 1))
    value_range = check_range(value_range)
    low, high = check_range(limits, "limits")
    code = np.zeros((1, latent_dim), np.float32) if start is None else _as_code(start, "start")
    if code.shape != (1, latent_dim):
        raise ValueError(
            f"start must have shape ({latent_dim},) or (1, {latent_dim}) for "
            f"latent_dim={latent_dim}, got {np.shape(start)}"
        )
    outside = [i for i in range(slider_count) if not low <= code[0, i] <= high]
    if outside:
        raise ValueError(
            f"start[{outside[0]}] = {code[0, outside[0]]:g} is outside the slider limits "
            f"({low:g}, {high:g}); pass wider limits"
        )
    return {
        "start": code[0],
        "slider_count": slider_count,
        "limits": (low, high),
        "value_range": value_range,
    }


class ClassExplorer(LatentExplorer):
    """A latent explorer with a class selector, for a conditional generator: the image is
    ``generate(z, label)``. Made by :func:`class_explorer`. Attributes: those of
    :class:`LatentExplorer`, and ``class_buttons`` (a ``ToggleButtons`` of the classes)."""

    def __init__(
        self, generate: Callable[[np.ndarray, int], Any], classes: int, label: int, **settings: Any
    ) -> None:
        self.class_buttons = widgets.ToggleButtons(
            options=list(range(classes)),
            value=label,
            description="class",
            style={"button_width": "32px"},
        )
        super().__init__(lambda z: generate(z, self.class_buttons.value), **settings)
        self.children = (self.class_buttons, *self.children)
        self.class_buttons.observe(self._redraw, names="value")

    @property
    def label(self) -> int:
        """The class shown."""
        return int(self.class_buttons.value)

    @property
    def png(self) -> bytes:
        """The static picture of the current state (class, image and code), as PNG bytes."""
        return figure_png([[self._image]], f"class {self.label}, z = {_format_code(self.code)}")

    def __repr__(self) -> str:
        return (
            f"Class explorer (class {self.label}, {len(self.sliders)} sliders for a "
            f"{len(self.code)}-D code); open the notebook in JupyterLab to use it"
        )


def class_explorer(
    generate: Callable[[np.ndarray, int], Any],
    latent_dim: int,
    classes: int,
    *,
    label: int = 0,
    value_range: tuple[float, float] = (-1.0, 1.0),
    limits: tuple[float, float] = (-3.0, 3.0),
    start: ArrayLike | None = None,
    max_sliders: int = 8,
) -> ClassExplorer:
    """A class selector and noise sliders for a conditional generator (lesson 08): pick the
    class, move z, and the image redraws.

    Args:
        generate: maps a code z, float32 (1, latent_dim), and a class (an int) to one image
            (1, H, W[, 1]) in ``value_range``, e.g.
            ``lambda z, label: gan.generate(z=z, labels=label)``.
        latent_dim, value_range, limits, start, max_sliders: as :func:`latent_explorer`
            (``value_range`` defaults to a tanh generator's (-1, 1)).
        classes: how many classes the selector offers, 0 .. classes - 1.
        label: the class shown first.
    """
    _check_callable(generate, "generate", "lambda z, label: gan.generate(z=z, labels=label)")
    classes = check_int(classes, "classes", 2)
    if (
        isinstance(label, bool)
        or not isinstance(label, int | np.integer)
        or not 0 <= label < classes
    ):
        raise ValueError(f"label must be a class in [0, {classes}), got {label!r}")
    settings = _explorer_settings(latent_dim, value_range, limits, start, max_sliders)
    return ClassExplorer(generate, classes, int(label), **settings)


# ## Interpolation


def _captioned(image: np.ndarray, caption: str) -> widgets.VBox:
    label = widgets.Label(caption, layout=widgets.Layout(align_self="center"))
    return widgets.VBox(
        [widgets.Image(value=png(image, SMALL_PIXELS), format="png"), label],
        layout=widgets.Layout(align_self="center"),
    )


class InterpolationSlider(WidgetWithPicture):
    """A slider t in [0, 1] and the image decoded from (1 - t) z_start + t z_end.

    Made by :func:`interpolation_slider`. Attributes: ``slider``, ``codes`` (all the
    interpolated codes, shape (steps, 1, ...)).
    """

    def __init__(self, codes: np.ndarray, images: np.ndarray, labels: tuple[str, str]) -> None:
        self.codes, self._images, self._labels = codes, images, labels
        steps = len(codes)
        self._pngs = [png(image, MAIN_PIXELS) for image in images]  # all drawn up front
        self.slider = widgets.FloatSlider(
            value=0.0, min=0.0, max=1.0, step=1 / (steps - 1), description="t", readout_format=".2f"
        )
        self._view = widgets.Image(value=self._pngs[0], format="png")
        ends = [_captioned(images[0], labels[0]), _captioned(images[-1], labels[1])]
        super().__init__([widgets.HBox([ends[0], self._view, ends[1]]), self.slider])
        self.slider.observe(self._show, names="value")

    @property
    def _index(self) -> int:
        return round(self.slider.value * (len(self.codes) - 1))

    def _show(self, _change: Any) -> None:
        self._view.value = self._pngs[self._index]

    def current_image(self) -> np.ndarray:
        """The image shown, uint8 (H, W) or (H, W, 3)."""
        return self._images[self._index].copy()

    @property
    def png(self) -> bytes:
        """The static picture: both ends and the image at the current t, as PNG bytes."""
        t = self._index / (len(self.codes) - 1)
        images = [self._images[0], self._images[self._index], self._images[-1]]
        titles = [self._labels[0], f"t = {t:.2f}", self._labels[1]]
        return figure_png([images], "Interpolation", titles=titles)

    def __repr__(self) -> str:
        return (
            f"Interpolation from {self._labels[0]} to {self._labels[1]} in {len(self.codes)} "
            "steps; open the notebook in JupyterLab to move the slider"
        )


def interpolation_slider(
    decode: ImageFunction,
    z_start: ArrayLike,
    z_end: ArrayLike,
    *,
    steps: int = 11,
    value_range: tuple[float, float] = (0.0, 1.0),
    labels: tuple[str, str] = ("start", "end"),
) -> InterpolationSlider:
    """A slider t from 0 to 1 showing decode((1 - t) z_start + t z_end), beside both ends.

    Args:
        decode: maps one code, float32 of shape (1, ...), to one image of shape (1, H, W),
            (1, H, W, 1), (1, H, W, 3) or flat (1, H*W), values in ``value_range``. With the
            identity (``lambda x: x``) and two images as codes it blends pixels instead.
        z_start, z_end: codes of the same shape, e.g. the encoder's codes of two digits,
            shape (D,) or (1, D) (or any (1, ...) shape ``decode`` takes).
        steps: slider positions, both ends included (11: t = 0, 0.1, ..., 1). All are decoded
            when the widget is made, so the slider moves without waiting for the model.
        value_range: (low, high), the output values shown as black and white.
        labels: captions of the two end images, e.g. ("a 3", "an 8").
    """
    _check_callable(decode, "decode", "decoder or vae.decode")
    start, end = _as_code(z_start, "z_start"), _as_code(z_end, "z_end")
    if start.shape != end.shape:
        raise ValueError(
            f"z_start and z_end must have the same shape, got {np.shape(z_start)} and "
            f"{np.shape(z_end)}"
        )
    steps = check_int(steps, "steps", 2)
    value_range = check_range(value_range)
    if len(labels) != 2:
        raise ValueError(f"labels must be two captions (start, end), got {labels!r}")
    codes = np.stack(
        [((1 - t) * start + t * end).astype(np.float32) for t in np.linspace(0.0, 1.0, steps)]
    )  # (steps, 1, ...)
    images = [_decode_one(decode, z, value_range) for z in codes]
    if len({image.shape for image in images}) != 1:
        raise ValueError("decode returned images of different sizes along the interpolation")
    return InterpolationSlider(codes, np.stack(images), (str(labels[0]), str(labels[1])))


# ## Denoising


class NoiseSlider(WidgetWithPicture):
    """A slider over noise levels, a row of noisy inputs and a row of the denoiser's outputs.

    Made by :func:`noise_slider`. Attributes: ``slider`` (a ``SelectionSlider`` whose value is
    the noise std), ``levels``.
    """

    def __init__(
        self,
        levels: tuple[float, ...],
        noisy: list[np.ndarray],
        denoised: list[np.ndarray],
        pixels: list[tuple[np.ndarray, np.ndarray]],
    ) -> None:
        self.levels, self._noisy, self._denoised, self._pixels = levels, noisy, denoised, pixels
        self._pngs = [(row_png(a, SMALL_PIXELS), row_png(b, SMALL_PIXELS)) for a, b in pixels]
        self.slider = widgets.SelectionSlider(
            options=[(f"{level:g}", level) for level in levels],
            value=levels[len(levels) // 2],
            description="noise std",
            style={"description_width": "initial"},
        )
        self._views = [widgets.Image(value=png, format="png") for png in self._pngs[self._index]]
        rows = [
            widgets.HBox([widgets.Label(label, layout=widgets.Layout(width="90px")), view])
            for label, view in zip(("noisy input", "denoised"), self._views, strict=True)
        ]
        super().__init__([self.slider, *rows])
        self.slider.observe(self._show, names="index")

    @property
    def _index(self) -> int:
        return self.slider.index

    def _show(self, _change: Any) -> None:
        for view, picture in zip(self._views, self._pngs[self._index], strict=True):
            view.value = picture

    @property
    def level(self) -> float:
        """The noise std shown."""
        return self.levels[self._index]

    @property
    def noisy(self) -> np.ndarray:
        """The noisy inputs at the current level, float32 in the layout of ``images``."""
        return self._noisy[self._index].copy()

    @property
    def denoised(self) -> np.ndarray:
        """``denoise(noisy)`` at the current level, as the model returned it."""
        return self._denoised[self._index].copy()

    def current_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The two rows shown, uint8 (N, H, W) or (N, H, W, 3): noisy inputs, denoised."""
        noisy, denoised = self._pixels[self._index]
        return noisy.copy(), denoised.copy()

    @property
    def png(self) -> bytes:
        """The static picture of both rows at the current level, as PNG bytes."""
        return figure_png(
            self._pixels[self._index],
            f"noise std = {self.level:g}",
            row_labels=["noisy input", "denoised"],
        )

    def __repr__(self) -> str:
        return (
            f"Noise slider ({len(self.levels)} levels, shown at noise std {self.level:g}); "
            "open the notebook in JupyterLab to move it"
        )


def noise_slider(
    denoise: ImageFunction,
    images: ArrayLike,
    *,
    levels: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7),
    value_range: tuple[float, float] = (0.0, 1.0),
    seed: int | None = 0,
) -> NoiseSlider:
    """A slider over noise levels showing noisy inputs and what ``denoise`` makes of them.

    At each level the inputs are ``images`` plus Gaussian noise of that standard deviation,
    clipped to ``value_range`` (:func:`gancourse.data.add_noise`, same ``seed`` at every level,
    so a level always shows the same noise and the pattern only grows with the level). Every
    level is denoised when the widget is made; it starts at the middle level.

    Args:
        denoise: maps a batch of noisy images, float32 in the layout of ``images``, to as many
            images in ``value_range``, e.g. a denoising autoencoder.
        images: 1 to 12 clean images in ``value_range``, shape (N, H, W), (N, H, W, 1),
            (N, H, W, 3) or flat (N, H*W) (what the model takes).
        levels: noise standard deviations, increasing, >= 0.
        value_range: (low, high) of the pixels, shown as black and white.
        seed: seed of the noise.
    """
    _check_callable(denoise, "denoise", "a denoising autoencoder")
    value_range = check_range(value_range)
    clean = np.asarray(images)
    images_to_uint8(clean, value_range, "images")  # checks layout, count and value range
    if len(clean) > _MAX_ROW_IMAGES:
        raise ValueError(
            f"noise_slider shows at most {_MAX_ROW_IMAGES} images, got {len(clean)}; "
            "pass e.g. images[:8]"
        )
    try:
        stds = tuple(float(level) for level in levels)
    except (TypeError, ValueError):
        raise ValueError(f"levels must be a sequence of numbers, got {levels!r}") from None
    if not stds or not all(np.isfinite(stds)) or stds[0] < 0 or np.any(np.diff(stds) <= 0):
        raise ValueError(
            f"levels must be increasing noise stds >= 0, e.g. (0, 0.2, 0.5); got {levels!r}"
        )
    noisy = [add_noise(clean, level, seed=seed, value_range=value_range) for level in stds]
    denoised = [np.asarray(denoise(batch)) for batch in noisy]
    pixels = [
        (
            images_to_uint8(batch, value_range, "noisy"),
            _model_pixels(
                outputs, value_range, f"denoise(noisy) at noise std {level:g}", len(batch)
            ),
        )
        for level, batch, outputs in zip(stds, noisy, denoised, strict=True)
    ]
    return NoiseSlider(stds, noisy, denoised, pixels)
