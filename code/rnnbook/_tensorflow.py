"""Importa TensorFlow sin las líneas de registro de su parte nativa.

TensorFlow 2.21 escribe varias líneas informativas de C++ (oneDNN, CUDA) en
el descriptor 2 al cargarse, incluso con ``TF_CPP_MIN_LOG_LEVEL=3``, porque
salen antes de que se inicialice su sistema de registro. Aquí se redirige el
descriptor 2 a ``/dev/null`` solo durante la importación; los errores de
Python siguen propagándose con normalidad.
"""

import contextlib
import os
import sys


@contextlib.contextmanager
def _native_stderr_silenced():
    try:
        stderr_fd = sys.__stderr__.fileno()
    except (AttributeError, OSError, ValueError):
        # Sin descriptor real (algunos entornos embebidos): nada que silenciar.
        yield
        return
    saved_fd = os.dup(stderr_fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), stderr_fd)
            yield
    finally:
        os.dup2(saved_fd, stderr_fd)
        os.close(saved_fd)


if "tensorflow" in sys.modules:
    import tensorflow as tf
else:
    with _native_stderr_silenced():
        import tensorflow as tf

import keras  # noqa: E402  (después de TensorFlow, ya silenciado)

# Los avisos de Python de TensorFlow, como los de «retracing» al construir
# muchos modelos pequeños seguidos, van a este registro. Solo pasan errores.
tf.get_logger().setLevel("ERROR")

__all__ = ["keras", "tf"]
