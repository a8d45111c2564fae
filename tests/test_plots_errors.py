import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook.plots import ARCHITECTURE_COLORS, plot_loss, plot_window_errors
from rnnbook.plots.errors import RECIPE_COLORS


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "una función dejó figuras abiertas"


def test_window_errors_one_line_per_label():
    fig = plot_window_errors(
        [0.0, 1.0, 2.0],
        {"sin escalar": [1.0, 3.0, 2.5], "con escalado": [0.0, 1.1, 2.0]},
    )
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0, 2.0, 0.5])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.0, 0.1, 0.0],
                               atol=1e-12)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])


def test_window_errors_labels_and_scale():
    fig = plot_window_errors([0.0, 1.0], {"a": [1.0, 1.0]})
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "índice de ventana"
    assert ax.get_ylabel() == "error absoluto (unidades de la serie)"
    assert ax.get_title() == ""
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["a"]


def test_window_errors_linear_scale():
    fig = plot_window_errors([0.0, 1.0], {"a": [1.0, 1.0]},
                             log_scale=False)
    assert fig.axes[0].get_yscale() == "linear"


def test_window_errors_architecture_color():
    fig = plot_window_errors([0.0, 1.0], {"GRU": [1.0, 2.0]})
    assert fig.axes[0].lines[0].get_color() == ARCHITECTURE_COLORS["gru"]


def test_window_errors_explicit_colors():
    fig = plot_window_errors([0.0, 1.0], {"a": [1.0, 2.0]},
                             colors={"a": "#000000"})
    assert fig.axes[0].lines[0].get_color() == "#000000"


def test_window_errors_length_mismatch():
    with pytest.raises(ValueError, match="uno por ventana"):
        plot_window_errors([0.0, 1.0, 2.0], {"a": [1.0, 2.0]})


def test_window_errors_predictions_not_dict():
    with pytest.raises(TypeError, match="dict no vacío"):
        plot_window_errors([0.0, 1.0], [1.0, 2.0])


def test_window_errors_colors_not_dict():
    with pytest.raises(TypeError, match="colors debe ser un dict"):
        plot_window_errors([0.0, 1.0], {"a": [1.0, 2.0]}, colors=["red"])


def test_window_errors_nan_truth():
    with pytest.raises(ValueError, match="NaN o infinitos"):
        plot_window_errors([0.0, np.nan], {"a": [1.0, 2.0]})


def test_recipe_colors_match_loss_plot():
    fig = plot_loss({"sin escalar": {"loss": [2.0, 1.0]},
                     "con escalado": {"loss": [1.0, 0.5]}})
    raw_line, scaled_line = fig.axes[0].lines
    assert raw_line.get_color() == RECIPE_COLORS["sin escalar"]
    assert scaled_line.get_color() == RECIPE_COLORS["con escalado"]
    assert RECIPE_COLORS["sin escalar"] != RECIPE_COLORS["con escalado"]
