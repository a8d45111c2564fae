"""Figuras del libro.

Cada función crea una :class:`matplotlib.figure.Figure` sin pasar por
``pyplot``: no elige backend, no llama a ``plt.show()`` y no deja figuras
abiertas en el estado global. El capítulo decide cómo mostrarla.

Las funciones están repartidas por tema en submódulos y se importan todas
desde aquí: ``from rnnbook.plots import plot_loss``.
"""

from rnnbook.plots.comparison import (
    plot_error_comparison,
    plot_multistep,
    plot_noisy_sine,
    plot_stacking,
    plot_test_predictions,
    plot_window_sweep,
)
from rnnbook.plots.core import (
    ARCHITECTURE_COLORS,
    color_for,
    new_figure,
    plot_bars,
    plot_loss,
    plot_predictions,
    plot_series,
    plot_windows,
)
from rnnbook.plots.errors import plot_window_errors
from rnnbook.plots.memory import plot_accuracy_by_lag, plot_gradient_norms
from rnnbook.plots.performance import plot_chapter_times, plot_training_times

__all__ = [
    "ARCHITECTURE_COLORS",
    "color_for",
    "new_figure",
    "plot_accuracy_by_lag",
    "plot_bars",
    "plot_chapter_times",
    "plot_error_comparison",
    "plot_gradient_norms",
    "plot_loss",
    "plot_multistep",
    "plot_noisy_sine",
    "plot_predictions",
    "plot_series",
    "plot_stacking",
    "plot_test_predictions",
    "plot_training_times",
    "plot_window_errors",
    "plot_window_sweep",
    "plot_windows",
]
