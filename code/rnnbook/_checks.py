"""Validación de argumentos compartida por los módulos del paquete."""

import numbers

import numpy as np


def check_int(value, name, minimum=None):
    """Comprueba que ``value`` es un entero (no booleano) y ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} debe ser un entero, no {type(value).__name__} "
            f"({value!r}); pasa un valor como {name}=5."
        )
    if minimum is not None and value < minimum:
        raise ValueError(
            f"{name}={value} no es válido: debe ser >= {minimum}."
        )
    return int(value)


def check_float(value, name, minimum=None, maximum=None, strict=False):
    """Comprueba que ``value`` es un número real finito dentro del rango."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} debe ser un número real, no {type(value).__name__} "
            f"({value!r})."
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}={value} no es válido: debe ser finito.")
    if minimum is not None:
        too_small = value <= minimum if strict else value < minimum
        if too_small:
            relation = ">" if strict else ">="
            raise ValueError(
                f"{name}={value} no es válido: debe ser {relation} {minimum}."
            )
    if maximum is not None and value > maximum:
        raise ValueError(
            f"{name}={value} no es válido: debe ser <= {maximum}."
        )
    return value


def check_array(values, name, ndim):
    """Convierte ``values`` en un array de float y comprueba forma y valores.

    Rechaza arrays con un número de dimensiones distinto de ``ndim``, vacíos
    o con valores NaN o infinitos.
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} debe ser un array numérico; no se pudo convertir "
            f"un {type(values).__name__}: {error}"
        ) from None
    if array.ndim != ndim:
        raise ValueError(
            f"{name} debe tener {ndim} dimensión(es), pero tiene forma "
            f"{array.shape}; "
            + (
                "pasa una serie 1-D (por ejemplo, serie.ravel())."
                if ndim == 1
                else f"ajusta la forma a {ndim} dimensiones."
            )
        )
    if array.size == 0:
        raise ValueError(f"{name} está vacío; pasa al menos un valor.")
    if not np.all(np.isfinite(array)):
        bad = int(np.count_nonzero(~np.isfinite(array)))
        raise ValueError(
            f"{name} contiene {bad} valor(es) NaN o infinitos; límpialos "
            "o interpólalos antes de continuar."
        )
    return array


def check_architecture(architecture):
    """Comprueba que ``architecture`` es "rnn", "lstm" o "gru"."""
    from rnnbook import ARCHITECTURES

    if not isinstance(architecture, str):
        raise TypeError(
            "architecture debe ser un texto, no "
            f"{type(architecture).__name__} ({architecture!r}); "
            f"usa uno de {ARCHITECTURES}."
        )
    key = architecture.lower()
    if key not in ARCHITECTURES:
        raise ValueError(
            f"Arquitectura desconocida: {architecture!r}; usa una de "
            f"{ARCHITECTURES}."
        )
    return key
