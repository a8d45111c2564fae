"""Memoria medida: la tarea de recordar una clave y los gradientes.

Los clasificadores de este módulo leen secuencias de
:func:`rnnbook.data.make_recall_task` y devuelven *logits*, uno por clase.
Se entrenan con Adam y entropía cruzada, con la semilla de
:func:`rnnbook.training.set_seed` y sin registros (``verbose=0``).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from rnnbook import ARCHITECTURES
from rnnbook._checks import (
    check_architecture,
    check_array,
    check_float,
    check_int,
)
from rnnbook._tensorflow import keras, tf
from rnnbook.data import make_recall_task
from rnnbook.models import LAYER_CLASSES, count_parameters
from rnnbook.training import TrainingResult, set_seed

LEARNED_ACCURACY = 0.9
"""Exactitud de prueba a partir de la cual se da por aprendido un retardo."""


def build_classifier(architecture, n_steps, n_features, n_classes,
                     units=32, dtype=None):
    """Construye una capa recurrente seguida de una capa ``Dense`` de logits.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    n_steps, n_features : int
        Forma de cada secuencia de entrada.
    n_classes : int
        Clases de salida; la capa final devuelve un logit por clase.
    units : int
        Dimensión del estado oculto.
    dtype : {None, "float32", "float64"}
        Tipo de los pesos y de los cálculos; ``None`` deja el de Keras,
        ``float32``.

    Returns
    -------
    keras.Sequential
        Modelo sin compilar; entrada ``(lote, n_steps, n_features)`` y
        salida ``(lote, n_classes)``.

    Examples
    --------
    >>> build_classifier("lstm", n_steps=6, n_features=8, n_classes=4,
    ...                  units=3).output_shape
    (None, 4)
    """
    architecture = check_architecture(architecture)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    units = check_int(units, "units", minimum=1)
    if dtype not in (None, "float32", "float64"):
        raise ValueError(
            f"dtype={dtype!r} no es válido; usa None, 'float32' o 'float64'."
        )
    return keras.Sequential(
        [
            keras.Input(shape=(n_steps, n_features), dtype=dtype),
            LAYER_CLASSES[architecture](units, dtype=dtype,
                                        name=architecture),
            keras.layers.Dense(n_classes, dtype=dtype, name="logits"),
        ],
        name=f"clasificador_{architecture}",
    )


def _check_labelled(X, y, label, dtype=np.float32):
    X = check_array(X, f"X de {label}", ndim=3).astype(dtype)
    labels = np.asarray(y)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"y de {label} debe ser un vector de enteros (la clase de cada "
            f"secuencia), no un array {labels.dtype} de forma "
            f"{labels.shape}."
        )
    if X.shape[0] != labels.shape[0]:
        raise ValueError(
            f"X de {label} tiene {X.shape[0]} secuencias e y tiene "
            f"{labels.shape[0]}; deben coincidir."
        )
    if labels.min() < 0:
        raise ValueError(
            f"y de {label} contiene la clase {int(labels.min())}; las "
            "clases son enteros desde 0."
        )
    return X, labels.astype(np.int32)


def _check_model(model):
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model debe ser un keras.Model, no {type(model).__name__}."
        )
    return model


def _training_dataset(X, y, batch_size, seed):
    # (muestras, pasos, variables) -> lotes ya formados y en memoria, para
    # que cada época no vuelva a convertir los arrays de NumPy. El orden de
    # cada época depende solo de la semilla; repetir después de formar los
    # lotes evita que un lote mezcle dos épocas.
    dataset = tf.data.Dataset.from_tensor_slices((X, y)).cache()
    dataset = dataset.shuffle(len(X), seed=seed,
                              reshuffle_each_iteration=True)
    return dataset.batch(batch_size).repeat().prefetch(tf.data.AUTOTUNE)


def train_classifier(architecture, train, *, n_classes, units=32,
                     epochs=30, batch_size=128, learning_rate=3e-3, seed=0):
    """Construye y entrena un clasificador con Adam y entropía cruzada.

    Todas las épocas se ejecutan: no hay parada temprana, así que dos
    llamadas con los mismos argumentos reciben el mismo presupuesto de
    actualizaciones, ``epochs * ceil(muestras / batch_size)``.

    Parameters
    ----------
    architecture : {"rnn", "lstm", "gru"}
    train : tuple (X, y)
        ``X`` de forma ``(muestras, pasos, variables)`` e ``y`` de forma
        ``(muestras,)`` con enteros en ``[0, n_classes)``.
    n_classes : int
        Clases posibles.
    units : int
        Dimensión del estado oculto.
    epochs, batch_size : int
        Épocas y tamaño del lote.
    learning_rate : float
        Tasa de aprendizaje de Adam.
    seed : int
        Semilla de pesos iniciales y barajado.

    Returns
    -------
    rnnbook.training.TrainingResult
        Con ``history = {"loss": [...], "accuracy": [...]}``, medidos sobre
        el entrenamiento.
    """
    if not isinstance(train, (tuple, list)) or len(train) != 2:
        raise TypeError(
            "train debe ser un par (X, y), no "
            f"{type(train).__name__}."
        )
    X, y = _check_labelled(train[0], train[1], "entrenamiento")
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    if y.max() >= n_classes:
        raise ValueError(
            f"y de entrenamiento contiene la clase {int(y.max())}, pero "
            f"n_classes={n_classes}; usa n_classes > {int(y.max())}."
        )
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_float(learning_rate, "learning_rate",
                                minimum=0.0, strict=True)

    seed = set_seed(seed)
    model = build_classifier(architecture, X.shape[1], X.shape[2],
                             n_classes, units=units)
    batches_per_epoch = int(np.ceil(len(X) / batch_size))
    # Una sola llamada al grafo por época: con modelos tan pequeños, el
    # coste fijo de cada llamada a TensorFlow pesa más que la aritmética.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        steps_per_execution=batches_per_epoch,
    )
    dataset = _training_dataset(X, y, batch_size, seed)

    start = time.perf_counter()
    history = model.fit(dataset, epochs=epochs,
                        steps_per_epoch=batches_per_epoch, shuffle=False,
                        verbose=0)
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


def accuracy(model, X, y):
    """Devuelve la fracción de secuencias cuya clase de mayor logit es ``y``.

    Examples
    --------
    >>> model = build_classifier("rnn", 3, 2, n_classes=2, units=1)
    >>> model.set_weights([w * 0 for w in model.get_weights()])
    >>> accuracy(model, np.zeros((4, 3, 2)), np.array([0, 0, 0, 1]))
    0.75
    """
    model = _check_model(model)
    X, y = _check_labelled(X, y, "evaluación")
    logits = model.predict(X, batch_size=1024, verbose=0)
    return float(np.mean(logits.argmax(axis=1) == y))


def chance_accuracy(y):
    """Devuelve la exactitud de predecir siempre la clase más frecuente.

    Es el modelo de referencia de la tarea: lo que acierta quien no ha
    visto la clave.

    Examples
    --------
    >>> chance_accuracy(np.array([0, 1, 2, 2]))
    0.5
    """
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.size == 0 or not np.issubdtype(
        labels.dtype, np.integer
    ):
        raise ValueError(
            "y debe ser un vector no vacío de clases enteras, no un array "
            f"{labels.dtype} de forma {labels.shape}."
        )
    if labels.min() < 0:
        raise ValueError(
            f"y contiene la clase {int(labels.min())}; las clases son "
            "enteros desde 0."
        )
    return float(np.bincount(labels).max() / labels.size)


def untrained_classifier(architecture, n_steps, n_features, n_classes,
                         units=32, seed=0):
    """Construye el clasificador con los pesos con los que empieza a entrenar.

    Fija la semilla con :func:`rnnbook.training.set_seed` antes de
    construirlo, igual que :func:`train_classifier`; con los mismos
    argumentos, los pesos coinciden con los iniciales de ese entrenamiento.
    """
    set_seed(seed)
    return build_classifier(architecture, n_steps, n_features, n_classes,
                            units=units)


@dataclass
class LagSweep:
    """Exactitudes de prueba de cada arquitectura para cada retardo.

    Attributes
    ----------
    lags : tuple of int
        Retardos probados, en orden creciente.
    accuracy : dict
        ``{arquitectura: [exactitud de prueba por retardo]}``.
    chance : list of float
        Exactitud del modelo de referencia (la clase más frecuente) en cada
        conjunto de prueba.
    seconds : dict
        ``{arquitectura: [segundos de entrenamiento por retardo]}``, de
        tiempo de pared.
    settings : dict
        Argumentos de :func:`run_lag_sweep` salvo ``lags`` y
        ``architectures``: los datos y el presupuesto de entrenamiento.
    histories : dict
        ``{(arquitectura, retardo): history}``, con la pérdida y la
        exactitud de entrenamiento por época de :func:`train_classifier`.
    models : dict
        ``{(arquitectura, retardo): keras.Model}`` entrenados.
    test_sets : dict
        ``{retardo: (X, y)}`` de prueba.
    """

    lags: tuple
    accuracy: dict
    chance: list
    seconds: dict
    settings: dict
    histories: dict = field(repr=False)
    models: dict = field(repr=False)
    test_sets: dict = field(repr=False)


def _check_lags(lags):
    if isinstance(lags, (str, bytes)) or not hasattr(lags, "__iter__"):
        raise TypeError(
            f"lags debe ser una lista de enteros como [5, 10, 20], no "
            f"{type(lags).__name__}."
        )
    checked = [check_int(lag, "cada retardo de lags", minimum=1)
               for lag in lags]
    if not checked:
        raise ValueError("lags está vacío; pasa al menos un retardo.")
    if sorted(set(checked)) != checked:
        raise ValueError(
            f"lags={checked} debe ir en orden creciente y sin repetidos."
        )
    return tuple(checked)


def run_lag_sweep(lags, architectures=ARCHITECTURES, *, n_train=4096,
                  n_test=1024, n_classes=4, n_distractors=4, units=32,
                  epochs=30, batch_size=128, learning_rate=3e-3, seed=0):
    """Entrena cada arquitectura en la tarea de recordar, para cada retardo.

    Todas las combinaciones reciben el mismo presupuesto: los mismos datos
    de entrenamiento (semilla ``seed``) y de prueba (semilla ``seed + 1``),
    las mismas unidades, épocas, lote y tasa de aprendizaje, y la misma
    semilla de pesos.

    Parameters
    ----------
    lags : list of int
        Retardos (distractores tras la clave) en orden creciente.
    architectures : sequence of {"rnn", "lstm", "gru"}
    n_train, n_test : int
        Secuencias de entrenamiento y de prueba por retardo.
    n_classes, n_distractors : int
        Como en :func:`rnnbook.data.make_recall_task`.
    units, epochs, batch_size, learning_rate, seed
        Como en :func:`train_classifier`.

    Returns
    -------
    LagSweep
    """
    lags = _check_lags(lags)
    if isinstance(architectures, str):
        architectures = (architectures,)
    architectures = tuple(check_architecture(a) for a in architectures)
    seed = check_int(seed, "seed", minimum=0)
    settings = {
        "n_train": n_train, "n_test": n_test, "n_classes": n_classes,
        "n_distractors": n_distractors, "units": units, "epochs": epochs,
        "batch_size": batch_size, "learning_rate": learning_rate,
        "seed": seed,
    }
    test_sets = {
        lag: make_recall_task(n_test, lag, n_classes, n_distractors,
                              seed=seed + 1)
        for lag in lags
    }
    accuracies = {architecture: [] for architecture in architectures}
    seconds = {architecture: [] for architecture in architectures}
    models = {}
    histories = {}
    for lag in lags:
        train = make_recall_task(n_train, lag, n_classes, n_distractors,
                                 seed=seed)
        for architecture in architectures:
            result = train_classifier(
                architecture, train, n_classes=n_classes, units=units,
                epochs=epochs, batch_size=batch_size,
                learning_rate=learning_rate, seed=seed,
            )
            models[(architecture, lag)] = result.model
            histories[(architecture, lag)] = result.history
            seconds[architecture].append(result.seconds)
            accuracies[architecture].append(
                accuracy(result.model, *test_sets[lag])
            )
    return LagSweep(
        lags=lags,
        accuracy=accuracies,
        chance=[chance_accuracy(test_sets[lag][1]) for lag in lags],
        seconds=seconds,
        settings=settings,
        histories=histories,
        models=models,
        test_sets=test_sets,
    )


def combine_sweeps(sweeps):
    """Une barridos de arquitecturas distintas con los mismos retardos y datos.

    Permite repartir un barrido largo en varias llamadas a
    :func:`run_lag_sweep`, una por arquitectura, y tratarlas después como
    una sola. Las arquitecturas quedan en el orden de ``sweeps``.

    Raises
    ------
    ValueError
        Si los barridos difieren en retardos o en datos y modelos
        (``settings``), o si una arquitectura aparece en más de uno.
    """
    if isinstance(sweeps, LagSweep) or not sweeps:
        raise TypeError(
            "sweeps debe ser una lista no vacía de LagSweep, como "
            "[barrido_rnn, barrido_lstm]."
        )
    for sweep in sweeps:
        if not isinstance(sweep, LagSweep):
            raise TypeError(
                f"Cada elemento de sweeps debe ser un LagSweep, no "
                f"{type(sweep).__name__}."
            )
    first = sweeps[0]
    accuracies, seconds, histories, models = {}, {}, {}, {}
    for sweep in sweeps:
        if sweep.lags != first.lags or sweep.settings != first.settings:
            raise ValueError(
                f"Los barridos no son comparables: retardos {sweep.lags} y "
                f"ajustes {sweep.settings}, frente a {first.lags} y "
                f"{first.settings}; repítelos con los mismos argumentos."
            )
        repeated = set(accuracies) & set(sweep.accuracy)
        if repeated:
            raise ValueError(
                f"Arquitecturas repetidas en varios barridos: "
                f"{sorted(repeated)}; pasa cada arquitectura una sola vez."
            )
        accuracies.update(sweep.accuracy)
        seconds.update(sweep.seconds)
        histories.update(sweep.histories)
        models.update(sweep.models)
    return LagSweep(
        lags=first.lags,
        accuracy=accuracies,
        chance=first.chance,
        seconds=seconds,
        settings=first.settings,
        histories=histories,
        models=models,
        test_sets=first.test_sets,
    )


def first_failed_lag(lags, accuracies, threshold=LEARNED_ACCURACY):
    """Devuelve el menor retardo cuya exactitud queda por debajo del umbral.

    Devuelve ``None`` si todos los retardos llegan al umbral.

    Examples
    --------
    >>> first_failed_lag([5, 10, 20], [1.0, 0.95, 0.3])
    20
    >>> first_failed_lag([5, 10], [1.0, 0.95]) is None
    True
    """
    lags = _check_lags(lags)
    values = check_array(accuracies, "accuracies", ndim=1)
    if values.size != len(lags):
        raise ValueError(
            f"accuracies tiene {values.size} valores y lags {len(lags)}; "
            "pasa una exactitud por retardo."
        )
    threshold = check_float(threshold, "threshold", minimum=0.0, maximum=1.0)
    for lag, value in zip(lags, values, strict=True):
        if value < threshold:
            return lag
    return None


def describe_limit(lags, accuracies, threshold=LEARNED_ACCURACY):
    """Resume en una frase hasta qué retardo llega una arquitectura.

    La frase empieza en minúscula y sin punto final, para insertarla en un
    texto. Si tras el primer retardo fallido algún retardo mayor vuelve a
    llegar al umbral, la frase lo dice.

    Examples
    --------
    >>> describe_limit([5, 10, 20], [1.0, 0.95, 0.3])
    'llega al umbral hasta k = 10 y se queda por debajo en k = 20'
    >>> describe_limit([5, 10], [1.0, 0.95])
    'llega al umbral en todos los retardos probados, hasta k = 10'
    """
    lags = _check_lags(lags)
    failed = first_failed_lag(lags, accuracies, threshold)
    values = check_array(accuracies, "accuracies", ndim=1)
    if failed is None:
        return ("llega al umbral en todos los retardos probados, hasta "
                f"k = {lags[-1]}")
    index = lags.index(failed)
    if index == 0:
        text = f"no llega al umbral ni con el retardo más corto, k = {failed}"
    else:
        text = (f"llega al umbral hasta k = {lags[index - 1]} y se queda "
                f"por debajo en k = {failed}")
    recovered = [
        lag for lag, value in zip(lags[index + 1:], values[index + 1:],
                                  strict=True)
        if value >= threshold
    ]
    if recovered:
        listed = ", ".join(f"k = {lag}" for lag in recovered)
        text += f" (aunque sí en {listed})"
    return text


def input_gradient_norms(model, X, y):
    """Mide cuánto influye la entrada de cada paso en la pérdida.

    Para cada secuencia ``n`` y paso ``t`` calcula con ``tf.GradientTape``
    la norma euclídea de ``dL_n / dx_t``, el gradiente de la entropía
    cruzada de esa secuencia respecto a su entrada en el paso ``t``, y
    promedia sobre las secuencias.

    Parameters
    ----------
    model : keras.Model
        Clasificador que devuelve logits, como el de
        :func:`build_classifier`.
    X : array_like de forma ``(muestras, pasos, variables)``
    y : array_like de forma ``(muestras,)``
        Clase de cada secuencia.

    Returns
    -------
    ndarray de forma ``(pasos,)``
        Norma media por paso, en el orden de la secuencia: el último valor
        corresponde al último paso. Se calcula en el tipo del modelo; en
        ``float32``, una norma por debajo de unos ``1e-45`` se queda en 0.
    """
    model = _check_model(model)
    X, y = _check_labelled(X, y, "gradientes", dtype=model.inputs[0].dtype)
    inputs = tf.constant(X)
    loss_function = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=None
    )
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        # Se suman las pérdidas por secuencia: como cada una depende solo
        # de su entrada, el gradiente de la suma respecto a la secuencia n
        # es el de su propia pérdida, sin dividir por el tamaño del lote.
        loss = tf.reduce_sum(loss_function(y, model(inputs)))
    gradients = tape.gradient(loss, inputs).numpy()  # (muestras, pasos, var)
    return np.linalg.norm(gradients, axis=2).mean(axis=0)


def _float64_copy(model, architecture, input_shape, n_classes, units):
    copy = build_classifier(architecture, input_shape[1], input_shape[2],
                            n_classes, units=units, dtype="float64")
    copy.set_weights(model.get_weights())
    return copy


def gradient_profiles(sweep, lag, n_sequences=256):
    """Mide :func:`input_gradient_norms` antes y después de entrenar.

    Usa los modelos de ``sweep`` entrenados con el retardo ``lag`` y, como
    modelos sin entrenar, los mismos clasificadores con sus pesos iniciales
    (:func:`untrained_classifier`). Todos se miden sobre las primeras
    ``n_sequences`` secuencias de prueba de ese retardo.

    Los gradientes se calculan en ``float64`` con una copia de cada modelo
    (mismos pesos): en ``float32``, las normas por debajo de unos ``1e-45``
    se redondearían a 0, y con cien pasos de retardo se llega a esa escala.

    Returns
    -------
    dict
        ``{"sin entrenar": {arquitectura: normas}, "entrenado": {...}}``,
        con las normas como en :func:`input_gradient_norms`.
    """
    if not isinstance(sweep, LagSweep):
        raise TypeError(
            f"sweep debe ser un LagSweep, no {type(sweep).__name__}."
        )
    if lag not in sweep.lags:
        raise ValueError(
            f"lag={lag!r} no está en el barrido; usa uno de {sweep.lags}."
        )
    n_sequences = check_int(n_sequences, "n_sequences", minimum=1)
    X, y = sweep.test_sets[lag]
    X, y = X[:n_sequences], y[:n_sequences]
    settings = sweep.settings
    profiles = {"sin entrenar": {}, "entrenado": {}}
    n_classes, units = settings["n_classes"], settings["units"]
    for architecture in sweep.accuracy:
        models = {
            "sin entrenar": untrained_classifier(
                architecture, X.shape[1], X.shape[2], n_classes,
                units=units, seed=settings["seed"],
            ),
            "entrenado": sweep.models[(architecture, lag)],
        }
        for state, model in models.items():
            copy = _float64_copy(model, architecture, X.shape, n_classes,
                                 units)
            profiles[state][architecture] = input_gradient_norms(copy, X, y)
    return profiles
