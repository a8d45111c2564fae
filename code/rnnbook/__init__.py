"""Código del libro «Redes neuronales recurrentes».

El paquete reúne todo lo que ejecutan los capítulos: datos y ventanas
(:mod:`rnnbook.data`), constructores de modelos (:mod:`rnnbook.models`),
entrenamiento y evaluación (:mod:`rnnbook.training`) y figuras
(:mod:`rnnbook.plots`).

Importar el paquete fija ``TF_CPP_MIN_LOG_LEVEL`` antes de que se cargue
TensorFlow, para que las líneas de registro de C++ no lleguen a las páginas.
"""

import os

# TensorFlow lee la variable una sola vez, al cargar su biblioteca nativa,
# así que hay que fijarla antes de cualquier «import tensorflow».
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "1.0.0"

ARCHITECTURES = ("rnn", "lstm", "gru")
"""Nombres de arquitectura que aceptan los constructores del paquete."""

__all__ = ["ARCHITECTURES", "__version__"]
