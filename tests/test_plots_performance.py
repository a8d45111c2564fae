import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from rnnbook.plots import (
    ARCHITECTURE_COLORS,
    plot_chapter_times,
    plot_training_times,
)
from rnnbook.plots.core import REFERENCE_COLOR
from rnnbook.plots.performance import EXECUTED_COLOR


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "una función dejó figuras abiertas"


TIMES = {
    "receta original": {"SimpleRNN": 8.0, "LSTM": 9.5, "GRU": 9.0},
    "train_model": {"SimpleRNN": 1.0, "LSTM": 1.5, "GRU": 1.4},
}


def _bar_heights(ax):
    return [patch.get_height() for patch in ax.patches]


def test_training_times_one_bar_per_model_and_recipe():
    fig = plot_training_times(TIMES)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    # Las barras se añaden por arquitectura: las dos recetas de SimpleRNN,
    # luego las de LSTM y las de GRU.
    np.testing.assert_allclose(_bar_heights(ax),
                               [8.0, 1.0, 9.5, 1.5, 9.0, 1.4])
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["receta original", "train_model"]


def test_training_times_colors_and_labels():
    ax = plot_training_times(TIMES).axes[0]
    colors = [to_hex(patch.get_facecolor()) for patch in ax.patches]
    assert colors[0] == ARCHITECTURE_COLORS["rnn"]
    assert colors[2] == ARCHITECTURE_COLORS["lstm"]
    assert colors[4] == ARCHITECTURE_COLORS["gru"]
    assert ax.get_ylabel() == "tiempo de entrenamiento (s)"
    assert ax.get_title() == ""
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["SimpleRNN", "LSTM", "GRU"]


def test_training_times_rejects_mismatched_groups():
    times = {"a": {"LSTM": 1.0, "GRU": 2.0}, "b": {"GRU": 2.0}}
    with pytest.raises(ValueError, match="debe tener las claves"):
        plot_training_times(times)


def test_training_times_rejects_negative_seconds():
    with pytest.raises(ValueError, match="debe ser >= 0.0"):
        plot_training_times({"a": {"LSTM": -1.0}})


def test_training_times_rejects_empty():
    with pytest.raises(TypeError, match="dict no vacío"):
        plot_training_times({})


def test_chapter_times_bars_and_colors():
    fig = plot_chapter_times({"book/01": 12.0, "book/02": 30.0},
                             from_cache=["book/02"])
    ax = fig.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    np.testing.assert_allclose(widths, [12.0, 30.0])
    colors = [to_hex(patch.get_facecolor()) for patch in ax.patches]
    assert colors == [EXECUTED_COLOR, REFERENCE_COLOR]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels == ["book/01", "book/02"]
    assert ax.get_xlabel() == "tiempo de ejecución (s)"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["ejecutado en esta construcción",
                      "tomado de la caché"]


def test_chapter_times_without_cache_has_no_legend():
    ax = plot_chapter_times({"book/01": 1.0}).axes[0]
    assert ax.get_legend() is None


def test_chapter_times_empty_shows_message():
    ax = plot_chapter_times({}).axes[0]
    assert [text.get_text() for text in ax.texts] == [
        "sin tiempos de capítulos en esta construcción"
    ]


def test_chapter_times_rejects_unknown_cached_chapter():
    with pytest.raises(ValueError, match=r"\['book/09'\]"):
        plot_chapter_times({"book/01": 1.0}, from_cache=["book/09"])


def test_chapter_times_rejects_list():
    with pytest.raises(TypeError, match="no list"):
        plot_chapter_times([("book/01", 1.0)])
