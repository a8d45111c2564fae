"""Modelos de referencia para predecir el valor que sigue a una ventana.

Ninguno se entrena con descenso de gradiente: la persistencia no tiene
parámetros y el modelo lineal se ajusta por mínimos cuadrados con NumPy.
Una red recurrente solo compensa si mejora a los dos sobre la misma prueba.
"""

from dataclasses import dataclass

import numpy as np

from rnnbook._checks import check_array, check_float, check_int
from rnnbook.data import WindowedSplits
from rnnbook.training import regression_errors


def _check_windows(X, name="X"):
    # (muestras, pasos, variables), como las ventanas de rnnbook.data.
    return check_array(X, name, ndim=3)


def _check_targets(X, y):
    y = check_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X tiene {X.shape[0]} ventanas e y tiene {y.shape[0]} "
            "objetivos; deben coincidir (un objetivo por ventana)."
        )
    return y


def persistence_forecast(X, feature=0):
    """Predice para cada ventana su último valor («sin cambio»).

    Parameters
    ----------
    X : array_like de forma ``(muestras, pasos, variables)``
        Ventanas de entrada.
    feature : int
        Variable que se predice, la única en una serie univariante.

    Returns
    -------
    ndarray de forma ``(muestras,)``
        ``X[:, -1, feature]``.

    Examples
    --------
    >>> X = np.arange(6.0).reshape(2, 3, 1)
    >>> persistence_forecast(X)
    array([2., 5.])
    """
    X = _check_windows(X)
    feature = check_int(feature, "feature", minimum=0)
    if feature >= X.shape[2]:
        raise ValueError(
            f"feature={feature} no existe: las ventanas tienen "
            f"{X.shape[2]} variable(s); usa un índice entre 0 y "
            f"{X.shape[2] - 1}."
        )
    return X[:, -1, feature].copy()


def expected_persistence_mse(period, noise_std, amplitude=1.0):
    """Calcula el MSE esperado de la persistencia sobre una senoidal con ruido.

    La serie es ``x_t = A sin(w t) + e_t``, con ``w = 2 pi / period`` y
    ruido independiente de desviación típica ``sigma``. El error de
    predecir ``x_{t+1}`` con ``x_t`` tiene media cuadrática ``2 sigma**2 +
    A**2 (1 - cos w)``, porque el ruido entra dos veces (en la entrada y en
    el objetivo) y la señal cambia de un paso al siguiente.

    Parameters
    ----------
    period : float
        Periodo de la onda, en pasos de tiempo.
    noise_std : float
        Desviación típica del ruido (sigma).
    amplitude : float
        Amplitud de la onda limpia.

    Examples
    --------
    >>> expected_persistence_mse(period=2, noise_std=0.0)
    2.0
    """
    period = check_float(period, "period", minimum=0.0, strict=True)
    noise_std = check_float(noise_std, "noise_std", minimum=0.0)
    amplitude = check_float(amplitude, "amplitude")
    change = amplitude ** 2 * (1.0 - np.cos(2.0 * np.pi / period))
    return float(2.0 * noise_std ** 2 + change)


@dataclass(frozen=True)
class LinearWindowModel:
    """Modelo lineal ``y = ventana_aplanada @ weights + intercept``.

    Créalo con :meth:`LinearWindowModel.fit`. ``weights[k]`` multiplica el
    paso ``k`` de la ventana (el más antiguo es ``k = 0``) en una serie
    univariante. Con varias variables, la ventana se aplana paso a paso.

    Examples
    --------
    Una recurrencia lineal exacta, ``x_t = 2 x_{t-1} - x_{t-2}``, se
    recupera sin error:

    >>> X = np.array([[[0.0], [1.0]], [[1.0], [2.0]], [[2.0], [4.0]]])
    >>> y = np.array([2.0, 3.0, 6.0])
    >>> model = LinearWindowModel.fit(X, y)
    >>> np.round(model.weights, 6), round(model.intercept, 6)
    (array([-1.,  2.]), 0.0)
    """

    weights: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, X, y):
        """Ajusta pesos e intercepto por mínimos cuadrados ordinarios.

        Parameters
        ----------
        X : array_like de forma ``(muestras, pasos, variables)``
        y : array_like de forma ``(muestras,)``

        Raises
        ------
        ValueError
            Si hay menos ventanas que coeficientes (``pasos * variables +
            1``), porque entonces la solución no es única.
        """
        X = _check_windows(X)
        y = _check_targets(X, y)
        n_samples = X.shape[0]
        n_coefficients = X.shape[1] * X.shape[2] + 1
        if n_samples < n_coefficients:
            raise ValueError(
                f"Hay {n_samples} ventanas para {n_coefficients} "
                "coeficientes y el ajuste no es único; usa más ventanas "
                "o ventanas más cortas."
            )
        # (muestras, pasos * variables + 1): la última columna es el
        # intercepto.
        design = np.column_stack(
            [X.reshape(n_samples, -1), np.ones(n_samples)]
        )
        coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
        return cls(weights=coefficients[:-1],
                   intercept=float(coefficients[-1]))

    def predict(self, X):
        """Predice un valor por ventana; devuelve forma ``(muestras,)``."""
        X = _check_windows(X)
        flat = X.reshape(X.shape[0], -1)
        if flat.shape[1] != self.weights.size:
            raise ValueError(
                f"Las ventanas tienen {flat.shape[1]} valores y el modelo "
                f"se ajustó con {self.weights.size}; usa ventanas con los "
                "mismos pasos y variables que en el ajuste."
            )
        return flat @ self.weights + self.intercept


def evaluate_baselines(splits):
    """Evalúa persistencia y modelo lineal en la prueba (unidades originales).

    El modelo lineal se ajusta solo con las ventanas de entrenamiento.

    Parameters
    ----------
    splits : rnnbook.data.WindowedSplits
        Ventanas escaladas. Su ``scaler`` devuelve los valores a la escala
        original antes de medir el error.

    Returns
    -------
    dict
        ``{"persistencia": errores, "lineal": errores}``, donde cada
        ``errores`` es el dict de
        :func:`rnnbook.training.regression_errors` con dos claves más:
        ``"predictions"``, las predicciones de la prueba de forma
        ``(muestras,)``, y ``"n_params"``, los coeficientes ajustados.
    """
    if not isinstance(splits, WindowedSplits):
        raise TypeError(
            "splits debe ser un rnnbook.data.WindowedSplits, no "
            f"{type(splits).__name__}; créalo con window_splits()."
        )
    X_test, y_test = splits.test
    linear = LinearWindowModel.fit(*splits.train)
    scaled = {
        "persistencia": persistence_forecast(X_test),
        "lineal": linear.predict(X_test),
    }
    truth = splits.scaler.inverse_transform(y_test)
    n_params = {"persistencia": 0, "lineal": linear.weights.size + 1}
    results = {}
    for name, predictions in scaled.items():
        predictions = splits.scaler.inverse_transform(predictions)
        errors = regression_errors(truth, predictions)
        errors["predictions"] = predictions
        errors["n_params"] = int(n_params[name])
        results[name] = errors
    return results
