"""Constructores de modelos recurrentes: SimpleRNN, LSTM y GRU."""

from rnnbook._checks import check_architecture, check_int
from rnnbook._tensorflow import keras

LAYER_CLASSES = {
    "rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}
"""Clase de capa de Keras para cada nombre de arquitectura."""

DISPLAY_NAMES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
"""Nombre con el que el libro muestra cada arquitectura."""


def build_model(architecture, units=50, n_steps=5, n_features=1,
                n_layers=1, activation="tanh", unroll=False):
    """Construye un modelo recurrente con una cabeza ``Dense(1)`` lineal.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
        Tipo de capa recurrente.
    units : int
        Dimensión del estado oculto de cada capa recurrente.
    n_steps : int
        Pasos de tiempo de cada ventana de entrada.
    n_features : int
        Variables por paso de tiempo.
    n_layers : int
        Capas recurrentes apiladas. Todas menos la última llevan
        ``return_sequences=True``, porque la capa siguiente necesita la
        secuencia completa ``(lote, pasos, units)`` y no solo el último
        estado.
    activation : str
        Activación de las capas recurrentes.
    unroll : bool
        Desenrolla el bucle temporal en el grafo; acelera ventanas cortas y
        gasta memoria proporcional a ``n_steps``.

    Returns
    -------
    keras.Sequential
        Modelo sin compilar; entrada ``(lote, n_steps, n_features)`` y salida
        ``(lote, 1)``.

    Examples
    --------
    >>> model = build_model("gru", units=4, n_steps=3)
    >>> model.output_shape
    (None, 1)
    """
    architecture = check_architecture(architecture)
    units = check_int(units, "units", minimum=1)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    n_layers = check_int(n_layers, "n_layers", minimum=1)
    if not isinstance(activation, str):
        raise TypeError(
            f"activation debe ser un texto como 'tanh', no {activation!r}."
        )
    layer_class = LAYER_CLASSES[architecture]
    layers = [keras.Input(shape=(n_steps, n_features))]
    for index in range(n_layers):
        is_last = index == n_layers - 1
        layers.append(
            layer_class(
                units,
                activation=activation,
                return_sequences=not is_last,
                unroll=unroll,
                name=f"{architecture}_{index + 1}",
            )
        )
    layers.append(keras.layers.Dense(1, name="salida"))
    return keras.Sequential(layers, name=f"modelo_{architecture}")


def count_parameters(model):
    """Devuelve el número de parámetros entrenables de ``model``."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model debe ser un keras.Model, no {type(model).__name__}."
        )
    return int(sum(int(w.numpy().size) for w in model.trainable_weights))
