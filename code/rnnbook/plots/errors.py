"""Error de cada ventana en escala logarítmica."""

import numpy as np

from rnnbook._checks import check_array
from rnnbook.plots.core import _check_series_dict, color_for, new_figure

RECIPE_COLORS = {
    "sin escalar": color_for("sin escalar", 0),
    "con escalado": color_for("con escalado", 1),
}
"""Color de cada receta en los capítulos de SimpleRNN, LSTM y GRU.

Son los dos primeros colores de la paleta, los mismos que reciben las dos
recetas en ese orden en las figuras que no aceptan colores, como
:func:`rnnbook.plots.core.plot_loss`.
"""


def plot_window_errors(y_true, predictions, colors=None, log_scale=True):
    """Dibuja el error absoluto de cada ventana, una línea por modelo.

    Con escala logarítmica, errores que difieren en varios órdenes de
    magnitud caben en el mismo eje, cosa que la escala lineal de
    :func:`rnnbook.plots.core.plot_predictions` no permite. Una ventana con
    error exactamente cero no tiene logaritmo y queda sin dibujar.

    Parameters
    ----------
    y_true : array_like de forma ``(muestras,)``
    predictions : dict
        ``{etiqueta: predicciones}``, cada una de forma ``(muestras,)`` y en
        las mismas unidades que ``y_true``.
    colors : dict, optional
        ``{etiqueta: color}``; por defecto, el de la arquitectura o uno de
        la paleta.
    log_scale : bool
        Eje vertical logarítmico.

    Returns
    -------
    matplotlib.figure.Figure
    """
    y_true = check_array(y_true, "y_true", ndim=1)
    predictions = _check_series_dict(predictions, "predictions",
                                     length=y_true.size)
    if colors is not None and not isinstance(colors, dict):
        raise TypeError(
            f"colors debe ser un dict {{etiqueta: color}}, no "
            f"{type(colors).__name__}."
        )
    colors = colors or {}
    fig, ax = new_figure()
    index = np.arange(y_true.size)
    for number, (label, values) in enumerate(predictions.items()):
        color = colors.get(label, color_for(label, number))
        ax.plot(index, np.abs(values - y_true), color=color, linewidth=1.4,
                label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("índice de ventana")
    ax.set_ylabel("error absoluto (unidades de la serie)")
    ax.legend(frameon=False)
    return fig
