import math

import numpy as np
import pytest

from rnnbook._tensorflow import keras
from rnnbook.data import Scaler, counting_sequence
from rnnbook.models import build_model
from rnnbook.recipes import (
    RecipeComparison,
    RecipeResult,
    TrainingTimes,
    compare_recipes,
    loss_in_original_units,
    run_recipe,
    saturation_diagnostics,
    time_training,
    timing_verdict,
)
from rnnbook.training import TrainingResult

TINY = dict(units=3, epochs=2, batch_size=4, seed=0)


def fake_result(y_true, predictions, scaler=None, loss=(1.0,)):
    training = TrainingResult(model=None, history={"loss": list(loss)},
                              seconds=0.0, n_params=0, epochs_run=len(loss))
    return RecipeResult(
        architecture="rnn", training=training, scaler=scaler,
        X=np.zeros((len(y_true), 1, 1), dtype=np.float32),
        y=np.zeros(len(y_true), dtype=np.float32),
        y_true=np.asarray(y_true, dtype=np.float32),
        predictions=np.asarray(predictions, dtype=np.float32),
    )


# --- loss_in_original_units -------------------------------------------

def test_loss_scaled_by_std_squared():
    history = {"loss": [0.5, 0.25], "val_loss": [1.0]}
    converted = loss_in_original_units(history, Scaler(mean=7.0, std=3.0))
    assert converted == {"loss": [4.5, 2.25], "val_loss": [9.0]}


def test_loss_without_scaler_unchanged():
    assert loss_in_original_units({"loss": [2.0]}) == {"loss": [2.0]}


def test_loss_history_without_loss_key():
    with pytest.raises(TypeError, match="clave 'loss'"):
        loss_in_original_units({"val_loss": [1.0]})


def test_loss_invalid_scaler():
    with pytest.raises(TypeError, match="scaler debe ser"):
        loss_in_original_units({"loss": [1.0]}, scaler=2.0)


# --- RecipeResult and RecipeComparison --------------------------------

def test_result_errors_on_known_values():
    result = fake_result([0.0, 2.0, 4.0], [1.0, 0.0, 4.0])
    np.testing.assert_array_equal(result.abs_errors, [1.0, 2.0, 0.0])
    assert result.max_error == 2.0
    assert result.errors["mae"] == 1.0
    assert result.errors["mse"] == pytest.approx(5.0 / 3.0)


def test_result_loss_history_in_original_units():
    result = fake_result([0.0], [0.0], scaler=Scaler(0.0, 10.0),
                         loss=(0.01, 0.02))
    assert result.loss_history["loss"] == pytest.approx([1.0, 2.0])


def test_comparison_ratio_and_name():
    raw = fake_result([0.0, 0.0], [3.0, -3.0])
    scaled = fake_result([0.0, 0.0], [0.5, 0.5])
    comparison = RecipeComparison(architecture="lstm", raw=raw,
                                  scaled=scaled)
    assert comparison.mae_ratio == 6.0
    assert comparison.display_name == "LSTM"


# --- run_recipe and compare_recipes -----------------------------------

def test_run_recipe_raw_windows():
    result = run_recipe("rnn", counting_sequence(12), n_steps=3,
                        scale=False, **TINY)
    assert result.scaler is None
    assert result.X.shape == (9, 3, 1)
    np.testing.assert_array_equal(result.X[0, :, 0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(result.y, np.arange(3.0, 12.0))
    np.testing.assert_array_equal(result.y_true, np.arange(3.0, 12.0))
    assert result.predictions.shape == (9,)
    assert result.training.epochs_run == 2


def test_run_recipe_scaled_windows():
    result = run_recipe("gru", counting_sequence(12), n_steps=3,
                        scale=True, **TINY)
    std = math.sqrt(143 / 12)  # desviación típica de 0..11
    assert result.scaler.mean == pytest.approx(5.5)
    assert result.scaler.std == pytest.approx(std)
    np.testing.assert_allclose(result.X[0, :, 0],
                               (np.array([0.0, 1.0, 2.0]) - 5.5) / std,
                               rtol=1e-6)
    np.testing.assert_allclose(result.y[0], (3.0 - 5.5) / std, rtol=1e-6)
    # Los objetivos siguen en unidades originales.
    np.testing.assert_array_equal(result.y_true, np.arange(3.0, 12.0))


def test_run_recipe_predictions_in_original_units():
    result = run_recipe("rnn", counting_sequence(40), n_steps=3,
                        scale=True, **TINY)
    model_scale = result.training.model.predict(result.X, verbose=0)[:, 0]
    std = math.sqrt((40 ** 2 - 1) / 12)  # desviación típica de 0..39
    np.testing.assert_allclose(result.predictions,
                               model_scale * std + 19.5, rtol=1e-5)


def test_compare_recipes_deterministic():
    # Sin serie, la del cuaderno de partida: 0..99 en ventanas de 5.
    first = compare_recipes("lstm", units=2, epochs=1)
    second = compare_recipes("lstm", units=2, epochs=1)
    np.testing.assert_array_equal(first.raw.predictions,
                                  second.raw.predictions)
    np.testing.assert_array_equal(first.scaled.predictions,
                                  second.scaled.predictions)
    assert first.raw.scaler is None
    assert first.scaled.scaler is not None
    assert first.raw.y_true.shape == (95,)
    assert first.raw.y_true[-1] == 99.0


def test_run_recipe_scale_not_bool():
    with pytest.raises(TypeError, match="scale debe ser True o False"):
        run_recipe("rnn", counting_sequence(12), 3, scale="sí", **TINY)


def test_run_recipe_unknown_architecture():
    with pytest.raises(ValueError, match="Arquitectura desconocida"):
        run_recipe("transformer", counting_sequence(12), 3, scale=False)


def test_run_recipe_series_2d():
    with pytest.raises(ValueError, match="1 dimensión"):
        run_recipe("rnn", np.zeros((4, 3)), 2, scale=False)


def test_compare_recipes_window_too_long():
    with pytest.raises(ValueError, match="n_steps=12 no cabe"):
        compare_recipes("rnn", counting_sequence(12), n_steps=12)


# --- saturation_diagnostics -------------------------------------------

def rnn_with_weights():
    model = build_model("rnn", units=2, n_steps=2)
    model.layers[0].set_weights([
        np.array([[10.0, -1.0]]),  # W: (variables, units)
        np.zeros((2, 2)),  # U
        np.zeros(2),  # b
    ])
    model.layers[-1].set_weights([np.array([[2.0], [3.0]]),
                                  np.array([-1.0])])
    return model


def test_saturation_on_hand_weights():
    X = np.array([[[1.0], [2.0]]])
    diagnostics = saturation_diagnostics(rnn_with_weights(), X)
    # |x W| máximo: 2 * 10; el último estado es tanh([20, -2]).
    assert diagnostics.max_input_preactivation == pytest.approx(20.0)
    assert diagnostics.saturated_fraction == 0.5
    assert diagnostics.output_bound == pytest.approx(6.0)


@pytest.mark.parametrize("architecture", ["lstm", "gru"])
def test_predictions_never_exceed_bound(architecture):
    keras.utils.set_random_seed(0)
    model = build_model(architecture, units=4, n_steps=3)
    X = np.linspace(-500.0, 500.0, 60).reshape(20, 3, 1)
    diagnostics = saturation_diagnostics(model, X)
    predictions = model.predict(X, verbose=0)[:, 0]
    assert np.abs(predictions).max() <= diagnostics.output_bound + 1e-5
    assert diagnostics.saturated_fraction > 0.0


def test_saturation_small_inputs_not_saturated():
    X = np.full((3, 2, 1), 0.01)
    diagnostics = saturation_diagnostics(rnn_with_weights(), X)
    assert diagnostics.saturated_fraction == 0.0


def test_saturation_not_a_model():
    with pytest.raises(TypeError, match="keras.Model"):
        saturation_diagnostics("modelo", np.zeros((1, 2, 1)))


def test_saturation_without_recurrent_layer():
    model = keras.Sequential([keras.Input(shape=(3,)),
                              keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="no tiene la forma de build_model"):
        saturation_diagnostics(model, np.zeros((1, 2, 1)))


def test_saturation_relu_layer():
    model = build_model("rnn", units=2, n_steps=2, activation="relu")
    with pytest.raises(ValueError, match="activation='relu'"):
        saturation_diagnostics(model, np.zeros((1, 2, 1)))


def test_saturation_wrong_feature_count():
    with pytest.raises(ValueError, match="2 variable"):
        saturation_diagnostics(rnn_with_weights(), np.zeros((1, 2, 2)))


def test_saturation_2d_windows():
    with pytest.raises(ValueError, match="3 dimensión"):
        saturation_diagnostics(rnn_with_weights(), np.zeros((1, 2)))


# --- time_training and timing_verdict ---------------------------------

def test_time_training_structure():
    X = np.zeros((8, 3, 1), dtype=np.float32)
    y = np.zeros(8, dtype=np.float32)
    times = time_training(["rnn", "gru"], (X, y), repeats=2, units=2,
                          epochs=1, batch_size=8)
    assert list(times) == ["rnn", "gru"]
    # SimpleRNN: 2 * (1 + 2 + 1) + 3; GRU: 3 * 2 * (1 + 2 + 2) + 3.
    assert times["rnn"].n_params == 11
    assert times["gru"].n_params == 33
    for entry in times.values():
        assert len(entry.fit_seconds) == 2
        assert len(entry.cpu_seconds) == 2
        assert min(entry.fit_seconds) > 0.0


def test_training_times_medians():
    times = TrainingTimes(architecture="lstm", n_params=1,
                          fit_seconds=(3.0, 1.0, 2.0),
                          cpu_seconds=(4.0, 6.0))
    assert times.median_fit_seconds == 2.0
    assert times.median_cpu_seconds == 5.0


def test_time_training_single_string():
    with pytest.raises(TypeError, match="lista de nombres"):
        time_training("lstm", (np.zeros((2, 1, 1)), np.zeros(2)))


def test_time_training_repeated_names():
    with pytest.raises(ValueError, match="repite nombres"):
        time_training(["gru", "GRU"], (np.zeros((2, 1, 1)), np.zeros(2)))


def test_time_training_zero_repeats():
    with pytest.raises(ValueError, match="repeats=0"):
        time_training(["gru"], (np.zeros((2, 1, 1)), np.zeros(2)),
                      repeats=0)


def test_time_training_unknown_architecture():
    with pytest.raises(ValueError, match="Arquitectura desconocida"):
        time_training(["gru", "tcn"], (np.zeros((2, 1, 1)), np.zeros(2)))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ([1.0, 1.5], [2.0, 3.0], "más rápida que"),
        ([4.0, 5.0], [2.0, 3.0], "más lenta que"),
        ([1.0, 2.5], [2.0, 3.0],
         "indistinguible, dentro de la dispersión medida, de"),
        ([2.0], [2.0], "indistinguible, dentro de la dispersión medida, de"),
    ],
)
def test_timing_verdict_cases(first, second, expected):
    assert timing_verdict(first, second) == expected


def test_timing_verdict_empty():
    with pytest.raises(ValueError, match="está vacío"):
        timing_verdict([], [1.0])


def test_timing_verdict_nan():
    with pytest.raises(ValueError, match="NaN o infinitos"):
        timing_verdict([1.0], [float("nan")])
