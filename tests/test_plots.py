import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook.plots import (
    ARCHITECTURE_COLORS,
    color_for,
    plot_bars,
    plot_loss,
    plot_predictions,
    plot_series,
    plot_windows,
)


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "una función dejó figuras abiertas"


def texts_of(fig):
    labels = []
    for ax in fig.axes:
        labels += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        legend = ax.get_legend()
        if legend is not None:
            labels += [text.get_text() for text in legend.get_texts()]
    return labels


def test_plot_series_with_clean_signal():
    fig = plot_series(np.arange(10.0), clean=np.arange(10.0) * 0.5)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_ydata(),
                                  np.arange(10.0) * 0.5)
    assert ax.get_xlabel() == "paso de tiempo"
    assert ax.get_title() == ""


def test_plot_series_clean_shape_mismatch():
    with pytest.raises(ValueError, match="deben coincidir"):
        plot_series(np.arange(10.0), clean=np.arange(9.0))


def test_plot_windows_rows_and_targets():
    fig = plot_windows(np.arange(20.0), n_steps=5, n_windows=3)
    assert len(fig.axes) == 3
    for index, ax in enumerate(fig.axes):
        inputs, target = ax.lines[1], ax.lines[2]
        np.testing.assert_array_equal(inputs.get_xdata(),
                                      np.arange(index, index + 5))
        assert list(target.get_ydata()) == [index + 5]


def test_plot_windows_too_many():
    with pytest.raises(ValueError, match="no caben 8 ventanas"):
        plot_windows(np.arange(10.0), n_steps=5, n_windows=8)


def test_plot_loss_draws_validation_dashed():
    histories = {"LSTM": {"loss": [3.0, 2.0, 1.0],
                          "val_loss": [3.5, 2.5, 2.0]}}
    fig = plot_loss(histories)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    assert ax.lines[1].get_linestyle() == "--"
    assert ax.lines[0].get_color() == ARCHITECTURE_COLORS["lstm"]
    assert ax.get_yscale() == "log"
    assert "época" in texts_of(fig)


def test_plot_loss_rejects_missing_key():
    with pytest.raises(ValueError, match="no tiene la clave 'loss'"):
        plot_loss({"GRU": {"val_loss": [1.0]}})


def test_plot_loss_rejects_empty():
    with pytest.raises(TypeError, match="dict no vacío"):
        plot_loss({})


def test_plot_predictions_error_panel():
    truth = np.array([0.0, 1.0, 2.0])
    fig = plot_predictions(truth, {"GRU": np.array([0.0, 2.0, 5.0])})
    top, bottom = fig.axes
    assert len(top.lines) == 2
    np.testing.assert_array_equal(bottom.lines[0].get_ydata(), [0, 1, 3])
    assert bottom.get_xlabel() == "índice de ventana"


def test_plot_predictions_length_mismatch():
    with pytest.raises(ValueError, match="se esperaban 3"):
        plot_predictions(np.zeros(3), {"RNN": np.zeros(4)})


def test_plot_bars_reference_line():
    fig = plot_bars({"RNN": 1.0, "LSTM": 2.0}, "mse",
                    errors={"RNN": 0.1, "LSTM": 0.2}, reference=0.5,
                    reference_label="sigma²")
    ax = fig.axes[0]
    assert [patch.get_height() for patch in ax.patches] == [1.0, 2.0]
    assert ax.lines[-1].get_ydata()[0] == 0.5
    assert "sigma²" in texts_of(fig)


def test_color_for_architectures_and_palette():
    assert color_for("SimpleRNN") == ARCHITECTURE_COLORS["rnn"]
    assert color_for("GRU (2 capas)") == ARCHITECTURE_COLORS["gru"]
    assert color_for("lineal", 0) != color_for("lineal", 1)
