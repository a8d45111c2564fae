"""Bucle de entrenamiento mínimo, con todas las épocas en un único grafo.

:func:`train_in_graph` es la referencia de velocidad con la que se compara
:func:`rnnbook.training.train_model`. Hace el mismo paso por lote que
``train_model`` (el mismo barajado y la misma actualización de Adam), pero
nada más: sin validación, sin parada temprana y con las comprobaciones de
argumentos justas. La diferencia de tiempo entre las dos es lo que cuesta
todo lo que ``train_model`` añade.
"""

import math
import time

from rnnbook._checks import check_float, check_int
from rnnbook._tensorflow import keras, tf
from rnnbook.models import build_model, count_parameters
from rnnbook.training import (
    UNROLL_MAX_STEPS,
    TrainingResult,
    _check_pair,
    _epoch_order,
    _train_one_epoch,
    set_seed,
)


def train_in_graph(architecture, train, *, units=50, n_layers=1, epochs=200,
                   batch_size=32, learning_rate=1e-3, seed=0, unroll=None):
    """Entrena con Adam y pérdida MSE en un bucle compilado entero.

    Con la misma semilla y los mismos argumentos, construye el mismo modelo
    que :func:`~rnnbook.training.train_model`, parte de los mismos pesos y
    ve los lotes en el mismo orden.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    train : tuple (X, y)
        Ventanas ``X`` de forma ``(muestras, pasos, variables)`` y objetivos
        ``y`` de forma ``(muestras,)``.
    units, n_layers : int
        Como en :func:`rnnbook.models.build_model`.
    epochs, batch_size : int
        Épocas (todas se ejecutan) y tamaño del lote.
    learning_rate : float
        Tasa de aprendizaje de Adam.
    seed : int
        Semilla de los pesos iniciales y del barajado.
    unroll : bool, optional
        Como en :func:`~rnnbook.training.train_model`.

    Returns
    -------
    TrainingResult
        ``history`` tiene solo ``"loss"``: la media de la pérdida de los
        lotes de cada época, ponderada por su número de muestras.
        ``seconds`` incluye el trazado del grafo.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.zeros((6, 3, 1)); y = np.zeros(6)
    >>> result = train_in_graph("rnn", (X, y), units=2, epochs=2)
    >>> result.epochs_run, len(result.history["loss"])
    (2, 2)
    """
    X, y = _check_pair(train, "entrenamiento")
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_float(
        learning_rate, "learning_rate", minimum=0.0, strict=True
    )
    n_samples, n_steps, n_features = X.shape
    if unroll is None:
        unroll = n_steps <= UNROLL_MAX_STEPS

    seed = set_seed(seed)
    model = build_model(
        architecture, units=units, n_steps=n_steps, n_features=n_features,
        n_layers=n_layers, unroll=unroll,
    )
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(model.trainable_variables)
    inputs = tf.constant(X)  # (muestras, pasos, variables)
    targets = tf.constant(y[:, None])  # (muestras, 1), como la salida
    n_batches = math.ceil(n_samples / batch_size)
    seed_tensor = tf.constant(seed, tf.int64)

    @tf.function
    def run_all_epochs():
        epoch_losses = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            order = _epoch_order(n_samples, seed_tensor, epoch)
            epoch_loss = _train_one_epoch(model, optimizer, inputs, targets,
                                          order, n_batches, batch_size)
            epoch_losses = epoch_losses.write(epoch, epoch_loss)
        return epoch_losses.stack()

    start = time.perf_counter()
    losses = run_all_epochs().numpy()
    seconds = time.perf_counter() - start

    return TrainingResult(
        model=model,
        history={"loss": [float(value) for value in losses]},
        seconds=seconds,
        n_params=count_parameters(model),
        epochs_run=epochs,
    )
