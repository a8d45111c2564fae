"""Receta del cuaderno de partida frente a la misma receta con escalado.

Los capítulos de SimpleRNN, LSTM y GRU repiten un mismo experimento. Primero
entrenan la arquitectura sobre las ventanas de la secuencia 0..99 sin
escalar, como hace el cuaderno del que parte el libro (Adam, MSE, 200 épocas,
lotes de 32). Después repiten el entrenamiento sobre la serie estandarizada
y miden el error de las dos versiones en todas las ventanas, en unidades
originales. Este módulo reúne ese experimento, el diagnóstico de saturación
que explica el fallo de la primera receta y la medición de tiempos de
entrenamiento con la que se comparan LSTM y GRU.

Las dos recetas entrenan y miden sobre las mismas ventanas: el error que
devuelven es de entrenamiento, no de generalización.
"""

import statistics
import time
from dataclasses import dataclass

import numpy as np

from rnnbook._checks import check_architecture, check_array, check_int
from rnnbook._tensorflow import keras
from rnnbook.data import Scaler, counting_sequence, make_windows
from rnnbook.models import DISPLAY_NAMES
from rnnbook.training import (
    TrainingResult,
    predict,
    regression_errors,
    train_model,
)

SOURCE_LENGTH = 100
"""Longitud de la secuencia 0..99 del cuaderno de partida."""

SOURCE_N_STEPS = 5
"""Pasos por ventana en el cuaderno de partida."""

SOURCE_UNITS = 50
"""Unidades de la capa recurrente en el cuaderno de partida."""

SOURCE_EPOCHS = 200
"""Épocas de entrenamiento en el cuaderno de partida."""

SOURCE_BATCH_SIZE = 32
"""Tamaño de lote del cuaderno de partida (el valor por defecto de Keras)."""

SATURATION_THRESHOLD = 0.99
"""Umbral de ``|h|`` a partir del cual se cuenta una componente saturada.

Por encima de 0.99, la derivada de tanh, ``1 - tanh(a) ** 2``, es menor que
0.02: la unidad apenas cambia aunque cambie su entrada.
"""


def loss_in_original_units(history, scaler=None):
    """Pasa la pérdida MSE por época a unidades originales al cuadrado.

    Un modelo entrenado sobre ``(y - mean) / std`` tiene un MSE ``std ** 2``
    veces menor que el mismo error medido en unidades originales, así que
    basta multiplicar cada valor por ``std ** 2``.

    Parameters
    ----------
    history : dict
        Historial de :class:`rnnbook.training.TrainingResult`, con la clave
        ``"loss"`` y, opcionalmente, ``"val_loss"``.
    scaler : Scaler, optional
        Escalado con el que se entrenó; sin él, el historial se copia tal
        cual.

    Returns
    -------
    dict
        Las mismas claves, con listas de float en unidades originales al
        cuadrado.

    Examples
    --------
    >>> loss_in_original_units({"loss": [0.5, 0.25]}, Scaler(0.0, 2.0))
    {'loss': [2.0, 1.0]}
    """
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError(
            "history debe ser un dict con la clave 'loss', como "
            "TrainingResult.history; se recibió "
            f"{type(history).__name__}."
        )
    if scaler is not None and not isinstance(scaler, Scaler):
        raise TypeError(
            f"scaler debe ser un rnnbook.data.Scaler o None, no "
            f"{type(scaler).__name__}."
        )
    factor = 1.0 if scaler is None else scaler.std ** 2
    return {key: [float(value) * factor for value in values]
            for key, values in history.items()}


@dataclass(frozen=True, eq=False)
class RecipeResult:
    """Un entrenamiento sobre todas las ventanas y sus predicciones.

    Attributes
    ----------
    architecture : str
        "rnn", "lstm" o "gru".
    training : TrainingResult
        Modelo entrenado, historial, tiempo y parámetros.
    scaler : Scaler or None
        Escalado de la serie antes de cortar ventanas; ``None`` en la
        receta sin escalar.
    X : ndarray de forma ``(muestras, pasos, 1)``
        Ventanas con las que se entrenó, en la escala del modelo.
    y : ndarray de forma ``(muestras,)``
        Objetivos con los que se entrenó, en la escala del modelo.
    y_true : ndarray de forma ``(muestras,)``
        Objetivos en unidades originales.
    predictions : ndarray de forma ``(muestras,)``
        Predicciones en unidades originales.
    """

    architecture: str
    training: TrainingResult
    scaler: Scaler | None
    X: np.ndarray
    y: np.ndarray
    y_true: np.ndarray
    predictions: np.ndarray

    @property
    def errors(self):
        """MAE, MSE y RMSE en unidades originales, sobre todas las ventanas."""
        return regression_errors(self.y_true, self.predictions)

    @property
    def abs_errors(self):
        """Error absoluto de cada ventana, en unidades originales."""
        return np.abs(self.predictions - self.y_true)

    @property
    def max_error(self):
        """Mayor error absoluto entre todas las ventanas."""
        return float(self.abs_errors.max())

    @property
    def loss_history(self):
        """Pérdida por época en unidades originales al cuadrado."""
        return loss_in_original_units(self.training.history, self.scaler)


@dataclass(frozen=True, eq=False)
class RecipeComparison:
    """Las dos recetas (sin escalar y con escalado) de una arquitectura."""

    architecture: str
    raw: RecipeResult
    scaled: RecipeResult

    @property
    def display_name(self):
        """Nombre de la arquitectura tal como lo muestra el libro."""
        return DISPLAY_NAMES[self.architecture]

    @property
    def mae_ratio(self):
        """Cuántas veces es mayor el MAE sin escalar que el MAE escalado."""
        return self.raw.errors["mae"] / self.scaled.errors["mae"]


def run_recipe(architecture, series, n_steps=SOURCE_N_STEPS, *, scale,
               units=SOURCE_UNITS, epochs=SOURCE_EPOCHS,
               batch_size=SOURCE_BATCH_SIZE, seed=0):
    """Entrena con todas las ventanas de una serie y predice esas ventanas.

    Con ``scale=True`` ajusta un :class:`~rnnbook.data.Scaler` sobre la
    serie completa, que aquí es el conjunto de entrenamiento entero, y
    devuelve las predicciones ya en unidades originales.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    series : array_like de forma ``(tiempo,)``
    n_steps : int
        Pasos por ventana.
    scale : bool
        Si se estandariza la serie antes de cortar las ventanas.
    units, epochs, batch_size, seed : int
        Como en :func:`rnnbook.training.train_model`.

    Returns
    -------
    RecipeResult
    """
    architecture = check_architecture(architecture)
    series = check_array(series, "series", ndim=1)
    if not isinstance(scale, bool):
        raise TypeError(
            f"scale debe ser True o False, no {scale!r}."
        )
    scaler = Scaler.fit(series) if scale else None
    model_values = series if scaler is None else scaler.transform(series)
    X, y = make_windows(model_values, n_steps)
    training = train_model(
        architecture, (X, y), units=units, epochs=epochs,
        batch_size=batch_size, seed=seed,
    )
    # Los objetivos se toman de la serie original, no de deshacer el
    # escalado, para que no arrastren el redondeo de float32.
    _, y_true = make_windows(series, n_steps)
    return RecipeResult(
        architecture=architecture,
        training=training,
        scaler=scaler,
        X=X,
        y=y,
        y_true=y_true,
        predictions=predict(training.model, X, scaler),
    )


def compare_recipes(architecture, series=None, n_steps=SOURCE_N_STEPS, *,
                    units=SOURCE_UNITS, epochs=SOURCE_EPOCHS,
                    batch_size=SOURCE_BATCH_SIZE, seed=0):
    """Entrena una arquitectura sin escalar y con escalado, misma semilla.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    series : array_like de forma ``(tiempo,)``, optional
        Por defecto, la secuencia 0..99 del cuaderno de partida.
    n_steps, units, epochs, batch_size, seed : int
        Como en :func:`run_recipe`; por defecto, los del cuaderno de
        partida.

    Returns
    -------
    RecipeComparison
    """
    architecture = check_architecture(architecture)
    if series is None:
        series = counting_sequence(SOURCE_LENGTH)
    settings = dict(units=units, epochs=epochs, batch_size=batch_size,
                    seed=seed)
    return RecipeComparison(
        architecture=architecture,
        raw=run_recipe(architecture, series, n_steps, scale=False,
                       **settings),
        scaled=run_recipe(architecture, series, n_steps, scale=True,
                          **settings),
    )


@dataclass(frozen=True)
class SaturationDiagnostics:
    """Medidas que muestran si las unidades tanh de un modelo saturan.

    Attributes
    ----------
    max_input_preactivation : float
        Mayor ``|x_t W|`` entre todas las ventanas, pasos y columnas del
        núcleo de entrada de la primera capa recurrente: la parte de la
        preactivación que aporta la entrada.
    saturated_fraction : float
        Fracción de las componentes del último estado oculto (el que recibe
        la capa ``Dense``) con ``|h| > SATURATION_THRESHOLD``, sobre todas
        las ventanas.
    output_bound : float
        ``sum(|v|) + |c|`` de la cabeza ``Dense``. Como ninguna componente
        del estado oculto de SimpleRNN, LSTM o GRU con tanh sale de
        ``[-1, 1]``, ninguna predicción del modelo puede superar este valor.
    """

    max_input_preactivation: float
    saturated_fraction: float
    output_bound: float


def _recurrent_layers(model):
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model debe ser un keras.Model, no {type(model).__name__}."
        )
    layers = [layer for layer in model.layers
              if isinstance(layer, keras.layers.RNN)]
    head = model.layers[-1]
    if not layers or not isinstance(head, keras.layers.Dense):
        raise ValueError(
            f"El modelo {model.name!r} no tiene la forma de build_model: "
            "hace falta al menos una capa recurrente y una cabeza Dense "
            "al final."
        )
    for layer in layers:
        activation = getattr(layer.activation, "__name__", layer.activation)
        if activation != "tanh":
            # Con otra activación, el estado oculto ya no está acotado en
            # [-1, 1] y la cota de salida dejaría de valer.
            raise ValueError(
                f"La capa {layer.name!r} usa activation={activation!r}; el "
                "diagnóstico de saturación solo vale para capas con tanh."
            )
    return layers, head


def saturation_diagnostics(model, X):
    """Mide la saturación de un modelo de :func:`~rnnbook.models.build_model`.

    Parameters
    ----------
    model : keras.Model
        Modelo con capas recurrentes de activación tanh y cabeza ``Dense``.
    X : array_like de forma ``(muestras, pasos, variables)``
        Ventanas en la escala con la que se entrenó el modelo.

    Returns
    -------
    SaturationDiagnostics

    Raises
    ------
    TypeError
        Si ``model`` no es un ``keras.Model``.
    ValueError
        Si al modelo le falta la capa recurrente o la cabeza ``Dense``, si
        alguna capa recurrente no usa tanh o si ``X`` no tiene tantas
        variables por paso como espera el modelo.
    """
    layers, head = _recurrent_layers(model)
    X = check_array(X, "X", ndim=3).astype(np.float32)
    kernel = np.asarray(layers[0].get_weights()[0])
    if kernel.shape[0] != X.shape[2]:
        raise ValueError(
            f"X tiene {X.shape[2]} variable(s) por paso y el modelo espera "
            f"{kernel.shape[0]}; pasa las ventanas con que se entrenó."
        )
    # (muestras * pasos, variables) @ (variables, compuertas * units)
    input_terms = X.reshape(-1, X.shape[2]) @ kernel

    last_state_model = keras.Model(model.inputs, layers[-1].output)
    # (muestras, units): el estado que recibe la cabeza Dense
    last_state = last_state_model.predict(X, batch_size=1024, verbose=0)

    dense_kernel, dense_bias = head.get_weights()
    return SaturationDiagnostics(
        max_input_preactivation=float(np.abs(input_terms).max()),
        saturated_fraction=float(
            np.mean(np.abs(last_state) > SATURATION_THRESHOLD)
        ),
        output_bound=float(np.abs(dense_kernel).sum()
                           + np.abs(dense_bias).sum()),
    )


@dataclass(frozen=True)
class TrainingTimes:
    """Tiempos de varias repeticiones del mismo entrenamiento.

    Attributes
    ----------
    architecture : str
    n_params : int
        Parámetros entrenables del modelo.
    fit_seconds : tuple of float
        Tiempo de pared de ``fit`` en cada repetición, en segundos.
    cpu_seconds : tuple of float
        Tiempo de CPU del proceso (todos sus hilos) durante cada llamada a
        :func:`~rnnbook.training.train_model`, que incluye construir y
        compilar el modelo, en segundos.
    """

    architecture: str
    n_params: int
    fit_seconds: tuple
    cpu_seconds: tuple

    @property
    def median_fit_seconds(self):
        """Mediana del tiempo de pared de ``fit``, en segundos."""
        return float(statistics.median(self.fit_seconds))

    @property
    def median_cpu_seconds(self):
        """Mediana del tiempo de CPU por entrenamiento, en segundos."""
        return float(statistics.median(self.cpu_seconds))


def time_training(architectures, train, repeats=3, *, units=SOURCE_UNITS,
                  epochs=SOURCE_EPOCHS, batch_size=SOURCE_BATCH_SIZE,
                  seed=0):
    """Entrena cada arquitectura ``repeats`` veces y mide cuánto tarda.

    Las repeticiones se intercalan (A, B, A, B...) para que una racha de
    carga ajena a la medida afecte a todas las arquitecturas por igual. Antes
    de medir se entrena una época de cada una, de modo que los costes que
    TensorFlow paga una sola vez por proceso no caigan en la primera
    repetición.

    Parameters
    ----------
    architectures : sequence of str
        Nombres de ``rnnbook.ARCHITECTURES``, sin repetir.
    train : tuple (X, y)
        Ventanas de entrenamiento, como en
        :func:`~rnnbook.training.train_model`.
    repeats : int
        Entrenamientos medidos por arquitectura.
    units, epochs, batch_size, seed : int
        Como en :func:`~rnnbook.training.train_model`.

    Returns
    -------
    dict
        ``{arquitectura: TrainingTimes}``, en el orden recibido.
    """
    if isinstance(architectures, str) or not architectures:
        raise TypeError(
            "architectures debe ser una lista de nombres como "
            f"['lstm', 'gru'], no {architectures!r}."
        )
    names = [check_architecture(name) for name in architectures]
    if len(set(names)) != len(names):
        raise ValueError(
            f"architectures repite nombres: {architectures!r}; pasa cada "
            "arquitectura una sola vez."
        )
    repeats = check_int(repeats, "repeats", minimum=1)
    settings = dict(units=units, batch_size=batch_size, seed=seed)

    for name in names:
        train_model(name, train, epochs=1, **settings)

    fit_seconds = {name: [] for name in names}
    cpu_seconds = {name: [] for name in names}
    n_params = {}
    for _ in range(repeats):
        for name in names:
            cpu_start = time.process_time()
            result = train_model(name, train, epochs=epochs, **settings)
            cpu_seconds[name].append(time.process_time() - cpu_start)
            fit_seconds[name].append(result.seconds)
            n_params[name] = result.n_params
    return {
        name: TrainingTimes(
            architecture=name,
            n_params=n_params[name],
            fit_seconds=tuple(fit_seconds[name]),
            cpu_seconds=tuple(cpu_seconds[name]),
        )
        for name in names
    }


def timing_verdict(first, second):
    """Compara dos series de tiempos y devuelve la relación en palabras.

    Una serie solo se declara más rápida cuando todas sus repeticiones
    tardan menos que todas las de la otra. Si los rangos se solapan, la
    diferencia queda dentro de la dispersión medida.

    Parameters
    ----------
    first, second : sequence of float
        Tiempos en segundos de cada repetición.

    Returns
    -------
    str
        "más rápida que", "más lenta que" o "indistinguible, dentro de la
        dispersión medida, de"; se lee como «``first`` fue … ``second``».

    Examples
    --------
    >>> timing_verdict([1.0, 1.2], [2.0, 2.5])
    'más rápida que'
    >>> timing_verdict([1.0, 2.2], [2.0, 2.5])
    'indistinguible, dentro de la dispersión medida, de'
    """
    first = check_array(first, "first", ndim=1)
    second = check_array(second, "second", ndim=1)
    if first.max() < second.min():
        return "más rápida que"
    if first.min() > second.max():
        return "más lenta que"
    return "indistinguible, dentro de la dispersión medida, de"
