"""The course's one GAN trainer: a ``keras.Model`` that owns a generator, a discriminator and
their two optimizers, and trains them with ``fit`` (TensorFlow backend).

Every GAN lesson trains through :class:`GAN`; there is no second training loop in the course.
Lesson 08's conditional GANs too: with ``num_classes`` the trainer feeds the labels of each
real batch to both networks, G(z, y) and D(x, y).
Lesson 07's stabilisers are switches of the same trainer (``real_label``, ``r1_weight``,
``pack``), of the discriminator builders (``spectral_norm``, ``minibatch_std``) or of the
optimizers (two learning rates, TTUR): see ``presets.make_toy_gan``.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from ..validation import as_labels, check_int
from .losses import (
    check_loss_name,
    check_real_label,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    r1_penalty,
)

#: Names of the values ``fit`` reports each step (and TensorBoard logs).
METRIC_NAMES = (
    "d_loss",
    "g_loss",
    "d_real",
    "d_fake",
    "d_grad_norm",
    "g_grad_norm",
    "gradient_penalty",
)
UPDATES = ("alternating", "simultaneous")


@keras.saving.register_keras_serializable(package="gancourse")
class GAN(keras.Model):
    """A generator and a discriminator trained against each other.

    Args:
        generator: maps z of shape (batch, latent_dim) to samples shaped like the data; a
            conditional one takes ``[z, labels]``, labels int (batch,).
        discriminator: maps data-shaped samples to one logit each, shape (batch, 1); a
            conditional one takes ``[samples, labels]``.
        num_classes: makes the GAN conditional (lesson 08; Mirza & Osindero 2014,
            https://arxiv.org/abs/1411.1784): both networks then take labels as their second
            input, ``fit`` wants ``(samples, labels)`` batches with labels in
            [0, num_classes), and each step gives G the labels of that step's real batch, so
            the fakes' classes follow the data's. None (unconditional) by default.
        loss: "non-saturating" (default), "minimax", "hinge" or "wasserstein-gp".
        n_critic: discriminator steps per generator step. Each batch ``fit`` gives the trainer is
            split into ``n_critic`` parts, one fresh real batch per discriminator step (as in
            Algorithm 1 of WGAN-GP); so with ``n_critic=5`` feed batches five times larger:
            :meth:`batching` says how (``train`` uses it).
        gradient_penalty_weight: lambda of WGAN-GP (10 in the paper); used only with that loss.
        real_label: D's target for real samples; below 1 it is one-sided label smoothing
            (Salimans et al. 2016, section 3.4, https://arxiv.org/abs/1606.03498, use 0.9): the
            fake target (0) and G's loss are unchanged. 1 (off) by default; minimax and
            non-saturating losses only.
        r1_weight: gamma of the R1 penalty (Mescheder et al. 2018,
            https://arxiv.org/abs/1801.04406): gamma / 2 * ||grad_x D(x)||^2 on real x is added
            to D's loss. 0 (off) by default; not with "wasserstein-gp", which has its own
            gradient penalty.
        pack: PacGAN's packing degree m (Lin et al. 2018, https://arxiv.org/abs/1712.04086): D
            judges m samples at once. Runs of m consecutive samples of a batch (all real or all
            fake) are put side by side along the last axis, (batch, d) -> (batch / m, m * d)
            (images: along the channels), so D must take inputs of that shape
            (``build_toy_discriminator(pack=m)``). D's loss, G's loss, ``d_real`` and
            ``d_fake`` are then per pack. Every discriminator batch must hold whole packs: see
            :meth:`batching`. 1 (no packing) by default.
        seed: seeds the ``keras.random.SeedGenerator`` that draws z (and WGAN-GP's epsilon).
        ema_decay: keep an exponential moving average of G's weights and sample from it
            (Yazici et al. 2019, https://arxiv.org/abs/1806.04498): after every generator step
            each averaged weight moves 1 - d of the way to G's, with d = min(ema_decay,
            (1 + t) / (10 + t)) at step t (TensorFlow's ``ExponentialMovingAverage`` with
            ``num_updates``, so the first steps are not averaged with the random start);
            batch norm's moving statistics are copied, not averaged. :meth:`generate` and
            ``gan(z)`` then use :attr:`generator_average`; training uses G itself. None (off)
            by default; 0.999 is common.
        update: "alternating" (Algorithm 1 of Goodfellow et al.: update D, then G against the
            updated D, with fresh noise) or "simultaneous" (one forward pass serves both
            updates, both gradients taken before either network changes, as the TensorFlow
            DCGAN tutorial does: about 20% less work per step). Simultaneous needs
            ``n_critic=1``.

    Each step reports, averaged over the epoch: ``d_loss`` and ``g_loss``; ``d_real`` and
    ``d_fake``, the mean of sigmoid(logit) on real and generated samples (probabilities for the
    minimax/non-saturating/hinge losses; for a WGAN critic just a squashed score);
    ``d_grad_norm`` and ``g_grad_norm``, the global norms of each network's gradients;
    ``gradient_penalty``, the penalty before its weight: WGAN-GP's (||grad D(x_hat)|| - 1)^2 or
    R1's ||grad D(x)||^2 (0 when neither is on). The fake batch always has the real batch's size,
    the last short batch of an epoch included. Under ``tf.distribute`` the losses are averaged
    over the global batch and each replica draws its own slice of one global noise batch, so a
    run on N devices matches a run on one.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        *,
        loss: str = "non-saturating",
        n_critic: int = 1,
        gradient_penalty_weight: float = 10.0,
        seed: int = 0,
        update: str = "alternating",
        real_label: float = 1.0,
        r1_weight: float = 0.0,
        pack: int = 1,
        num_classes: int | None = None,
        ema_decay: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.loss_name = check_loss_name(loss)
        self.n_critic = check_int(n_critic, "n_critic", 1)
        self.gradient_penalty_weight = _non_negative(
            gradient_penalty_weight, "gradient_penalty_weight"
        )
        self.real_label = check_real_label(real_label, self.loss_name)
        self.r1_weight = _non_negative(r1_weight, "r1_weight")
        if self.r1_weight and self.loss_name == "wasserstein-gp":
            raise ValueError("r1_weight > 0 with loss='wasserstein-gp': use one gradient penalty")
        self.pack = check_int(pack, "pack", 1)
        self.num_classes = _check_conditioning(generator, discriminator, num_classes, self.pack)
        _check_discriminator_input(generator, discriminator, self.pack)
        self.seed = int(seed)
        if update not in UPDATES:
            raise ValueError(f"update must be one of {', '.join(UPDATES)}, got {update!r}")
        if update == "simultaneous" and self.n_critic != 1:
            raise ValueError("update='simultaneous' needs n_critic=1; use 'alternating'")
        self.update = update
        self.latent_dim = _latent_dim(generator)
        self.ema_decay = _check_ema_decay(ema_decay)
        self.generator_average = None if ema_decay is None else _averaged_copy(generator)
        self.seed_generator = keras.random.SeedGenerator(self.seed, name="noise_seed")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in METRIC_NAMES}
        self.built = True  # both networks are built functional models

    # -- Keras plumbing ------------------------------------------------------------------
    def compile(
        self,
        *,
        generator_optimizer: keras.optimizers.Optimizer | None = None,
        discriminator_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: Any,
    ) -> None:
        """Set the two optimizers (Adam(2e-4, beta_1=0.5) each by default, as in DCGAN).

        Call it inside ``strategy.scope()`` when training under ``tf.distribute``: both
        optimizers are built on their network's variables here, before ``fit``.
        """
        self.generator_optimizer = _optimizer_for(self.generator, generator_optimizer)
        self.discriminator_optimizer = _optimizer_for(self.discriminator, discriminator_optimizer)
        # Keras' own bookkeeping (callbacks, TensorBoard steps) follows ``self.optimizer``:
        # the generator's, so "step" means one generator update.
        super().compile(optimizer=self.generator_optimizer, **kwargs)

    def call(self, inputs: Any, training: bool = False) -> Any:
        """Generate samples from latent codes z of shape (batch, latent_dim), or from
        ``[z, labels]`` for a conditional GAN (with the averaged generator if there is one)."""
        return self.sampler(inputs, training=training)

    @property
    def sampler(self) -> keras.Model:
        """The network samples come from: :attr:`generator_average` when ``ema_decay`` is
        set, else the generator."""
        return self.generator if self.generator_average is None else self.generator_average

    @property
    def conditional(self) -> bool:
        """True when the networks take labels (``num_classes`` was given)."""
        return self.num_classes is not None

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "loss": self.loss_name,
            "n_critic": self.n_critic,
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "seed": self.seed,
            "update": self.update,
            "real_label": self.real_label,
            "r1_weight": self.r1_weight,
            "pack": self.pack,
            "num_classes": self.num_classes,
            "ema_decay": self.ema_decay,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> GAN:
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    def batching(self, batch_size: int) -> dict[str, Any]:
        """How to batch training data for this trainer, ``batch_size`` real samples per
        discriminator step: keyword arguments for :func:`gancourse.data.make_pipeline` (as
        :func:`~gancourse.training.train` uses them).

        Each batch ``fit`` hands :meth:`train_step` holds ``batch_size * n_critic`` samples, which
        the step splits again into ``n_critic`` discriminator batches: this method and
        ``_critic_batches`` are the only places that know. With ``pack=m``, ``batch_size`` must
        be a multiple of m, and an epoch's last short batch is dropped (``drop_remainder``), so
        every discriminator batch holds whole packs; the dropped samples (fewer than one batch)
        are in other batches in the next epoch's shuffle.
        """
        batch_size = check_int(batch_size, "batch_size", 1)
        if batch_size % self.pack:
            raise ValueError(
                f"batch_size must be a multiple of pack={self.pack} (D sees whole packs of "
                f"{self.pack} samples), got {batch_size}"
            )
        return {"batch_size": batch_size * self.n_critic, "drop_remainder": self.pack > 1}

    # -- sampling ------------------------------------------------------------------------
    def sample_noise(self, count: int, seed: int | None = None) -> np.ndarray:
        """``count`` latent codes z ~ N(0, I), shape (count, latent_dim), float32.

        With ``seed`` the same codes come back every time (for fixed sample grids); without
        it they come from the trainer's seed generator.
        """
        count = check_int(count, "count", 1)
        source = keras.random.SeedGenerator(seed) if seed is not None else self.seed_generator
        return ops.convert_to_numpy(keras.random.normal((count, self.latent_dim), seed=source))

    def generate(
        self,
        count: int | None = None,
        *,
        z: Any = None,
        seed: int | None = None,
        labels: Any = None,
    ) -> np.ndarray:
        """Samples from the generator in inference mode as a float32 NumPy array.

        Give ``count`` (fresh or ``seed``-fixed noise), or latent codes ``z``, or, for a
        conditional GAN, just ``labels``. A conditional GAN needs ``labels``, the class asked
        of each sample: one int for all of them, or ints (count,) in [0, num_classes); then
        ``count`` may be left out.

        >>> gan.generate(labels=np.repeat(np.arange(10), 8))  # 8 of each digit
        """
        if self.conditional and count is None and z is None and np.ndim(labels) == 1:
            count = len(labels)
        if (count is None) == (z is None):
            raise ValueError("give either count or z, not both and not neither")
        if z is None:
            z = self.sample_noise(count, seed)
        z = np.asarray(z, dtype="float32")
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (batch, {self.latent_dim}), got {z.shape}")
        labels = self._check_labels(labels, len(z))
        batches = []
        for start in range(0, len(z), 256):
            rows = slice(start, start + 256)
            y = None if labels is None else labels[rows]
            inputs = z[rows] if y is None else [z[rows], y]
            batches.append(ops.convert_to_numpy(self.sampler(inputs, training=False)))
        return np.concatenate(batches).astype("float32", copy=False)

    def _check_labels(self, labels: Any, count: int) -> np.ndarray | None:
        """The labels ``generate`` was given, as int32 (count,) in [0, num_classes); None for
        an unconditional GAN (which must get none)."""
        if not self.conditional:
            if labels is not None:
                raise ValueError("labels given to an unconditional GAN (made without num_classes)")
            return None
        if labels is None:
            raise ValueError(
                f"a conditional GAN needs labels: the class of each sample, ints in "
                f"[0, {self.num_classes}) (one int for all, or one per sample)"
            )
        if np.ndim(labels) == 0:
            labels = np.full(count, labels)
        return as_labels(labels, "labels", count, classes=self.num_classes).astype("int32")

    # -- one training step ---------------------------------------------------------------
    def train_step(self, data: Any) -> dict[str, Any]:
        """One generator update after ``n_critic`` discriminator updates: Algorithm 1 of
        Goodfellow et al. (2014), https://arxiv.org/abs/1406.2661, with k = ``n_critic``.

        Losses are written for logits t = D(x) (D's probability is sigmoid(t)); the other
        losses' formulas are in ``losses.py``. With ``update="simultaneous"`` (the TensorFlow
        DCGAN tutorial's step) G's loss comes from D's pass on the same fakes, before D's
        update, instead of a second pass after it.
        """
        real, labels = self._samples_and_labels(data)  # labels: None unless conditional
        real_batches = self._critic_batches(real)  # n_critic fresh real batches from fit's one
        label_batches = (
            self._critic_batches(labels) if self.conditional else [None] * len(real_batches)
        )
        for x, y in zip(real_batches, label_batches, strict=True):
            # -- 1. Update D: z ~ N(0, I), fakes G(z), descend D's loss ------------------
            # (conditional: fakes G(z, y) of the real batch's classes y, judged as D(., y))
            z = self._noise(tf.shape(x)[0])
            critic = self._critic(y)  # D, or D(., y)
            with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
                fake = self._generate(z, y, training=True)
                x, fake = self._pack(x), self._pack(fake)  # PacGAN: D judges m samples at once
                real_logits = critic(x, training=True)
                fake_logits = critic(fake, training=True)
                # L_D = softplus(-D(x)) + softplus(D(G(z))) = -log D(x) - log(1 - D(G(z)));
                # one-sided label smoothing: the real term's target is real_label (0.9), not 1
                d_loss = discriminator_loss(
                    real_logits, fake_logits, self.loss_name, self.real_label
                )
                penalty = ops.zeros_like(d_loss)
                if self.loss_name == "wasserstein-gp":
                    # + lambda * (||grad D(x_hat)|| - 1)^2, x_hat between x and G(z)
                    penalty = gradient_penalty(critic, x, fake, self.seed_generator)
                    d_loss = d_loss + self.gradient_penalty_weight * penalty
                if self.r1_weight:
                    # + gamma / 2 * ||grad D(x)||^2, on real x only (R1)
                    penalty = r1_penalty(critic, x)
                    d_loss = d_loss + self.r1_weight / 2 * penalty
                # L_G = softplus(-D(G(z))) = -log D(G(z))  (non-saturating; used if simultaneous)
                g_loss = generator_loss(fake_logits, self.loss_name)
            d_norm = self._descend(d_tape, d_loss, self.discriminator, self.discriminator_optimizer)
            self._track(d_loss=d_loss, d_grad_norm=d_norm, gradient_penalty=penalty)
            self._track(d_real=ops.sigmoid(real_logits), d_fake=ops.sigmoid(fake_logits))

        if self.update == "alternating":
            # -- 2. Update G once: fresh z, through the D just updated -----------------------
            z, y = self._noise(tf.shape(real_batches[0])[0]), label_batches[0]
            with tf.GradientTape() as g_tape:
                fake = self._pack(self._generate(z, y, training=True))  # packed as in step 1
                fake_logits = self._critic(y)(fake, training=True)
                # L_G = softplus(-D(G(z))) = -log D(G(z))  (non-saturating)
                g_loss = generator_loss(fake_logits, self.loss_name)
        g_norm = self._descend(g_tape, g_loss, self.generator, self.generator_optimizer)
        self._track(g_loss=g_loss, g_grad_norm=g_norm)
        if self.generator_average is not None:
            self._update_average()  # -- 3. The average of G's weights follows G -------------
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    # -- the plumbing train_step leans on ------------------------------------------------
    def _samples_and_labels(self, data: Any) -> tuple[Any, Any]:
        """fit's batch as (samples, labels): labels as int32 for a conditional GAN, else None
        (an unconditional GAN ignores labels it is given)."""
        samples = data[0] if isinstance(data, tuple | list) else data
        if not self.conditional:
            return samples, None
        if not (isinstance(data, tuple | list) and len(data) == 2):
            raise ValueError(
                "a conditional GAN (num_classes given) trains on (samples, labels) batches: "
                "train(gan, (images, labels)) or a dataset of (images, labels)"
            )
        return samples, tf.cast(data[1], "int32")

    def _generate(self, z: Any, labels: Any, training: bool) -> Any:
        """G(z), or G(z, y) for a conditional GAN."""
        return self.generator(z if labels is None else [z, labels], training=training)

    def _critic(self, labels: Any) -> Any:
        """D as a function of the samples alone: D itself, or x -> D(x, y) for the labels y
        of the samples being judged (what the gradient penalties differentiate)."""
        if labels is None:
            return self.discriminator
        return lambda samples, training: self.discriminator([samples, labels], training=training)

    def _critic_batches(self, real: Any) -> list[Any]:
        """fit's batch split into ``n_critic`` consecutive parts (sizes differ by at most 1):
        the other half of :meth:`batching`, which makes fit's batches ``n_critic`` times larger."""
        if self.n_critic == 1:
            return [real]
        size = tf.shape(real)[0]
        base, extra = size // self.n_critic, size % self.n_critic
        sizes = [base + tf.cast(i < extra, base.dtype) for i in range(self.n_critic)]
        return tf.split(real, tf.stack(sizes), num=self.n_critic)

    def _pack(self, samples: Any) -> Any:
        """PacGAN's packing: each run of ``pack`` = m consecutive samples becomes one input of
        D, side by side along the last axis: (batch, d) -> (batch / m, m * d); images
        (batch, h, w, c) -> (batch / m, h, w, m * c). The identity when ``pack=1``."""
        if self.pack == 1:
            return samples
        m, shape = self.pack, tuple(samples.shape[1:])  # (..., d)
        message = (
            f"pack={m}: a discriminator batch must hold whole packs of {m} samples; batch the "
            "data as GAN.batching(batch_size) says (train() does)"
        )
        if samples.shape[0] is not None and samples.shape[0] % m:  # batch size known now
            raise ValueError(message)
        whole = tf.debugging.assert_equal(tf.shape(samples)[0] % m, 0, message=message)  # or later
        with tf.control_dependencies([whole]):  # check before reshaping
            samples = tf.identity(samples)
        packs = ops.reshape(samples, (-1, m, *shape))  # (batch / m, m, ..., d)
        packs = ops.moveaxis(packs, 1, -2)  # (batch / m, ..., m, d)
        return ops.reshape(packs, (-1, *shape[:-1], m * shape[-1]))  # (batch / m, ..., m * d)

    def _noise(self, batch: Any) -> Any:
        """z for ``batch`` samples. Under ``tf.distribute`` each replica takes its own slice of
        one global noise batch, so that a run on N devices matches a run on one."""
        replicas = _replicas_in_sync()
        z = keras.random.normal((batch * replicas, self.latent_dim), seed=self.seed_generator)
        if replicas == 1:
            return z
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        start = tf.cast(replica, batch.dtype) * batch
        return z[start : start + batch]

    def _descend(
        self,
        tape: tf.GradientTape,
        per_example_loss: Any,
        network: keras.Model,
        optimizer: keras.optimizers.Optimizer,
    ) -> Any:
        """One optimizer step on ``network`` down the mean of ``per_example_loss``; returns the
        gradient's global norm.

        Why not ``tape.gradient(ops.mean(loss))``: under ``tf.distribute`` the mean must be over
        the global batch (each replica's sum / global batch size), and with float16 the
        backward pass must start from the loss scale (so small gradients do not underflow).
        Both are weights on each example's loss, given to the backward pass as its seed.
        """
        global_batch = ops.cast(ops.shape(per_example_loss)[0] * _replicas_in_sync(), "float32")
        seed = ops.ones_like(per_example_loss) * optimizer.scale_loss(1.0) / global_batch
        grads = tape.gradient(per_example_loss, network.trainable_variables, output_gradients=seed)
        optimizer.apply_gradients(zip(grads, network.trainable_variables, strict=True))
        return _gradient_norm(grads, optimizer)

    def _update_average(self) -> None:
        """Move each averaged weight 1 - d of the way to G's (see ``ema_decay``)."""
        step = ops.cast(self.generator_optimizer.iterations, "float32")
        decay = ops.minimum(self.ema_decay, (1.0 + step) / (10.0 + step))
        for average, current in zip(
            self.generator_average.weights, self.generator.weights, strict=True
        ):
            if current.trainable:
                average.assign(average + (1.0 - decay) * (current - average))
            else:  # batch norm's moving mean and variance
                average.assign(current)

    def _track(self, **values: Any) -> None:
        """Add each value's mean over this replica's batch to its epoch average."""
        for name, value in values.items():
            self.trackers[name].update_state(ops.mean(value))


def _replicas_in_sync() -> int:
    """How many devices share each step (1 outside ``tf.distribute``)."""
    context = tf.distribute.get_replica_context()
    return context.num_replicas_in_sync if context is not None else 1


def _non_negative(value: Any, name: str) -> float:
    """A finite number >= 0 (a penalty's weight), as a float."""
    number = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    )
    if not (number and np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_ema_decay(value: Any) -> float | None:
    """None, or a decay strictly between 0 and 1, as a float."""
    if value is None:
        return None
    number = isinstance(value, float | np.floating) and not isinstance(value, bool)
    if not (number and 0.0 < value < 1.0):
        raise ValueError(f"ema_decay must be None or a float in (0, 1), e.g. 0.999; got {value!r}")
    return float(value)


def _averaged_copy(generator: keras.Model) -> keras.Model:
    """A copy of ``generator`` (same layers, same weights) to hold the average of its weights;
    not trainable, so no optimizer ever updates it."""
    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    copy.trainable = False
    return copy


def _check_conditioning(
    generator: keras.Model, discriminator: keras.Model, num_classes: Any, pack: int
) -> int | None:
    """``num_classes`` (an int >= 2) when both networks take labels as a second input, None
    when neither does; anything else is refused with what to change."""
    inputs = len(generator.inputs), len(discriminator.inputs)
    if num_classes is None:
        if inputs != (1, 1):
            raise ValueError(
                f"the generator takes {inputs[0]} inputs and the discriminator {inputs[1]}: an "
                "unconditional GAN's take one each; for a conditional GAN (networks that also "
                "take labels) give num_classes"
            )
        return None
    num_classes = check_int(num_classes, "num_classes", 2)
    if inputs != (2, 2):
        raise ValueError(
            f"num_classes={num_classes} makes a conditional GAN, whose generator takes [z, "
            f"labels] and discriminator [samples, labels], but they take {inputs[0]} and "
            f"{inputs[1]} inputs (build them with build_conditional_dcgan_generator and "
            "build_conditional_dcgan_discriminator)"
        )
    if pack > 1:
        raise ValueError(
            "pack > 1 is for unconditional GANs only (PacGAN packs unlabelled samples)"
        )
    return num_classes


def _first(shape: Any) -> Any:
    """The shape of a model's first input or output (the samples, not the labels)."""
    return shape[0] if isinstance(shape, list) else shape


def _check_discriminator_input(
    generator: keras.Model, discriminator: keras.Model, pack: int
) -> None:
    """D must take what the trainer gives it: G's samples, ``pack`` of them side by side."""
    sample, taken = generator.output_shape, _first(discriminator.input_shape)
    if not (isinstance(sample, tuple) and isinstance(taken, tuple)) or None in sample[1:]:
        return  # several inputs or outputs, or sizes known only when called: nothing to check
    expected = (*sample[1:-1], pack * sample[-1])
    if None in taken[1:] or tuple(taken[1:]) == expected:
        return
    packed = f" with pack={pack} ({pack} samples side by side)" if pack > 1 else ""
    raise ValueError(
        f"the generator makes samples of shape {sample[1:]}, so{packed} the discriminator must "
        f"take inputs of shape {expected}, but it takes {taken[1:]}"
    )


def _latent_dim(generator: keras.Model) -> int:
    shape = _first(generator.input_shape)  # z, also for a conditional generator's [z, labels]
    if not isinstance(shape, tuple) or len(shape) != 2 or shape[1] is None:
        raise ValueError(f"the generator must take z of shape (batch, latent_dim), got {shape}")
    return int(shape[1])


def _optimizer_for(
    network: keras.Model, optimizer: keras.optimizers.Optimizer | None
) -> keras.optimizers.Optimizer:
    """Use (or make) an optimizer for ``network``, built on its variables now.

    Building here (inside ``strategy.scope()`` when there is one) is what lets the trainer run
    under MirroredStrategy. Networks with a float16 policy get a loss-scale optimizer.
    """
    if optimizer is None:
        optimizer = keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"expected a keras optimizer, got {type(optimizer).__name__}")
    uses_float16 = any(layer.compute_dtype == "float16" for layer in network.layers)
    if uses_float16 and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    if not optimizer.built:
        optimizer.build(network.trainable_variables)
    return optimizer


def _gradient_norm(grads: list[Any], optimizer: keras.optimizers.Optimizer) -> Any:
    """Global L2 norm of the whole batch's gradients, undoing a loss scale if there is one.

    Under ``tf.distribute`` each replica holds only its share of the gradient: they are summed
    across replicas first (one extra all-reduce, only when there are several replicas).
    """
    grads = [tf.cast(g, "float32") for g in grads if g is not None]
    if _replicas_in_sync() > 1:
        context = tf.distribute.get_replica_context()
        grads = context.all_reduce(tf.distribute.ReduceOp.SUM, grads)
    norm = tf.linalg.global_norm(grads)
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        norm = norm / ops.cast(optimizer.scale_loss(1.0), "float32")
    return norm
