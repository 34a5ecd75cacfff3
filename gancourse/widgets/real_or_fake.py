"""The real-or-fake game: a widget that shows real and generated images in random order and
asks which is which, writing each answer to a session file the moment it is given.

>>> game = RealOrFakeGame(real_images, fake_images, path="runs/lesson10/me.jsonl")
>>> game.widget  # in JupyterLab: the image, the buttons "Real" and "Fake", progress, a score

Every answer is appended to ``path`` (JSON Lines, :mod:`gancourse.human_eval`) and synced to
disk before the next image appears, so a kernel restart loses nothing: a new game with the same
images, ``path``, ``n_rounds`` and ``seed`` continues where the last one stopped, and images
already answered are not shown again. After the last image the widget shows the report of
:func:`gancourse.metrics.score_session`, the human error rate with a bootstrap interval.

Without a display, score a saved file with ``gc.metrics.score_session(path)``. Programs and
tests play through the widget's model: ``game.real_button.click()`` or ``game.answer(True)``.
Renderers without widgets (nbval, nbconvert, GitHub) show a still picture of the game's state.
"""

from __future__ import annotations

import html
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike

from ..display import images_to_uint8
from ..human_eval import Answer, append_answer, read_answers
from ..metrics.human import SessionScore, score_session
from ..validation import check_int, check_range
from .picture import MAIN_PIXELS, SMALL_PIXELS, WidgetWithPicture, figure_png, png, row_png

__all__ = ["RealOrFakeGame"]

_MAX_END_IMAGES = 8  # a row of fakes shown when the game is over


def _pick(images: ArrayLike, count: int, name: str, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct positions in ``images``, drawn at random, sorted."""
    total = len(images) if np.ndim(images) >= 1 else 0
    if total < count:
        raise ValueError(
            f"{name} holds {total} images; n_rounds asks for {count} of them (half the rounds). "
            "Pass more images or a smaller n_rounds."
        )
    return np.sort(rng.choice(total, size=count, replace=False))


class _GameWidget(WidgetWithPicture):
    """The game's VBox; its static picture and description come from the game."""

    def __init__(self, game: RealOrFakeGame, children: list[widgets.Widget]) -> None:
        self._game = game
        super().__init__(children)

    @property
    def png(self) -> bytes:
        return self._game.png

    def __repr__(self) -> str:
        return repr(self._game)


class RealOrFakeGame:
    """Real and generated images in random order; the rater answers "Real" or "Fake".

    Half of the ``n_rounds`` images are drawn from ``real_images`` and half from
    ``fake_images`` (without replacement), then shuffled, all with ``seed``: the same arguments
    give the same game, which is how a restarted game finds its place in ``path``.

    Args:
        real_images, fake_images: (N, H, W), (N, H, W, 1), (N, H, W, 3) or flat (N, H*W)
            images of one size, values in ``value_range`` (pass (0, 255) for uint8 pixels);
            each set needs at least ``n_rounds / 2`` images.
        path: the session file (JSON Lines), created with its folders if missing. If it holds
            answers of this game already, the game continues from there.
        n_rounds: images to show, even (half real, half fake, as in HYPE).
        value_range: (low, high), the values shown as black and white.
        seed: seed of the choice of images and of their order.

    Attributes:
        widget: the ipywidgets view (also what the game displays as).
        real_button, fake_button: the two ``ipywidgets.Button``; clicking calls :meth:`answer`.
        answers: the answers of this session so far (:class:`~gancourse.human_eval.Answer`),
            including those read back from ``path``.
        session: the session id written on every line.
        plan: ``(image id, truth)`` per round, e.g. ``("fake-17", "fake")``.

    Raises:
        ValueError: bad images or arguments, or a ``path`` holding answers of another game.
        SessionFileError: a line of ``path`` that cannot be read.
    """

    def __init__(
        self,
        real_images: ArrayLike,
        fake_images: ArrayLike,
        *,
        path: str | os.PathLike[str],
        n_rounds: int = 50,
        value_range: tuple[float, float] = (-1.0, 1.0),
        seed: int = 0,
    ) -> None:
        n_rounds = check_int(n_rounds, "n_rounds", 2)
        if n_rounds % 2:
            raise ValueError(f"n_rounds must be even (half real, half fake), got {n_rounds}")
        value_range = check_range(value_range)
        rng = np.random.default_rng(check_int(seed, "seed", 0))
        pixels: dict[str, np.ndarray] = {}  # truth -> uint8 images of the chosen positions
        ids: list[tuple[str, str]] = []
        for truth, images in (("real", real_images), ("fake", fake_images)):
            chosen = _pick(images, n_rounds // 2, f"{truth}_images", rng)
            array = np.asarray(images)[chosen]
            pixels[truth] = images_to_uint8(array, value_range, f"{truth}_images")
            ids += [(f"{truth}-{index}", truth) for index in chosen]
        if pixels["real"].shape[1:] != pixels["fake"].shape[1:]:
            raise ValueError(
                f"real and fake images must have the same size, got {pixels['real'].shape[1:]} "
                f"and {pixels['fake'].shape[1:]} (a difference in size gives the game away)"
            )
        order = rng.permutation(n_rounds)
        self.plan: list[tuple[str, str]] = [ids[i] for i in order]
        shown = np.concatenate([pixels["real"], pixels["fake"]])  # in the order of ids
        self._images = shown[order]  # (n_rounds, H, W[, 3]) uint8, in the order shown
        self.path = Path(path)
        self.answers, self.session = self._resume()
        answered = {item.round for item in self.answers}
        self._remaining = [r for r in range(n_rounds) if r not in answered]

        self.real_button = widgets.Button(description="Real", tooltip="this image is real")
        self.fake_button = widgets.Button(description="Fake", tooltip="a generator made this")
        self._view = widgets.Image(format="png")
        self._progress = widgets.IntProgress(min=0, max=n_rounds, description="progress")
        self._status = widgets.HTML()
        self._report = widgets.HTML()
        buttons = widgets.HBox([self.real_button, self.fake_button])
        self.widget = _GameWidget(
            self, [self._view, buttons, self._progress, self._status, self._report]
        )
        self.real_button.on_click(lambda _button: self._clicked(True))
        self.fake_button.on_click(lambda _button: self._clicked(False))
        self._shown_at = time.monotonic()
        self._update_view()

    # ## Resuming

    def _resume(self) -> tuple[list[Answer], str]:
        """The answers already in ``path`` for this game, and the session id to continue."""
        if not self.path.exists():
            return [], uuid.uuid4().hex
        answers = read_answers(self.path)
        if not answers:
            return [], uuid.uuid4().hex
        sessions = sorted({item.session for item in answers})
        if len(sessions) > 1:
            raise ValueError(
                f"{self.path} holds {len(sessions)} sessions; a game continues one session per "
                "file. Give this game its own path (score_session can pool several files' answers)."
            )
        rounds: set[int] = set()
        for item in answers:
            planned = self.plan[item.round] if item.round < len(self.plan) else None
            if planned != (item.image, item.truth) or item.round in rounds:
                raise ValueError(
                    f"{self.path} holds answers of another game (round {item.round}: "
                    f"{item.image}, but this game has {planned}). Continue it with the same "
                    "images, n_rounds and seed, or give this game a new path."
                )
            rounds.add(item.round)
        return answers, sessions[0]

    # ## Answering

    @property
    def finished(self) -> bool:
        """True when every image has been answered."""
        return not self._remaining

    def answer(self, is_real: bool) -> Answer:
        """Answer the image on screen (what the buttons call): append it to ``path``, synced to
        disk, then show the next image (or the report after the last one).

        Raises:
            TypeError: ``is_real`` is not a bool.
            RuntimeError: the game is over.
        """
        if not isinstance(is_real, (bool, np.bool_)):
            raise TypeError(f"is_real must be True or False, got {is_real!r}")
        if self.finished:
            raise RuntimeError(
                f"the game is over: all {len(self.plan)} images are answered; see game.score()"
            )
        round_ = self._remaining[0]
        image, truth = self.plan[round_]
        record = Answer(
            session=self.session,
            round=round_,
            image=image,
            truth=truth,
            answer="real" if is_real else "fake",
            response_time=round(time.monotonic() - self._shown_at, 3),
            timestamp=datetime.now(UTC).isoformat(timespec="milliseconds"),
        )
        append_answer(self.path, record)  # on disk before the game moves on
        self.answers.append(record)
        self._remaining.pop(0)
        self._shown_at = time.monotonic()
        self._update_view()
        return record

    def _clicked(self, is_real: bool) -> None:
        try:
            self.answer(is_real)
        except Exception as error:  # shown in the widget (callback errors go to a log), re-raised
            self._status.value = f'<span style="color:#b00020">{html.escape(str(error))}</span>'
            raise

    def score(self, **kwargs: Any) -> SessionScore:
        """:func:`~gancourse.metrics.score_session` of the answers so far (same arguments)."""
        return score_session(self.answers, **kwargs)

    # ## What is shown

    def current_image(self) -> np.ndarray | None:
        """The image on screen, uint8 (H, W) or (H, W, 3); None once the game is over."""
        return None if self.finished else self._images[self._remaining[0]].copy()

    def _correct_count(self) -> int:
        return sum(item.correct for item in self.answers)

    def _end_images(self) -> tuple[np.ndarray, str]:
        """What the finished game shows: uint8 images of the fakes called real, else of some
        fakes (at most a row of them), and a caption."""
        fakes = [item for item in self.answers if item.truth == "fake"]
        fooled = [item.round for item in fakes if not item.correct]
        if fooled:
            return self._images[fooled[:_MAX_END_IMAGES]], "Fakes you called real"
        rounds = [item.round for item in fakes]
        return self._images[rounds[:_MAX_END_IMAGES]], "No fake fooled you. Some of the fakes"

    def _update_view(self) -> None:
        done, total = len(self.answers), len(self.plan)
        self._progress.value = done
        correct = f"{self._correct_count()} of {done} correct"
        if not self.finished:
            self._status.value = f"Image {done + 1} of {total}: real or fake? ({correct} so far)"
            self._view.value = png(self._images[self._remaining[0]], MAIN_PIXELS)
            return
        self.real_button.disabled = self.fake_button.disabled = True
        images, caption = self._end_images()
        self._view.value = row_png(images, SMALL_PIXELS)
        self._status.value = f"All {total} images answered, {correct}. {caption}, above."
        self._report.value = (
            f"<pre>{html.escape(self.score().report())}</pre>"
            f"<p>Answers saved in <code>{html.escape(str(self.path))}</code>.</p>"
        )

    @property
    def png(self) -> bytes:
        """The static picture of the game's state (the image on screen, or at the end the
        fakes called real and the score), as PNG bytes."""
        done, total = len(self.answers), len(self.plan)
        correct = f"{self._correct_count()} of {done} correct"
        if not self.finished:
            caption = f"Image {done + 1} of {total}: real or fake? ({correct} so far)"
            return figure_png([[self._images[self._remaining[0]]]], caption)
        images, caption = self._end_images()
        hype = self.score().hype
        caption = (
            f"Game over, {correct}: HYPE score {hype.value:.0%} "
            f"[{hype.low:.0%}, {hype.high:.0%}]\n{caption}:"
        )
        return figure_png([list(images)], caption)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return (
            f"Real-or-fake game: {len(self.answers)} of {len(self.plan)} images answered, "
            f"saved in {self.path}; open the notebook in JupyterLab to play"
        )
