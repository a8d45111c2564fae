"""Figuras de rendimiento: tiempo de entrenamiento y de cada capítulo."""

import numpy as np
from matplotlib.patches import Patch

from rnnbook._checks import check_float
from rnnbook.plots.core import REFERENCE_COLOR, color_for, new_figure

EXECUTED_COLOR = "#1f77b4"
"""Color de los capítulos ejecutados en la construcción actual."""


def _check_seconds(value, name):
    return check_float(value, name, minimum=0.0)


def plot_training_times(seconds_by_group,
                        ylabel="tiempo de entrenamiento (s)"):
    """Dibuja barras agrupadas: un grupo por receta, una barra por modelo.

    Parameters
    ----------
    seconds_by_group : dict
        ``{receta: {arquitectura: segundos}}``. Las etiquetas de arquitectura
        empiezan por su nombre ("SimpleRNN", "LSTM", "GRU") para tomar su
        color; todos los grupos deben tener las mismas.
    ylabel : str
        Rótulo del eje vertical, en minúsculas y con unidades.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(seconds_by_group, dict) or not seconds_by_group:
        raise TypeError(
            "seconds_by_group debe ser un dict no vacío "
            "{receta: {arquitectura: segundos}}."
        )
    groups = list(seconds_by_group)
    first = seconds_by_group[groups[0]]
    if not isinstance(first, dict) or not first:
        raise TypeError(
            f"seconds_by_group[{groups[0]!r}] debe ser un dict no vacío "
            "{arquitectura: segundos}."
        )
    labels = list(first)
    for group in groups:
        inner = seconds_by_group[group]
        if not isinstance(inner, dict) or list(inner) != labels:
            raise ValueError(
                f"seconds_by_group[{group!r}] debe tener las claves "
                f"{labels}, en ese orden, como el primer grupo."
            )

    fig, ax = new_figure()
    width = 0.8 / len(labels)
    centers = np.arange(len(groups))
    for index, label in enumerate(labels):
        heights = [
            _check_seconds(seconds_by_group[group][label],
                           f"seconds_by_group[{group!r}][{label!r}]")
            for group in groups
        ]
        offsets = centers + (index - (len(labels) - 1) / 2) * width
        bars = ax.bar(offsets, heights, width=width, label=label,
                      color=color_for(label, index))
        ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=8)
    ax.set_xticks(centers, groups)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    return fig


def plot_chapter_times(seconds_by_chapter, from_cache=()):
    """Dibuja una barra horizontal por capítulo con su tiempo de ejecución.

    Parameters
    ----------
    seconds_by_chapter : dict
        ``{capítulo: segundos}``, en el orden en que se quieren de arriba
        abajo. Vacío, la figura solo dice que no hay tiempos que mostrar.
    from_cache : collection of str
        Capítulos que no se ejecutaron en esta construcción, sino que
        salieron de la caché; se dibujan en gris.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(seconds_by_chapter, dict):
        raise TypeError(
            "seconds_by_chapter debe ser un dict {capítulo: segundos}, no "
            f"{type(seconds_by_chapter).__name__}."
        )
    unknown = sorted(set(from_cache) - set(seconds_by_chapter))
    if unknown:
        raise ValueError(
            f"from_cache nombra capítulos que no están en "
            f"seconds_by_chapter: {unknown}."
        )
    if not seconds_by_chapter:
        fig, ax = new_figure(size=(7.0, 1.6))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "sin tiempos de capítulos en esta construcción",
                ha="center", va="center", color=REFERENCE_COLOR)
        return fig
    chapters = list(seconds_by_chapter)
    seconds = [
        _check_seconds(seconds_by_chapter[chapter],
                       f"seconds_by_chapter[{chapter!r}]")
        for chapter in chapters
    ]
    colors = [REFERENCE_COLOR if chapter in from_cache else EXECUTED_COLOR
              for chapter in chapters]
    height = 1.2 + 0.4 * len(chapters)
    fig, ax = new_figure(size=(7.0, height))
    positions = np.arange(len(chapters))
    bars = ax.barh(positions, seconds, color=colors)
    ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=8)
    ax.set_yticks(positions, chapters)
    ax.invert_yaxis()  # el primer capítulo, arriba
    ax.set_xlabel("tiempo de ejecución (s)")
    if from_cache:
        handles = [
            Patch(color=EXECUTED_COLOR,
                  label="ejecutado en esta construcción"),
            Patch(color=REFERENCE_COLOR, label="tomado de la caché"),
        ]
        ax.legend(handles=handles, frameon=False, loc="lower right")
    return fig
