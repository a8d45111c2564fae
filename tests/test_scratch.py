import numpy as np
import pytest

from rnnbook._tensorflow import keras
from rnnbook.scratch import (
    ACTIVATIONS,
    gru_forward,
    gru_step,
    layer_forward,
    lstm_forward,
    lstm_step,
    max_difference_from_keras,
    sigmoid,
    simple_rnn_forward,
    simple_rnn_step,
)

ATOL = 1e-5
LAYERS = {
    "rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}
# (muestras, pasos, variables, units)
SHAPES = [(1, 1, 1, 1), (3, 7, 2, 5), (4, 12, 3, 8), (2, 30, 5, 16)]


def _keras_layer(architecture, shape, return_sequences, **options):
    """Crea una capa con pesos y sesgos aleatorios (no los de por defecto).

    El sesgo por defecto es 0 (o 1 en la compuerta de olvido); uno
    aleatorio comprueba también en qué bloque se suma cada parte.
    """
    n_steps, n_features, units = shape[1], shape[2], shape[3]
    keras.utils.set_random_seed(sum(shape))
    layer = LAYERS[architecture](
        units, return_sequences=return_sequences,
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5),
        **options,
    )
    layer.build((None, n_steps, n_features))
    return layer


def _inputs(shape):
    rng = np.random.default_rng(sum(shape))
    return rng.normal(size=shape[:3]).astype(np.float32)


def _keras_output(layer, inputs):
    return np.asarray(layer(inputs))


@pytest.mark.parametrize("architecture", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_layer_forward_matches_keras(architecture, shape, return_sequences):
    layer = _keras_layer(architecture, shape, return_sequences)
    inputs = _inputs(shape)
    expected = _keras_output(layer, inputs)
    result = layer_forward(layer, inputs)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=0, atol=ATOL)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_gru_forward_reset_before_matches_keras(shape, return_sequences):
    layer = _keras_layer("gru", shape, return_sequences, reset_after=False)
    inputs = _inputs(shape)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert bias.shape == (3 * shape[3],)
    result = gru_forward(inputs, kernel, recurrent_kernel, bias,
                         reset_after=False,
                         return_sequences=return_sequences)
    np.testing.assert_allclose(result, _keras_output(layer, inputs),
                               rtol=0, atol=ATOL)


def test_gru_forward_reset_after_bias_rows():
    shape = (3, 6, 2, 4)
    layer = _keras_layer("gru", shape, return_sequences=True)
    kernel, recurrent_kernel, bias = layer.get_weights()
    # reset_after=True: fila 0 para la entrada, fila 1 para el estado
    assert bias.shape == (2, 12)
    inputs = _inputs(shape)
    result = gru_forward(inputs, kernel, recurrent_kernel, bias,
                         return_sequences=True)
    np.testing.assert_allclose(result, _keras_output(layer, inputs),
                               rtol=0, atol=ATOL)
    swapped = gru_forward(inputs, kernel, recurrent_kernel, bias[::-1],
                          return_sequences=True)
    assert np.max(np.abs(swapped - result)) > 1e-3


@pytest.mark.parametrize("architecture", ["rnn", "lstm", "gru"])
def test_layer_forward_without_bias(architecture):
    shape = (3, 5, 2, 4)
    layer = _keras_layer(architecture, shape, True, use_bias=False)
    inputs = _inputs(shape)
    np.testing.assert_allclose(layer_forward(layer, inputs),
                               _keras_output(layer, inputs), rtol=0,
                               atol=ATOL)


@pytest.mark.parametrize(
    ("architecture", "options"),
    [
        ("rnn", {"activation": "relu"}),
        ("lstm", {"activation": "relu", "recurrent_activation": "tanh"}),
        ("gru", {"activation": "linear"}),
    ],
)
def test_layer_forward_other_activations(architecture, options):
    shape = (2, 6, 3, 4)
    layer = _keras_layer(architecture, shape, True, **options)
    inputs = _inputs(shape)
    np.testing.assert_allclose(layer_forward(layer, inputs),
                               _keras_output(layer, inputs), rtol=0,
                               atol=ATOL)


def test_layer_forward_inside_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((9, 2)), keras.layers.LSTM(3),
                              keras.layers.Dense(1)])
    inputs = _inputs((4, 9, 2, 3))
    hidden = keras.Model(model.inputs[0], model.layers[0].output)
    np.testing.assert_allclose(layer_forward(model.layers[0], inputs),
                               np.asarray(hidden(inputs)), rtol=0,
                               atol=ATOL)


@pytest.mark.parametrize("architecture", ["rnn", "lstm", "gru"])
def test_max_difference_from_keras_small(architecture):
    shape = (3, 8, 2, 5)
    layer = _keras_layer(architecture, shape, False)
    difference = max_difference_from_keras(layer, _inputs(shape))
    assert isinstance(difference, float)
    assert difference < ATOL


def test_max_difference_from_keras_return_state():
    shape = (2, 4, 2, 3)
    layer = _keras_layer("gru", shape, False, return_state=True)
    assert max_difference_from_keras(layer, _inputs(shape)) < ATOL


def test_sigmoid_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(sigmoid(x), 1.0 / (1.0 + np.exp(-x)),
                               rtol=1e-12)


def test_activations_table():
    x = np.array([-1.5, 0.0, 2.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"](x), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(ACTIVATIONS["linear"](x), x)
    np.testing.assert_array_equal(ACTIVATIONS["tanh"](x), np.tanh(x))


def test_simple_rnn_linear_cumulative_sum():
    inputs = np.arange(1.0, 5.0).reshape(1, 4, 1)
    result = simple_rnn_forward(inputs, [[1.0]], [[1.0]], [0.0],
                                return_sequences=True, activation="linear")
    np.testing.assert_array_equal(result[0, :, 0], [1.0, 3.0, 6.0, 10.0])


def test_simple_rnn_step_exact():
    h = simple_rnn_step(np.array([[2.0]]), np.array([[0.5]]),
                        np.array([[0.25]]), np.array([[-1.0]]),
                        np.array([0.1]))
    np.testing.assert_allclose(h, np.tanh([[0.5 - 0.5 + 0.1]]))


def test_lstm_step_gate_order():
    # Una unidad; cada bloque del sesgo lleva un valor distinto para que un
    # orden equivocado de i, f, c, o cambie el resultado.
    zeros = np.zeros((1, 4))
    bias = np.array([0.3, -0.7, 0.9, 1.2])  # i, f, c, o
    h, c = lstm_step(np.zeros((1, 1)), np.zeros((1, 1)), np.array([[2.0]]),
                     zeros, zeros, bias)
    i, f, o = (1.0 / (1.0 + np.exp(-v)) for v in (0.3, -0.7, 1.2))
    expected_c = f * 2.0 + i * np.tanh(0.9)
    np.testing.assert_allclose(c, [[expected_c]], rtol=1e-12)
    np.testing.assert_allclose(h, [[o * np.tanh(expected_c)]], rtol=1e-12)


def test_lstm_forget_gate_open_keeps_cell():
    # f = sigmoid(30) = 1 e i = sigmoid(-30) = 0 (en float64, a 1e-13):
    # la celda conserva su valor inicial paso tras paso.
    zeros = np.zeros((1, 4))
    bias = np.array([-30.0, 30.0, 0.0, 0.0])
    c = np.array([[0.8]])
    h = np.zeros((1, 1))
    for _ in range(50):
        h, c = lstm_step(np.ones((1, 1)), h, c, zeros, zeros, bias)
    np.testing.assert_allclose(c, [[0.8]], atol=1e-10)


def test_gru_step_gate_order_reset_after():
    # Una unidad, entrada y estado escalares; los sesgos de z, r y h son
    # distintos en cada fila para detectar un orden equivocado.
    kernel = np.array([[0.5, -0.4, 0.3]])
    recurrent = np.array([[0.2, 0.6, -0.8]])
    bias = np.array([[0.1, 0.2, 0.3], [-0.1, 0.05, 0.4]])
    x, h_prev = 1.5, -0.6
    h = gru_step(np.array([[x]]), np.array([[h_prev]]), kernel, recurrent,
                 bias, reset_after=True)
    z = 1.0 / (1.0 + np.exp(-(0.5 * x + 0.1 + 0.2 * h_prev - 0.1)))
    r = 1.0 / (1.0 + np.exp(-(-0.4 * x + 0.2 + 0.6 * h_prev + 0.05)))
    candidate = np.tanh(0.3 * x + 0.3 + r * (-0.8 * h_prev + 0.4))
    np.testing.assert_allclose(h, [[z * h_prev + (1 - z) * candidate]],
                               rtol=1e-12)


def test_gru_step_reset_before():
    kernel = np.array([[0.5, -0.4, 0.3]])
    recurrent = np.array([[0.2, 0.6, -0.8]])
    bias = np.array([0.1, 0.2, 0.3])
    x, h_prev = 1.5, -0.6
    h = gru_step(np.array([[x]]), np.array([[h_prev]]), kernel, recurrent,
                 bias, reset_after=False)
    z = 1.0 / (1.0 + np.exp(-(0.5 * x + 0.1 + 0.2 * h_prev)))
    r = 1.0 / (1.0 + np.exp(-(-0.4 * x + 0.2 + 0.6 * h_prev)))
    candidate = np.tanh(0.3 * x + 0.3 + (r * h_prev) * -0.8)
    np.testing.assert_allclose(h, [[z * h_prev + (1 - z) * candidate]],
                               rtol=1e-12)


def test_forward_default_bias_is_zero():
    inputs = _inputs((2, 5, 3, 4))
    rng = np.random.default_rng(1)
    kernel = rng.normal(size=(3, 16))
    recurrent = rng.normal(size=(4, 16))
    np.testing.assert_array_equal(
        lstm_forward(inputs, kernel, recurrent),
        lstm_forward(inputs, kernel, recurrent, np.zeros(16)),
    )


def test_forward_output_shapes():
    inputs = np.zeros((3, 6, 2))
    kernel = np.zeros((2, 12))
    recurrent = np.zeros((4, 12))
    last = gru_forward(inputs, kernel, recurrent)
    sequence = gru_forward(inputs, kernel, recurrent, return_sequences=True)
    assert last.shape == (3, 4)
    assert sequence.shape == (3, 6, 4)


def test_forward_rejects_two_dimensional_inputs():
    with pytest.raises(ValueError, match=r"inputs debe tener 3 dimensión"):
        simple_rnn_forward(np.zeros((4, 2)), np.zeros((2, 3)),
                           np.zeros((3, 3)))


def test_forward_rejects_kernel_feature_mismatch():
    with pytest.raises(ValueError, match=r"kernel tiene forma \(3, 12\)"):
        lstm_forward(np.zeros((1, 4, 2)), np.zeros((3, 12)),
                     np.zeros((3, 12)))


def test_forward_rejects_wrong_gate_count():
    # Matrices de GRU (3 bloques) pasadas a una LSTM (4 bloques)
    with pytest.raises(ValueError, match=r"recurrent_kernel tiene forma"):
        lstm_forward(np.zeros((1, 4, 2)), np.zeros((2, 9)),
                     np.zeros((3, 9)))


@pytest.mark.parametrize(
    ("reset_after", "bias", "expected"),
    [
        (True, np.zeros(9), r"\(9,\) y se esperaba \(2, 9\).*=True"),
        (False, np.zeros((2, 9)), r"\(2, 9\) y se esperaba \(9,\).*=False"),
        (False, np.zeros(6), r"\(6,\) y se esperaba \(9,\)"),
    ],
)
def test_gru_forward_rejects_bias_shape(reset_after, bias, expected):
    with pytest.raises(ValueError, match=expected):
        gru_forward(np.zeros((1, 4, 2)), np.zeros((2, 9)), np.zeros((3, 9)),
                    bias, reset_after=reset_after)


def test_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match=r"activation='softsign' no está"):
        simple_rnn_forward(np.zeros((1, 2, 1)), np.zeros((1, 1)),
                           np.zeros((1, 1)), activation="softsign")


def test_forward_rejects_unknown_recurrent_activation():
    with pytest.raises(ValueError,
                       match=r"recurrent_activation='hard_sigmoid'"):
        gru_forward(np.zeros((1, 2, 1)), np.zeros((1, 3)), np.zeros((1, 3)),
                    recurrent_activation="hard_sigmoid")


@pytest.mark.parametrize("flag", ["return_sequences", "reset_after"])
def test_gru_forward_rejects_non_boolean_flag(flag):
    with pytest.raises(TypeError, match=f"{flag} debe ser True o False"):
        gru_forward(np.zeros((1, 2, 1)), np.zeros((1, 3)), np.zeros((1, 3)),
                    **{flag: 1})


def test_forward_rejects_nan_inputs():
    inputs = np.zeros((1, 3, 1))
    inputs[0, 1, 0] = np.nan
    with pytest.raises(ValueError, match="NaN o infinitos"):
        simple_rnn_forward(inputs, np.zeros((1, 1)), np.zeros((1, 1)))


def test_layer_forward_rejects_other_layers():
    with pytest.raises(TypeError, match="no Dense"):
        layer_forward(keras.layers.Dense(2), np.zeros((1, 2, 1)))


def test_layer_forward_rejects_unbuilt_layer():
    with pytest.raises(ValueError, match="todavía no tiene pesos"):
        layer_forward(keras.layers.LSTM(2), np.zeros((1, 2, 1)))


@pytest.mark.parametrize("option", ["go_backwards", "stateful"])
def test_layer_forward_rejects_unsupported_options(option):
    layer = keras.layers.SimpleRNN(2, **{option: True})
    layer.build((1, 3, 1))
    with pytest.raises(ValueError, match=f"usa {option}=True"):
        layer_forward(layer, np.zeros((1, 3, 1)))
