"""Experimentos del ejercicio final: onda senoidal con ruido, RNN/LSTM/GRU.

Cada función entrena con :func:`rnnbook.training.train_model` y devuelve
estructuras simples (dataclasses y listas) que el capítulo convierte en
tablas y figuras. Los errores se miden siempre en unidades originales de la
serie, sobre el conjunto de prueba.

Con ruido gaussiano de desviación típica ``sigma``, ningún predictor de un
paso puede bajar, en media, de un MSE de ``sigma**2``. Por eso los
resúmenes dan también el cociente ``MSE / sigma**2``.
"""

import hashlib
import html
import numbers
from dataclasses import dataclass, field, replace

import numpy as np

from rnnbook import ARCHITECTURES
from rnnbook._checks import (
    check_architecture,
    check_array,
    check_float,
    check_int,
)
from rnnbook._tensorflow import keras
from rnnbook.baselines import LinearWindowModel, persistence_forecast
from rnnbook.data import WindowedSplits, noisy_sine, split_series
from rnnbook.data import window_splits as make_window_splits
from rnnbook.models import DISPLAY_NAMES, LAYER_CLASSES
from rnnbook.training import predict, regression_errors, train_model

# ---------------------------------------------------------------------------
# Datos
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoisySineData:
    """Onda senoidal con ruido, su señal limpia y sus ventanas escaladas.

    Attributes
    ----------
    noisy, clean : ndarray de forma ``(tiempo,)``
        Serie observada y señal sin ruido.
    noise_std : float
        Desviación típica del ruido (sigma), en unidades de la serie.
    period : float
        Periodo de la onda, en pasos de tiempo.
    amplitude : float
        Amplitud de la señal limpia.
    train_fraction, val_fraction : float
        Fracciones de la división cronológica.
    boundaries : tuple of int
        Índices de la serie donde empiezan la validación y la prueba.
    splits : rnnbook.data.WindowedSplits
        Ventanas de ``n_steps`` pasos, escaladas con estadísticos del tramo
        de entrenamiento.
    """

    noisy: np.ndarray = field(repr=False)
    clean: np.ndarray = field(repr=False)
    noise_std: float
    period: float
    amplitude: float
    train_fraction: float
    val_fraction: float
    boundaries: tuple
    splits: WindowedSplits = field(repr=False)

    @property
    def noise_var(self):
        """Varianza del ruido, ``sigma**2``: el MSE mínimo esperado."""
        return self.noise_std ** 2

    @property
    def n_steps(self):
        """Pasos de tiempo de las ventanas de ``splits``."""
        return self.splits.n_steps

    def test_targets(self, n_steps=None):
        """Devuelve índices de la serie de los objetivos de la prueba.

        Con ventanas de ``n_steps`` pasos (por defecto, las de ``splits``),
        el primer objetivo de la prueba está ``n_steps`` valores después
        del inicio del tramo de prueba.
        """
        n_steps = self.n_steps if n_steps is None else check_int(
            n_steps, "n_steps", minimum=1
        )
        return np.arange(self.boundaries[1] + n_steps, self.noisy.size)

    def with_n_steps(self, n_steps):
        """Devuelve una copia con ventanas de otra longitud, misma serie."""
        splits = make_window_splits(
            self.noisy, n_steps, self.train_fraction, self.val_fraction
        )
        return replace(self, splits=splits)


def make_noisy_sine_data(length, period, noise_std, *, n_steps=20, seed=0,
                         amplitude=1.0, train_fraction=0.45,
                         val_fraction=0.15):
    """Genera la onda con ruido, la divide en el tiempo y la corta en ventanas.

    Parameters
    ----------
    length : int
        Número de valores de la serie.
    period : float
        Periodo de la onda, en pasos de tiempo.
    noise_std : float
        Desviación típica del ruido gaussiano (sigma).
    n_steps : int
        Pasos de tiempo de cada ventana.
    seed : int
        Semilla del ruido.
    amplitude : float
        Amplitud de la señal limpia.
    train_fraction, val_fraction : float
        Como en :func:`rnnbook.data.split_series`. La prueba recibe el
        resto.

    Returns
    -------
    NoisySineData

    Examples
    --------
    >>> data = make_noisy_sine_data(200, period=20, noise_std=0.1,
    ...                             n_steps=5)
    >>> data.boundaries
    (90, 120)
    >>> data.splits.test[0].shape
    (75, 5, 1)
    """
    noisy, clean = noisy_sine(length, period, noise_std, seed, amplitude)
    train, val, _ = split_series(noisy, train_fraction, val_fraction)
    splits = make_window_splits(noisy, n_steps, train_fraction,
                                val_fraction)
    return NoisySineData(
        noisy=noisy,
        clean=clean,
        noise_std=float(noise_std),
        period=float(period),
        amplitude=float(amplitude),
        train_fraction=float(train_fraction),
        val_fraction=float(val_fraction),
        boundaries=(train.size, train.size + val.size),
        splits=splits,
    )


def _check_data(data):
    if not isinstance(data, NoisySineData):
        raise TypeError(
            "data debe ser un NoisySineData, no "
            f"{type(data).__name__}; créalo con make_noisy_sine_data()."
        )
    return data


def clean_signal_errors(data):
    """Mide el error de predecir con la señal limpia: el ruido de la prueba.

    Ese predictor ideal conoce la onda sin ruido, así que su MSE es la
    varianza del ruido realizada en los objetivos de la prueba. Se acerca a
    ``sigma**2`` cuantos más objetivos haya.

    Returns
    -------
    dict
        El de :func:`rnnbook.training.regression_errors`.
    """
    data = _check_data(data)
    targets = data.test_targets()
    return regression_errors(data.noisy[targets], data.clean[targets])


# ---------------------------------------------------------------------------
# Entrenamiento y resúmenes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingBudget:
    """Presupuesto de entrenamiento común a todas las arquitecturas.

    Los valores por defecto son los del capítulo del ejercicio final: modelos
    y lotes pequeños para que todos sus entrenamientos quepan en unos minutos
    de CPU.

    Attributes
    ----------
    units : int
        Dimensión del estado oculto de cada capa recurrente.
    epochs : int
        Épocas máximas.
    batch_size : int
        Tamaño del lote.
    learning_rate : float
        Tasa de aprendizaje de Adam.
    patience : int
        Épocas sin mejorar la pérdida de validación antes de parar. Al
        parar se recuperan los mejores pesos.
    """

    units: int = 16
    epochs: int = 200
    batch_size: int = 256
    learning_rate: float = 0.01
    patience: int = 8

    def __post_init__(self):
        check_int(self.units, "units", minimum=1)
        check_int(self.epochs, "epochs", minimum=1)
        check_int(self.batch_size, "batch_size", minimum=1)
        check_float(self.learning_rate, "learning_rate", minimum=0.0,
                    strict=True)
        check_int(self.patience, "patience", minimum=1)


@dataclass(frozen=True)
class RunResult:
    """Un entrenamiento y su error en la prueba, en unidades originales.

    Attributes
    ----------
    architecture : str
        "rnn", "lstm" o "gru".
    n_layers, n_steps, seed : int
        Capas apiladas, pasos por ventana y semilla.
    mse, mae : float
        Errores en la prueba.
    n_params : int
        Parámetros entrenables.
    seconds : float
        Tiempo de pared del entrenamiento, en segundos.
    epochs_run : int
        Épocas ejecutadas antes de la parada temprana.
    budget : TrainingBudget
    data_id : str
        Huella de las ventanas de entrenamiento y validación. Dos
        ejecuciones con la misma huella vieron los mismos datos.
    predictions : ndarray de forma ``(muestras,)``
        Predicciones de la prueba.
    model : keras.Model
        El modelo entrenado, para reutilizarlo sin volver a entrenar.
    """

    architecture: str
    n_layers: int
    n_steps: int
    seed: int
    mse: float
    mae: float
    n_params: int
    seconds: float
    epochs_run: int
    budget: TrainingBudget
    data_id: str
    predictions: np.ndarray = field(repr=False, compare=False)
    model: object = field(repr=False, compare=False)

    @property
    def label(self):
        """Nombre para tablas y leyendas, como «LSTM (2 capas)»."""
        return model_label(self.architecture, self.n_layers)


def model_label(architecture, n_layers=1):
    """Devuelve el nombre de un modelo para tablas y leyendas.

    Examples
    --------
    >>> model_label("rnn"), model_label("gru", 3)
    ('SimpleRNN', 'GRU (3 capas)')
    """
    name = DISPLAY_NAMES[check_architecture(architecture)]
    n_layers = check_int(n_layers, "n_layers", minimum=1)
    return name if n_layers == 1 else f"{name} ({n_layers} capas)"


def _check_splits(splits):
    if not isinstance(splits, WindowedSplits):
        raise TypeError(
            "splits debe ser un rnnbook.data.WindowedSplits, no "
            f"{type(splits).__name__}; usa data.splits de "
            "make_noisy_sine_data()."
        )
    return splits


def _check_budget(budget):
    if budget is None:
        return TrainingBudget()
    if not isinstance(budget, TrainingBudget):
        raise TypeError(
            "budget debe ser un TrainingBudget, no "
            f"{type(budget).__name__}."
        )
    return budget


def _check_int_tuple(values, name, minimum):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{name} debe ser una secuencia de enteros como (0, 1, 2), no "
            f"{values!r}."
        )
    checked = tuple(check_int(value, name, minimum=minimum)
                    for value in values)
    if not checked:
        raise ValueError(f"{name} está vacío; pasa al menos un valor.")
    if len(set(checked)) != len(checked):
        raise ValueError(
            f"{name}={checked} tiene valores repetidos; pasa cada valor "
            "una sola vez."
        )
    return checked


def _check_architectures(architectures):
    if isinstance(architectures, str):
        raise TypeError(
            f"architectures debe ser una secuencia como ('rnn', 'gru'), no "
            f"el texto {architectures!r}."
        )
    checked = tuple(check_architecture(name) for name in architectures)
    if not checked:
        raise ValueError(
            f"architectures está vacío; usa algunas de {ARCHITECTURES}."
        )
    return checked


def _data_id(splits):
    digest = hashlib.sha1()
    for array in (*splits.train, *splits.val):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:12]


def train_and_evaluate(splits, architecture, *, n_layers=1, seed=0,
                       budget=None):
    """Entrena un modelo con el presupuesto dado y lo evalúa en la prueba.

    Parameters
    ----------
    splits : rnnbook.data.WindowedSplits
    architecture : {"rnn", "lstm", "gru"}
    n_layers : int
        Capas recurrentes apiladas.
    seed : int
        Semilla de pesos iniciales y barajado.
    budget : TrainingBudget, optional
        Por defecto, ``TrainingBudget()``.

    Returns
    -------
    RunResult
    """
    splits = _check_splits(splits)
    budget = _check_budget(budget)
    architecture = check_architecture(architecture)
    result = train_model(
        architecture, splits.train, splits.val,
        units=budget.units, n_layers=n_layers, epochs=budget.epochs,
        batch_size=budget.batch_size, learning_rate=budget.learning_rate,
        patience=budget.patience, seed=seed,
    )
    X_test, y_test = splits.test
    predictions = predict(result.model, X_test, splits.scaler)
    errors = regression_errors(
        splits.scaler.inverse_transform(y_test), predictions
    )
    return RunResult(
        architecture=architecture,
        n_layers=int(n_layers),
        n_steps=splits.n_steps,
        seed=int(seed),
        mse=errors["mse"],
        mae=errors["mae"],
        n_params=result.n_params,
        seconds=result.seconds,
        epochs_run=result.epochs_run,
        budget=budget,
        data_id=_data_id(splits),
        predictions=predictions,
        model=result.model,
    )


def _find_run(reuse, splits, architecture, n_layers, seed, budget):
    data_id = _data_id(splits)
    for run in reuse:
        if not isinstance(run, RunResult):
            raise TypeError(
                "reuse debe contener objetos RunResult, no "
                f"{type(run).__name__}."
            )
        if (run.architecture, run.n_layers, run.seed, run.budget,
                run.data_id) == (architecture, n_layers, seed, budget,
                                 data_id):
            return run
    return None


def compare_architectures(splits, *, architectures=ARCHITECTURES,
                          seeds=(0, 1, 2), n_layers=1, budget=None):
    """Entrena cada arquitectura con cada semilla y el mismo presupuesto.

    Parameters
    ----------
    splits : rnnbook.data.WindowedSplits
    architectures : sequence of str
        Subconjunto de ``("rnn", "lstm", "gru")``.
    seeds : sequence of int
        Semillas distintas. La dispersión entre ellas mide cuánto del
        resultado es azar de la inicialización y del barajado.
    n_layers : int
        Capas recurrentes apiladas de cada modelo.
    budget : TrainingBudget, optional

    Returns
    -------
    list of RunResult
        En orden de arquitectura y, dentro de ella, de semilla.
    """
    splits = _check_splits(splits)
    architectures = _check_architectures(architectures)
    seeds = _check_int_tuple(seeds, "seeds", minimum=0)
    n_layers = check_int(n_layers, "n_layers", minimum=1)
    budget = _check_budget(budget)
    return [
        train_and_evaluate(splits, architecture, n_layers=n_layers,
                           seed=seed, budget=budget)
        for architecture in architectures
        for seed in seeds
    ]


def stacking_sweep(splits, *, depths=(1, 2, 3), architectures=ARCHITECTURES,
                   seeds=(0,), budget=None, reuse=()):
    """Compara 1, 2, 3... capas apiladas de cada arquitectura.

    Parameters
    ----------
    splits : rnnbook.data.WindowedSplits
    depths : sequence of int
        Números de capas recurrentes que se prueban.
    architectures : sequence of str
    seeds : sequence of int
    budget : TrainingBudget, optional
        El mismo para todas las profundidades: ``units`` es por capa.
    reuse : sequence of RunResult
        Ejecuciones ya hechas. Se reutiliza la que coincida en
        arquitectura, capas, semilla, presupuesto y datos, en lugar de
        volver a entrenarla.

    Returns
    -------
    list of RunResult
        En orden de arquitectura, profundidad y semilla.
    """
    splits = _check_splits(splits)
    depths = _check_int_tuple(depths, "depths", minimum=1)
    architectures = _check_architectures(architectures)
    seeds = _check_int_tuple(seeds, "seeds", minimum=0)
    budget = _check_budget(budget)
    runs = []
    for architecture in architectures:
        for n_layers in depths:
            for seed in seeds:
                run = _find_run(reuse, splits, architecture, n_layers,
                                seed, budget)
                if run is None:
                    run = train_and_evaluate(
                        splits, architecture, n_layers=n_layers,
                        seed=seed, budget=budget,
                    )
                runs.append(run)
    return runs


@dataclass(frozen=True)
class RunSummary:
    """Media y dispersión de varias semillas de una misma configuración.

    Las dispersiones son desviaciones típicas muestrales (``ddof=1``) entre
    semillas, y valen 0.0 con una sola semilla. ``ratio`` es ``MSE /
    sigma**2``. Los tiempos son de pared, en segundos: ``seconds_*`` por
    entrenamiento completo y ``epoch_seconds_mean`` por época, que no
    depende de cuándo corte la parada temprana.
    """

    architecture: str
    n_layers: int
    n_steps: int
    n_runs: int
    mse_mean: float
    mse_std: float
    mse_min: float
    mse_max: float
    mae_mean: float
    mae_std: float
    ratio_mean: float
    ratio_std: float
    n_params: int
    seconds_mean: float
    seconds_std: float
    epoch_seconds_mean: float
    epochs_mean: float

    @property
    def label(self):
        """Nombre para tablas y leyendas, como «LSTM (2 capas)»."""
        return model_label(self.architecture, self.n_layers)


def _spread(values):
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def summarize_runs(runs, noise_std):
    """Agrupa ejecuciones por arquitectura, capas y pasos, y resume semillas.

    Parameters
    ----------
    runs : sequence of RunResult
    noise_std : float
        Desviación típica del ruido de la serie (sigma), para ``ratio``.

    Returns
    -------
    list of RunSummary
        Un resumen por grupo, en el orden en que aparece cada grupo.
    """
    noise_std = check_float(noise_std, "noise_std", minimum=0.0,
                            strict=True)
    groups = {}
    for run in runs:
        if not isinstance(run, RunResult):
            raise TypeError(
                f"runs debe contener RunResult, no {type(run).__name__}."
            )
        key = (run.architecture, run.n_layers, run.n_steps)
        groups.setdefault(key, []).append(run)
    if not groups:
        raise ValueError("runs está vacío; pasa al menos una ejecución.")
    summaries = []
    for (architecture, n_layers, n_steps), group in groups.items():
        mse = np.array([run.mse for run in group])
        mae = np.array([run.mae for run in group])
        seconds = np.array([run.seconds for run in group])
        epochs = np.array([run.epochs_run for run in group])
        ratio = mse / noise_std ** 2
        summaries.append(RunSummary(
            architecture=architecture,
            n_layers=n_layers,
            n_steps=n_steps,
            n_runs=len(group),
            mse_mean=float(mse.mean()),
            mse_std=_spread(mse),
            mse_min=float(mse.min()),
            mse_max=float(mse.max()),
            mae_mean=float(mae.mean()),
            mae_std=_spread(mae),
            ratio_mean=float(ratio.mean()),
            ratio_std=_spread(ratio),
            n_params=group[0].n_params,
            seconds_mean=float(seconds.mean()),
            seconds_std=_spread(seconds),
            epoch_seconds_mean=float(np.mean(seconds / epochs)),
            epochs_mean=float(epochs.mean()),
        ))
    return summaries


def seed_ranges_overlap(first, second):
    """Indica si los rangos [mín, máx] del MSE de dos resúmenes se solapan.

    Con pocas semillas es un criterio grueso pero honesto: si los rangos se
    solapan, la diferencia de medias no se distingue del azar de la
    semilla.
    """
    for summary in (first, second):
        if not isinstance(summary, RunSummary):
            raise TypeError(
                "seed_ranges_overlap compara dos RunSummary, no "
                f"{type(summary).__name__}."
            )
    return bool(first.mse_min <= second.mse_max
                and second.mse_min <= first.mse_max)


# ---------------------------------------------------------------------------
# return_sequences y apilado
# ---------------------------------------------------------------------------


def build_recurrent_stack(architecture, *, n_steps, units, n_layers=1,
                          return_sequences=False, n_features=1):
    """Apila capas recurrentes sin cabeza densa, para inspeccionar formas.

    A diferencia de :func:`rnnbook.models.build_model`, aquí todas las
    capas usan el mismo ``return_sequences``, también las intermedias.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    n_steps, units, n_features : int
    n_layers : int
        Capas recurrentes apiladas.
    return_sequences : bool
        Con ``True``, cada capa devuelve su estado oculto en todos los
        pasos, ``(lote, n_steps, units)``. Con ``False``, devuelve solo el
        del último paso, ``(lote, units)``.

    Returns
    -------
    keras.Sequential

    Raises
    ------
    ValueError
        La de Keras, si ``n_layers > 1`` y ``return_sequences=False``: la
        segunda capa recurrente espera una entrada de 3 dimensiones y recibe
        una de 2.
    """
    architecture = check_architecture(architecture)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    units = check_int(units, "units", minimum=1)
    n_layers = check_int(n_layers, "n_layers", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    if not isinstance(return_sequences, bool):
        raise TypeError(
            "return_sequences debe ser True o False, no "
            f"{return_sequences!r}."
        )
    layer_class = LAYER_CLASSES[architecture]
    layers = [keras.Input(shape=(n_steps, n_features))]
    for index in range(n_layers):
        layers.append(layer_class(
            units, return_sequences=return_sequences,
            name=f"{architecture}_{index + 1}",
        ))
    return keras.Sequential(layers, name=f"pila_{architecture}")


def layer_output_shapes(model):
    """Devuelve ``{nombre de capa: forma de salida}`` de un modelo Keras."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model debe ser un keras.Model, no {type(model).__name__}."
        )
    return {layer.name: tuple(layer.output.shape) for layer in model.layers}


# ---------------------------------------------------------------------------
# Longitud de la ventana
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowSweep:
    """Errores por longitud de ventana, medidos sobre los mismos objetivos.

    Attributes
    ----------
    runs : list of RunResult
        Una ejecución por arquitectura, ``n_steps`` y semilla. Sus ``mse``
        y ``mae`` se miden sobre los ``n_targets`` últimos objetivos de la
        prueba.
    linear_mse : dict
        ``{n_steps: MSE}`` del modelo lineal sobre los mismos objetivos.
    persistence_mse : float
        MSE de la persistencia sobre los mismos objetivos.
    n_targets : int
        Objetivos de prueba comunes a todas las longitudes.
    """

    runs: list
    linear_mse: dict
    persistence_mse: float
    n_targets: int


def window_length_sweep(data, n_steps_values=(5, 10, 20, 40, 80), *,
                        architectures=ARCHITECTURES, seeds=(0,),
                        budget=None, reuse=()):
    """Entrena cada arquitectura con ventanas de varias longitudes.

    Con ventanas más largas, el tramo de prueba da menos ventanas: las
    primeras ``n_steps`` observaciones solo sirven de entrada. Para que las
    longitudes compitan sobre los mismos objetivos, el error se mide sobre
    los que tiene la ventana más larga, que son los últimos de la prueba.

    Parameters
    ----------
    data : NoisySineData
    n_steps_values : sequence of int
        Longitudes de ventana que se prueban.
    architectures : sequence of str
    seeds : sequence of int
    budget : TrainingBudget, optional
    reuse : sequence of RunResult
        Ejecuciones ya hechas que se reutilizan si coinciden en
        arquitectura, una capa, semilla, presupuesto y datos. Se vuelven a
        evaluar sobre los objetivos comunes.

    Returns
    -------
    WindowSweep
    """
    data = _check_data(data)
    n_steps_values = _check_int_tuple(n_steps_values, "n_steps_values",
                                      minimum=1)
    architectures = _check_architectures(architectures)
    seeds = _check_int_tuple(seeds, "seeds", minimum=0)
    budget = _check_budget(budget)
    n_targets = data.test_targets(max(n_steps_values)).size
    if n_targets < 1:
        raise ValueError(
            f"Con n_steps={max(n_steps_values)} no queda ningún objetivo "
            "en la prueba; usa ventanas más cortas o una serie más larga."
        )

    runs = []
    linear_mse = {}
    persistence_mse = None
    for n_steps in n_steps_values:
        splits = data.with_n_steps(n_steps).splits
        X_test, y_test = splits.test
        # Últimos n_targets objetivos, comunes a todas las longitudes.
        X_tail = X_test[-n_targets:]
        truth = splits.scaler.inverse_transform(y_test[-n_targets:])
        linear = LinearWindowModel.fit(*splits.train)
        linear_predictions = splits.scaler.inverse_transform(
            linear.predict(X_tail)
        )
        linear_mse[n_steps] = regression_errors(
            truth, linear_predictions
        )["mse"]
        if persistence_mse is None:
            persistence = splits.scaler.inverse_transform(
                persistence_forecast(X_tail)
            )
            persistence_mse = regression_errors(truth, persistence)["mse"]
        for architecture in architectures:
            for seed in seeds:
                run = _find_run(reuse, splits, architecture, 1, seed,
                                budget)
                if run is None:
                    run = train_and_evaluate(
                        splits, architecture, seed=seed, budget=budget
                    )
                predictions = predict(run.model, X_tail, splits.scaler)
                errors = regression_errors(truth, predictions)
                runs.append(replace(
                    run, mse=errors["mse"], mae=errors["mae"],
                    predictions=predictions,
                ))
    return WindowSweep(
        runs=runs,
        linear_mse=linear_mse,
        persistence_mse=persistence_mse,
        n_targets=int(n_targets),
    )


# ---------------------------------------------------------------------------
# Predicción de varios pasos
# ---------------------------------------------------------------------------


def _one_step(model, windows):
    # (muestras, pasos, 1) -> (muestras,)
    if isinstance(model, keras.Model):
        return np.asarray(model.predict_on_batch(windows))[:, 0]
    if isinstance(model, LinearWindowModel):
        return model.predict(windows).astype(np.float32)
    if isinstance(model, str) and model == "persistencia":
        return persistence_forecast(windows).astype(np.float32)
    raise TypeError(
        "model debe ser un keras.Model, un LinearWindowModel o el texto "
        f"'persistencia', no {type(model).__name__}."
    )


def forecast_recursive(model, windows, n_ahead):
    """Predice ``n_ahead`` pasos realimentando cada predicción como entrada.

    Tras cada paso, la ventana se desplaza: pierde su valor más antiguo y
    recibe la predicción, no el valor observado. Los errores se acumulan
    porque el modelo nunca ve la serie real después del primer paso.

    Parameters
    ----------
    model : keras.Model, LinearWindowModel o "persistencia"
        Predictor de un paso entrenado con ventanas de la misma escala.
    windows : array_like de forma ``(muestras, pasos, 1)``
        Ventanas iniciales, en la escala del modelo.
    n_ahead : int
        Pasos que se predicen.

    Returns
    -------
    ndarray de forma ``(muestras, n_ahead)``
        En la misma escala que ``windows``.

    Examples
    --------
    >>> windows = np.array([[[1.0], [2.0]]])
    >>> forecast_recursive("persistencia", windows, 3)
    array([[2., 2., 2.]], dtype=float32)
    """
    windows = np.asarray(windows, dtype=np.float32)
    if windows.ndim != 3 or windows.shape[2] != 1:
        raise ValueError(
            "windows debe tener forma (muestras, pasos, 1), pero tiene "
            f"{windows.shape}; pasa ventanas univariantes de "
            "make_windows()."
        )
    if not np.all(np.isfinite(windows)):
        raise ValueError(
            "windows contiene valores NaN o infinitos; límpialos antes de "
            "predecir."
        )
    n_ahead = check_int(n_ahead, "n_ahead", minimum=1)
    current = windows.copy()
    forecasts = np.empty((windows.shape[0], n_ahead), dtype=np.float32)
    for step in range(n_ahead):
        forecasts[:, step] = _one_step(model, current)
        # (muestras, pasos, 1): se descarta el paso más antiguo.
        current = np.concatenate(
            [current[:, 1:, :], forecasts[:, step, None, None]], axis=1
        )
    return forecasts


@dataclass(frozen=True)
class MultiStepForecast:
    """Predicciones realimentadas desde muchas ventanas de la prueba.

    Attributes
    ----------
    n_ahead : int
        Pasos predichos desde cada ventana.
    n_starts : int
        Ventanas de partida promediadas en ``mse_by_horizon``.
    example_start : int
        Índice en la serie del primer valor predicho en el ejemplo.
    history : ndarray de forma ``(n_steps,)``
        Ventana de partida del ejemplo, en unidades originales.
    truth, clean : ndarray de forma ``(n_ahead,)``
        Serie observada y señal limpia en el horizonte del ejemplo.
    forecasts : dict
        ``{etiqueta: ndarray (n_ahead,)}``, predicciones del ejemplo.
    mse_by_horizon : dict
        ``{etiqueta: ndarray (n_ahead,)}``, MSE en cada paso ``h = 1..
        n_ahead`` promediado sobre las ventanas de partida.
    """

    n_ahead: int
    n_starts: int
    example_start: int
    history: np.ndarray = field(repr=False)
    truth: np.ndarray = field(repr=False)
    clean: np.ndarray = field(repr=False)
    forecasts: dict = field(repr=False)
    mse_by_horizon: dict = field(repr=False)


def multi_step_forecast(data, models, n_ahead, *, example=0):
    """Compara predictores realimentados a ``n_ahead`` pasos en la prueba.

    Parameters
    ----------
    data : NoisySineData
        Sus ventanas (``data.splits``) deben tener la escala y los pasos
        con los que se entrenaron los modelos.
    models : dict
        ``{etiqueta: modelo}``, con modelos como los que acepta
        :func:`forecast_recursive`.
    n_ahead : int
        Pasos predichos desde cada ventana, por ejemplo un periodo.
    example : int
        Índice de la ventana de prueba que se guarda como ejemplo.

    Returns
    -------
    MultiStepForecast
    """
    data = _check_data(data)
    if not isinstance(models, dict) or not models:
        raise TypeError(
            "models debe ser un dict no vacío {etiqueta: modelo}."
        )
    n_ahead = check_int(n_ahead, "n_ahead", minimum=1)
    splits = data.splits
    X_test, y_test = splits.test
    # La ventana i tiene objetivos y_test[i : i + n_ahead].
    n_starts = X_test.shape[0] - n_ahead + 1
    if n_starts < 1:
        raise ValueError(
            f"n_ahead={n_ahead} no cabe en las {X_test.shape[0]} ventanas "
            "de prueba; usa un horizonte más corto."
        )
    example = check_int(example, "example", minimum=0)
    if example >= n_starts:
        raise ValueError(
            f"example={example} no es válido: hay {n_starts} ventanas de "
            f"partida; usa un índice entre 0 y {n_starts - 1}."
        )
    targets = np.lib.stride_tricks.sliding_window_view(y_test, n_ahead)
    truth = splits.scaler.inverse_transform(targets[:n_starts])

    forecasts = {}
    mse_by_horizon = {}
    for label, model in models.items():
        scaled = forecast_recursive(model, X_test[:n_starts], n_ahead)
        predicted = splits.scaler.inverse_transform(scaled)
        mse_by_horizon[label] = np.mean((predicted - truth) ** 2, axis=0)
        forecasts[label] = predicted[example]

    first_target = data.test_targets()[example]
    horizon = np.arange(first_target, first_target + n_ahead)
    return MultiStepForecast(
        n_ahead=n_ahead,
        n_starts=int(n_starts),
        example_start=int(first_target),
        history=splits.scaler.inverse_transform(X_test[example, :, 0]),
        truth=data.noisy[horizon],
        clean=data.clean[horizon],
        forecasts=forecasts,
        mse_by_horizon=mse_by_horizon,
    )


def _fit_sine(values, period):
    # Ajusta values[t] = a sin(w t) + b cos(w t) + c por mínimos cuadrados
    # y devuelve (amplitud, fase) de a sin(w t) + b cos(w t) = R sin(w t +
    # fase).
    steps = np.arange(values.size)
    angle = 2 * np.pi * steps / period
    design = np.column_stack(
        [np.sin(angle), np.cos(angle), np.ones(values.size)]
    )
    (a, b, _), *_ = np.linalg.lstsq(design, values, rcond=None)
    return float(np.hypot(a, b)), float(np.arctan2(b, a))


def sine_drift(forecast, clean, period):
    """Mide cuánto se aplana y cuánto se desfasa una predicción senoidal.

    Ajusta una senoidal del periodo dado a ``forecast`` y otra a ``clean``
    (mismos pasos de tiempo) y compara sus amplitudes y sus fases.

    Parameters
    ----------
    forecast, clean : array_like de forma ``(pasos,)``
        Predicción y señal limpia en los mismos pasos, al menos 3.
    period : float
        Periodo de la señal, en pasos de tiempo.

    Returns
    -------
    dict
        ``"amplitude_ratio"``: amplitud de la predicción dividida por la de
        la señal (menos de 1 si se aplana). ``"lag_steps"``: pasos que la
        predicción va por detrás de la señal, en ``(-period/2, period/2]``.
        Es negativo si va por delante.

    Examples
    --------
    >>> steps = np.arange(40)
    >>> clean = np.sin(2 * np.pi * steps / 20)
    >>> late = 0.5 * np.sin(2 * np.pi * (steps - 3) / 20)
    >>> drift = sine_drift(late, clean, period=20)
    >>> round(drift["amplitude_ratio"], 6), round(drift["lag_steps"], 6)
    (0.5, 3.0)
    """
    forecast = check_array(forecast, "forecast", ndim=1)
    clean = check_array(clean, "clean", ndim=1)
    period = check_float(period, "period", minimum=0.0, strict=True)
    if forecast.shape != clean.shape:
        raise ValueError(
            f"forecast tiene forma {forecast.shape} y clean {clean.shape}; "
            "deben cubrir los mismos pasos."
        )
    if forecast.size < 3:
        raise ValueError(
            f"Hacen falta al menos 3 pasos para ajustar una senoidal y hay "
            f"{forecast.size}; pasa un tramo más largo."
        )
    forecast_amplitude, forecast_phase = _fit_sine(forecast, period)
    clean_amplitude, clean_phase = _fit_sine(clean, period)
    if clean_amplitude == 0.0:
        raise ValueError(
            "clean no oscila con ese periodo (amplitud 0); no hay fase con "
            "la que comparar."
        )
    # A sin(w (t - d)) tiene fase -w d: la diferencia de fases da el
    # retraso d, llevado al intervalo (-period/2, period/2].
    lag = -(forecast_phase - clean_phase) * period / (2 * np.pi)
    lag = period / 2 - (period / 2 - lag) % period
    return {
        "amplitude_ratio": forecast_amplitude / clean_amplitude,
        "lag_steps": float(lag),
    }


# ---------------------------------------------------------------------------
# Tablas
# ---------------------------------------------------------------------------


class HtmlTable:
    """Tabla HTML mínima que Jupyter muestra como salida de una celda.

    Attributes
    ----------
    headers : list of str
    rows : list of list of str
        Celdas ya formateadas, como texto.
    """

    def __init__(self, headers, rows):
        self.headers = [str(header) for header in headers]
        self.rows = [[str(cell) for cell in row] for row in rows]
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(
                    f"Una fila tiene {len(row)} celdas y hay "
                    f"{len(self.headers)} encabezados; deben coincidir."
                )

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>"
                             for cell in row) + "</tr>"
            for row in self.rows
        )
        return (f'<table class="table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self):
        widths = [
            max(len(cell) for cell in column)
            for column in zip(self.headers, *self.rows, strict=True)
        ]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(
                row, widths, strict=True))
            for row in [self.headers, *self.rows]
        ]
        return "\n".join(line.rstrip() for line in lines)


def _format_number(value, digits):
    if isinstance(value, numbers.Integral):
        return f"{value:d}"
    return f"{value:.{digits}f}"


def _mean_and_spread(mean, spread, digits, n_runs):
    # Con una sola semilla no hay dispersión que mostrar.
    if n_runs == 1:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


def comparison_table(summaries, baselines=None, noise_std=None):
    """Construye la tabla de la comparación: error, parámetros y tiempo.

    Parameters
    ----------
    summaries : sequence of RunSummary
    baselines : dict, optional
        ``{nombre: {"mse": ..., "mae": ...}}``, como el de
        :func:`rnnbook.baselines.evaluate_baselines`. Se añaden como filas
        sin semillas, épocas ni tiempo.
    noise_std : float
        Desviación típica del ruido (sigma). Hace falta si hay
        ``baselines``, para su columna ``MSE / σ²``.

    Returns
    -------
    HtmlTable
        Medias ± desviación típica entre semillas, o solo la media si hay
        una semilla.
    """
    headers = ["modelo", "semillas", "MSE", "MSE / σ²", "MAE",
               "parámetros", "épocas", "tiempo (s)"]
    rows = []
    for summary in summaries:
        if not isinstance(summary, RunSummary):
            raise TypeError(
                "summaries debe contener RunSummary, no "
                f"{type(summary).__name__}; usa summarize_runs()."
            )
        rows.append([
            summary.label,
            _format_number(summary.n_runs, 0),
            _mean_and_spread(summary.mse_mean, summary.mse_std, 4,
                             summary.n_runs),
            _mean_and_spread(summary.ratio_mean, summary.ratio_std, 3,
                             summary.n_runs),
            _mean_and_spread(summary.mae_mean, summary.mae_std, 4,
                             summary.n_runs),
            _format_number(summary.n_params, 0),
            _format_number(summary.epochs_mean, 0),
            _mean_and_spread(summary.seconds_mean, summary.seconds_std, 1,
                             summary.n_runs),
        ])
    if baselines:
        if noise_std is None:
            raise ValueError(
                "Con baselines hace falta noise_std para la columna "
                "MSE / σ²; pasa noise_std=data.noise_std."
            )
        noise_std = check_float(noise_std, "noise_std", minimum=0.0,
                                strict=True)
        for name, errors in baselines.items():
            n_params = errors.get("n_params")
            rows.append([
                name, "—", f"{errors['mse']:.4f}",
                f"{errors['mse'] / noise_std ** 2:.3f}",
                f"{errors['mae']:.4f}",
                "—" if n_params is None else _format_number(n_params, 0),
                "—", "—",
            ])
    if not rows:
        raise ValueError("No hay filas; pasa al menos un resumen.")
    return HtmlTable(headers, rows)
