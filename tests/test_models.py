import pytest

from rnnbook import ARCHITECTURES
from rnnbook._tensorflow import keras
from rnnbook.models import DISPLAY_NAMES, build_model, count_parameters


def expected_recurrent_parameters(architecture, units, n_inputs):
    """Parámetros de una capa recurrente según sus ecuaciones.

    Cada compuerta tiene W (n_inputs x units), U (units x units) y un sesgo;
    la GRU de Keras (reset_after=True) lleva dos sesgos por compuerta.
    """
    per_gate = units * (n_inputs + units + 1)
    if architecture == "rnn":
        return per_gate
    if architecture == "lstm":
        return 4 * per_gate
    return 3 * (per_gate + units)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_build_model_parameter_count(architecture, n_layers):
    units, n_features = 8, 2
    model = build_model(architecture, units=units, n_steps=4,
                        n_features=n_features, n_layers=n_layers)
    expected = expected_recurrent_parameters(architecture, units, n_features)
    for _ in range(n_layers - 1):
        expected += expected_recurrent_parameters(architecture, units, units)
    expected += units + 1  # Dense(1)
    assert count_parameters(model) == expected


def test_build_model_source_sizes():
    counts = {
        name: count_parameters(build_model(name, units=50, n_steps=5))
        for name in ARCHITECTURES
    }
    assert counts == {"rnn": 2651, "lstm": 10451, "gru": 8001}


@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("n_layers", [1, 3])
def test_build_model_output_shape(architecture, n_layers):
    model = build_model(architecture, units=6, n_steps=7, n_layers=n_layers)
    assert model.input_shape == (None, 7, 1)
    assert model.output_shape == (None, 1)


@pytest.mark.parametrize("n_layers", [2, 3])
def test_stacked_layers_return_sequences(n_layers):
    model = build_model("lstm", units=5, n_steps=4, n_layers=n_layers)
    recurrent = [layer for layer in model.layers
                 if isinstance(layer, keras.layers.LSTM)]
    assert len(recurrent) == n_layers
    assert [layer.return_sequences for layer in recurrent] == (
        [True] * (n_layers - 1) + [False]
    )
    assert recurrent[0].output.shape == (None, 4, 5)
    assert recurrent[-1].output.shape == (None, 5)


def test_build_model_layer_classes():
    expected = {
        "rnn": keras.layers.SimpleRNN,
        "lstm": keras.layers.LSTM,
        "gru": keras.layers.GRU,
    }
    for name, layer_class in expected.items():
        model = build_model(name.upper(), units=3, n_steps=2)
        assert isinstance(model.layers[0], layer_class)


def test_build_model_head_is_linear():
    model = build_model("rnn", units=3, n_steps=2)
    head = model.layers[-1]
    assert isinstance(head, keras.layers.Dense)
    assert head.activation.__name__ == "linear"


def test_display_names_cover_architectures():
    assert set(DISPLAY_NAMES) == set(ARCHITECTURES)


def test_build_model_unknown_architecture():
    with pytest.raises(ValueError, match="Arquitectura desconocida: 'cnn'"):
        build_model("cnn")


def test_build_model_architecture_not_text():
    with pytest.raises(TypeError, match="architecture debe ser un texto"):
        build_model(3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 0}, "units=0 no es válido"),
        ({"n_steps": 0}, "n_steps=0 no es válido"),
        ({"n_features": 0}, "n_features=0 no es válido"),
        ({"n_layers": 0}, "n_layers=0 no es válido"),
    ],
)
def test_build_model_invalid_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_model("gru", **kwargs)


def test_build_model_units_not_int():
    with pytest.raises(TypeError, match="units debe ser un entero"):
        build_model("gru", units=2.5)


def test_build_model_activation_not_text():
    with pytest.raises(TypeError, match="activation debe ser un texto"):
        build_model("rnn", activation=None)


def test_count_parameters_rejects_non_model():
    with pytest.raises(TypeError, match="keras.Model"):
        count_parameters("modelo")
