"""Tiempo de entrenamiento de tres recetas sobre el mismo modelo y datos.

Las tres recetas entrenan el modelo del cuaderno de partida: una capa
recurrente de 50 unidades y una cabeza ``Dense(1)``, con Adam, MSE, lotes de
32 y 200 épocas. Los datos son las 95 ventanas de 5 pasos de la secuencia
0..99 estandarizada. Con la misma semilla, las tres parten de los mismos
pesos iniciales.

``"source"``
    Como el cuaderno de partida: arrays de NumPy directamente a
    ``model.fit``, sin desenrollar el bucle temporal.
``"helper"``
    :func:`rnnbook.training.train_model`, la que usan los capítulos.
``"graph"``
    :func:`rnnbook.graph_loop.train_in_graph`: el mismo paso por lote que
    ``train_model`` en un grafo, sin validación ni parada temprana. Es la
    referencia mínima con la que se mide lo que añade ``train_model``.

Aquí están también las dos medidas con las que el apéndice explica de dónde
sale el tiempo: una estimación de la aritmética de cada lote y el ritmo de
multiplicación de matrices de la CPU.
"""

import math
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass

import numpy as np

from rnnbook import ARCHITECTURES
from rnnbook._checks import check_architecture, check_int
from rnnbook._tensorflow import keras, tf
from rnnbook.data import Scaler, counting_sequence, make_windows
from rnnbook.graph_loop import train_in_graph
from rnnbook.models import DISPLAY_NAMES, build_model, count_parameters
from rnnbook.recipes import (
    SOURCE_BATCH_SIZE,
    SOURCE_EPOCHS,
    SOURCE_LENGTH,
    SOURCE_N_STEPS,
    SOURCE_UNITS,
)
from rnnbook.training import (
    TrainingResult,
    _check_pair,
    evaluate,
    set_seed,
    train_model,
)

RECIPES = ("source", "helper", "graph")
"""Recetas de entrenamiento que compara el banco de pruebas."""

RECIPE_NAMES = {
    "source": "receta original",
    "helper": "train_model",
    "graph": "bucle en un grafo",
}
"""Nombre con el que el libro muestra cada receta."""

GATE_COUNTS = {"rnn": 1, "lstm": 4, "gru": 3}
"""Bloques de pesos de cada celda (compuertas y propuesta de estado).

Cada bloque multiplica la entrada y el estado anterior en cada paso de
tiempo.
"""


@dataclass(frozen=True)
class TrainingRun:
    """Un entrenamiento medido.

    Attributes
    ----------
    architecture, recipe : str
    seed : int
    wall_seconds : float
        Tiempo de pared desde construir el modelo hasta tenerlo entrenado.
    cpu_seconds : float
        Tiempo de CPU del proceso (todos sus hilos) en ese mismo tramo.
    mse : float
        Error cuadrático medio final sobre las ventanas de entrenamiento,
        en la escala estandarizada.
    rmse : float
        Raíz del MSE en unidades originales de la serie.
    n_params : int
        Parámetros entrenables del modelo.
    """

    architecture: str
    recipe: str
    seed: int
    wall_seconds: float
    cpu_seconds: float
    mse: float
    rmse: float
    n_params: int


def benchmark_windows():
    """Devuelve las ventanas estandarizadas de 0..99 y su escalado.

    Returns
    -------
    train : tuple (X, y)
        ``X`` de forma ``(95, 5, 1)`` e ``y`` de forma ``(95,)``.
    scaler : Scaler
        Ajustado sobre la serie entera, que es el conjunto de entrenamiento.
    """
    series = counting_sequence(SOURCE_LENGTH)
    scaler = Scaler.fit(series)
    return make_windows(scaler.transform(series), SOURCE_N_STEPS), scaler


def train_source_recipe(architecture, train, *, units=SOURCE_UNITS,
                        epochs=SOURCE_EPOCHS, batch_size=SOURCE_BATCH_SIZE,
                        seed=0):
    """Entrena como el cuaderno de partida: arrays de NumPy a ``fit``.

    Keras convierte y baraja los arrays en cada época y llama al grafo una
    vez por lote. El bucle temporal no se desenrolla.

    Returns
    -------
    TrainingResult
    """
    X, y = _check_pair(train, "entrenamiento")
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = set_seed(seed)
    model = build_model(architecture, units=units, n_steps=X.shape[1],
                        n_features=X.shape[2])
    model.compile(optimizer="adam", loss="mse")
    start = time.perf_counter()
    history = model.fit(X, y, epochs=epochs, batch_size=batch_size,
                        verbose=0)
    seconds = time.perf_counter() - start
    return TrainingResult(
        model=model,
        history={"loss": [float(v) for v in history.history["loss"]]},
        seconds=seconds,
        n_params=count_parameters(model),
        epochs_run=epochs,
    )


_RECIPE_FUNCTIONS = {
    "source": train_source_recipe,
    "helper": train_model,
    "graph": train_in_graph,
}


def _check_names(values, allowed, name):
    if isinstance(values, str) or not values:
        raise TypeError(
            f"{name} debe ser una lista no vacía de nombres de {allowed}, "
            f"no {values!r}."
        )
    names = list(values)
    unknown = [value for value in names if value not in allowed]
    if unknown:
        raise ValueError(
            f"{name} contiene nombres desconocidos {unknown}; usa nombres "
            f"de {allowed}."
        )
    if len(set(names)) != len(names):
        raise ValueError(
            f"{name} repite nombres: {names}; pasa cada uno una sola vez."
        )
    return names


def time_recipe(recipe, architecture, train, scaler, *, units=SOURCE_UNITS,
                epochs=SOURCE_EPOCHS, batch_size=SOURCE_BATCH_SIZE, seed=0):
    """Entrena una vez con una receta y mide tiempo y error final.

    Parameters
    ----------
    recipe : {"source", "helper", "graph"}
    architecture : {"rnn", "lstm", "gru"}
    train : tuple (X, y)
        Ventanas en la escala del modelo.
    scaler : Scaler
        Escalado de ``train``, para dar el RMSE en unidades originales.
    units, epochs, batch_size, seed : int

    Returns
    -------
    TrainingRun
    """
    _check_names([recipe], RECIPES, "recipe")
    architecture = check_architecture(architecture)
    if not isinstance(scaler, Scaler):
        raise TypeError(
            f"scaler debe ser un rnnbook.data.Scaler, no "
            f"{type(scaler).__name__}; usa el de benchmark_windows()."
        )
    train_function = _RECIPE_FUNCTIONS[recipe]
    wall_start = time.perf_counter()
    cpu_start = time.process_time()
    result = train_function(architecture, train, units=units, epochs=epochs,
                            batch_size=batch_size, seed=seed)
    cpu_seconds = time.process_time() - cpu_start
    wall_seconds = time.perf_counter() - wall_start
    # El error se mide sobre las mismas ventanas con que se entrenó: aquí
    # interesa si las recetas llegan al mismo sitio, no la generalización.
    errors = evaluate(result.model, *train)
    return TrainingRun(
        architecture=architecture,
        recipe=recipe,
        seed=seed,
        wall_seconds=wall_seconds,
        cpu_seconds=cpu_seconds,
        mse=errors["mse"],
        rmse=errors["rmse"] * scaler.std,
        n_params=result.n_params,
    )


def benchmark_training(architectures=ARCHITECTURES, recipes=RECIPES,
                       seeds=(0,), *, units=SOURCE_UNITS,
                       epochs=SOURCE_EPOCHS, batch_size=SOURCE_BATCH_SIZE,
                       warmup=True):
    """Mide cada receta con cada arquitectura y cada semilla.

    Las medidas se intercalan (para cada semilla y arquitectura, las tres
    recetas seguidas), así que una racha de carga ajena a la medida reparte
    su efecto entre recetas en vez de caer entera sobre una.

    Parameters
    ----------
    architectures : sequence of str
        Nombres de ``rnnbook.ARCHITECTURES``.
    recipes : sequence of str
        Nombres de :data:`RECIPES`.
    seeds : sequence of int
        Una tanda de entrenamientos por semilla.
    units, epochs, batch_size : int
    warmup : bool
        Entrenar antes una época de cada receta sin medirla, para que los
        costes que TensorFlow paga una vez por proceso no caigan en la
        primera medida.

    Returns
    -------
    list of TrainingRun
    """
    architectures = _check_names(architectures, ARCHITECTURES,
                                 "architectures")
    recipes = _check_names(recipes, RECIPES, "recipes")
    if isinstance(seeds, (str, bytes)) or not seeds:
        raise TypeError(
            f"seeds debe ser una lista no vacía de enteros, no {seeds!r}."
        )
    seeds = [check_int(seed, "seed", minimum=0) for seed in seeds]
    epochs = check_int(epochs, "epochs", minimum=1)
    train, scaler = benchmark_windows()
    settings = dict(units=units, batch_size=batch_size)

    if warmup:
        for recipe in recipes:
            time_recipe(recipe, architectures[0], train, scaler, epochs=1,
                        seed=seeds[0], **settings)
    runs = []
    for seed in seeds:
        for architecture in architectures:
            for recipe in recipes:
                runs.append(time_recipe(recipe, architecture, train, scaler,
                                        epochs=epochs, seed=seed,
                                        **settings))
    return runs


def summarize_runs(runs):
    """Resume las medidas por arquitectura y receta con medianas.

    Parameters
    ----------
    runs : list of TrainingRun

    Returns
    -------
    list of dict
        Una fila por pareja (arquitectura, receta), en el orden en que
        aparecen en ``runs``, con ``architecture``, ``recipe``, ``n_runs``,
        ``n_params``, la mediana de ``wall_seconds``, ``cpu_seconds``,
        ``mse`` y ``rmse``, y el menor y el mayor MSE entre semillas
        (``mse_min``, ``mse_max``). ``speedup`` es el tiempo de pared de
        "source" dividido por el de la fila. ``vs_graph`` es el de la fila
        dividido por el de "graph". Cada uno vale ``None`` si falta su
        receta de referencia para esa arquitectura.
    """
    if not runs or not all(isinstance(run, TrainingRun) for run in runs):
        raise TypeError(
            "runs debe ser una lista no vacía de TrainingRun, como la que "
            "devuelve benchmark_training."
        )
    groups = {}
    for run in runs:
        groups.setdefault((run.architecture, run.recipe), []).append(run)
    rows = []
    for (architecture, recipe), group in groups.items():
        row = {"architecture": architecture, "recipe": recipe,
               "n_runs": len(group), "n_params": group[0].n_params}
        for key in ("wall_seconds", "cpu_seconds", "mse", "rmse"):
            row[key] = float(statistics.median(getattr(r, key)
                                               for r in group))
        row["mse_min"] = min(run.mse for run in group)
        row["mse_max"] = max(run.mse for run in group)
        rows.append(row)
    wall = {(row["architecture"], row["recipe"]): row["wall_seconds"]
            for row in rows}
    for row in rows:
        source = wall.get((row["architecture"], "source"))
        graph = wall.get((row["architecture"], "graph"))
        row["speedup"] = None if source is None else (
            source / row["wall_seconds"]
        )
        row["vs_graph"] = None if graph is None else (
            row["wall_seconds"] / graph
        )
    return rows


def _format_ratio(value):
    return "-" if value is None else f"{value:.2f}×"


def format_training_table(summary, parameters=True):
    """Escribe el resumen de :func:`summarize_runs` como tabla Markdown.

    Una fila por arquitectura y receta, con parámetros (si ``parameters``),
    tiempo de pared y de CPU, MSE en la escala estandarizada y los
    cocientes ``speedup`` y ``vs_graph`` (un guion si falta la receta de
    referencia).
    """
    parameters_header = "| parámetros " if parameters else ""
    parameters_align = "---:|" if parameters else ""
    lines = [
        f"| arquitectura | receta {parameters_header}| tiempo (s) | CPU (s) "
        "| MSE | aceleración | frente al grafo |",
        f"|---|---|{parameters_align}---:|---:|---:|---:|---:|",
    ]
    for row in summary:
        parameters_cell = f"| {row['n_params']} " if parameters else ""
        lines.append(
            f"| {DISPLAY_NAMES[row['architecture']]} "
            f"| {RECIPE_NAMES[row['recipe']]} {parameters_cell}"
            f"| {row['wall_seconds']:.2f} | {row['cpu_seconds']:.2f} "
            f"| {row['mse']:.2e} "
            f"| {_format_ratio(row['speedup'])} "
            f"| {_format_ratio(row['vs_graph'])} |"
        )
    return "\n".join(lines)


def runs_as_dicts(runs):
    """Convierte una lista de :class:`TrainingRun` en dicts para JSON."""
    return [asdict(run) for run in runs]


def training_flops_per_batch(architecture, units=SOURCE_UNITS,
                             n_steps=SOURCE_N_STEPS, n_features=1,
                             batch_size=SOURCE_BATCH_SIZE):
    """Estima las operaciones de coma flotante de un paso de entrenamiento.

    Cuenta solo los productos de matrices de una capa recurrente y la
    cabeza ``Dense(1)``: ``compuertas * units * (n_features + units)``
    multiplicaciones y sumas por muestra y paso de tiempo, dos operaciones
    cada una. La pasada hacia atrás cuesta unas dos veces la de ida, así que
    el total es tres veces la ida. Deja fuera activaciones, sesgos y la
    actualización de Adam: es una estimación del orden de magnitud, no una
    medida.

    Examples
    --------
    >>> training_flops_per_batch("rnn", units=2, n_steps=1, batch_size=1)
    48
    """
    architecture = check_architecture(architecture)
    units = check_int(units, "units", minimum=1)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    per_step = GATE_COUNTS[architecture] * units * (n_features + units)
    multiply_adds = batch_size * (n_steps * per_step + units)
    return 3 * 2 * multiply_adds


def matmul_flops_per_second(rows, inner, cols, repeats=200):
    """Mide cuántas operaciones por segundo da un producto de matrices.

    Ejecuta ``repeats`` productos ``(rows, inner) @ (inner, cols)`` dentro de
    un único grafo, así que el coste de llamar desde Python no entra en la
    medida. Sí entra el de lanzar cada operación dentro del grafo, que es lo
    que pesa en matrices pequeñas.

    Returns
    -------
    float
        Operaciones de coma flotante por segundo (``2 * rows * inner *
        cols`` por producto), con la mejor de tres repeticiones.
    """
    rows = check_int(rows, "rows", minimum=1)
    inner = check_int(inner, "inner", minimum=1)
    cols = check_int(cols, "cols", minimum=1)
    repeats = check_int(repeats, "repeats", minimum=1)
    left = tf.random.stateless_uniform((rows, inner), seed=(0, 1))
    right = tf.random.stateless_uniform((inner, cols), seed=(0, 2))

    @tf.function
    def run():
        total = tf.zeros((rows, cols))
        for _ in tf.range(repeats):
            total += tf.linalg.matmul(left, right)
        return total

    run()  # trazado del grafo, fuera de la medida
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        run().numpy()
        best = min(best, time.perf_counter() - start)
    return 2.0 * rows * inner * cols * repeats / best


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "desconocida"


def machine_info():
    """Describe la máquina y las versiones con que se mide.

    Returns
    -------
    dict
        ``cpu`` (modelo), ``logical_cores``, ``physical_cores``,
        ``memory_gb``, ``system``, y las versiones de ``python``,
        ``tensorflow``, ``keras`` y ``numpy``.
    """
    import psutil

    return {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
    }
