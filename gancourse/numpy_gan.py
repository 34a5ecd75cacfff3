"""A GAN you can read in one sitting: NumPy only, every gradient written by hand.

Goodfellow et al., *Generative Adversarial Networks* (https://arxiv.org/abs/1406.2661), on
1-D data. The generator is affine (:class:`Affine`), the discriminator a one-hidden-layer
perceptron with tanh units and a linear output (:class:`MLP`):

    G: z (batch, 1), z ~ N(0, 1)  ->  x_fake = z w + b (batch, 1), so p_g = N(b, w^2)
    D: x (batch, 1)               ->  logit (batch, 1);  D(x) = sigmoid(logit)

(32 hidden units by default: with 16, D was often too slow to see that G's spread was wrong.)

D returns logits; probabilities appear only at the edge (:func:`sigmoid`, for display).

The game is the value function (Goodfellow et al., eq. 1), :func:`value_function`:

    V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))]

D ascends V: :func:`discriminator_loss` is -V, the binary cross-entropy with real samples
labelled 1 and fakes 0, each half averaged over its batch. G descends it: the *minimax* loss is
E_z[log(1 - D(G(z)))]; the *non-saturating* loss -E_z[log D(G(z))] (section 3 of the paper)
has the same fixed point but strong gradients while D easily spots fakes, and is the default
(:func:`generator_loss`). For a fixed G the best D is D*(x) = p_data / (p_data + p_g)
(:func:`optimal_discriminator`), and at the game's optimum p_g = p_data, D* = 1/2, V = -log 4.

Departures from the paper, chosen for a lesson:

* The generator is affine, so it can make exactly the Gaussians of the data family and the
  game's optimum p_g = p_data is reachable. A one-hidden-layer tanh generator was tried: it
  folds the noise and piles its samples at the edges of its bounded range, and stalled at a
  Wasserstein-1 distance near 0.15 with SGD and with Adam.
* Optimiser: plain SGD, written out in :func:`sgd_update` (``params - learning_rate * grads``),
  one D step then one G step on the same noise (``k = 1`` in the paper's Algorithm 1, which
  used momentum). Every update can then be checked by hand; Adam would add two state arrays
  per parameter and gave no better result here. D learns 5 times faster than G (0.1 and
  0.02; separate rates are the "two time-scale update rule" of Heusel et al.,
  https://arxiv.org/abs/1706.08500). Measured on 6 seeds of 10,000 steps: equal rates of 0.1
  converge as well, but with the rates the other way round (G 5 times faster) one run in six
  collapsed to a spread of 0.08 and stayed there. A D at least as fast as G is the safe side.
* p_g, needed for D*, is estimated from generator samples, so it works for any generator
  (the affine one's exact density N(b, w^2) serves as a check): :func:`kde_density` is a
  Gaussian kernel density estimate (Scott's bandwidth) rather than a histogram, so D* is
  smooth and needs no choice of bins. It slightly widens p_g (the kernel adds its
  bandwidth^2 to the variance: about 3% of it for 5,000 samples).
* Progress is measured by the Wasserstein-1 distance between generator and data samples
  (:func:`wasserstein_1d`), which stays finite and informative even when the two supports
  do not overlap (where a histogram KL divergence is infinite).

All arrays are float64. Randomness comes only from the ``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from .validation import check_int, check_learning_rate, check_positive, check_rng

__all__ = [
    "D_LEARNING_RATE",
    "GENERATOR_LOSSES",
    "G_LEARNING_RATE",
    "MLP",
    "Affine",
    "NumpyTrainingRun",
    "bce_with_logits",
    "discriminate",
    "discriminator_gradients",
    "discriminator_loss",
    "evaluate",
    "generate",
    "generator_gradients",
    "generator_loss",
    "init_mlp",
    "kde_density",
    "mlp_backward",
    "mlp_forward",
    "numerical_gradient",
    "optimal_discriminator",
    "relative_error",
    "sgd_update",
    "sigmoid",
    "train",
    "train_step",
    "value_function",
    "wasserstein_1d",
]

GENERATOR_LOSSES = ("non-saturating", "minimax")
D_LEARNING_RATE = 0.1  # D learns 5 times faster than G: see the module docstring
G_LEARNING_RATE = 0.02


# ## The networks #################################################################################


@dataclass(frozen=True)
class _Parameters:
    """A frozen dataclass of float64 arrays; the arrays are read-only copies.

    So an update always makes a new object, and a snapshot taken during training stays valid.
    """

    def __post_init__(self) -> None:
        for name, value in self.items():
            array = np.array(value, dtype=np.float64)  # a copy
            if not np.all(np.isfinite(array)):
                raise ValueError(f"{type(self).__name__}.{name} contains NaN or infinity")
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        self._check_shapes()

    def _check_shapes(self) -> None:
        raise NotImplementedError  # each network states its own shapes

    def items(self) -> list[tuple[str, np.ndarray]]:
        """``[(field name, array), ...]`` in the order of the fields."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)]

    def _shape_error(self, expected: str) -> ValueError:
        got = ", ".join(f"{name} {array.shape}" for name, array in self.items())
        return ValueError(f"{type(self).__name__} shapes must be {expected}; got {got}")


P = TypeVar("P", bound=_Parameters)  # Affine or MLP: gradients have their network's type


@dataclass(frozen=True)
class Affine(_Parameters):
    """The generator: ``x = z @ w + b``. For 1-D noise z ~ N(0, 1), x ~ N(b, w^2).

    Also used for its gradients (same fields and shapes).
    """

    w: np.ndarray  # (in_dim, out_dim)
    b: np.ndarray  # (out_dim,)

    def _check_shapes(self) -> None:
        if self.w.ndim != 2 or self.b.shape != (self.w.shape[1],):
            raise self._shape_error("w (in_dim, out_dim), b (out_dim,)")

    @property
    def in_dim(self) -> int:
        return self.w.shape[0]


@dataclass(frozen=True)
class MLP(_Parameters):
    """The discriminator: one hidden layer, ``out = tanh(x @ w1 + b1) @ w2 + b2``.

    Also used for its gradients (same fields and shapes).
    """

    w1: np.ndarray  # (in_dim, hidden)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden, out_dim)
    b2: np.ndarray  # (out_dim,)

    def _check_shapes(self) -> None:
        hidden = self.w1.shape[1] if self.w1.ndim == 2 else None
        out_dim = self.w2.shape[1] if self.w2.ndim == 2 else None
        if (
            hidden is None
            or out_dim is None
            or self.b1.shape != (hidden,)
            or self.w2.shape != (hidden, out_dim)
            or self.b2.shape != (out_dim,)
        ):
            raise self._shape_error(
                "w1 (in_dim, hidden), b1 (hidden,), w2 (hidden, out_dim), b2 (out_dim,)"
            )

    @property
    def in_dim(self) -> int:
        return self.w1.shape[0]


def init_mlp(
    rng: np.random.Generator, *, hidden: int = 32, in_dim: int = 1, out_dim: int = 1
) -> MLP:
    """Random parameters: w1, b1 ~ N(0, 1/in_dim); w2 ~ N(0, 1/hidden); b2 = 0.

    The random first-layer biases spread the tanh units' centres over the input range
    (with b1 = 0 every unit of a 1-D input would bend at x = 0).
    """
    check_positive(hidden=hidden, in_dim=in_dim, out_dim=out_dim)
    check_rng(rng)
    return MLP(
        w1=rng.normal(0.0, 1.0 / np.sqrt(in_dim), size=(in_dim, hidden)),
        b1=rng.normal(0.0, 1.0 / np.sqrt(in_dim), size=hidden),
        w2=rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, out_dim)),
        b2=np.zeros(out_dim),
    )


def mlp_forward(params: MLP, x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass: returns ``(out, h)``, out of shape (batch, out_dim).

    ``h`` (batch, hidden) holds the hidden tanh units: what :func:`mlp_backward` needs.
    """
    x = _check_batch(x, params, "x")
    h = np.tanh(x @ params.w1 + params.b1)  # (batch, hidden)
    return h @ params.w2 + params.b2, h  # (batch, out_dim)


def mlp_backward(
    params: MLP, x: np.ndarray, h: np.ndarray, grad_out: np.ndarray
) -> tuple[MLP, np.ndarray]:
    """Backward pass by the chain rule: from dL/d(out) to dL/d(parameters) and dL/dx.

    Args:
        params: the network; x (batch, in_dim) its input; h (batch, hidden) from
            :func:`mlp_forward`; grad_out (batch, out_dim) the loss's gradient w.r.t. ``out``.

    Returns:
        ``(grads, grad_x)``: an :class:`MLP` of gradients and dL/dx, (batch, in_dim).
    """
    grad_pre = (grad_out @ params.w2.T) * (1.0 - h**2)  # tanh'(a) = 1 - tanh(a)^2
    grads = MLP(
        w1=x.T @ grad_pre,
        b1=grad_pre.sum(axis=0),
        w2=h.T @ grad_out,
        b2=grad_out.sum(axis=0),
    )
    return grads, grad_pre @ params.w1.T


def generate(generator: Affine, z: ArrayLike) -> np.ndarray:
    """G(z) = z @ w + b: samples of shape (batch, 1) from noise z of shape (batch, 1)."""
    z = _check_batch(z, generator, "z")
    return z @ generator.w + generator.b


def discriminate(discriminator: MLP, x: ArrayLike) -> np.ndarray:
    """D's logits for samples x of shape (batch, 1): shape (batch, 1), any real value."""
    return mlp_forward(discriminator, x)[0]


# ## Losses #######################################################################################


def sigmoid(logits: ArrayLike) -> np.ndarray:
    """1 / (1 + exp(-logits)), computed without overflow; values in [0, 1]."""
    return special.expit(np.asarray(logits, dtype=np.float64))


def bce_with_logits(logits: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """Binary cross-entropy per element, -[y log sigmoid(l) + (1 - y) log(1 - sigmoid(l))].

    Computed stably as softplus(l) - y l, with softplus(l) = log(1 + exp(l)) =
    ``np.logaddexp(0, l)``: finite for any finite logit, where taking the log of a sigmoid
    that rounded to 0 or 1 would give infinity. Labels in [0, 1], broadcast against logits.
    """
    logits = _check_finite(logits, "logits")
    labels = _check_finite(labels, "labels")
    if np.any((labels < 0) | (labels > 1)):
        raise ValueError("labels must lie in [0, 1] (1 for real, 0 for fake)")
    return np.logaddexp(0.0, logits) - labels * logits


def discriminator_loss(real_logits: ArrayLike, fake_logits: ArrayLike) -> float:
    """-V(D, G): mean BCE of the real logits against label 1 plus that of the fakes against 0."""
    return float(
        np.mean(bce_with_logits(real_logits, 1.0)) + np.mean(bce_with_logits(fake_logits, 0.0))
    )


def value_function(real_logits: ArrayLike, fake_logits: ArrayLike) -> float:
    """V(D, G) = mean log D(x) + mean log(1 - D(G(z))), from D's logits; at most 0.

    The game's optimum (p_g = p_data, D = 1/2 everywhere) gives -log 4 = -1.386.
    """
    return -discriminator_loss(real_logits, fake_logits)


def generator_loss(fake_logits: ArrayLike, loss: str = "non-saturating") -> float:
    """The generator's loss from D's logits on fakes.

    ``"non-saturating"``: -mean log D(G(z)) = mean softplus(-l), BCE against label 1.
    ``"minimax"``: mean log(1 - D(G(z))) = -mean softplus(l), the G part of V (it saturates:
    when D rejects the fakes confidently, its gradient vanishes).
    """
    _check_loss(loss)
    if loss == "non-saturating":
        return float(np.mean(bce_with_logits(fake_logits, 1.0)))
    return -float(np.mean(bce_with_logits(fake_logits, 0.0)))


def _generator_loss_grad(fake_logits: np.ndarray, loss: str) -> np.ndarray:
    """d(generator_loss)/d(logit) for each fake, (batch, 1)."""
    if loss == "non-saturating":
        return (sigmoid(fake_logits) - 1.0) / len(fake_logits)
    return -sigmoid(fake_logits) / len(fake_logits)


# ## Gradients ####################################################################################


def discriminator_gradients(discriminator: MLP, x_real: ArrayLike, x_fake: ArrayLike) -> MLP:
    """Gradient of :func:`discriminator_loss` w.r.t. D's parameters.

    x_real (n_real, 1) and x_fake (n_fake, 1) may differ in size. For one logit l with label y,
    d BCE / dl = sigmoid(l) - y; each half is averaged over its own batch.
    """
    x_real = _check_batch(x_real, discriminator, "x_real")
    x_fake = _check_batch(x_fake, discriminator, "x_fake")
    real_logits, h_real = mlp_forward(discriminator, x_real)  # (n_real, 1), (n_real, hidden)
    fake_logits, h_fake = mlp_forward(discriminator, x_fake)
    real_grads, _ = mlp_backward(
        discriminator,
        x_real,
        h_real,
        (sigmoid(real_logits) - 1.0) / len(x_real),  # label 1
    )
    fake_grads, _ = mlp_backward(
        discriminator,
        x_fake,
        h_fake,
        sigmoid(fake_logits) / len(x_fake),  # label 0
    )
    return MLP(*(a + b for a, b in _pairs(real_grads, fake_grads)))


def generator_gradients(
    generator: Affine, discriminator: MLP, z: ArrayLike, loss: str = "non-saturating"
) -> Affine:
    """Gradient of :func:`generator_loss` of D(G(z)) w.r.t. G's parameters (D held fixed).

    The chain rule runs back through D to its input x = G(z) (:func:`mlp_backward`), then
    through x = z @ w + b: dL/dw = z^T dL/dx and dL/db = the sum of dL/dx over the batch.
    """
    _check_loss(loss)
    x_fake = generate(generator, z)
    logits, h = mlp_forward(discriminator, x_fake)
    _, grad_x = mlp_backward(discriminator, x_fake, h, _generator_loss_grad(logits, loss))
    return Affine(w=np.asarray(z, dtype=np.float64).T @ grad_x, b=grad_x.sum(axis=0))


def numerical_gradient(loss: Callable[[P], float], params: P, eps: float = 1e-6) -> P:
    """Central finite differences, (loss(p + eps) - loss(p - eps)) / (2 eps), one entry at a time.

    Slow (two calls of ``loss`` per parameter) but needs no calculus: the reference that
    hand-written gradients are checked against. Truncation error is O(eps^2) and rounding
    error O(1e-16 / eps); eps = 1e-6 keeps both near 1e-10 in float64. ``params`` is an
    :class:`Affine` or an :class:`MLP`; the estimate comes back in the same form.
    """
    if not (isinstance(eps, float | int) and 0 < eps < 1):
        raise ValueError(f"eps must be a small positive number such as 1e-6, got {eps!r}")
    estimates = {}
    for name, array in params.items():
        estimate = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            values = []
            for step in (eps, -eps):
                moved = array.copy()
                moved[index] += step
                values.append(float(loss(dataclasses.replace(params, **{name: moved}))))
            estimate[index] = (values[0] - values[1]) / (2 * eps)
        estimates[name] = estimate
    return dataclasses.replace(params, **estimates)


def relative_error(grads: P, reference: P) -> float:
    """||grads - reference|| / (||grads|| + ||reference||) over all parameters: 0 when equal.

    Below about 1e-7 in float64 means the hand-written gradient is right; a wrong term
    usually gives 1e-2 or more.
    """
    difference = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in _pairs(grads, reference)))
    size = _norm(grads) + _norm(reference)
    return float(difference / size) if size > 0 else 0.0


def _norm(params: _Parameters) -> float:
    return float(np.sqrt(sum(np.sum(array**2) for _, array in params.items())))


def _pairs(first: P, second: P) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    if type(first) is not type(second):
        raise TypeError(
            f"cannot pair a {type(first).__name__} with a {type(second).__name__}: "
            "a network's gradients have the network's own type"
        )
    for (name, a), (_, b) in zip(first.items(), second.items(), strict=True):
        if a.shape != b.shape:
            raise ValueError(f"{name} shapes differ: {a.shape} and {b.shape}")
        yield a, b


# ## Training #####################################################################################


def sgd_update(params: P, grads: P, learning_rate: float) -> P:
    """One step of gradient descent, ``params - learning_rate * grads``, as a new object."""
    learning_rate = check_learning_rate(learning_rate)
    return type(params)(*(a - learning_rate * g for a, g in _pairs(params, grads)))


def train_step(
    generator: Affine,
    discriminator: MLP,
    x_real: ArrayLike,
    z: ArrayLike,
    d_learning_rate: float = D_LEARNING_RATE,
    g_learning_rate: float = G_LEARNING_RATE,
    loss: str = "non-saturating",
) -> tuple[Affine, MLP]:
    """One round of the game (Goodfellow et al., Algorithm 1 with k = 1, plain SGD).

    1. D descends its loss on the real batch x_real (batch, 1) and the fakes G(z);
    2. G descends its loss (``loss``) through the *updated* D, on the same z (batch, 1).

    Returns the new ``(generator, discriminator)``; the inputs are left unchanged.
    """
    discriminator_grads = discriminator_gradients(discriminator, x_real, generate(generator, z))
    discriminator = sgd_update(discriminator, discriminator_grads, d_learning_rate)
    generator_grads = generator_gradients(generator, discriminator, z, loss)
    return sgd_update(generator, generator_grads, g_learning_rate), discriminator


def evaluate(
    generator: Affine,
    discriminator: MLP,
    x_real: ArrayLike,
    z: ArrayLike,
    loss: str = "non-saturating",
) -> dict[str, float]:
    """Where the game stands, on a batch of real samples and noise (no update).

    Returns floats: ``d_loss``, ``g_loss`` (of ``loss``), ``value`` (V(D, G)), ``d_real`` and
    ``d_fake`` (mean D(x) and mean D(G(z)), probabilities), ``fake_mean`` and ``fake_std`` (of
    G(z)), and ``wasserstein`` (W1 between G(z) and x_real).
    """
    x_fake = generate(generator, z)
    real_logits = discriminate(discriminator, x_real)
    fake_logits = discriminate(discriminator, x_fake)
    return {
        "d_loss": discriminator_loss(real_logits, fake_logits),
        "g_loss": generator_loss(fake_logits, loss),
        "value": value_function(real_logits, fake_logits),
        "d_real": float(np.mean(sigmoid(real_logits))),
        "d_fake": float(np.mean(sigmoid(fake_logits))),
        "fake_mean": float(np.mean(x_fake)),
        "fake_std": float(np.std(x_fake)),
        "wasserstein": wasserstein_1d(x_fake, x_real),
    }


@dataclass(frozen=True)
class NumpyTrainingRun:
    """What :func:`train` returns.

    ``history`` maps ``"step"`` (0, record_every, 2 record_every, ..., and the last step) and
    each key of :func:`evaluate` to arrays of the same length: where the game stood after
    those steps (0: before training), all on the same held-out real samples and noise.
    ``snapshots`` maps each requested step to the ``(generator, discriminator)`` after it
    (step 0: before training).
    """

    generator: Affine
    discriminator: MLP
    history: dict[str, np.ndarray]
    snapshots: dict[int, tuple[Affine, MLP]] = field(default_factory=dict)


def train(
    generator: Affine,
    discriminator: MLP,
    sample_data: Callable[[int, np.random.Generator], np.ndarray],
    *,
    steps: int,
    rng: np.random.Generator,
    batch_size: int = 64,
    d_learning_rate: float = D_LEARNING_RATE,
    g_learning_rate: float = G_LEARNING_RATE,
    loss: str = "non-saturating",
    eval_size: int = 2_000,
    record_every: int = 10,
    snapshot_steps: Sequence[int] = (),
    progress: bool = False,
) -> NumpyTrainingRun:
    """Train by :func:`train_step` on fresh batches, recording :func:`evaluate` as it goes.

    Args:
        generator, discriminator: the starting networks (left unchanged).
        sample_data: draws real samples, ``sample_data(n, rng) -> (n, 1)``, e.g.
            :func:`gancourse.toy_data.gaussian_1d`.
        steps: number of training steps; rng: the only source of randomness (data and noise).
        batch_size: real samples (and as many fakes) per step.
        d_learning_rate, g_learning_rate: SGD step sizes of D and G.
        loss: the generator's loss, ``"non-saturating"`` or ``"minimax"``.
        eval_size: held-out real samples and noise for the history.
        record_every: evaluate after every this many steps (and after the last one).
        snapshot_steps: steps (0..steps) after which to keep a copy of both networks.
        progress: show a progress bar (tqdm; a widget in Jupyter).
    """
    steps = check_int(steps, "steps")
    check_positive(batch_size=batch_size, eval_size=eval_size, record_every=record_every)
    check_learning_rate(d_learning_rate)
    check_learning_rate(g_learning_rate)
    _check_loss(loss)
    check_rng(rng)
    wanted = {check_int(step, "each of snapshot_steps", minimum=0) for step in snapshot_steps}
    if any(step > steps for step in wanted):
        raise ValueError(f"snapshot_steps must lie in 0..{steps}, got {sorted(wanted)}")

    from tqdm.auto import tqdm  # imported here: tqdm.auto looks for Jupyter when imported

    x_eval, z_eval = sample_data(eval_size, rng), rng.normal(size=(eval_size, 1))
    records = [{"step": 0, **evaluate(generator, discriminator, x_eval, z_eval, loss)}]
    snapshots = {0: (generator, discriminator)} if 0 in wanted else {}
    for step in tqdm(range(1, steps + 1), desc="training", disable=not progress):
        x_real, z = sample_data(batch_size, rng), rng.normal(size=(batch_size, 1))
        generator, discriminator = train_step(
            generator, discriminator, x_real, z, d_learning_rate, g_learning_rate, loss
        )
        if step % record_every == 0 or step == steps:
            records.append(
                {"step": step, **evaluate(generator, discriminator, x_eval, z_eval, loss)}
            )
        if step in wanted:
            snapshots[step] = (generator, discriminator)
    history = {key: np.array([record[key] for record in records]) for key in records[0]}
    return NumpyTrainingRun(generator, discriminator, history, snapshots)


# ## Densities, D* and distances ###################################################################


def kde_density(samples: ArrayLike, points: ArrayLike) -> np.ndarray:
    """A Gaussian kernel density estimate from 1-D ``samples``, evaluated at ``points``.

    ``scipy.stats.gaussian_kde`` with Scott's bandwidth (std * n^(-1/5)). Samples and points
    may be (n, 1) or (n,); returns float64 densities of shape ``points.shape`` flattened, (m,).
    """
    samples = _check_finite(samples, "samples").ravel()
    points = _check_finite(points, "points").ravel()
    if len(samples) < 2 or np.ptp(samples) == 0:
        raise ValueError(
            "kde_density needs at least 2 samples that are not all equal "
            f"(got {len(samples)} samples with spread {np.ptp(samples) if len(samples) else 0:g}); "
            "a generator that collapsed to one point has no density"
        )
    return stats.gaussian_kde(samples, bw_method="scott")(points)


def optimal_discriminator(p_data: ArrayLike, p_g: ArrayLike) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)), the best D for a fixed G (Goodfellow et al.,
    Proposition 1).

    Args:
        p_data, p_g: the two densities at the same points: equal shapes, finite, >= 0.

    Returns:
        Values in [0, 1]; NaN where both densities are 0 (D* is undefined there: no sample of
        either kind ever lands there, so no D is better than another).
    """
    p_data = _check_finite(p_data, "p_data")
    p_g = _check_finite(p_g, "p_g")
    if p_data.shape != p_g.shape:
        raise ValueError(
            f"p_data has shape {p_data.shape} but p_g has {p_g.shape}; they must match"
        )
    if np.any(p_data < 0) or np.any(p_g < 0):
        raise ValueError("densities cannot be negative; p_data and p_g must be >= 0")
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, p_data / total, np.nan)


def wasserstein_1d(samples_p: ArrayLike, samples_q: ArrayLike) -> float:
    """The Wasserstein-1 (earth mover's) distance between two 1-D samples, in data units.

    ``scipy.stats.wasserstein_distance``: the area between the two empirical CDFs. Shapes
    (n,) or (n, 1); the sizes may differ. 0 for identical samples; for two Gaussians with equal
    standard deviations it tends to the distance between their means.
    """
    first = _check_finite(samples_p, "samples_p").ravel()
    second = _check_finite(samples_q, "samples_q").ravel()
    if len(first) == 0 or len(second) == 0:
        raise ValueError("wasserstein_1d needs at least one sample on each side")
    return float(stats.wasserstein_distance(first, second))


# ## Argument checks ##############################################################################


def _check_loss(loss: Any) -> None:
    if loss not in GENERATOR_LOSSES:
        raise ValueError(f"loss must be one of {GENERATOR_LOSSES}, got {loss!r}")


def _check_finite(values: ArrayLike, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def _check_batch(x: ArrayLike, params: Affine | MLP, name: str) -> np.ndarray:
    """A finite float64 batch of shape (batch, params.in_dim), batch >= 1."""
    array = _check_finite(x, name)
    if array.ndim != 2 or array.shape[1] != params.in_dim or len(array) == 0:
        hint = f" (for a 1-D array use {name}[:, None])" if array.ndim == 1 else ""
        raise ValueError(
            f"{name} must have shape (batch, {params.in_dim}) with batch >= 1, "
            f"got {array.shape}{hint}"
        )
    return array
