"""Entrenamiento con semilla, medición de tiempo y evaluación.

La semilla se fija en un único sitio, :func:`set_seed`, que llaman todas las
funciones que entrenan. :func:`train_model` ejecuta todas las épocas dentro
de un único grafo de TensorFlow. Con modelos y datos tan pequeños como los
del libro, el coste fijo de cada llamada desde Python pesa más que la
aritmética, y el apéndice de rendimiento lo mide. Nada escribe barras de
progreso ni registros por época.
"""

import math
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
        Tiempo de pared del entrenamiento, incluido el trazado del grafo, en
        segundos.
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


def _epoch_order(n_samples, seed, epoch):
    # Permutación de las muestras para una época. Solo depende de (seed,
    # epoch), así que la misma semilla da el mismo orden de lotes.
    keys = tf.random.stateless_uniform(
        [n_samples], seed=tf.stack([seed, tf.cast(epoch, tf.int64)])
    )
    return tf.argsort(keys)


def _train_on_batch(model, optimizer, inputs, targets):
    # Un paso de Adam sobre un lote; devuelve su MSE antes del paso.
    with tf.GradientTape() as tape:
        predictions = model(inputs, training=True)
        loss = tf.reduce_mean(tf.square(predictions - targets))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(
        zip(gradients, model.trainable_variables, strict=True)
    )
    return loss


def _train_one_epoch(model, optimizer, inputs, targets, order, n_batches,
                     batch_size):
    # Recorre los lotes en el orden dado y devuelve la pérdida media de la
    # época, ponderada por el tamaño de cada lote (el último puede ser menor).
    total = tf.constant(0.0)
    for batch in tf.range(n_batches):
        indices = order[batch * batch_size:(batch + 1) * batch_size]
        loss = _train_on_batch(model, optimizer, tf.gather(inputs, indices),
                               tf.gather(targets, indices))
        total += loss * tf.cast(tf.size(indices), tf.float32)
    return total / tf.cast(tf.size(order), tf.float32)


def _fit_in_graph(model, train, validation, *, epochs, batch_size, seed,
                  patience):
    # Entrena todas las épocas con una sola llamada a un tf.function y
    # devuelve el historial {"loss": [...], "val_loss": [...]}.
    #
    # Sigue a model.fit con EarlyStopping(monitor="val_loss",
    # restore_best_weights=True) de Keras 3. "loss" es la media de los
    # lotes ponderada por su tamaño. La validación se mide al final de cada
    # época, aquí en un solo lote. Con patience, los pesos de la mejor
    # época se recuperan al terminar, haya parado antes o no.
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    X, y = train
    inputs = tf.constant(X)  # (muestras, pasos, variables)
    targets = tf.constant(y[:, None])  # (muestras, 1), como la salida
    n_samples = X.shape[0]
    n_batches = math.ceil(n_samples / batch_size)
    seed_tensor = tf.constant(seed, tf.int64)
    has_validation = validation is not None
    if has_validation:
        val_inputs = tf.constant(validation[0])
        val_targets = tf.constant(validation[1][:, None])
    best_weights = []
    if patience is not None:
        best_weights = [tf.Variable(weight.numpy(), trainable=False)
                        for weight in model.weights]

    @tf.function
    def run_all_epochs():
        losses = tf.TensorArray(tf.float32, size=epochs)
        val_losses = tf.TensorArray(tf.float32, size=epochs)
        best = tf.constant(math.inf)
        wait = tf.constant(0)
        epochs_run = tf.constant(0)
        for epoch in tf.range(epochs):
            order = _epoch_order(n_samples, seed_tensor, epoch)
            epoch_loss = _train_one_epoch(model, optimizer, inputs, targets,
                                          order, n_batches, batch_size)
            losses = losses.write(epoch, epoch_loss)
            epochs_run = epoch + 1
            if has_validation:
                val_loss = tf.reduce_mean(tf.square(
                    model(val_inputs, training=False) - val_targets
                ))
                val_losses = val_losses.write(epoch, val_loss)
                if patience is not None:
                    # Como EarlyStopping con min_delta=0: mejorar es bajar
                    # estrictamente de la mejor pérdida vista.
                    if val_loss < best:
                        best = val_loss
                        wait = tf.constant(0)
                        for saved, weight in zip(best_weights, model.weights,
                                                 strict=True):
                            saved.assign(weight.value)
                    else:
                        wait += 1
                    if wait >= patience:
                        break
        if has_validation:
            return losses.stack()[:epochs_run], val_losses.stack()[:epochs_run]
        return (losses.stack()[:epochs_run],)

    results = run_all_epochs()
    if patience is not None:
        for weight, saved in zip(model.weights, best_weights, strict=True):
            weight.assign(saved)
    history = {"loss": [float(value) for value in results[0].numpy()]}
    if has_validation:
        history["val_loss"] = [float(value) for value in results[1].numpy()]
    return history


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
        Ventanas de validación; necesarias si se usa ``patience``. Su
        pérdida se mide al final de cada época, en un solo lote.
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
    # Compilar deja model.optimizer y la pérdida listos por si quien recibe
    # el modelo quiere llamar a model.evaluate o seguir entrenando con fit.
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")

    start = time.perf_counter()
    history = _fit_in_graph(
        model, (X, y), validation, epochs=epochs, batch_size=batch_size,
        seed=seed, patience=patience,
    )
    seconds = time.perf_counter() - start

    return TrainingResult(
        model=model,
        history=history,
        seconds=seconds,
        n_params=count_parameters(model),
        epochs_run=len(history["loss"]),
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

    ``X`` e ``y`` están en la escala con la que se entrenó el modelo. Con
    ``scaler``, predicciones y objetivos vuelven a la escala original antes
    de medir el error.
    """
    X, y = _check_xy(X, y, "evaluación")
    predictions = predict(model, X, scaler)
    truth = y if scaler is None else scaler.inverse_transform(y)
    return regression_errors(truth, predictions)
