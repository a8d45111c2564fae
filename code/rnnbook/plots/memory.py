"""Figuras de la memoria: exactitud frente al retardo y gradientes."""

import numpy as np
from matplotlib.lines import Line2D

from rnnbook._checks import check_array, check_float
from rnnbook.models import DISPLAY_NAMES
from rnnbook.plots.core import REFERENCE_COLOR, color_for, new_figure

_PROFILE_STYLES = {"sin entrenar": ":", "entrenado": "-"}


def _display_name(label):
    return DISPLAY_NAMES.get(str(label).lower(), str(label))


def plot_accuracy_by_lag(lags, accuracy, chance, threshold=None):
    """Dibuja la exactitud de prueba de cada arquitectura frente al retardo.

    Parameters
    ----------
    lags : array_like de forma ``(retardos,)``
        Retardos, positivos; el eje horizontal es logarítmico.
    accuracy : dict
        ``{arquitectura: exactitudes}``, una por retardo.
    chance : float o array_like de forma ``(retardos,)``
        Exactitud del modelo de referencia, dibujada a trazos grises.
    threshold : float, optional
        Umbral a partir del cual un retardo se da por aprendido, dibujado
        como línea de puntos.
    """
    lags = check_array(lags, "lags", ndim=1)
    if np.any(lags <= 0):
        raise ValueError(
            f"lags={lags.tolist()} contiene valores <= 0, que no caben en "
            "un eje logarítmico; pasa retardos positivos."
        )
    if not isinstance(accuracy, dict) or not accuracy:
        raise TypeError(
            "accuracy debe ser un dict no vacío {arquitectura: exactitudes}."
        )
    if np.ndim(chance) == 0:
        chance = check_float(chance, "chance", minimum=0.0, maximum=1.0)
        chance_values = np.full(lags.shape, chance)
    else:
        chance_values = check_array(chance, "chance", ndim=1)
    if chance_values.shape != lags.shape:
        raise ValueError(
            f"chance tiene {chance_values.size} valores y lags "
            f"{lags.size}; pasa un número o uno por retardo."
        )

    fig, ax = new_figure()
    for index, (label, values) in enumerate(accuracy.items()):
        values = check_array(values, f"accuracy[{label!r}]", ndim=1)
        if values.shape != lags.shape:
            raise ValueError(
                f"accuracy[{label!r}] tiene {values.size} valores y lags "
                f"{lags.size}; pasa una exactitud por retardo."
            )
        ax.plot(lags, values, "o-", color=color_for(label, index),
                label=_display_name(label))
    ax.plot(lags, chance_values, "--", color=REFERENCE_COLOR,
            label="azar (clase más frecuente)")
    if threshold is not None:
        threshold = check_float(threshold, "threshold", minimum=0.0,
                                maximum=1.0)
        ax.axhline(threshold, color=REFERENCE_COLOR, linestyle=":",
                   label="umbral de aprendido")
    ax.set_xscale("log")
    ax.set_xticks(lags, [f"{lag:g}" for lag in lags])
    ax.minorticks_off()
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("retardo k (pasos entre la clave y la respuesta)")
    ax.set_ylabel("exactitud de prueba")
    ax.legend(frameon=False, loc="center left")
    return fig


def plot_gradient_norms(profiles):
    """Dibuja la norma del gradiente frente a la distancia al último paso.

    Cada arquitectura tiene su color; el estado del modelo ("sin entrenar"
    o "entrenado") decide el trazo. El eje vertical es logarítmico, y las
    normas que valen 0 (gradientes por debajo del menor ``float32``) no se
    dibujan.

    Parameters
    ----------
    profiles : dict
        ``{estado: {arquitectura: normas}}`` como el que devuelve
        :func:`rnnbook.memory.gradient_profiles`, con las normas en el
        orden de la secuencia (la última, del último paso).
    """
    if not isinstance(profiles, dict) or not profiles:
        raise TypeError(
            "profiles debe ser un dict no vacío "
            "{estado: {arquitectura: normas}}."
        )
    unknown = set(profiles) - set(_PROFILE_STYLES)
    if unknown:
        raise ValueError(
            f"Estados desconocidos en profiles: {sorted(unknown)}; usa "
            f"{sorted(_PROFILE_STYLES)}."
        )

    fig, ax = new_figure()
    architectures = []
    for state, norms_by_architecture in profiles.items():
        if not isinstance(norms_by_architecture, dict):
            raise TypeError(
                f"profiles[{state!r}] debe ser un dict "
                "{arquitectura: normas}."
            )
        for index, (label, norms) in enumerate(
            norms_by_architecture.items()
        ):
            norms = check_array(norms, f"profiles[{state!r}][{label!r}]",
                                ndim=1)
            if np.any(norms < 0):
                raise ValueError(
                    f"profiles[{state!r}][{label!r}] contiene valores "
                    "negativos; una norma es siempre >= 0."
                )
            # distancia 0 = último paso de la secuencia
            distance = np.arange(norms.size)[::-1]
            visible = np.where(norms > 0, norms, np.nan)
            ax.plot(distance, visible, _PROFILE_STYLES[state],
                    color=color_for(label, index), linewidth=1.6)
            if label not in architectures:
                architectures.append(label)
    ax.set_yscale("log")
    ax.set_xlabel("distancia al último paso (pasos)")
    ax.set_ylabel(r"norma media de $\partial L / \partial x_t$")
    handles = [
        Line2D([], [], color=color_for(label, index),
               label=_display_name(label))
        for index, label in enumerate(architectures)
    ]
    handles += [
        Line2D([], [], color=REFERENCE_COLOR, linestyle=style, label=state)
        for state, style in _PROFILE_STYLES.items() if state in profiles
    ]
    ax.legend(handles=handles, frameon=False, ncols=2)
    return fig
