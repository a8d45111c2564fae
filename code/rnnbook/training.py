"""Entrenamiento con semilla, medición de tiempo y evaluación.

La semilla se fija en un único sitio, :func:`set_seed`, que llaman todas las
funciones que entrenan. Todo se ejecuta con ``verbose=0``: ni barras de
progreso ni registros por época.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from rnnbook._checks import check_array, check_float, check_int
from rnnbook._tensorflow import keras, tf
from rnnbook.data import Scaler
from rnnbook.models import build_model, count_parameters

UNROLL_MAX_STEPS = 10
"""Ventanas de hasta este número de pasos se desenrollan por defecto."""


def set_seed(seed):
    """Fija las semillas de Python, NumPy y TensorFlow y el determinismo.

    Con la misma semilla, la misma máquina y las mismas versiones, dos
    entrenamientos dan pesos idénticos bit a bit.
    """
    seed = check_int(seed, "seed", minimum=0)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    return seed


@dataclass
class TrainingResult:
    """Modelo entrenado y lo que se midió al entrenarlo.

    Attributes
    ----------
    model : keras.Model
    history : dict
        Pérdida por época: ``{"loss": [...], "val_loss": [...]}``; la clave
        ``val_loss`` solo existe si hubo validación.
    seconds : float
        Tiempo de pared de ``fit``, en segundos.
    n_params : int
        Parámetros entrenables.
    epochs_run : int
        Épocas ejecutadas (menos que las pedidas si paró la parada temprana).
    """

    model: object
    history: dict = field(repr=False)
    seconds: float
    n_params: int
    epochs_run: int


def _check_xy(X, y, label):
    X = check_array(X, f"X de {label}", ndim=3)
    y = check_array(y, f"y de {label}", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X de {label} tiene {X.shape[0]} muestras e y tiene "
            f"{y.shape[0]}; deben coincidir (una ventana por objetivo)."
        )
    return X.astype(np.float32), y.astype(np.float32)


def _check_pair(pair, label):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(
            f"El conjunto de {label} debe ser un par (X, y), no "
            f"{type(pair).__name__}."
        )
    return _check_xy(pair[0], pair[1], label)


def _batched_dataset(X, y, batch_size, seed, shuffle):
    # (muestras, pasos, variables) -> lotes ya formados y en memoria, para
    # que cada época no vuelva a convertir los arrays de NumPy.
    dataset = tf.data.Dataset.from_tensor_slices((X, y)).cache()
    if shuffle:
        dataset = dataset.shuffle(
            len(X), seed=seed, reshuffle_each_iteration=True
        )
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def train_model(architecture, train, val=None, *, units=50, n_layers=1,
                epochs=200, batch_size=32, learning_rate=1e-3,
                patience=None, seed=0, unroll=None):
    """Construye y entrena un modelo con Adam y pérdida MSE.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    train : tuple (X, y)
        Ventanas de entrenamiento, ``X`` de forma ``(muestras, pasos,
        variables)`` e ``y`` de forma ``(muestras,)``.
    val : tuple (X, y), optional
        Ventanas de validación; necesarias si se usa ``patience``.
    units, n_layers : int
        Como en :func:`rnnbook.models.build_model`.
    epochs : int
        Épocas máximas.
    batch_size : int
        Tamaño del lote.
    learning_rate : float
        Tasa de aprendizaje de Adam.
    patience : int, optional
        Si se da, parada temprana: termina tras ``patience`` épocas sin
        mejorar la pérdida de validación y recupera los mejores pesos.
    seed : int
        Semilla de pesos iniciales y barajado.
    unroll : bool, optional
        Desenrollar el bucle temporal; por defecto, solo para ventanas de
        hasta ``UNROLL_MAX_STEPS`` pasos.

    Returns
    -------
    TrainingResult
    """
    X, y = _check_pair(train, "entrenamiento")
    validation = None if val is None else _check_pair(val, "validación")
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_float(
        learning_rate, "learning_rate", minimum=0.0, strict=True
    )
    if patience is not None:
        patience = check_int(patience, "patience", minimum=1)
        if validation is None:
            raise ValueError(
                f"patience={patience} necesita un conjunto de validación; "
                "pasa val=(X_val, y_val) o deja patience=None."
            )
    n_steps, n_features = X.shape[1], X.shape[2]
    if unroll is None:
        unroll = n_steps <= UNROLL_MAX_STEPS

    seed = set_seed(seed)
    model = build_model(
        architecture, units=units, n_steps=n_steps, n_features=n_features,
        n_layers=n_layers, unroll=unroll,
    )
    batches_per_epoch = int(np.ceil(len(X) / batch_size))
    # Un solo paso del grafo por época: el coste fijo de cada llamada a
    # TensorFlow, no la aritmética, domina con modelos y datos tan pequeños.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="mse",
        steps_per_execution=batches_per_epoch,
    )
    train_data = _batched_dataset(X, y, batch_size, seed, shuffle=True)
    val_data = None
    if validation is not None:
        val_data = _batched_dataset(*validation, batch_size=1024, seed=seed,
                                    shuffle=False)
    callbacks = []
    if patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=patience,
                restore_best_weights=True,
            )
        )

    start = time.perf_counter()
    history = model.fit(
        train_data, validation_data=val_data, epochs=epochs,
        callbacks=callbacks, shuffle=False, verbose=0,
    )
    seconds = time.perf_counter() - start

    losses = {key: [float(v) for v in values]
              for key, values in history.history.items()}
    return TrainingResult(
        model=model,
        history=losses,
        seconds=seconds,
        n_params=count_parameters(model),
        epochs_run=len(losses["loss"]),
    )


def predict(model, X, scaler=None):
    """Predice un valor por ventana, en unidades originales si hay ``scaler``.

    Returns
    -------
    ndarray de forma ``(muestras,)``
    """
    X = check_array(X, "X", ndim=3).astype(np.float32)
    if scaler is not None and not isinstance(scaler, Scaler):
        raise TypeError(
            f"scaler debe ser un rnnbook.data.Scaler, no "
            f"{type(scaler).__name__}."
        )
    # (muestras, 1) -> (muestras,)
    predictions = model.predict(X, batch_size=1024, verbose=0)[:, 0]
    if scaler is not None:
        predictions = scaler.inverse_transform(predictions)
    return predictions.astype(np.float32)


def regression_errors(y_true, y_pred):
    """Calcula MAE, MSE y RMSE entre dos vectores de la misma longitud.

    Examples
    --------
    >>> regression_errors(np.array([0.0, 2.0]), np.array([1.0, 0.0]))
    {'mae': 1.5, 'mse': 2.5, 'rmse': 1.5811388300841898}
    """
    y_true = check_array(y_true, "y_true", ndim=1)
    y_pred = check_array(y_pred, "y_pred", ndim=1)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true tiene forma {y_true.shape} e y_pred {y_pred.shape}; "
            "deben tener la misma longitud."
        )
    residuals = y_pred - y_true
    mse = float(np.mean(residuals ** 2))
    return {
        "mae": float(np.mean(np.abs(residuals))),
        "mse": mse,
        "rmse": float(np.sqrt(mse)),
    }


def evaluate(model, X, y, scaler=None):
    """Evalúa ``model`` en unidades originales: MAE, MSE y RMSE.

    ``X`` e ``y`` están en la escala con la que se entrenó el modelo; si se
    pasa ``scaler``, predicciones y objetivos se devuelven a la escala
    original antes de medir el error.
    """
    X, y = _check_xy(X, y, "evaluación")
    predictions = predict(model, X, scaler)
    truth = y if scaler is None else scaler.inverse_transform(y)
    return regression_errors(truth, predictions)
