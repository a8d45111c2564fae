"""Figuras del ejercicio final: datos, comparación, barridos y horizontes.

Las funciones reciben arrays y los resultados de :mod:`rnnbook.experiments`
(se leen solo sus atributos, así que este módulo no importa TensorFlow).
Los errores se dibujan como cociente ``MSE / sigma**2``: la línea en 1 es
el ruido, el error que ningún predictor de un paso puede evitar.
"""

import numpy as np

from rnnbook._checks import check_array, check_float, check_int
from rnnbook.plots.core import (
    ARCHITECTURE_COLORS,
    REFERENCE_COLOR,
    TALL_FIGURE_SIZE,
    TRUTH_COLOR,
    color_for,
    new_figure,
)

BASELINE_COLORS = {"persistencia": "#c7c7c7", "lineal": "#7f7f7f"}
"""Gris claro para la persistencia y oscuro para el modelo lineal."""

NOISE_LABEL = "ruido (σ²)"
SPLIT_SHADES = {"validación": "#fdf1d6", "prueba": "#e3eef9"}


def _check_positive(value, name):
    return check_float(value, name, minimum=0.0, strict=True)


def _check_sequence(items, name):
    items = list(items)
    if not items:
        raise ValueError(f"{name} está vacío; pasa al menos un elemento.")
    return items


def plot_noisy_sine(noisy, clean, boundaries, zoom=120):
    """Dibuja la serie con ruido, su división y un tramo ampliado.

    Arriba, la serie entera con los tramos de validación y prueba
    sombreados. Abajo, sus ``zoom`` primeros valores sobre la señal
    limpia.

    Parameters
    ----------
    noisy, clean : array_like de forma ``(tiempo,)``
    boundaries : tuple of int
        Índices donde empiezan la validación y la prueba.
    zoom : int
        Valores del tramo ampliado.
    """
    noisy = check_array(noisy, "noisy", ndim=1)
    clean = check_array(clean, "clean", ndim=1)
    if clean.shape != noisy.shape:
        raise ValueError(
            f"clean tiene forma {clean.shape} y noisy {noisy.shape}; deben "
            "coincidir."
        )
    zoom = check_int(zoom, "zoom", minimum=2)
    if len(boundaries) != 2 or not (
        0 < boundaries[0] < boundaries[1] < noisy.size
    ):
        raise ValueError(
            f"boundaries={boundaries!r} no es válido: deben ser dos "
            f"índices crecientes entre 1 y {noisy.size - 1}."
        )
    zoom = min(zoom, noisy.size)

    fig, (top, bottom) = new_figure(2, 1, size=TALL_FIGURE_SIZE)
    steps = np.arange(noisy.size)
    top.plot(steps, noisy, color="#1f77b4", linewidth=0.5)
    edges = (boundaries[0], boundaries[1], noisy.size)
    for (label, shade), start, end in zip(
        SPLIT_SHADES.items(), edges[:-1], edges[1:], strict=True
    ):
        top.axvspan(start, end, color=shade, label=label)
    top.set_xlim(0, noisy.size)
    top.set_xlabel("paso de tiempo")
    top.set_ylabel("valor")
    top.legend(loc="upper right", frameon=True, ncols=2)

    bottom.plot(steps[:zoom], noisy[:zoom], "o", color="#1f77b4",
                markersize=3, label="serie con ruido")
    bottom.plot(steps[:zoom], clean[:zoom], color=TRUTH_COLOR,
                linewidth=1.4, label="señal limpia")
    bottom.set_xlabel("paso de tiempo")
    bottom.set_ylabel("valor")
    bottom.legend(loc="upper right", frameon=False, ncols=2)
    return fig


def plot_error_comparison(summaries, runs, baselines, noise_var):
    """Compara el error de cada modelo con el ruido y con las referencias.

    A la izquierda, una barra por modelo con la media de ``MSE / sigma**2``
    entre semillas y su desviación típica. A la derecha, una ampliación con
    cada semilla como un punto y el modelo lineal como línea.

    Parameters
    ----------
    summaries : sequence of RunSummary
        Resúmenes de :func:`rnnbook.experiments.summarize_runs`.
    runs : sequence of RunResult
        Las ejecuciones que resumen ``summaries``.
    baselines : dict
        ``{nombre: MSE}`` de los modelos de referencia.
    noise_var : float
        Varianza del ruido, ``sigma**2``.
    """
    summaries = _check_sequence(summaries, "summaries")
    runs = _check_sequence(runs, "runs")
    noise_var = _check_positive(noise_var, "noise_var")
    if not isinstance(baselines, dict):
        raise TypeError("baselines debe ser un dict {nombre: MSE}.")

    fig, (left, right) = new_figure(1, 2, width_ratios=(3, 2))
    labels, heights, spreads, colors = [], [], [], []
    for name, mse in baselines.items():
        labels.append(name)
        heights.append(float(mse) / noise_var)
        spreads.append(0.0)
        colors.append(BASELINE_COLORS.get(name, REFERENCE_COLOR))
    for summary in summaries:
        labels.append(summary.label)
        heights.append(summary.ratio_mean)
        spreads.append(summary.ratio_std)
        colors.append(color_for(summary.label))
    left.bar(labels, heights, yerr=spreads, color=colors, capsize=4)
    left.axhline(1.0, color=TRUTH_COLOR, linestyle="--", linewidth=1.0,
                 label=NOISE_LABEL)
    left.set_ylabel("MSE / σ² (prueba)")
    left.tick_params(axis="x", labelrotation=20)
    left.legend(frameon=False, loc="upper right")

    positions = {summary.label: i for i, summary in enumerate(summaries)}
    for run in runs:
        label = run.label
        if label not in positions:
            raise ValueError(
                f"La ejecución {label!r} no tiene resumen en summaries; "
                "pasa los resúmenes de las mismas ejecuciones."
            )
        right.plot(positions[label], run.mse / noise_var, "o",
                   color=color_for(label), markersize=6, alpha=0.8)
    if "lineal" in baselines:
        right.axhline(float(baselines["lineal"]) / noise_var,
                      color=BASELINE_COLORS["lineal"], linestyle=":",
                      label="lineal")
    right.axhline(1.0, color=TRUTH_COLOR, linestyle="--", linewidth=1.0)
    right.set_xticks(range(len(summaries)),
                     [summary.label for summary in summaries])
    right.set_xlim(-0.5, len(summaries) - 0.5)
    right.set_ylabel("MSE / σ² por semilla")
    right.legend(frameon=False, loc="upper right")
    return fig


def plot_test_predictions(steps, truth, clean, predictions):
    """Dibuja un tramo de la prueba: observaciones, señal y predicciones.

    Parameters
    ----------
    steps : array_like de forma ``(muestras,)``
        Pasos de tiempo de los objetivos, para el eje horizontal.
    truth, clean : array_like de forma ``(muestras,)``
        Valores observados (con ruido) y señal limpia.
    predictions : dict
        ``{etiqueta: predicciones (muestras,)}``.
    """
    steps = check_array(steps, "steps", ndim=1)
    truth = check_array(truth, "truth", ndim=1)
    clean = check_array(clean, "clean", ndim=1)
    for name, values in (("truth", truth), ("clean", clean)):
        if values.shape != steps.shape:
            raise ValueError(
                f"{name} tiene forma {values.shape} y steps {steps.shape}; "
                "deben coincidir."
            )
    if not isinstance(predictions, dict) or not predictions:
        raise TypeError(
            "predictions debe ser un dict no vacío {etiqueta: valores}."
        )

    fig, ax = new_figure(size=TALL_FIGURE_SIZE)
    ax.plot(steps, truth, "o", color="#9ecae1", markersize=3.5,
            label="observado (con ruido)")
    ax.plot(steps, clean, color=TRUTH_COLOR, linewidth=2.0,
            label="señal limpia")
    for index, (label, values) in enumerate(predictions.items()):
        values = check_array(values, f"predictions[{label!r}]", ndim=1)
        if values.shape != steps.shape:
            raise ValueError(
                f"predictions[{label!r}] tiene {values.size} valores y "
                f"steps {steps.size}; deben coincidir."
            )
        color = BASELINE_COLORS.get(label, color_for(label, index))
        ax.plot(steps, values, color=color, linewidth=1.3, label=label)
    ax.set_xlabel("paso de tiempo")
    ax.set_ylabel("valor")
    ax.legend(frameon=False, ncols=3, loc="upper center",
              bbox_to_anchor=(0.5, 1.15))
    return fig


def _plot_sweep(summaries, x_attribute, xlabel, noise_var,
                reference=None, log_x=False):
    summaries = _check_sequence(summaries, "summaries")
    noise_var = _check_positive(noise_var, "noise_var")
    fig, (top, bottom) = new_figure(2, 1, size=TALL_FIGURE_SIZE,
                                    sharex=True)
    for architecture, color in ARCHITECTURE_COLORS.items():
        rows = sorted(
            (s for s in summaries if s.architecture == architecture),
            key=lambda s: getattr(s, x_attribute),
        )
        if not rows:
            continue
        x = [getattr(s, x_attribute) for s in rows]
        label = rows[0].label.split()[0]
        top.plot(x, [s.mse_mean / noise_var for s in rows], "o-",
                 color=color, label=label)
        bottom.plot(x, [1000 * s.epoch_seconds_mean for s in rows], "o-",
                    color=color, label=label)
    if reference:
        x = sorted(reference)
        top.plot(x, [reference[k] / noise_var for k in x], "s:",
                 color=BASELINE_COLORS["lineal"], label="lineal")
    top.axhline(1.0, color=TRUTH_COLOR, linestyle="--", linewidth=1.0,
                label=NOISE_LABEL)
    top.set_ylabel("MSE / σ² (prueba)")
    top.legend(frameon=False, ncols=3)
    bottom.set_ylabel("tiempo por época (ms)")
    bottom.set_xlabel(xlabel)
    bottom.set_ylim(bottom=0)
    xs = sorted({getattr(s, x_attribute) for s in summaries})
    if log_x:
        bottom.set_xscale("log", base=2)
    bottom.set_xticks(xs, [str(x) for x in xs])
    bottom.minorticks_off()
    return fig


def plot_stacking(summaries, noise_var):
    """Dibuja error y tiempo por época frente al número de capas.

    Parameters
    ----------
    summaries : sequence of RunSummary
        Un resumen por arquitectura y número de capas.
    noise_var : float
        Varianza del ruido, ``sigma**2``.
    """
    return _plot_sweep(summaries, "n_layers", "capas recurrentes apiladas",
                       noise_var)


def plot_window_sweep(summaries, noise_var, linear_mse=None):
    """Dibuja error y tiempo por época frente a ``n_steps``.

    Parameters
    ----------
    summaries : sequence of RunSummary
        Un resumen por arquitectura y longitud de ventana.
    noise_var : float
        Varianza del ruido, ``sigma**2``.
    linear_mse : dict, optional
        ``{n_steps: MSE}`` del modelo lineal, dibujado como referencia.
    """
    return _plot_sweep(summaries, "n_steps",
                       "pasos por ventana (n_steps, escala logarítmica)",
                       noise_var, reference=linear_mse, log_x=True)


def _family(label):
    # "LSTM (semilla 1)" -> "LSTM": una entrada de leyenda por modelo.
    return str(label).split(" (")[0]


def plot_multistep(forecast, noise_var, series_var, *, period=None,
                   example_labels=None):
    """Dibuja predicciones realimentadas y su error según el horizonte.

    Arriba, la ventana de partida, lo observado después, la señal limpia y
    la predicción de los modelos de ``example_labels``. Abajo, el MSE
    medio en cada paso del horizonte de todos los modelos, en escala
    logarítmica, con el ruido y la varianza de la serie como referencias.
    Las etiquetas como «LSTM (semilla 1)» comparten color y una sola
    entrada de leyenda por modelo.

    Parameters
    ----------
    forecast : MultiStepForecast
        Resultado de :func:`rnnbook.experiments.multi_step_forecast`.
    noise_var : float
        Varianza del ruido, ``sigma**2``.
    series_var : float
        Varianza de la serie: el MSE de predecir siempre su media.
    period : float, optional
        Periodo de la serie, en pasos. Abajo se marca cada periodo
        completo con una línea vertical.
    example_labels : sequence of str, optional
        Modelos que se dibujan arriba, por defecto todos.
    """
    noise_var = _check_positive(noise_var, "noise_var")
    series_var = _check_positive(series_var, "series_var")
    if example_labels is None:
        example_labels = list(forecast.forecasts)
    missing = [label for label in example_labels
               if label not in forecast.forecasts]
    if missing:
        raise ValueError(
            f"example_labels contiene modelos sin predicción: {missing}; "
            f"usa algunos de {list(forecast.forecasts)}."
        )
    n_history = len(forecast.history)
    start = forecast.example_start
    past = np.arange(start - n_history, start)
    future = np.arange(start, start + forecast.n_ahead)

    fig, (top, bottom) = new_figure(2, 1, size=TALL_FIGURE_SIZE)
    top.plot(past, forecast.history, "o", color="#1f77b4", markersize=3,
             label="ventana de partida")
    top.plot(future, forecast.truth, "o", color="#9ecae1", markersize=3,
             label="observado después")
    top.plot(future, forecast.clean, color=TRUTH_COLOR, linewidth=2.0,
             label="señal limpia")
    for index, label in enumerate(example_labels):
        color = BASELINE_COLORS.get(label, color_for(label, index))
        top.plot(future, forecast.forecasts[label], color=color,
                 linewidth=1.5, label=label)
    top.axvline(start - 0.5, color=REFERENCE_COLOR, linewidth=0.8)
    top.set_xlabel("paso de tiempo")
    top.set_ylabel("valor")
    top.legend(frameon=False, ncols=3, fontsize="small",
               loc="upper center", bbox_to_anchor=(0.5, 1.35))

    horizons = np.arange(1, forecast.n_ahead + 1)
    seen = set()
    for index, (label, mse) in enumerate(
        forecast.mse_by_horizon.items()
    ):
        family = _family(label)
        color = BASELINE_COLORS.get(family, color_for(family, index))
        legend_label = "_nolegend_" if family in seen else family
        seen.add(family)
        bottom.plot(horizons, mse, color=color, linewidth=1.2,
                    label=legend_label)
    bottom.axhline(noise_var, color=TRUTH_COLOR, linestyle="--",
                   linewidth=1.0, label=NOISE_LABEL)
    bottom.axhline(series_var, color=REFERENCE_COLOR, linestyle=":",
                   label="varianza de la serie")
    if period is not None:
        period = _check_positive(period, "period")
        for mark in np.arange(period, forecast.n_ahead + 1, period):
            bottom.axvline(mark, color=REFERENCE_COLOR, linewidth=0.6)
    # Escala logarítmica: el ruido y la varianza de la serie difieren en
    # más de un orden de magnitud, y la deriva lenta de un modelo
    # quedaría aplastada contra la línea del ruido.
    bottom.set_yscale("log")
    bottom.set_xlabel("pasos hacia delante (horizonte)")
    bottom.set_ylabel("MSE (prueba)")
    # Debajo del eje: dentro taparía las curvas de la persistencia.
    bottom.legend(frameon=False, fontsize="small", ncols=4,
                  loc="upper center", bbox_to_anchor=(0.5, -0.25))
    return fig
