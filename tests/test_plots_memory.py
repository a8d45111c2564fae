import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook.plots import (
    ARCHITECTURE_COLORS,
    plot_accuracy_by_lag,
    plot_gradient_norms,
)

LAGS = [5, 10, 20]
ACCURACY = {"rnn": [1.0, 0.5, 0.25], "lstm": [1.0, 1.0, 0.9]}


def _legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_accuracy_by_lag_lines():
    fig = plot_accuracy_by_lag(LAGS, ACCURACY, chance=0.25)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_array_equal(lines[0].get_xdata(), LAGS)
    np.testing.assert_array_equal(lines[0].get_ydata(), ACCURACY["rnn"])
    np.testing.assert_array_equal(lines[1].get_ydata(), ACCURACY["lstm"])
    np.testing.assert_array_equal(lines[2].get_ydata(), [0.25] * 3)
    assert lines[0].get_color() == ARCHITECTURE_COLORS["rnn"]
    assert lines[1].get_color() == ARCHITECTURE_COLORS["lstm"]


def test_accuracy_by_lag_axes_and_legend():
    ax = plot_accuracy_by_lag(LAGS, ACCURACY, chance=0.25).axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_ylim() == (0.0, 1.05)
    assert ax.get_xlabel().startswith("retardo k")
    assert ax.get_ylabel() == "exactitud de prueba"
    assert ax.get_title() == ""
    assert _legend_texts(ax) == ["SimpleRNN", "LSTM",
                                 "azar (clase más frecuente)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "10", "20"]


def test_accuracy_by_lag_chance_per_lag_and_threshold():
    ax = plot_accuracy_by_lag(LAGS, ACCURACY, chance=[0.25, 0.3, 0.26],
                              threshold=0.9).axes[0]
    lines = ax.get_lines()
    assert len(lines) == 4
    np.testing.assert_array_equal(lines[2].get_ydata(), [0.25, 0.3, 0.26])
    np.testing.assert_array_equal(lines[3].get_ydata(), [0.9, 0.9])
    assert _legend_texts(ax)[-1] == "umbral de aprendido"


def test_accuracy_by_lag_rejects_non_positive_lag():
    with pytest.raises(ValueError, match=r"lags=\[0.0, 10.0\] contiene"):
        plot_accuracy_by_lag([0, 10], {"rnn": [1.0, 1.0]}, chance=0.5)


def test_accuracy_by_lag_rejects_empty_accuracy():
    with pytest.raises(TypeError, match="accuracy debe ser un dict"):
        plot_accuracy_by_lag(LAGS, {}, chance=0.25)


def test_accuracy_by_lag_rejects_length_mismatch():
    with pytest.raises(ValueError, match=r"accuracy\['gru'\] tiene 2"):
        plot_accuracy_by_lag(LAGS, {"gru": [1.0, 0.5]}, chance=0.25)


def test_accuracy_by_lag_rejects_chance_mismatch():
    with pytest.raises(ValueError, match="chance tiene 2 valores y lags 3"):
        plot_accuracy_by_lag(LAGS, ACCURACY, chance=[0.25, 0.25])


@pytest.mark.parametrize("chance", [1.5, -0.1])
def test_accuracy_by_lag_rejects_chance_out_of_range(chance):
    with pytest.raises(ValueError, match=f"chance={chance} no es válido"):
        plot_accuracy_by_lag(LAGS, ACCURACY, chance=chance)


PROFILES = {
    "sin entrenar": {"rnn": [1e-6, 1e-3, 1e-1], "gru": [0.0, 1e-4, 1e-1]},
    "entrenado": {"rnn": [1e-2, 1e-2, 1e-1]},
}


def test_gradient_norms_lines():
    fig = plot_gradient_norms(PROFILES)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3
    # distancia al último paso: el primer paso está a distancia 2
    np.testing.assert_array_equal(lines[0].get_xdata(), [2, 1, 0])
    np.testing.assert_array_equal(lines[0].get_ydata(), [1e-6, 1e-3, 1e-1])
    assert lines[0].get_linestyle() == ":"
    assert lines[2].get_linestyle() == "-"
    assert lines[1].get_color() == ARCHITECTURE_COLORS["gru"]


def test_gradient_norms_zero_not_drawn():
    line = plot_gradient_norms(PROFILES).axes[0].get_lines()[1]
    ydata = np.asarray(line.get_ydata(), dtype=float)
    assert np.isnan(ydata[0])
    np.testing.assert_array_equal(ydata[1:], [1e-4, 1e-1])


def test_gradient_norms_axes_and_legend():
    ax = plot_gradient_norms(PROFILES).axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "distancia al último paso (pasos)"
    assert ax.get_ylabel() == r"norma media de $\partial L / \partial x_t$"
    assert ax.get_title() == ""
    assert _legend_texts(ax) == ["SimpleRNN", "GRU", "sin entrenar",
                                 "entrenado"]


def test_gradient_norms_rejects_unknown_state():
    with pytest.raises(ValueError, match=r"Estados desconocidos.*'final'"):
        plot_gradient_norms({"final": {"rnn": [1.0]}})


def test_gradient_norms_rejects_negative():
    with pytest.raises(ValueError, match="contiene valores negativos"):
        plot_gradient_norms({"entrenado": {"rnn": [1.0, -1.0]}})


@pytest.mark.parametrize("profiles", [{}, [1.0], {"entrenado": [1.0]}])
def test_gradient_norms_rejects_bad_structure(profiles):
    with pytest.raises(TypeError, match="debe ser un dict"):
        plot_gradient_norms(profiles)
