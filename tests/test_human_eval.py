"""Tests of gancourse.human_eval: session files (append, read, corrupt lines) and the scoring
(hand-worked rates, the bootstrap against its exact distribution and a literal resampling,
coverage of the interval in simulation, seeds, bad input)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from gancourse import human_eval
from gancourse.human_eval import Answer, SessionFileError
from gancourse.metrics import Estimate, score_session


def make_answers(real: str, fake: str, session: str = "s") -> list[Answer]:
    """Answers from two strings of answers, "r" (real) or "f" (fake): first on real images,
    then on fakes. make_answers("rf", "r") = a real called real, a real called fake, a fake
    called real."""
    items = [("real", letter) for letter in real] + [("fake", letter) for letter in fake]
    return [
        Answer(
            session=session,
            round=position,
            image=f"{truth}-{position}",
            truth=truth,
            answer="real" if letter == "r" else "fake",
            response_time=float(position),
            timestamp="2026-01-01T12:00:00+00:00",
        )
        for position, (truth, letter) in enumerate(items)
    ]


def write(path, lines: list[str], *, newline_at_end: bool = True) -> None:
    path.write_text("\n".join(lines) + ("\n" if newline_at_end else ""))


# ## Scoring: hand-worked cases


def test_rates_of_a_hand_worked_session() -> None:
    # real images: 1 of 4 called fake; fakes: 1 of 2 called real
    score = score_session(make_answers("rrfr", "rf"))
    assert score.real_error_rate.value == 0.25
    assert score.fake_error_rate.value == 0.5
    assert score.error_rate.value == pytest.approx(2 / 6)
    assert score.hype.value == pytest.approx(0.375)
    assert (score.n_real, score.n_fake, score.n_sessions) == (4, 2, 1)
    assert score.median_response_time == 2.5  # response times 0..5 s
    for estimate in (score.hype, score.error_rate, score.real_error_rate, score.fake_error_rate):
        assert 0 <= estimate.low <= estimate.value <= estimate.high <= 1


def test_a_perfect_rater_scores_zero_and_a_contrary_one_scores_one_with_no_spread() -> None:
    perfect = score_session(make_answers("rrr", "fff"))
    contrary = score_session(make_answers("fff", "rrr"))
    for name in ("hype", "error_rate", "real_error_rate", "fake_error_rate"):
        assert (getattr(perfect, name).low, getattr(perfect, name).high) == (0.0, 0.0)
        assert getattr(contrary, name) == Estimate(1.0, 1.0, 1.0)


def test_a_guessing_rater_scores_fifty_percent_whatever_their_bias() -> None:
    # someone who calls everything "real" cannot tell the two apart: HYPE score 50%, on any
    # mix of images; the pooled error rate would instead be the share of fakes shown
    score = score_session(make_answers("rrrrrr", "rr"))
    assert score.hype.value == 0.5
    assert score.error_rate.value == 0.25
    assert (score.real_error_rate.value, score.fake_error_rate.value) == (0.0, 1.0)


def test_on_a_balanced_session_the_hype_score_is_the_pooled_error_rate() -> None:
    answers = human_eval.simulate_answers(30, 30, real_error_rate=0.2, fake_error_rate=0.6)
    score = score_session(answers)
    assert score.hype.value == pytest.approx(score.error_rate.value)
    assert (score.hype.low, score.hype.high) == pytest.approx(
        (score.error_rate.low, score.error_rate.high)
    )


def test_the_report_shows_each_rate_with_its_interval() -> None:
    score = score_session(make_answers("rrfr", "rf"), confidence=0.9)
    report = str(score)
    assert "6 answers (4 real and 2 fake images)" in report
    assert "90% confidence interval" in report
    assert f"37.5%  [{score.hype.low:.1%}, {score.hype.high:.1%}]" in report
    assert "25.0%" in report and "50.0%" in report
    assert "Median response time 2.5 s" in report


def test_sessions_in_one_list_are_pooled() -> None:
    score = score_session(make_answers("rf", "rf", session="a") + make_answers("rr", "ff", "b"))
    assert score.n_sessions == 2
    assert score.real_error_rate.value == 0.25
    assert score.fake_error_rate.value == 0.25


# ## Scoring: the bootstrap


def exact_percentiles(
    k_real: int, n_real: int, k_fake: int, n_fake: int, confidence: float
) -> tuple[float, float]:
    """The percentile interval of the HYPE score from the exact bootstrap distribution: error
    counts Binomial(n, k / n) in each group, the score (K_r / n_r + K_f / n_f) / 2."""
    real = stats.binom.pmf(np.arange(n_real + 1), n_real, k_real / n_real)
    fake = stats.binom.pmf(np.arange(n_fake + 1), n_fake, k_fake / n_fake)
    values = (np.arange(n_real + 1)[:, None] / n_real + np.arange(n_fake + 1)[None] / n_fake) / 2
    order = np.argsort(values, axis=None)
    support = values.ravel()[order]
    cumulative = np.cumsum(np.outer(real, fake).ravel()[order])
    low_q, high_q = (1 - confidence) / 2, (1 + confidence) / 2
    return support[np.searchsorted(cumulative, low_q)], support[np.searchsorted(cumulative, high_q)]


@pytest.mark.parametrize(
    ("k_real", "n_real", "k_fake", "n_fake"), [(3, 10, 6, 10), (1, 8, 7, 12), (5, 25, 15, 25)]
)
def test_the_interval_matches_the_exact_bootstrap_distribution(
    k_real: int, n_real: int, k_fake: int, n_fake: int
) -> None:
    answers = make_answers(
        "f" * k_real + "r" * (n_real - k_real), "r" * k_fake + "f" * (n_fake - k_fake)
    )
    score = score_session(answers, n_bootstrap=40_000, seed=1)
    low, high = exact_percentiles(k_real, n_real, k_fake, n_fake, 0.95)
    step = 0.5 / max(n_real, n_fake)  # the smallest change of the score; quantiles may straddle
    assert score.hype.low == pytest.approx(low, abs=step + 1e-12)
    assert score.hype.high == pytest.approx(high, abs=step + 1e-12)


def test_the_interval_matches_a_literal_resampling_of_the_answers() -> None:
    answers = human_eval.simulate_answers(40, 40, real_error_rate=0.3, fake_error_rate=0.5)
    truth = np.array([item.truth == "real" for item in answers])
    wrong = np.array([not item.correct for item in answers], float)
    real, fake = wrong[truth], wrong[~truth]
    rng = np.random.default_rng(5)
    draws = [
        (rng.choice(real, len(real)).mean() + rng.choice(fake, len(fake)).mean()) / 2
        for _ in range(20_000)
    ]
    low, high = np.quantile(draws, [0.025, 0.975])
    score = score_session(answers, n_bootstrap=20_000)
    assert score.hype.low == pytest.approx(low, abs=1 / 80 + 1e-12)
    assert score.hype.high == pytest.approx(high, abs=1 / 80 + 1e-12)


def test_the_interval_covers_the_true_rate_about_as_often_as_it_says() -> None:
    true_real, true_fake = 0.2, 0.4  # true HYPE score 0.3
    covered = {0.95: 0, 0.5: 0}
    sessions = 300
    for seed in range(sessions):
        answers = human_eval.simulate_answers(
            50, 50, real_error_rate=true_real, fake_error_rate=true_fake, seed=seed
        )
        for confidence in covered:
            hype = score_session(answers, n_bootstrap=1000, confidence=confidence, seed=seed).hype
            covered[confidence] += hype.low <= 0.3 <= hype.high
    assert 0.90 <= covered[0.95] / sessions <= 0.99
    assert 0.35 <= covered[0.5] / sessions <= 0.65  # a 50% interval misses about half the time


def test_the_interval_narrows_like_one_over_the_square_root_of_the_answers() -> None:
    widths = []
    for count in (25, 100, 400):
        answers = human_eval.simulate_answers(
            count, count, real_error_rate=0.3, fake_error_rate=0.3, seed=2
        )
        hype = score_session(answers).hype
        widths.append(hype.high - hype.low)
    assert widths[0] / widths[1] == pytest.approx(2, rel=0.25)
    assert widths[1] / widths[2] == pytest.approx(2, rel=0.25)


def test_the_same_seed_gives_the_same_intervals_and_another_seed_others() -> None:
    answers = make_answers("rrfrrfrf", "rffrffrf")
    first, again = score_session(answers, seed=3), score_session(answers, seed=3)
    assert first == again
    others = [score_session(answers, seed=seed, n_bootstrap=200) for seed in range(4, 9)]
    assert len({(s.hype.low, s.hype.high, s.real_error_rate.low) for s in others}) > 1


# ## Session files


def test_answers_round_trip_through_a_file_one_json_line_each(tmp_path) -> None:
    path = tmp_path / "sub" / "session.jsonl"
    answers = make_answers("rf", "fr")
    for count, answer in enumerate(answers, start=1):
        human_eval.append_answer(path, answer)
        lines = path.read_text().splitlines()
        assert len(lines) == count
        assert json.loads(lines[-1]) == {
            "session": "s",
            "round": count - 1,
            "image": answer.image,
            "truth": answer.truth,
            "answer": answer.answer,
            "response_time": float(count - 1),
            "timestamp": "2026-01-01T12:00:00+00:00",
        }
    assert path.read_bytes().endswith(b"\n")
    assert human_eval.read_answers(path) == answers
    assert score_session(path) == score_session(answers)


def test_each_answer_is_synced_to_disk_as_it_is_written(tmp_path, monkeypatch) -> None:
    synced: list[int] = []
    real_fsync = human_eval.os.fsync

    def recording_fsync(descriptor: int) -> None:
        synced.append(len((tmp_path / "s.jsonl").read_bytes()))  # what is on disk by then
        real_fsync(descriptor)

    monkeypatch.setattr(human_eval.os, "fsync", recording_fsync)
    answers = make_answers("r", "f")
    for answer in answers:
        human_eval.append_answer(tmp_path / "s.jsonl", answer)
    first_line = len(answers[0].to_json()) + 1
    assert synced == [first_line, first_line + len(answers[1].to_json()) + 1]


def test_blank_lines_are_skipped_and_extra_fields_ignored(tmp_path) -> None:
    answers = make_answers("r", "f")
    record = json.loads(answers[1].to_json()) | {"rater": "Ada"}
    write(tmp_path / "s.jsonl", [answers[0].to_json(), "", "   ", json.dumps(record)])
    assert human_eval.read_answers(tmp_path / "s.jsonl") == answers


def test_a_last_line_cut_short_is_reported_with_the_answers_before_it(tmp_path) -> None:
    path = tmp_path / "s.jsonl"
    lines = [answer.to_json() for answer in make_answers("rf", "r")]
    write(path, [*lines[:2], lines[2][:30]], newline_at_end=False)
    with pytest.raises(SessionFileError, match=r"line 3 \(the last\) is cut short") as error:
        human_eval.read_answers(path)
    assert "The 2 answers before it are intact" in str(error.value)
    assert str(path) in str(error.value)
    with pytest.raises(SessionFileError, match="does not end with a newline"):
        human_eval.append_answer(path, make_answers("r", "")[0])
    assert path.read_text().count("\n") == 2  # nothing appended to the broken file


@pytest.mark.parametrize(
    ("bad_line", "match"),
    [
        ('{"session": "s", "round": 1', r"line 2: .*line: '\{\"session\""),  # not at the end
        ("[1, 2]", "line 2: an answer must be a JSON object"),
        ('{"session": "s"}', r"line 2: an answer needs the fields .* missing \['round'"),
        ("not json", "line 2: Expecting value"),
    ],
)
def test_a_corrupt_line_is_an_error_naming_the_line(tmp_path, bad_line: str, match: str) -> None:
    answers = make_answers("r", "f")
    write(tmp_path / "s.jsonl", [answers[0].to_json(), bad_line, answers[1].to_json()])
    with pytest.raises(SessionFileError, match=match):
        human_eval.read_answers(tmp_path / "s.jsonl")


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("truth", "Real", "truth must be 'real' or 'fake', got 'Real'"),
        ("answer", "maybe", "answer must be 'real' or 'fake', got 'maybe'"),
        ("round", -1, "round must be an integer >= 0"),
        ("round", 1.5, "round must be an integer >= 0"),
        ("session", "", "session must be a non-empty string"),
        ("image", 7, "image must be a non-empty string"),
        ("response_time", -0.5, "response_time must be seconds >= 0 or None"),
        ("response_time", "2s", "response_time must be seconds >= 0 or None"),
        ("timestamp", "yesterday", "timestamp must be an ISO 8601"),
    ],
)
def test_a_line_with_a_bad_field_is_an_error_naming_line_and_field(
    tmp_path, field: str, value: object, match: str
) -> None:
    record = json.loads(make_answers("r", "")[0].to_json()) | {field: value}
    write(tmp_path / "s.jsonl", [json.dumps(record)])
    with pytest.raises(SessionFileError, match=f"line 1: {match}"):
        human_eval.read_answers(tmp_path / "s.jsonl")
    with pytest.raises(ValueError, match=match):
        score_session([record])


def test_bytes_that_are_not_utf8_are_an_error_naming_the_line(tmp_path) -> None:
    (tmp_path / "s.jsonl").write_bytes(make_answers("r", "")[0].to_json().encode() + b"\n\xff\n")
    with pytest.raises(SessionFileError, match="line 2"):
        human_eval.read_answers(tmp_path / "s.jsonl")


def test_a_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="no session file at"):
        score_session(tmp_path / "nothing.jsonl")


# ## Bad input to the scoring


@pytest.mark.parametrize(
    ("answers", "match"),
    [
        ([], "no answers yet"),
        (make_answers("rf", ""), "no answers on fake images"),
        (make_answers("", "rf"), "no answers on real images"),
        (make_answers("r", "f") + make_answers("r", "", "s")[:1], "two answers for round 0"),
    ],
)
def test_sessions_that_cannot_be_scored_are_clear_errors(answers: list, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        score_session(answers)


def test_a_file_with_two_answers_for_one_round_cannot_be_scored(tmp_path) -> None:
    answers = make_answers("r", "f")
    write(tmp_path / "s.jsonl", [answer.to_json() for answer in [*answers, answers[0]]])
    with pytest.raises(ValueError, match="session 's' has two answers for round 0"):
        score_session(tmp_path / "s.jsonl")


def test_an_empty_file_cannot_be_scored(tmp_path) -> None:
    (tmp_path / "s.jsonl").write_text("")
    with pytest.raises(ValueError, match="no answers yet"):
        score_session(tmp_path / "s.jsonl")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_bootstrap": 10}, "n_bootstrap must be an integer >= 100"),
        ({"n_bootstrap": 1000.0}, "n_bootstrap must be an integer >= 100"),
        ({"confidence": 95}, r"confidence must be in \(0, 1\)"),
        ({"confidence": 1.0}, r"confidence must be in \(0, 1\)"),
        ({"confidence": "0.95"}, "confidence must be a number"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        score_session(make_answers("r", "f"), **kwargs)


def test_something_that_is_neither_a_path_nor_answers_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="a session file's path or a list of answers"):
        score_session(42)


# ## Simulated raters


def test_a_simulated_rater_errs_at_the_rates_asked_for() -> None:
    answers = human_eval.simulate_answers(
        4000, 2000, real_error_rate=0.1, fake_error_rate=0.7, seed=4
    )
    score = score_session(answers)
    assert (score.n_real, score.n_fake) == (4000, 2000)
    assert score.real_error_rate.value == pytest.approx(0.1, abs=0.015)
    assert score.fake_error_rate.value == pytest.approx(0.7, abs=0.03)
    truths = [item.truth for item in answers[:100]]
    assert truths != sorted(truths)  # shown in a random order
    assert human_eval.simulate_answers(5, 5, real_error_rate=0.5, fake_error_rate=0.5) == (
        human_eval.simulate_answers(5, 5, real_error_rate=0.5, fake_error_rate=0.5)
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"real_error_rate": 1.5}, r"real_error_rate must be a probability in \[0, 1\]"),
        ({"fake_error_rate": -0.1}, r"fake_error_rate must be a probability in \[0, 1\]"),
        ({"n_real": -1}, "n_real must be an integer >= 0"),
    ],
)
def test_simulate_answers_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    arguments = {"n_real": 5, "n_fake": 5, "real_error_rate": 0.2, "fake_error_rate": 0.2}
    with pytest.raises(ValueError, match=match):
        human_eval.simulate_answers(**(arguments | kwargs))
