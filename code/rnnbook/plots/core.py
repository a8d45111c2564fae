"""Estilo común y figuras básicas: series, ventanas, pérdidas, predicciones."""

import numpy as np
from matplotlib.figure import Figure

from rnnbook._checks import check_array, check_int

ARCHITECTURE_COLORS = {"rnn": "#1b9e77", "lstm": "#d95f02", "gru": "#7570b3"}
"""Un color por arquitectura, el mismo en todas las figuras."""

TRUTH_COLOR = "#222222"
REFERENCE_COLOR = "#8c8c8c"
FIGURE_SIZE = (7.0, 3.6)
TALL_FIGURE_SIZE = (7.0, 5.2)


def new_figure(nrows=1, ncols=1, size=FIGURE_SIZE, **kwargs):
    """Crea una figura con el estilo común y devuelve ``(fig, axes)``."""
    fig = Figure(figsize=size, layout="constrained", dpi=110)
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    for ax in np.atleast_1d(axes).ravel():
        ax.grid(True, color="#e6e6e6", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig, axes


_ARCHITECTURE_ALIASES = {
    "rnn": "rnn", "simplernn": "rnn", "lstm": "lstm", "gru": "gru",
}
_PALETTE = ("#1f77b4", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")


def color_for(label, index=0):
    """Devuelve el color de una arquitectura o uno de la paleta por índice.

    La primera palabra de ``label`` decide: "LSTM (2 capas)" usa el color de
    la LSTM; una etiqueta sin arquitectura toma ``_PALETTE[index]``.
    """
    words = str(label).split()
    key = _ARCHITECTURE_ALIASES.get(words[0].lower() if words else "")
    if key is not None:
        return ARCHITECTURE_COLORS[key]
    return _PALETTE[index % len(_PALETTE)]


def _check_series_dict(series_by_label, name, length=None):
    if not isinstance(series_by_label, dict) or not series_by_label:
        raise TypeError(
            f"{name} debe ser un dict no vacío {{etiqueta: valores}}."
        )
    checked = {}
    for label, values in series_by_label.items():
        array = check_array(values, f"{name}[{label!r}]", ndim=1)
        if length is not None and array.size != length:
            raise ValueError(
                f"{name}[{label!r}] tiene {array.size} valores y se "
                f"esperaban {length}, uno por ventana."
            )
        checked[label] = array
    return checked


def plot_series(values, clean=None, ax=None, label="serie"):
    """Dibuja una serie (y, si se da, la señal limpia que hay debajo)."""
    values = check_array(values, "values", ndim=1)
    fig, ax = (ax.figure, ax) if ax is not None else new_figure()
    steps = np.arange(values.size)
    ax.plot(steps, values, color="#1f77b4", linewidth=0.9, label=label)
    if clean is not None:
        clean = check_array(clean, "clean", ndim=1)
        if clean.shape != values.shape:
            raise ValueError(
                f"clean tiene forma {clean.shape} y values {values.shape}; "
                "deben coincidir."
            )
        ax.plot(steps, clean, color=TRUTH_COLOR, linewidth=1.4,
                label="señal limpia")
    ax.set_xlabel("paso de tiempo")
    ax.set_ylabel("valor")
    ax.legend(loc="upper right", frameon=False)
    return fig


def plot_windows(series, n_steps, n_windows=3):
    """Dibuja las primeras ventanas de una serie y el objetivo de cada una.

    Cada fila muestra la serie en gris, los ``n_steps`` valores de entrada de
    una ventana en color y su objetivo (el valor siguiente) como un rombo.
    """
    series = check_array(series, "series", ndim=1)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    n_windows = check_int(n_windows, "n_windows", minimum=1)
    if n_steps + n_windows > series.size:
        raise ValueError(
            f"Con {series.size} valores no caben {n_windows} ventanas de "
            f"n_steps={n_steps}; reduce n_windows o n_steps."
        )
    shown = min(series.size, n_steps + n_windows + 4)
    fig, axes = new_figure(n_windows, 1, size=(7.0, 1.2 + 1.0 * n_windows),
                           sharex=True)
    steps = np.arange(shown)
    for index, ax in enumerate(np.atleast_1d(axes)):
        ax.plot(steps, series[:shown], "o", color="#d0d0d0", markersize=6)
        inputs = np.arange(index, index + n_steps)
        ax.plot(inputs, series[inputs], "o", color="#1f77b4", markersize=7,
                label="entrada (X)" if index == 0 else None)
        target = index + n_steps
        ax.plot([target], [series[target]], "D", color="#d62728",
                markersize=8, label="objetivo (y)" if index == 0 else None)
        ax.set_ylabel(f"ventana {index}")
    axes_list = np.atleast_1d(axes)
    axes_list[-1].set_xlabel("paso de tiempo")
    fig.legend(loc="outside upper center", ncols=2, frameon=False)
    return fig


def plot_loss(histories, log_scale=True):
    """Dibuja la pérdida por época de uno o varios entrenamientos.

    Parameters
    ----------
    histories : dict
        ``{etiqueta: history}``, con ``history`` el dict de
        :class:`rnnbook.training.TrainingResult`. Si hay ``val_loss`` se
        dibuja a trazos.
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError("histories debe ser un dict no vacío "
                        "{etiqueta: history}.")
    fig, ax = new_figure()
    for index, (label, history) in enumerate(histories.items()):
        if "loss" not in history:
            raise ValueError(
                f"El historial {label!r} no tiene la clave 'loss'; pasa "
                "TrainingResult.history."
            )
        color = color_for(label, index)
        epochs = np.arange(1, len(history["loss"]) + 1)
        ax.plot(epochs, history["loss"], color=color,
                label=f"{label} (entrenamiento)")
        if "val_loss" in history:
            ax.plot(epochs, history["val_loss"], "--", color=color,
                    label=f"{label} (validación)")
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("época")
    ax.set_ylabel("pérdida (MSE)")
    ax.legend(frameon=False)
    return fig


def plot_predictions(y_true, predictions, colors=None):
    """Compara predicciones con la verdad y dibuja el error de cada ventana.

    Arriba, la verdad y cada predicción; abajo, el error absoluto por
    ventana, en las mismas unidades que ``y_true``.

    Parameters
    ----------
    y_true : array_like de forma ``(muestras,)``
    predictions : dict
        ``{etiqueta: predicciones}``, cada una de forma ``(muestras,)``.
    colors : dict, optional
        ``{etiqueta: color}``; por defecto, el de la arquitectura o uno de
        la paleta.
    """
    y_true = check_array(y_true, "y_true", ndim=1)
    predictions = _check_series_dict(predictions, "predictions",
                                     length=y_true.size)
    colors = colors or {}
    fig, (top, bottom) = new_figure(2, 1, size=TALL_FIGURE_SIZE, sharex=True,
                                    height_ratios=(2, 1))
    index = np.arange(y_true.size)
    top.plot(index, y_true, color=TRUTH_COLOR, linewidth=2.2, label="verdad")
    for number, (label, values) in enumerate(predictions.items()):
        color = colors.get(label, color_for(label, number))
        top.plot(index, values, color=color, linewidth=1.4, label=label)
        bottom.plot(index, np.abs(values - y_true), color=color,
                    linewidth=1.2)
    top.set_ylabel("valor")
    top.legend(frameon=False)
    bottom.set_ylabel("error absoluto")
    bottom.set_xlabel("índice de ventana")
    return fig


def plot_bars(values_by_label, ylabel, errors=None, reference=None,
              reference_label=None, log_scale=False):
    """Dibuja una barra por etiqueta, con barras de error opcionales.

    Parameters
    ----------
    values_by_label : dict
        ``{etiqueta: valor}``.
    ylabel : str
        Rótulo del eje vertical, en minúsculas y con unidades.
    errors : dict, optional
        ``{etiqueta: dispersión}``, dibujada como barra de error.
    reference : float, optional
        Valor de referencia dibujado como línea horizontal.
    """
    if not isinstance(values_by_label, dict) or not values_by_label:
        raise TypeError("values_by_label debe ser un dict no vacío.")
    labels = list(values_by_label)
    heights = [float(values_by_label[label]) for label in labels]
    spreads = None
    if errors is not None:
        spreads = [float(errors[label]) for label in labels]
    fig, ax = new_figure()
    colors = [color_for(label, i) for i, label in enumerate(labels)]
    ax.bar(labels, heights, yerr=spreads, color=colors, capsize=4)
    if reference is not None:
        ax.axhline(reference, color=REFERENCE_COLOR, linestyle="--",
                   label=reference_label)
        if reference_label:
            ax.legend(frameon=False)
    if log_scale:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    return fig
