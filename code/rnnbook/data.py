"""Series de ejemplo, ventanas deslizantes, divisiones y escalado.

Todas las ventanas tienen la forma ``(muestras, pasos, variables)`` que
esperan las capas recurrentes de Keras; los objetivos, ``(muestras,)``.
"""

from dataclasses import dataclass

import numpy as np

from rnnbook._checks import check_array, check_float, check_int


def counting_sequence(length=100):
    """Devuelve la secuencia ``0, 1, ..., length - 1`` como ``float32``.

    Parameters
    ----------
    length : int
        Número de valores; al menos 2.

    Examples
    --------
    >>> counting_sequence(4)
    array([0., 1., 2., 3.], dtype=float32)
    """
    length = check_int(length, "length", minimum=2)
    return np.arange(length, dtype=np.float32)


def noisy_sine(length, period, noise_std, seed, amplitude=1.0):
    """Genera una onda senoidal con ruido gaussiano.

    Parameters
    ----------
    length : int
        Número de muestras de la serie.
    period : float
        Periodo de la onda, en pasos de tiempo.
    noise_std : float
        Desviación típica del ruido (sigma). Ningún predictor de un paso
        puede bajar de un MSE de ``noise_std ** 2`` sobre datos nuevos.
    seed : int
        Semilla del generador de ruido.
    amplitude : float
        Amplitud de la onda limpia.

    Returns
    -------
    noisy, clean : ndarray de forma ``(length,)``
        La serie con ruido y la señal limpia, ambas ``float32``.

    Examples
    --------
    >>> noisy, clean = noisy_sine(8, period=4, noise_std=0.0, seed=0)
    >>> np.round(clean[:4], 6)
    array([ 0.,  1.,  0., -1.], dtype=float32)
    """
    length = check_int(length, "length", minimum=2)
    period = check_float(period, "period", minimum=0.0, strict=True)
    noise_std = check_float(noise_std, "noise_std", minimum=0.0)
    seed = check_int(seed, "seed", minimum=0)
    amplitude = check_float(amplitude, "amplitude")
    steps = np.arange(length)
    clean = amplitude * np.sin(2 * np.pi * steps / period)
    rng = np.random.default_rng(seed)
    noisy = clean + rng.normal(0.0, noise_std, size=length)
    return noisy.astype(np.float32), clean.astype(np.float32)


def make_windows(series, n_steps):
    """Corta una serie en ventanas deslizantes y el valor que sigue a cada una.

    Parameters
    ----------
    series : array_like de forma ``(tiempo,)``
        Serie univariante, sin NaN ni infinitos.
    n_steps : int
        Pasos de tiempo de cada ventana; menor que la longitud de la serie.

    Returns
    -------
    X : ndarray de forma ``(muestras, n_steps, 1)``
        Ventanas ``series[i : i + n_steps]`` con ``muestras = tiempo -
        n_steps``.
    y : ndarray de forma ``(muestras,)``
        Objetivo de cada ventana: ``series[i + n_steps]``.

    Examples
    --------
    >>> X, y = make_windows(np.arange(6), n_steps=3)
    >>> X[:, :, 0]
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]], dtype=float32)
    >>> y
    array([3., 4., 5.], dtype=float32)
    """
    series = check_array(series, "series", ndim=1)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if n_steps >= series.size:
        raise ValueError(
            f"n_steps={n_steps} no cabe en una serie de {series.size} "
            f"valores: cada ventana necesita n_steps + 1 valores. Usa "
            f"n_steps <= {series.size - 1} o una serie más larga."
        )
    n_samples = series.size - n_steps
    # (muestras, pasos): fila i = series[i : i + n_steps]
    rows = np.lib.stride_tricks.sliding_window_view(series, n_steps)
    X = rows[:n_samples].astype(np.float32)
    y = series[n_steps:].astype(np.float32)
    return X[:, :, np.newaxis], y


def split_series(series, train_fraction=0.7, val_fraction=0.15):
    """Divide una serie en tres tramos consecutivos, sin mezclar el tiempo.

    El entrenamiento es el tramo más antiguo, la validación el siguiente y la
    prueba el más reciente. Como cada tramo se corta en ventanas por separado
    (con :func:`window_splits`), ninguna ventana cruza de un tramo a otro.

    Parameters
    ----------
    series : array_like de forma ``(tiempo,)``
    train_fraction, val_fraction : float
        Fracciones de la serie para entrenamiento y validación; la prueba
        recibe el resto, que no puede quedar vacío.

    Returns
    -------
    train, val, test : ndarray
        Los tres tramos, en orden cronológico.

    Examples
    --------
    >>> train, val, test = split_series(np.arange(10), 0.6, 0.2)
    >>> train, val, test
    (array([0., 1., 2., 3., 4., 5.]), array([6., 7.]), array([8., 9.]))
    """
    series = check_array(series, "series", ndim=1)
    train_fraction = check_float(
        train_fraction, "train_fraction", minimum=0.0, maximum=1.0,
        strict=True,
    )
    val_fraction = check_float(
        val_fraction, "val_fraction", minimum=0.0, maximum=1.0
    )
    if train_fraction + val_fraction >= 1.0:
        raise ValueError(
            f"train_fraction + val_fraction = "
            f"{train_fraction + val_fraction:g} deja vacía la prueba; "
            "la suma debe ser menor que 1."
        )
    n_train = int(round(series.size * train_fraction))
    n_val = int(round(series.size * val_fraction))
    parts = {
        "entrenamiento": series[:n_train],
        "validación": series[n_train:n_train + n_val],
        "prueba": series[n_train + n_val:],
    }
    for label, part in parts.items():
        if part.size == 0 and not (label == "validación" and
                                   val_fraction == 0.0):
            raise ValueError(
                f"El conjunto de {label} queda vacío con una serie de "
                f"{series.size} valores; usa una serie más larga o cambia "
                "las fracciones."
            )
    return tuple(parts.values())


@dataclass(frozen=True)
class Scaler:
    """Escalado estándar ``(x - mean) / std`` con estadísticos fijos.

    Créalo con :meth:`Scaler.fit` sobre el conjunto de entrenamiento, nunca
    sobre la serie entera: así la validación y la prueba no filtran
    información al modelo.

    Examples
    --------
    >>> scaler = Scaler.fit(np.array([1.0, 2.0, 3.0]))
    >>> scaler.transform(np.array([2.0, 4.0]))
    array([0.       , 2.4494898], dtype=float32)
    >>> scaler.inverse_transform(scaler.transform(np.array([5.0])))
    array([5.], dtype=float32)
    """

    mean: float
    std: float

    @classmethod
    def fit(cls, train_values):
        """Calcula media y desviación típica de los datos de entrenamiento."""
        values = check_array(train_values, "train_values", ndim=1)
        std = float(values.std())
        if values.size < 2 or std == 0.0:
            raise ValueError(
                "No se puede escalar con datos de entrenamiento constantes "
                f"(std = {std:g}, {values.size} valores); usa un conjunto de "
                "entrenamiento con valores distintos."
            )
        return cls(mean=float(values.mean()), std=std)

    def transform(self, values):
        """Aplica ``(values - mean) / std``; conserva la forma."""
        array = np.asarray(values, dtype=np.float64)
        return ((array - self.mean) / self.std).astype(np.float32)

    def inverse_transform(self, values):
        """Deshace el escalado: ``values * std + mean``; conserva la forma."""
        array = np.asarray(values, dtype=np.float64)
        return (array * self.std + self.mean).astype(np.float32)


@dataclass(frozen=True)
class WindowedSplits:
    """Ventanas escaladas de entrenamiento, validación y prueba.

    Cada conjunto es un par ``(X, y)`` con ``X`` de forma ``(muestras,
    n_steps, 1)`` e ``y`` de forma ``(muestras,)``, ya escalados con
    ``scaler``, que se ajustó solo sobre el tramo de entrenamiento.
    """

    train: tuple
    val: tuple
    test: tuple
    scaler: Scaler
    n_steps: int


def window_splits(series, n_steps, train_fraction=0.7, val_fraction=0.15):
    """Divide, escala y corta en ventanas una serie, en ese orden.

    El escalado se ajusta solo con el tramo de entrenamiento y cada tramo se
    corta por separado, así que ninguna ventana mezcla dos conjuntos.

    Parameters
    ----------
    series : array_like de forma ``(tiempo,)``
    n_steps : int
        Pasos de tiempo por ventana; menor que el tramo más corto.
    train_fraction, val_fraction : float
        Como en :func:`split_series`. ``val_fraction`` debe ser positiva.

    Returns
    -------
    WindowedSplits
    """
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if isinstance(val_fraction, (int, float)) and val_fraction == 0:
        raise ValueError(
            "val_fraction=0 deja vacía la validación; usa un valor como 0.15."
        )
    train, val, test = split_series(series, train_fraction, val_fraction)
    scaler = Scaler.fit(train)
    sets = {}
    for label, part in (("entrenamiento", train), ("validación", val),
                        ("prueba", test)):
        if part.size <= n_steps:
            raise ValueError(
                f"El tramo de {label} tiene {part.size} valores y no cabe "
                f"ninguna ventana de n_steps={n_steps}; usa una serie más "
                "larga o un n_steps menor."
            )
        sets[label] = make_windows(scaler.transform(part), n_steps)
    return WindowedSplits(
        train=sets["entrenamiento"],
        val=sets["validación"],
        test=sets["prueba"],
        scaler=scaler,
        n_steps=n_steps,
    )


def make_recall_task(n_samples, lag, n_classes=4, n_distractors=4, seed=0):
    """Genera la tarea de recordar el primer símbolo tras ``lag`` distractores.

    Cada secuencia empieza con una *clave*, uno de ``n_classes`` símbolos,
    y sigue con ``lag`` distractores tomados al azar de otros
    ``n_distractors`` símbolos. El objetivo es la clave. Nada de lo que
    viene después de la clave informa sobre ella, así que un modelo solo
    acierta por encima del azar si la recuerda ``lag`` pasos. Cada símbolo
    se codifica en *one-hot*: las primeras ``n_classes`` variables son las
    claves y las siguientes, los distractores.

    Las claves están equilibradas: cada clase aparece ``n_samples //
    n_classes`` veces, más una para las primeras ``n_samples % n_classes``
    clases, en orden barajado.

    Parameters
    ----------
    n_samples : int
        Número de secuencias; al menos ``n_classes``, para que aparezcan
        todas las clases.
    lag : int
        Distractores entre la clave y el final; la secuencia tiene ``lag +
        1`` pasos. Al menos 1.
    n_classes : int
        Símbolos posibles de la clave; al menos 2. Una predicción al azar
        acierta ``1 / n_classes`` de las veces.
    n_distractors : int
        Símbolos posibles de los distractores; al menos 1.
    seed : int
        Semilla del generador.

    Returns
    -------
    X : ndarray de forma ``(n_samples, lag + 1, n_classes + n_distractors)``
        Secuencias *one-hot* en ``float32``.
    y : ndarray de forma ``(n_samples,)``
        Clave de cada secuencia, un entero ``int32`` en ``[0, n_classes)``.

    Examples
    --------
    >>> X, y = make_recall_task(4, lag=2, n_classes=2, n_distractors=1)
    >>> X.shape, y.shape
    ((4, 3, 3), (4,))
    >>> bool(np.all(X.argmax(axis=2)[:, 0] == y))
    True
    >>> X[:, 1:, 2].min()
    np.float32(1.0)
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    lag = check_int(lag, "lag", minimum=1)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    n_distractors = check_int(n_distractors, "n_distractors", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if n_samples < n_classes:
        raise ValueError(
            f"n_samples={n_samples} es menor que n_classes={n_classes}: "
            "alguna clase no aparecería. Usa n_samples >= n_classes."
        )
    rng = np.random.default_rng(seed)
    keys = rng.permutation(np.arange(n_samples) % n_classes)
    distractors = rng.integers(
        n_classes, n_classes + n_distractors, size=(n_samples, lag)
    )
    # (muestras, lag + 1): índice del símbolo en cada paso
    symbols = np.concatenate([keys[:, np.newaxis], distractors], axis=1)
    X = np.eye(n_classes + n_distractors, dtype=np.float32)[symbols]
    return X, keys.astype(np.int32)
