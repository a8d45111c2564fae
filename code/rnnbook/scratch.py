"""Pasos hacia delante de SimpleRNN, LSTM y GRU escritos con NumPy.

Las funciones usan los pesos de una capa de Keras tal como los guarda Keras
3 y reproducen su salida. ``kernel`` multiplica la entrada y tiene forma
``(variables, g * units)``. ``recurrent_kernel`` multiplica el estado oculto
anterior y tiene forma ``(units, g * units)``. ``g`` es el número de bloques
que Keras concatena en columnas: 1 en SimpleRNN, 4 en LSTM (en el orden
``i, f, c, o``) y 3 en GRU (en el orden ``z, r, h``). La GRU con
``reset_after=True``, la opción por defecto, guarda dos filas de sesgo: la
primera se suma a la proyección de la entrada y la segunda a la del estado.

Todo se calcula en ``float64``, así que la diferencia con Keras (que calcula
en ``float32``) es el redondeo de Keras.
"""

import numpy as np

from rnnbook._checks import check_array

# Keras LSTM: [i | f | c | o]; Keras GRU: [z | r | h].
N_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


def sigmoid(x):
    """Calcula la función logística ``1 / (1 + exp(-x))`` elemento a elemento.

    Usa la identidad ``(1 + tanh(x / 2)) / 2``, que no desborda ``exp`` con
    valores muy negativos.

    Examples
    --------
    >>> sigmoid(np.array([0.0]))
    array([0.5])
    """
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _relu(x):
    return np.maximum(x, 0.0)


def _linear(x):
    return x


ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": _relu,
    "linear": _linear,
}
"""Activaciones de Keras que entienden estas funciones, por su nombre."""


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias,
                    activation=np.tanh):
    """Avanza un paso de una SimpleRNN y devuelve el nuevo estado oculto.

    ``x_t`` tiene forma ``(lote, variables)`` y ``h_prev``, ``(lote,
    units)``; el resultado, ``(lote, units)``.
    """
    return activation(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias,
              activation=np.tanh, recurrent_activation=sigmoid):
    """Avanza un paso de una LSTM y devuelve ``(h_t, c_t)``.

    Las cuatro proyecciones salen de un único producto de forma ``(lote, 4
    * units)``, con los bloques en el orden de Keras: ``i, f, c, o``.
    """
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    i = recurrent_activation(z_i)  # compuerta de entrada
    f = recurrent_activation(z_f)  # compuerta de olvido
    o = recurrent_activation(z_o)  # compuerta de salida
    c = f * c_prev + i * activation(z_c)  # camino aditivo de la celda
    h = o * activation(c)
    return h, c


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=True,
             activation=np.tanh, recurrent_activation=sigmoid):
    """Avanza un paso de una GRU y devuelve el nuevo estado oculto.

    Los bloques siguen el orden de Keras: ``z, r, h``. Con
    ``reset_after=True``, ``bias`` tiene forma ``(2, 3 * units)`` y la
    compuerta de reinicio multiplica el estado ya proyectado. Con
    ``reset_after=False``, ``bias`` tiene forma ``(3 * units,)`` y la
    compuerta multiplica el estado antes de proyectarlo.
    """
    units = h_prev.shape[-1]
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros(3 * units)
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)
    u_zr = recurrent_kernel[:, :2 * units]
    u_h = recurrent_kernel[:, 2 * units:]
    h_z, h_r = np.split(h_prev @ u_zr + recurrent_bias[:2 * units], 2,
                        axis=-1)
    z = recurrent_activation(x_z + h_z)  # compuerta de actualización
    r = recurrent_activation(x_r + h_r)  # compuerta de reinicio
    if reset_after:
        candidate = activation(
            x_h + r * (h_prev @ u_h + recurrent_bias[2 * units:])
        )
    else:
        candidate = activation(x_h + (r * h_prev) @ u_h)
    return z * h_prev + (1.0 - z) * candidate


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} debe ser True o False, no {type(value).__name__} "
            f"({value!r})."
        )
    return bool(value)


def _lookup_activation(name, label):
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"{label}={name!r} no está soportada; usa una de "
            f"{sorted(ACTIVATIONS)}."
        )
    return ACTIVATIONS[name]


def _check_weights(architecture, inputs, kernel, recurrent_kernel):
    """Valida la entrada y las matrices y las devuelve junto con ``units``.

    La forma de ``recurrent_kernel`` fija ``units``; las demás formas se
    comprueban contra ella y contra el número de variables de la entrada.
    """
    n_blocks = N_BLOCKS[architecture]
    inputs = check_array(inputs, "inputs", ndim=3)
    kernel = check_array(kernel, "kernel", ndim=2)
    recurrent_kernel = check_array(recurrent_kernel, "recurrent_kernel",
                                   ndim=2)
    units = recurrent_kernel.shape[0]
    expected = (units, n_blocks * units)
    if recurrent_kernel.shape != expected:
        raise ValueError(
            f"recurrent_kernel tiene forma {recurrent_kernel.shape} y se "
            f"esperaba (units, {n_blocks} * units) = {expected}; pasa la "
            "matriz recurrente de la capa sin trasponerla."
        )
    n_features = inputs.shape[2]
    if kernel.shape != (n_features, n_blocks * units):
        raise ValueError(
            f"kernel tiene forma {kernel.shape} y se esperaba (variables, "
            f"{n_blocks} * units) = {(n_features, n_blocks * units)}, "
            f"porque inputs tiene {n_features} variable(s) y "
            f"recurrent_kernel {units} unidades."
        )
    return inputs, kernel, recurrent_kernel, units


def _check_bias(bias, shape, convention=""):
    if bias is None:
        return np.zeros(shape)
    bias = check_array(bias, "bias", ndim=np.ndim(bias))
    if bias.shape != shape:
        raise ValueError(
            f"bias tiene forma {bias.shape} y se esperaba {shape} para "
            f"estas matrices de pesos{convention}."
        )
    return bias


def _scan(step, inputs, units, n_states, return_sequences):
    """Aplica ``step`` a cada paso de tiempo, desde estados a cero.

    ``step(x_t, states)`` devuelve la tupla de estados nuevos; el primero es
    el estado oculto, que es la salida de la capa.
    """
    n_samples, n_steps, _ = inputs.shape
    states = tuple(np.zeros((n_samples, units)) for _ in range(n_states))
    outputs = []
    for t in range(n_steps):
        states = step(inputs[:, t, :], states)
        outputs.append(states[0])
    if return_sequences:
        return np.stack(outputs, axis=1)  # (muestras, pasos, units)
    return outputs[-1]  # (muestras, units)


def simple_rnn_forward(inputs, kernel, recurrent_kernel, bias=None, *,
                       return_sequences=False, activation="tanh"):
    """Recorre ``inputs`` con una SimpleRNN, como ``keras.layers.SimpleRNN``.

    Parameters
    ----------
    inputs : array_like de forma ``(muestras, pasos, variables)``
    kernel : array_like de forma ``(variables, units)``
    recurrent_kernel : array_like de forma ``(units, units)``
    bias : array_like de forma ``(units,)``, optional
        Sin sesgo (``use_bias=False``) si es ``None``.
    return_sequences : bool
        Devuelve el estado oculto de cada paso en lugar de solo el último.
    activation : {"tanh", "sigmoid", "relu", "linear"}

    Returns
    -------
    ndarray de forma ``(muestras, units)``, o ``(muestras, pasos, units)``
    con ``return_sequences=True``.

    Raises
    ------
    ValueError
        Si las formas de la entrada y los pesos no encajan o la activación
        no está soportada.

    Examples
    --------
    Con pesos 1, sin sesgo y activación lineal, la capa acumula la suma:

    >>> simple_rnn_forward(np.ones((1, 3, 1)), [[1.0]], [[1.0]],
    ...                    return_sequences=True, activation="linear")
    array([[[1.],
            [2.],
            [3.]]])
    """
    inputs, kernel, recurrent_kernel, units = _check_weights(
        "rnn", inputs, kernel, recurrent_kernel
    )
    bias = _check_bias(bias, (units,))
    return_sequences = _check_flag(return_sequences, "return_sequences")
    function = _lookup_activation(activation, "activation")

    def step(x_t, states):
        h = simple_rnn_step(x_t, states[0], kernel, recurrent_kernel, bias,
                            activation=function)
        return (h,)

    return _scan(step, inputs, units, 1, return_sequences)


def lstm_forward(inputs, kernel, recurrent_kernel, bias=None, *,
                 return_sequences=False, activation="tanh",
                 recurrent_activation="sigmoid"):
    """Recorre ``inputs`` con una LSTM, como ``keras.layers.LSTM``.

    Parameters
    ----------
    inputs : array_like de forma ``(muestras, pasos, variables)``
    kernel : array_like de forma ``(variables, 4 * units)``
        Bloques en el orden de Keras: ``i, f, c, o``.
    recurrent_kernel : array_like de forma ``(units, 4 * units)``
    bias : array_like de forma ``(4 * units,)``, optional
        Sin sesgo si es ``None``.
    return_sequences : bool
        Devuelve el estado oculto de cada paso en lugar de solo el último.
    activation : {"tanh", "sigmoid", "relu", "linear"}
        Activación del candidato y de la salida de la celda.
    recurrent_activation : {"sigmoid", "tanh", "relu", "linear"}
        Activación de las compuertas.

    Returns
    -------
    ndarray de forma ``(muestras, units)``, o ``(muestras, pasos, units)``
    con ``return_sequences=True``. El estado de la celda no se devuelve.

    Raises
    ------
    ValueError
        Si las formas de la entrada y los pesos no encajan o alguna
        activación no está soportada.
    """
    inputs, kernel, recurrent_kernel, units = _check_weights(
        "lstm", inputs, kernel, recurrent_kernel
    )
    bias = _check_bias(bias, (4 * units,))
    return_sequences = _check_flag(return_sequences, "return_sequences")
    function = _lookup_activation(activation, "activation")
    gate_function = _lookup_activation(recurrent_activation,
                                       "recurrent_activation")

    def step(x_t, states):
        return lstm_step(x_t, states[0], states[1], kernel, recurrent_kernel,
                         bias, activation=function,
                         recurrent_activation=gate_function)

    return _scan(step, inputs, units, 2, return_sequences)


def gru_forward(inputs, kernel, recurrent_kernel, bias=None, *,
                reset_after=True, return_sequences=False, activation="tanh",
                recurrent_activation="sigmoid"):
    """Recorre ``inputs`` con una GRU, como ``keras.layers.GRU``.

    Parameters
    ----------
    inputs : array_like de forma ``(muestras, pasos, variables)``
    kernel : array_like de forma ``(variables, 3 * units)``
        Bloques en el orden de Keras: ``z, r, h``.
    recurrent_kernel : array_like de forma ``(units, 3 * units)``
    bias : array_like, optional
        De forma ``(2, 3 * units)`` con ``reset_after=True`` (fila 0: sesgo
        de la entrada; fila 1: sesgo del estado) y ``(3 * units,)`` con
        ``reset_after=False``. Sin sesgo si es ``None``.
    reset_after : bool
        Convención de Keras: aplicar la compuerta de reinicio después de
        proyectar el estado (``True``, la opción por defecto de Keras) o
        antes (``False``).
    return_sequences : bool
        Devuelve el estado oculto de cada paso en lugar de solo el último.
    activation : {"tanh", "sigmoid", "relu", "linear"}
        Activación del estado candidato.
    recurrent_activation : {"sigmoid", "tanh", "relu", "linear"}
        Activación de las compuertas.

    Returns
    -------
    ndarray de forma ``(muestras, units)``, o ``(muestras, pasos, units)``
    con ``return_sequences=True``.

    Raises
    ------
    ValueError
        Si las formas de la entrada, los pesos o el sesgo no encajan o
        alguna activación no está soportada.
    """
    inputs, kernel, recurrent_kernel, units = _check_weights(
        "gru", inputs, kernel, recurrent_kernel
    )
    reset_after = _check_flag(reset_after, "reset_after")
    bias_shape = (2, 3 * units) if reset_after else (3 * units,)
    bias = _check_bias(bias, bias_shape, f" con reset_after={reset_after}")
    return_sequences = _check_flag(return_sequences, "return_sequences")
    function = _lookup_activation(activation, "activation")
    gate_function = _lookup_activation(recurrent_activation,
                                       "recurrent_activation")

    def step(x_t, states):
        h = gru_step(x_t, states[0], kernel, recurrent_kernel, bias,
                     reset_after=reset_after, activation=function,
                     recurrent_activation=gate_function)
        return (h,)

    return _scan(step, inputs, units, 1, return_sequences)


def layer_forward(layer, inputs):
    """Recorre ``inputs`` con los pesos y la configuración de una capa Keras.

    Lee de ``layer`` los pesos, ``return_sequences``, las activaciones y,
    en la GRU, ``reset_after``, y llama a :func:`simple_rnn_forward`,
    :func:`lstm_forward` o :func:`gru_forward`.

    Parameters
    ----------
    layer : keras.layers.SimpleRNN, keras.layers.LSTM o keras.layers.GRU
        Capa ya construida (con pesos).
    inputs : array_like de forma ``(muestras, pasos, variables)``

    Returns
    -------
    ndarray
        La misma salida que ``layer(inputs)``; con ``return_state=True``,
        solo el primer elemento de esa salida.

    Raises
    ------
    TypeError
        Si ``layer`` no es una de las tres capas recurrentes.
    ValueError
        Si la capa no tiene pesos todavía, recorre la secuencia al revés
        (``go_backwards=True``) o guarda estado entre llamadas
        (``stateful=True``).
    """
    from rnnbook._tensorflow import keras

    forwards = {
        keras.layers.SimpleRNN: simple_rnn_forward,
        keras.layers.LSTM: lstm_forward,
        keras.layers.GRU: gru_forward,
    }
    forward = forwards.get(type(layer))
    if forward is None:
        raise TypeError(
            "layer debe ser una capa keras.layers.SimpleRNN, LSTM o GRU, "
            f"no {type(layer).__name__}."
        )
    if not layer.built:
        raise ValueError(
            f"La capa {layer.name!r} todavía no tiene pesos; llámala una vez "
            "sobre una entrada o inclúyela en un modelo con keras.Input."
        )
    config = layer.get_config()
    for option in ("go_backwards", "stateful"):
        if config.get(option):
            raise ValueError(
                f"La capa {layer.name!r} usa {option}=True, que estas "
                f"funciones no reproducen; usa una capa con {option}=False."
            )
    weights = layer.get_weights()
    kwargs = {
        "return_sequences": config["return_sequences"],
        "activation": config["activation"],
    }
    if forward is not simple_rnn_forward:
        kwargs["recurrent_activation"] = config["recurrent_activation"]
    if forward is gru_forward:
        kwargs["reset_after"] = config["reset_after"]
    bias = weights[2] if config["use_bias"] else None
    return forward(inputs, weights[0], weights[1], bias, **kwargs)


def max_difference_from_keras(layer, inputs):
    """Devuelve la mayor diferencia absoluta entre Keras y NumPy.

    Ejecuta ``layer`` sobre ``inputs`` en ``float32`` y compara su salida,
    elemento a elemento, con la de :func:`layer_forward`. Con los mismos
    pesos, solo el redondeo separa ambos resultados.
    """
    expected = layer_forward(layer, inputs)
    output = layer(np.asarray(inputs, dtype=np.float32))
    if isinstance(output, (list, tuple)):
        output = output[0]
    return float(np.max(np.abs(np.asarray(output) - expected)))
