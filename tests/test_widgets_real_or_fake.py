"""Tests of gancourse.widgets.real_or_fake, played through the widget's model (button clicks): the
seeded order, what the file holds after each click, resuming after a restart, the final report,
the still picture, and bad input."""

from __future__ import annotations

import base64
import io
import json
import logging
from datetime import datetime

import numpy as np
import PIL.Image
import pytest

from gancourse import human_eval
from gancourse.metrics import score_session
from gancourse.pixels import to_uint8
from gancourse.widgets import RealOrFakeGame

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROUNDS = 10


def make_images(count: int, offset: float) -> np.ndarray:
    """(count, 8, 8) images in [-1, 1], each a different flat grey with one white pixel, so
    every image of both sets can be told apart by its pixels."""
    images = np.tile(np.linspace(-0.9, 0.5, count)[:, None, None] + offset, (1, 8, 8))
    images[:, 0, 0] = 1.0
    return images


REAL = make_images(30, 0.0)
FAKE = make_images(30, 0.02)


def expected_pixels(image_id: str) -> np.ndarray:
    truth, index = image_id.split("-")
    return to_uint8((REAL if truth == "real" else FAKE)[int(index)], value_range=(-1, 1))


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def new_game(path, **kwargs) -> RealOrFakeGame:
    return RealOrFakeGame(REAL, FAKE, path=path, **({"n_rounds": ROUNDS, "seed": 0} | kwargs))


def click(game: RealOrFakeGame, is_real: bool) -> None:
    (game.real_button if is_real else game.fake_button).click()


def png_pixels(png: bytes | memoryview) -> np.ndarray:
    assert bytes(png).startswith(PNG_SIGNATURE)
    return np.asarray(PIL.Image.open(io.BytesIO(png)))


# ## The order


def test_half_the_rounds_show_real_images_and_half_fakes_all_different(tmp_path) -> None:
    game = new_game(tmp_path / "s.jsonl")
    truths = [truth for _, truth in game.plan]
    assert truths.count("real") == truths.count("fake") == ROUNDS // 2
    assert len({image for image, _ in game.plan}) == ROUNDS
    assert all(image.startswith(truth + "-") for image, truth in game.plan)


def test_the_order_is_random_but_set_by_the_seed(tmp_path) -> None:
    plans = [new_game(tmp_path / f"{seed}.jsonl", seed=seed, n_rounds=20).plan for seed in range(5)]
    assert plans[0] == new_game(tmp_path / "again.jsonl", n_rounds=20).plan
    assert len({tuple(plan) for plan in plans}) == 5
    truths = [[truth for _, truth in plan] for plan in plans]
    assert all(t != sorted(t) and t != sorted(t, reverse=True) for t in truths)  # interleaved
    chosen = {int(image.split("-")[1]) for plan in plans for image, _ in plan}
    assert len(chosen) > 10  # images are drawn from the whole set, not the first few


def test_the_image_on_screen_is_the_planned_one_upscaled(tmp_path) -> None:
    game = new_game(tmp_path / "s.jsonl")
    for round_ in range(3):
        expected = expected_pixels(game.plan[round_][0])
        np.testing.assert_array_equal(game.current_image(), expected)
        shown = png_pixels(game._view.value)  # 8 x 8 at 25x
        np.testing.assert_array_equal(shown[::25, ::25], expected)
        click(game, True)


# ## Answers go to the file as they are given


def test_each_click_appends_one_answer_to_the_file_at_once(tmp_path) -> None:
    path = tmp_path / "runs" / "s.jsonl"
    game = new_game(path)
    assert not path.exists()  # nothing is written before the first answer
    clicks = [True, False, False, True]
    for count, is_real in enumerate(clicks, start=1):
        before = datetime.now().astimezone()
        click(game, is_real)
        records = lines(path)
        assert len(records) == count
        last = records[-1]
        image, truth = game.plan[count - 1]
        assert last["session"] == game.session
        assert (last["round"], last["image"], last["truth"]) == (count - 1, image, truth)
        assert last["answer"] == ("real" if is_real else "fake")
        assert 0 <= last["response_time"] < 60
        assert datetime.fromisoformat(last["timestamp"]) >= before.replace(microsecond=0)
        assert records == [json.loads(answer.to_json()) for answer in game.answers]
    assert game._progress.value == 4
    correct = sum(
        is_real == (truth == "real")
        for is_real, (_, truth) in zip(clicks, game.plan[:4], strict=True)
    )
    assert f"Image 5 of {ROUNDS}" in game._status.value
    assert f"{correct} of 4 correct so far" in game._status.value


def test_answer_is_what_the_buttons_call(tmp_path) -> None:
    game = new_game(tmp_path / "s.jsonl")
    answer = game.answer(np.bool_(False))
    assert answer == game.answers[0]
    assert answer.answer == "fake" and answer.round == 0
    with pytest.raises(TypeError, match="is_real must be True or False"):
        game.answer("real")


# ## Restarting


def test_a_new_game_on_the_same_file_continues_where_the_last_stopped(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    first = new_game(path)
    for is_real in (True, True, False):
        click(first, is_real)
    session, plan = first.session, first.plan
    del first  # the kernel restarts

    second = new_game(path)
    assert second.session == session and second.plan == plan
    assert [answer.round for answer in second.answers] == [0, 1, 2]
    np.testing.assert_array_equal(second.current_image(), expected_pixels(plan[3][0]))
    assert second._progress.value == 3
    while not second.finished:
        click(second, False)
    records = lines(path)
    assert [record["round"] for record in records] == list(range(ROUNDS))  # none shown twice
    assert {record["session"] for record in records} == {session}
    assert [record["answer"] for record in records[:3]] == ["real", "real", "fake"]
    assert score_session(path) == second.score()


def test_a_file_from_another_game_is_refused(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    click(new_game(path), True)
    with pytest.raises(ValueError, match="holds answers of another game"):
        new_game(path, seed=1)
    with pytest.raises(ValueError, match="holds answers of another game"):
        new_game(path, n_rounds=ROUNDS + 2)
    assert len(lines(path)) == 1  # and left alone


def test_a_file_holding_several_sessions_is_refused(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    click(new_game(path), True)
    other = human_eval.Answer(**(lines(path)[0] | {"session": "someone else", "round": 1}))
    human_eval.append_answer(path, other)
    with pytest.raises(ValueError, match="holds 2 sessions"):
        new_game(path)


def test_a_file_with_a_line_cut_short_is_reported(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    click(new_game(path), True)
    with path.open("a") as file:
        file.write('{"session": "x", "rou')
    with pytest.raises(human_eval.SessionFileError, match="cut short"):
        new_game(path)


def test_a_failed_write_is_shown_in_the_widget_and_nothing_moves_on(tmp_path, caplog) -> None:
    path = tmp_path / "s.jsonl"
    game = new_game(path)
    click(game, True)
    with path.open("a") as file:
        file.write('{"broken')  # the file is damaged while the game runs
    with caplog.at_level(logging.WARNING):  # ipywidgets logs exceptions raised by callbacks
        click(game, True)
    assert "does not end with a newline" in game._status.value
    assert len(game.answers) == 1 and game._progress.value == 1
    np.testing.assert_array_equal(game.current_image(), expected_pixels(game.plan[1][0]))


# ## The end


def play_to_the_end(game: RealOrFakeGame, answers: list[bool]) -> None:
    for is_real in answers:
        click(game, is_real)


def test_the_final_report_is_the_score_of_the_file(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    game = new_game(path)
    # call everything real except the first fake: 4 of 5 fakes fool the rater
    first_fake = next(r for r, (_, truth) in enumerate(game.plan) if truth == "fake")
    play_to_the_end(game, [r != first_fake for r in range(ROUNDS)])
    assert game.finished and game.current_image() is None
    assert game.real_button.disabled and game.fake_button.disabled
    score = score_session(path)
    assert score.fake_error_rate.value == 0.8 and score.real_error_rate.value == 0.0
    assert score.hype.value == 0.4
    report = game._report.value
    assert "HYPE-infinity score" in report and str(score.hype) in report
    assert str(path) in report
    assert f"All {ROUNDS} images answered, 6 of {ROUNDS} correct" in game._status.value
    shown = png_pixels(game._view.value)  # the four fakes that fooled the rater, in a row
    assert shown.shape[1] > 3 * shown.shape[0]
    with pytest.raises(RuntimeError, match="the game is over"):
        game.answer(True)


def test_a_finished_game_reopened_shows_its_report(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    play_to_the_end(new_game(path), [True] * ROUNDS)
    again = new_game(path)
    assert again.finished and "HYPE-infinity score" in again._report.value
    assert again.score().hype.value == 0.5  # everything called real: guessing


# ## The still picture


def test_the_mimebundle_holds_the_widget_a_png_and_a_description(tmp_path) -> None:
    game = new_game(tmp_path / "s.jsonl")
    bundle = game._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)
    assert "0 of 10 images answered" in bundle["text/plain"]
    assert "open the notebook in JupyterLab" in bundle["text/plain"]
    before = game.png
    click(game, True)
    assert game.png != before
    play_to_the_end(game, [False] * (ROUNDS - 1))
    assert png_pixels(game.png).ndim == 3 and "10 of 10" in repr(game.widget)


# ## Bad input


@pytest.mark.parametrize(
    ("real", "fake", "kwargs", "match"),
    [
        (REAL, FAKE, {"n_rounds": 7}, "n_rounds must be even"),
        (REAL, FAKE, {"n_rounds": 0}, "n_rounds must be an integer >= 2"),
        (REAL, FAKE, {"n_rounds": 62}, "real_images holds 30 images; n_rounds asks for 31"),
        (REAL, FAKE[:3], {}, "fake_images holds 3 images; n_rounds asks for 5"),
        (REAL, FAKE, {"seed": -1}, "seed must be an integer >= 0"),
        (REAL, FAKE, {"value_range": (1, -1)}, "value_range must be finite with low < high"),
        (REAL, np.zeros((30, 6, 6)), {}, "the same size"),
        (REAL * 255, FAKE, {}, "real_images hold values from -143"),
        (REAL, FAKE[:, 0], {}, "fake_images .* D=8 pixels, but D is not a perfect square"),
    ],
)
def test_bad_arguments_are_clear_errors(tmp_path, real, fake, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        RealOrFakeGame(real, fake, path=tmp_path / "s.jsonl", **({"n_rounds": 10} | kwargs))


def test_uint8_images_play_with_value_range_0_255(tmp_path) -> None:
    real, fake = to_uint8(REAL, (-1, 1)), to_uint8(FAKE, (-1, 1))
    game = RealOrFakeGame(real, fake, path=tmp_path / "s.jsonl", n_rounds=4, value_range=(0, 255))
    np.testing.assert_array_equal(game.current_image(), expected_pixels(game.plan[0][0]))
