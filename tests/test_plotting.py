"""Tests of gancourse.plotting: what is drawn, bad inputs, saving, and showing once in Jupyter."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import sys
import types
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from gancourse import display, plotting
from gancourse.pixels import to_uint8

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


def image_axes(fig: matplotlib.figure.Figure) -> list:
    return [ax for ax in fig.axes if ax.get_visible() and ax.images]


def shown_pixels(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


# ## Importing


def test_import_has_no_side_effects() -> None:
    code = (
        "import sys, matplotlib\n"
        "before = dict(matplotlib.rcParams)\n"
        "import gancourse.plotting\n"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed'\n"
        "heavy = {'matplotlib.pyplot', 'tensorflow', 'IPython'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


# ## image_grid


def test_image_grid_draws_one_axes_per_image_with_the_converted_pixels(rng) -> None:
    images = rng.random((7, 28, 28))
    fig = plotting.image_grid(images, value_range=(0, 1), ncols=3)
    axes = image_axes(fig)
    assert len(axes) == 7
    assert len(fig.axes) == 7  # the two unused cells of the 3 x 3 grid are removed
    for index in (0, 6):
        expected = to_uint8(images[index], value_range=(0, 1))
        np.testing.assert_array_equal(shown_pixels(axes[index]), expected)
        assert axes[index].images[0].get_clim() == (0, 255)  # fixed scale, not per image


@pytest.mark.parametrize(
    ("shape", "shown"),
    [
        ((5, 784), (28, 28)),
        ((5, 28, 28), (28, 28)),
        ((5, 28, 28, 1), (28, 28)),
        ((5, 32, 48, 3), (32, 48, 3)),
    ],
)
def test_image_grid_accepts_the_documented_layouts(rng, shape, shown) -> None:
    images = rng.uniform(-1, 1, shape).astype(np.float32)
    fig = plotting.image_grid(images, value_range=(-1, 1))
    axes = image_axes(fig)
    assert len(axes) == 5
    assert shown_pixels(axes[0]).shape == shown
    expected = to_uint8(images[0], value_range=(-1, 1)).reshape(shown)
    np.testing.assert_array_equal(shown_pixels(axes[0]), expected)


def test_image_grid_shows_uint8_as_given_and_honours_value_range_for_0_1_masks() -> None:
    images = np.arange(2 * 16 * 16, dtype=np.uint8).reshape(2, 16, 16)
    np.testing.assert_array_equal(shown_pixels(plotting.image_grid(images).axes[0]), images[0])
    masks = np.eye(16, dtype=bool)[None]
    fig = plotting.image_grid(masks, value_range=(0, 1))
    np.testing.assert_array_equal(shown_pixels(fig.axes[0]), masks[0] * np.uint8(255))


def test_image_grid_titles_and_default_columns(rng) -> None:
    labels = rng.integers(0, 10, 16)
    fig = plotting.image_grid(rng.random((16, 8, 8)), value_range=(0, 1), titles=labels)
    assert [ax.get_title() for ax in fig.axes] == [str(label) for label in labels]
    assert fig.axes[0].get_gridspec().ncols == 4  # 16 images: a 4 x 4 grid
    one_row = plotting.image_grid(rng.random((10, 8, 8)), value_range=(0, 1))
    assert one_row.axes[0].get_gridspec().nrows == 1


def test_image_grid_figure_size_is_about_an_inch_per_image_and_fits_a_screen(rng) -> None:
    small = plotting.image_grid(rng.random((4, 28, 28)), value_range=(0, 1))
    np.testing.assert_allclose(small.get_size_inches(), [4.0, 1.0])
    big = plotting.image_grid(rng.random((100, 28, 28)), value_range=(0, 1))
    assert max(big.get_size_inches()) <= 8.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_image_grid_without_value_range_refuses_to_guess(dtype) -> None:
    with pytest.raises(ValueError, match="value_range"):
        plotting.image_grid(np.zeros((3, 28, 28), dtype=dtype))


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((3, 783)), {}, "perfect square"),
        (np.zeros((28, 28)), {}, r"image\[None\]"),
        (np.zeros((3, 28, 28, 2)), {}, r"\(N, H, W, 3\)"),
        (np.zeros((0, 28, 28)), {}, "no images"),
        (np.zeros((300, 4, 4)), {}, "at most 256"),
        (np.zeros((3, 4, 4)), {"titles": ["a", "b"]}, "one entry per image"),
        (np.zeros((3, 4, 4)), {"ncols": 0}, "ncols"),
        (np.full((3, 4, 4), 255.0), {}, "value_range"),  # 0..255 floats, range (0, 1)
    ],
)
def test_image_grid_rejects_bad_input_with_a_clear_message(images, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        plotting.image_grid(images, value_range=(0, 1), **kwargs)


def test_image_grid_rejects_non_numeric_images() -> None:
    with pytest.raises(TypeError, match="numeric"):
        plotting.image_grid(np.full((2, 4, 4), "a"), value_range=(0, 1))


# ## compare_rows


def test_compare_rows_labels_each_row(rng) -> None:
    x = rng.random((6, 784))
    x_hat = rng.random((6, 28, 28, 1))
    fig = plotting.compare_rows({"original": x, "reconstruction": x_hat}, value_range=(0, 1))
    axes = image_axes(fig)
    assert len(axes) == 12
    assert [ax.get_ylabel() for ax in axes[::6]] == ["original", "reconstruction"]
    np.testing.assert_array_equal(
        shown_pixels(axes[6]), to_uint8(x_hat[0, ..., 0], value_range=(0, 1))
    )


def test_compare_rows_needs_the_same_number_of_images_per_row(rng) -> None:
    rows = {"original": rng.random((6, 28, 28)), "reconstruction": rng.random((5, 28, 28))}
    with pytest.raises(ValueError, match="same number of images"):
        plotting.compare_rows(rows, value_range=(0, 1))
    with pytest.raises(ValueError, match="non-empty mapping"):
        plotting.compare_rows({}, value_range=(0, 1))


# ## plot_history


def test_plot_history_draws_one_line_per_key_val_dashed_in_the_same_colour() -> None:
    history = {"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.8]}
    fig = plotting.plot_history(history)
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == list(history)
    for line, values in zip(lines, history.values(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), values)
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])  # epochs count from 1
    loss, val_loss, accuracy = lines
    assert loss.get_color() == val_loss.get_color() != accuracy.get_color()
    assert (loss.get_linestyle(), val_loss.get_linestyle()) == ("-", "--")
    assert fig.axes[0].get_xlabel() == "epoch"


def test_plot_history_takes_a_keras_history_and_a_subset_of_keys() -> None:
    keras_history = types.SimpleNamespace(history={"d_loss": [0.7, 0.6], "g_loss": [1.2, 0.9]})
    fig = plotting.plot_history(keras_history, keys=["g_loss"], xlabel="step", logy=True)
    (line,) = fig.axes[0].get_lines()
    np.testing.assert_array_equal(line.get_ydata(), [1.2, 0.9])
    assert fig.axes[0].get_yscale() == "log"


@pytest.mark.parametrize(
    ("history", "kwargs", "message"),
    [
        ({}, {}, "empty"),
        ({"loss": []}, {}, "non-empty"),
        ({"loss": [1.0]}, {"keys": ["val_loss"]}, "not in history"),
        ({"loss": [1.0, -0.5]}, {"logy": True}, "positive"),
        ([0.5, 0.4], {}, "dict"),
    ],
)
def test_plot_history_rejects_bad_input(history, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        plotting.plot_history(history, **kwargs)


# ## plot_latent_2d


def test_plot_latent_2d_scatters_the_codes_with_a_legend_of_classes(rng) -> None:
    codes = rng.normal(size=(500, 2))
    labels = rng.integers(0, 10, 500)
    fig = plotting.plot_latent_2d(codes, labels)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), codes)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [str(k) for k in range(10)]
    named = plotting.plot_latent_2d(codes[:3], [0, 2, 1], class_names=["cat", "dog", "eel"])
    assert [text.get_text() for text in named.axes[0].get_legend().get_texts()] == [
        "cat",
        "dog",
        "eel",
    ]
    assert plotting.plot_latent_2d(codes).axes[0].get_legend() is None


@pytest.mark.parametrize(
    ("codes", "labels", "kwargs", "message"),
    [
        (np.zeros((10, 3)), None, {}, r"\(N, 2\)"),
        (np.zeros(10), None, {}, r"\(N, 2\)"),
        (np.array([[0.0, np.nan]]), None, {}, "finite"),
        (np.zeros((10, 2)), np.zeros(9, dtype=int), {}, "labels"),
        (np.zeros((10, 2)), np.zeros(10), {}, "integer"),
        (np.zeros((10, 2)), np.eye(10, dtype=int), {}, "argmax"),
        (np.zeros((10, 2)), np.arange(10), {"class_names": ["a", "b"]}, "class_names"),
    ],
)
def test_plot_latent_2d_rejects_bad_input(codes, labels, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        plotting.plot_latent_2d(codes, labels, **kwargs)


# ## plot_curve


def test_plot_curve_draws_each_series_with_markers_and_code_size_ticks() -> None:
    sizes = [2, 4, 8, 16]
    ys = {"autoencoder": [0.05, 0.03, 0.02, 0.01], "PCA": [0.06, 0.04, 0.03, 0.02]}
    fig = plotting.plot_curve(sizes, ys, xlabel="code size", ylabel="MSE", logx=True)
    ax = fig.axes[0]
    for line, values in zip(ax.get_lines(), ys.values(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), values)
        assert line.get_marker() == "o"
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["2", "4", "8", "16"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("code size", "MSE")


def test_plot_curve_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="has 2 values but x has 3"):
        plotting.plot_curve([1, 2, 3], {"a": [1, 2]}, xlabel="x", ylabel="y")


# ## Saving


def png_size(png: Path | bytes) -> tuple[int, int]:
    header = (png if isinstance(png, bytes) else png.read_bytes())[:24]
    assert header[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_save_figure_writes_a_png_that_reads_back_at_100_dpi(tmp_path, rng) -> None:
    fig = plotting.plot_curve([1, 2], {"a": [1, 2]}, xlabel="x", ylabel="y")  # 6.4 x 4 inches
    path = display.save_figure(fig, tmp_path / "new" / "folder" / "curve.png")
    assert path == tmp_path / "new" / "folder" / "curve.png"
    width, height = png_size(path)
    assert matplotlib.image.imread(path).shape[:2] == (height, width)
    assert abs(width - 640) < 40 and abs(height - 400) < 40  # tight box: a few pixels off


def test_every_function_saves_when_given_a_path(tmp_path, rng) -> None:
    images = rng.random((4, 28, 28))
    calls = {
        "grid": lambda p: plotting.image_grid(images, value_range=(0, 1), path=p),
        "rows": lambda p: plotting.compare_rows({"a": images}, value_range=(0, 1), path=p),
        "history": lambda p: plotting.plot_history({"loss": [1.0, 0.5]}, path=p),
        "latent": lambda p: plotting.plot_latent_2d(rng.normal(size=(9, 2)), path=p),
        "curve": lambda p: plotting.plot_curve([1], {"a": [1]}, xlabel="x", ylabel="y", path=p),
        "bars": lambda p: plotting.metric_bars(SCORES, path=p),
        "ranks": lambda p: plotting.rank_grid(SCORES, path=p),
        "scatter": lambda p: plotting.score_scatter(SCORES, [("precision", "FID")], path=p),
    }
    for name, call in calls.items():
        call(str(tmp_path / f"{name}.png"))
        width, height = png_size(tmp_path / f"{name}.png")
        assert width > 50 and height > 50


SCORES = {
    "model A": {"FID": 10.0, "precision": 0.9, "recall": 0.2},
    "model B": {"FID": 30.0, "precision": 0.7, "recall": 0.6},
    "model C": {"FID": 10.0, "precision": 0.5, "recall": 0.4},
}


def test_metric_bars_draw_one_panel_per_metric_and_say_which_way_is_better() -> None:
    fig = plotting.metric_bars(SCORES, columns=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "FID (lower is better)",
        "precision (higher is better)",
        "recall (higher is better)",
    ]
    assert len(fig.axes) == 4  # 2 x 2 panels, the fourth hidden
    heights = [bar.get_width() for bar in visible[2].patches]
    assert heights == [0.2, 0.6, 0.4]  # recall of A, B, C, in the given order
    ticks = visible[0].get_yticks()
    bottom_to_top = [visible[0].get_yticklabels()[i].get_text() for i in np.argsort(ticks)]
    assert visible[0].yaxis_inverted() and bottom_to_top == list(SCORES)  # A drawn on top


def test_rank_grid_ranks_each_metric_with_ties_sharing_the_better_rank() -> None:
    fig = plotting.rank_grid(SCORES)
    cells = np.array([int(t.get_text()) for t in fig.axes[0].texts]).reshape(3, 3)
    # FID: A and C tie for 1st (lower is better); precision: A, B, C; recall: B, C, A.
    np.testing.assert_array_equal(cells, [[1, 1, 3], [3, 2, 1], [1, 3, 2]])


def test_score_scatter_puts_one_point_per_row_in_each_panel() -> None:
    fig = plotting.score_scatter(
        SCORES, [("precision", "recall"), ("FID", "recall")], highlight="model B"
    )
    first = fig.axes[0]
    points = np.concatenate([c.get_offsets() for c in first.collections])
    np.testing.assert_allclose(points, [[0.9, 0.2], [0.7, 0.6], [0.5, 0.4]])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list(SCORES)
    sizes = [float(c.get_sizes()[0]) for c in first.collections]
    assert sizes[1] > sizes[0] == sizes[2]  # the highlighted row is drawn larger (a star)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plotting.metric_bars({}), "non-empty mapping"),
        (lambda: plotting.metric_bars({"a": {"FID": 1.0}, "b": {"KID": 1.0}}), "same metrics"),
        (lambda: plotting.metric_bars(SCORES, columns=0), "columns must be a positive integer"),
        (lambda: plotting.score_scatter(SCORES, [("precision", "sharpness")]), "sharpness"),
        (lambda: plotting.score_scatter(SCORES, []), "pairs must be"),
        (lambda: plotting.score_scatter(SCORES, [("FID", "recall")], highlight="D"), "highlight"),
        (lambda: plotting.rank_grid({"a": {"FID": np.nan}, "b": {"FID": 1.0}}), "a: FID"),
        (lambda: plotting.rank_grid(SCORES, lower_is_better=["fid"]), r"\['fid'\]"),
        (lambda: plotting.metric_bars(SCORES, lower_is_better=["KID"]), "KID"),
    ],
)
def test_score_plots_reject_bad_input(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_save_figure_wants_a_png_path(tmp_path) -> None:
    fig = plotting.plot_history({"loss": [1.0]})
    with pytest.raises(ValueError, match=r"\.png"):
        display.save_figure(fig, tmp_path / "history.pdf")


# ## Showing: never in scripts, exactly once in Jupyter


def test_thirty_figures_do_not_pile_up_in_pyplot(rng) -> None:
    images = rng.random((4, 28, 28))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "More than 20 figures have been opened" would raise
        for _ in range(30):
            plotting.image_grid(images, value_range=(0, 1))
            plotting.plot_history({"loss": [1.0, 0.5]})
    assert plt.get_fignums() == []
    assert display._pending == []  # outside a kernel nothing waits to be shown


NOTEBOOK_CELLS = [  # (cell source, how many PNGs it must show)
    ("import numpy as np\nimport gancourse as gc\nx = np.linspace(0, 1, 256).reshape(4, 8, 8)", 0),
    ("gc.plotting.image_grid(x, value_range=(0, 1))", 1),
    ("fig = gc.plotting.image_grid(x, value_range=(0, 1))", 1),
    ("gc.plotting.image_grid(x, value_range=(0, 1))\nprint('more code')", 1),
    ("fig", 1),  # asked for again in a later cell
    ("fig = gc.plotting.plot_history({'loss': [1.0, 0.5]})\ndisplay(fig)\nprint('after')", 1),
    ("gc.plotting.image_grid(x, value_range=(0, 1));", 1),
    ("import matplotlib.pyplot as plt\n%matplotlib inline", 0),
    ("gc.plotting.image_grid(x, value_range=(0, 1))", 1),
    ("fig = gc.plotting.image_grid(x, value_range=(0, 1))\nfig.suptitle('changed later');", 1),
    ("for _ in range(2):\n    gc.plotting.plot_curve([1], {'a': [1]}, xlabel='x', ylabel='y')", 2),
    ("print(len(plt.get_fignums()))", 0),
]


def test_each_figure_is_shown_exactly_once_in_a_notebook(tmp_path, monkeypatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel picks Jupyter's inline backend
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source, _ in NOTEBOOK_CELLS]
    )
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    pngs = [
        [
            base64.b64decode(out["data"]["image/png"])
            for out in cell.outputs
            if "image/png" in out.get("data", {})
        ]
        for cell in notebook.cells
    ]
    outputs = json.dumps([cell.outputs for cell in notebook.cells], default=str)[:3000]
    assert [len(cell) for cell in pngs] == [count for _, count in NOTEBOOK_CELLS], outputs
    assert notebook.cells[-1].outputs[0]["text"].strip() == "0"  # nothing left in pyplot
    # Drawn when the cell ends, so the title added after the call is in the picture:
    assert pngs[9][0] != pngs[8][0]


# ## Convolution arithmetic


CONV_CASES = [
    dict(size=7, kernel_size=3, stride=1, padding="valid"),
    dict(size=7, kernel_size=3, stride=2, padding="same"),
    dict(size=8, kernel_size=5, stride=3, padding="same"),
    dict(size=4, kernel_size=3, stride=2, padding="same", transposed=True),
    dict(size=4, kernel_size=3, stride=2, padding="valid", transposed=True),
    dict(size=3, kernel_size=1, stride=2, padding="valid", transposed=True),
]


def test_plot_conv_arithmetic_gives_keras_sizes_one_panel_per_case() -> None:
    from gancourse.models import conv_output_size, conv_transpose_output_size

    fig = plotting.plot_conv_arithmetic(CONV_CASES, ncols=3)
    assert len(fig.axes) == len(CONV_CASES)
    for ax, case in zip(fig.axes, CONV_CASES, strict=True):
        case = dict(case)
        size_of = conv_transpose_output_size if case.pop("transposed", False) else conv_output_size
        assert ax.get_title().endswith(f"{case['size']} -> {size_of(**case)}")
    plt.close(fig)


def test_plot_conv_arithmetic_draws_each_kernel_position() -> None:
    fig = plotting.plot_conv_arithmetic([CONV_CASES[1], CONV_CASES[3]])
    convolution, transposed = fig.axes
    bands = [[p for p in ax.patches if type(p).__name__ == "Polygon"] for ax in fig.axes]
    assert len(bands[0]) == 4  # 7 -> 4: one window per output cell
    assert len(bands[1]) == 4  # one stamp per input cell
    dashed = [p for p in convolution.patches if p.get_linestyle() == "--"]
    assert len(dashed) == 2  # "same": one zero on each side for 7 -> 4 with kernel 3
    hatched = [p for p in transposed.patches if p.get_hatch()]
    assert len(hatched) == 1  # 4 -> 8: the last stamp overhangs by one cell, cropped
    plt.close(fig)


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ([], "at least one"),
        ([dict(size=7, kernel_size=3, stride=2, padding="full")], "padding must be"),
        ([dict(size=7, kernel_size=3, stride=2, padding="same", strides=2)], "unknown keys"),
        ([dict(size=2, kernel_size=3, stride=1, padding="valid")], "does not fit"),
        ([dict(size=7, kernel_size=0, stride=1, padding="valid")], "kernel_size"),
    ],
)
def test_plot_conv_arithmetic_rejects_bad_cases(cases, message) -> None:
    with pytest.raises(ValueError, match=message):
        plotting.plot_conv_arithmetic(cases)


def test_plot_confusion_writes_each_count_and_colours_rows_by_their_share() -> None:
    confusion = np.array([[8, 2, 0], [0, 5, 5], [0, 0, 0]])
    fig = plotting.plot_confusion(confusion, title="asked vs seen")
    ax = fig.axes[0]
    written = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }
    assert written == {(0, 0): "8", (0, 1): "2", (1, 1): "5", (1, 2): "5"}  # zeros left blank
    shares = ax.images[0].get_array()
    np.testing.assert_allclose(shares, [[0.8, 0.2, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])
    assert ax.get_title() == "asked vs seen" and ax.get_ylabel() == "class asked for"


@pytest.mark.parametrize(
    "confusion", [np.ones((2, 3), int), np.array([[1.5, 0], [0, 1]]), np.array([[1, -1], [0, 1]])]
)
def test_plot_confusion_refuses_what_is_not_a_square_matrix_of_counts(confusion) -> None:
    with pytest.raises(ValueError, match="square"):
        plotting.plot_confusion(confusion)
