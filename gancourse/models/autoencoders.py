"""Dense autoencoders: an encoder squeezes an image into a short code, a decoder rebuilds it.

Images enter flat, shape (batch, input_dim), float32 in [0, 1]; the decoder ends in a
sigmoid so reconstructions live in the same range. The code layer is linear, so codes can
take any real value (a ReLU there would waste half of the code space).
Reference: Hinton & Salakhutdinov, "Reducing the Dimensionality of Data with Neural
Networks", Science 2006 (https://doi.org/10.1126/science.1127647).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from ..validation import check_positive

DEFAULT_HIDDEN_UNITS = (256, 128)


def _relu_stack(h: keras.KerasTensor, hidden_units: Sequence[int]) -> keras.KerasTensor:
    for i, units in enumerate(hidden_units):
        h = keras.layers.Dense(units, activation="relu", name=f"hidden_{i}")(h)
    return h


def build_dense_encoder(
    input_dim: int = 784, code_size: int = 32, hidden_units: Sequence[int] = DEFAULT_HIDDEN_UNITS
) -> keras.Model:
    """(batch, input_dim) in [0, 1] -> (batch, code_size) codes; ReLU hidden layers, linear code."""
    check_positive(input_dim=input_dim, code_size=code_size, **_named(hidden_units))
    inputs = keras.Input(shape=(input_dim,), name="image")
    h = _relu_stack(inputs, hidden_units)
    code = keras.layers.Dense(code_size, name="code")(h)  # (batch, code_size), linear
    return keras.Model(inputs, code, name="encoder")


def build_dense_decoder(
    code_size: int = 32,
    output_dim: int = 784,
    hidden_units: Sequence[int] = tuple(reversed(DEFAULT_HIDDEN_UNITS)),
) -> keras.Model:
    """(batch, code_size) codes -> (batch, output_dim) images in [0, 1] (sigmoid output)."""
    check_positive(code_size=code_size, output_dim=output_dim, **_named(hidden_units))
    codes = keras.Input(shape=(code_size,), name="code")
    h = _relu_stack(codes, hidden_units)
    image = keras.layers.Dense(output_dim, activation="sigmoid", name="image")(h)
    return keras.Model(codes, image, name="decoder")


def build_dense_autoencoder(
    input_dim: int = 784, code_size: int = 32, hidden_units: Sequence[int] = DEFAULT_HIDDEN_UNITS
) -> keras.Model:
    """Encoder then decoder (mirror-image hidden layers), as one model from image to image.

    The parts are reachable as ``model.get_layer("encoder")`` and ``model.get_layer("decoder")``.
    """
    encoder = build_dense_encoder(input_dim, code_size, hidden_units)
    decoder = build_dense_decoder(code_size, input_dim, tuple(reversed(hidden_units)))
    images = keras.Input(shape=(input_dim,), name="image")
    return keras.Model(images, decoder(encoder(images)), name=f"autoencoder_{code_size}")


def fit_autoencoder(
    autoencoder: keras.Model,
    x_train: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 128,
    targets: np.ndarray | None = None,
    x_val: np.ndarray | None = None,
    val_targets: np.ndarray | None = None,
    learning_rate: float = 1e-3,
    verbose: int | str = "auto",
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> keras.callbacks.History:
    """Train to output ``targets`` from ``x_train`` (mean squared error, Adam).

    ``targets`` default to the inputs themselves (a plain autoencoder); a denoising autoencoder
    passes noisy inputs and clean targets. All arrays are float32 images shaped like the model's
    input, in [0, 1]. ``verbose`` is Keras' (``"auto"`` shows a progress bar); ``callbacks``
    go to ``fit``. Returns the Keras ``History``.
    """
    check_positive(epochs=epochs, batch_size=batch_size)
    shape = autoencoder.input_shape[1:]
    x_train = check_training_images(x_train, "x_train", shape)
    targets = x_train if targets is None else check_training_images(targets, "targets", shape)
    _check_same_length(x_train, targets, "x_train", "targets")
    validation = None
    if x_val is not None:
        x_val = check_training_images(x_val, "x_val", shape)
        val_targets = (
            x_val
            if val_targets is None
            else check_training_images(val_targets, "val_targets", shape)
        )
        _check_same_length(x_val, val_targets, "x_val", "val_targets")
        validation = (x_val, val_targets)
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return autoencoder.fit(
        x_train,
        targets,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        shuffle=True,
        verbose=verbose,
        callbacks=list(callbacks),
    )


def _check_same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if len(a) != len(b):
        raise ValueError(f"{name_a} has {len(a)} images but {name_b} has {len(b)}; pair them up.")


def _named(hidden_units: Sequence[int]) -> dict[str, int]:
    return {f"hidden_units[{i}]": units for i, units in enumerate(hidden_units)}


def check_training_images(x: np.ndarray, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """``x`` as float32 (batch, *shape) in [0, 1] (an autoencoder's sigmoid range), or a clear
    ValueError; ``name`` names the array in the message. Shared by every autoencoder here."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 1 + len(shape) or tuple(x.shape[1:]) != tuple(shape):
        raise ValueError(
            f"{name} has shape {x.shape}; expected (batch, {', '.join(map(str, shape))})."
        )
    if len(x) == 0:
        raise ValueError(f"{name} is empty.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinity.")
    if x.min() < 0.0 or x.max() > 1.0:
        raise ValueError(
            f"{name} has values in [{x.min():.3g}, {x.max():.3g}]; expected images scaled to "
            "[0, 1] (use gancourse.pixels.to_float(images, (0, 1)))."
        )
    return x
