import os
import subprocess
import sys

import rnnbook


def test_import_sets_tensorflow_log_level():
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"


def test_architectures_listed():
    assert rnnbook.ARCHITECTURES == ("rnn", "lstm", "gru")


def test_tensorflow_import_prints_nothing():
    # En un proceso nuevo: ni las líneas nativas de TensorFlow ni avisos de
    # Python deben llegar a stdout o stderr al construir un modelo.
    code = (
        "from rnnbook.models import build_model\n"
        "build_model('lstm', units=2, n_steps=3)\n"
    )
    environment = {key: value for key, value in os.environ.items()
                   if key != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, env=environment, check=True)
    assert result.stdout == ""
    assert result.stderr == ""
