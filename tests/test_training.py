import numpy as np
import pytest

from rnnbook.data import Scaler, make_windows
from rnnbook.training import (
    TrainingResult,
    evaluate,
    predict,
    regression_errors,
    set_seed,
    train_model,
)


@pytest.fixture(scope="module")
def toy_windows():
    series = np.sin(np.arange(60) / 3.0)
    return make_windows(series, n_steps=4)


@pytest.fixture(scope="module")
def short_run(toy_windows):
    return train_model("gru", toy_windows, units=4, epochs=3, seed=0)


def test_train_model_result_fields(short_run):
    assert isinstance(short_run, TrainingResult)
    assert short_run.epochs_run == 3
    assert list(short_run.history) == ["loss"]
    assert len(short_run.history["loss"]) == 3
    assert short_run.seconds > 0
    # GRU(4) con 1 variable: 3 * (4 * (1 + 4 + 1) + 4) = 84, más Dense(4 -> 1)
    assert short_run.n_params == 84 + 5


def test_train_model_loss_decreases(toy_windows):
    result = train_model("lstm", toy_windows, units=8, epochs=40,
                         learning_rate=1e-2, seed=1)
    losses = result.history["loss"]
    assert losses[-1] < 0.1 * losses[0]


def test_train_model_records_validation(toy_windows):
    X, y = toy_windows
    result = train_model("rnn", (X[:40], y[:40]), val=(X[40:], y[40:]),
                         units=4, epochs=2, seed=0)
    assert set(result.history) == {"loss", "val_loss"}
    assert len(result.history["val_loss"]) == 2


def test_train_model_early_stopping_stops(toy_windows):
    X, y = toy_windows
    # Objetivos de validación al azar: la pérdida de validación deja de
    # mejorar enseguida y la paciencia de 2 épocas corta el entrenamiento.
    noise = np.random.default_rng(0).normal(size=len(y[40:]))
    result = train_model("rnn", (X[:40], y[:40]), val=(X[40:], noise * 5),
                         units=4, epochs=200, patience=2, seed=0)
    assert result.epochs_run < 200
    assert len(result.history["loss"]) == result.epochs_run


def test_train_model_patience_needs_validation(toy_windows):
    with pytest.raises(ValueError, match="patience=3 necesita un conjunto"):
        train_model("rnn", toy_windows, epochs=1, patience=3)


def test_train_model_mismatched_samples(toy_windows):
    X, y = toy_windows
    with pytest.raises(ValueError, match="deben coincidir"):
        train_model("rnn", (X, y[:-1]), epochs=1)


def test_train_model_rejects_2d_windows(toy_windows):
    X, y = toy_windows
    with pytest.raises(ValueError, match="3 dimensión"):
        train_model("rnn", (X[:, :, 0], y), epochs=1)


def test_train_model_rejects_non_finite(toy_windows):
    X, y = toy_windows
    y = y.copy()
    y[0] = np.nan
    with pytest.raises(ValueError, match="NaN o infinitos"):
        train_model("rnn", (X, y), epochs=1)


def test_train_model_train_not_pair(toy_windows):
    with pytest.raises(TypeError, match=r"par \(X, y\)"):
        train_model("rnn", toy_windows[0], epochs=1)


def test_train_model_unknown_architecture(toy_windows):
    with pytest.raises(ValueError, match="Arquitectura desconocida"):
        train_model("transformer", toy_windows, epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": 0}, ValueError, "epochs=0 no es válido"),
        ({"batch_size": 0}, ValueError, "batch_size=0 no es válido"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate=0.0 no es"),
        ({"seed": -1}, ValueError, "seed=-1 no es válido"),
        ({"epochs": 1.5}, TypeError, "epochs debe ser un entero"),
    ],
)
def test_train_model_invalid_settings(toy_windows, kwargs, error, message):
    with pytest.raises(error, match=message):
        train_model("rnn", toy_windows, **kwargs)


def test_set_seed_rejects_negative():
    with pytest.raises(ValueError, match="seed=-5 no es válido"):
        set_seed(-5)


def test_predict_shape(short_run, toy_windows):
    X, _ = toy_windows
    assert predict(short_run.model, X).shape == (len(X),)


def test_predict_with_scaler_restores_units(short_run, toy_windows):
    X, _ = toy_windows
    scaler = Scaler(mean=10.0, std=2.0)
    scaled = predict(short_run.model, X)
    restored = predict(short_run.model, X, scaler)
    np.testing.assert_allclose(restored, scaled * 2.0 + 10.0, rtol=1e-5)


def test_predict_rejects_wrong_scaler(short_run, toy_windows):
    with pytest.raises(TypeError, match="rnnbook.data.Scaler"):
        predict(short_run.model, toy_windows[0], scaler=(0, 1))


def test_regression_errors_by_hand():
    errors = regression_errors(np.array([0.0, 2.0, 4.0]),
                               np.array([1.0, 2.0, 1.0]))
    assert errors["mae"] == pytest.approx(4 / 3)
    assert errors["mse"] == pytest.approx(10 / 3)
    assert errors["rmse"] == pytest.approx(np.sqrt(10 / 3))


def test_regression_errors_shape_mismatch():
    with pytest.raises(ValueError, match="misma longitud"):
        regression_errors(np.zeros(3), np.zeros(4))


def test_evaluate_in_original_units(short_run, toy_windows):
    X, y = toy_windows
    scaler = Scaler(mean=5.0, std=3.0)
    scaled_errors = evaluate(short_run.model, X, y)
    original_errors = evaluate(short_run.model, X, y, scaler)
    # Las diferencias se multiplican por std: MAE x3, MSE x9.
    assert original_errors["mae"] == pytest.approx(3 * scaled_errors["mae"],
                                                   rel=1e-5)
    assert original_errors["mse"] == pytest.approx(9 * scaled_errors["mse"],
                                                   rel=1e-5)
