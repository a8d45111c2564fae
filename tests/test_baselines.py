import numpy as np
import pytest

from rnnbook.baselines import (
    LinearWindowModel,
    evaluate_baselines,
    expected_persistence_mse,
    persistence_forecast,
)
from rnnbook.data import make_windows, window_splits

OMEGA = 0.5
OFFSET = 3.0


def offset_sine(length):
    # x_t = 3 + sin(0.5 t) cumple x_t = 2 cos(0.5) x_{t-1} - x_{t-2}
    # + 3 (2 - 2 cos(0.5)): una recurrencia lineal exacta de orden 2.
    return OFFSET + np.sin(OMEGA * np.arange(length))


def test_persistence_on_arange_repeats_last_value():
    X, y = make_windows(np.arange(10), n_steps=3)
    predictions = persistence_forecast(X)
    np.testing.assert_array_equal(predictions,
                                  [2, 3, 4, 5, 6, 7, 8])
    np.testing.assert_array_equal(y - predictions, np.ones(7))


def test_persistence_picks_requested_feature():
    X = np.array([[[1.0, 10.0], [2.0, 20.0]]])
    assert persistence_forecast(X, feature=1).tolist() == [20.0]


def test_persistence_rejects_missing_feature():
    X = np.zeros((2, 3, 1))
    with pytest.raises(ValueError, match="feature=1 no existe"):
        persistence_forecast(X, feature=1)


def test_persistence_rejects_2d_windows():
    with pytest.raises(ValueError, match="3 dimensión"):
        persistence_forecast(np.zeros((4, 3)))


def test_expected_persistence_mse_by_hand():
    # Periodo 4: la señal cambia 1 - cos(pi / 2) = 1 en media cuadrática.
    assert expected_persistence_mse(4, noise_std=0.0) == pytest.approx(1.0)
    # El ruido entra dos veces: 2 * 0.5**2 = 0.5 más.
    assert expected_persistence_mse(4, noise_std=0.5) == pytest.approx(1.5)
    assert expected_persistence_mse(
        4, noise_std=0.0, amplitude=2.0
    ) == pytest.approx(4.0)


def test_expected_persistence_mse_matches_simulation():
    steps = np.arange(200_000)
    rng = np.random.default_rng(0)
    series = np.sin(2 * np.pi * steps / 10) + rng.normal(0, 0.3, steps.size)
    simulated = np.mean(np.diff(series) ** 2)
    # 2 * 0.09 + (1 - cos(2 pi / 10)) = 0.18 + 0.190983
    assert simulated == pytest.approx(0.370983, rel=0.01)
    assert expected_persistence_mse(10, 0.3) == pytest.approx(0.370983,
                                                              rel=1e-5)


def test_expected_persistence_mse_rejects_zero_period():
    with pytest.raises(ValueError, match="period=0.0 no es válido"):
        expected_persistence_mse(0, noise_std=0.1)


def test_linear_model_recovers_exact_recurrence():
    X, y = make_windows(offset_sine(40), n_steps=2)
    model = LinearWindowModel.fit(X, y)
    np.testing.assert_allclose(model.weights, [-1.0, 2 * np.cos(OMEGA)],
                               atol=1e-5)
    assert model.intercept == pytest.approx(
        OFFSET * (2 - 2 * np.cos(OMEGA)), abs=1e-5
    )


def test_linear_model_predicts_unseen_windows():
    series = offset_sine(60)
    X, y = make_windows(series, n_steps=3)
    model = LinearWindowModel.fit(X[:30], y[:30])
    np.testing.assert_allclose(model.predict(X[30:]), y[30:], atol=1e-5)


def test_linear_model_flattens_several_features():
    X = np.random.default_rng(0).normal(size=(50, 2, 3))
    true_weights = np.arange(6.0)
    y = X.reshape(50, -1) @ true_weights - 1.5
    model = LinearWindowModel.fit(X, y)
    np.testing.assert_allclose(model.weights, true_weights, atol=1e-10)
    assert model.intercept == pytest.approx(-1.5)


def test_linear_model_rejects_underdetermined_fit():
    X = np.zeros((3, 4, 1))
    with pytest.raises(ValueError, match="3 ventanas para 5 coeficientes"):
        LinearWindowModel.fit(X, np.zeros(3))


def test_linear_model_rejects_mismatched_targets():
    X = np.zeros((6, 2, 1))
    with pytest.raises(ValueError, match="deben coincidir"):
        LinearWindowModel.fit(X, np.zeros(5))


def test_linear_model_rejects_other_window_length():
    X, y = make_windows(offset_sine(30), n_steps=2)
    model = LinearWindowModel.fit(X, y)
    with pytest.raises(ValueError, match="mismos pasos y variables"):
        model.predict(np.zeros((2, 3, 1)))


def test_evaluate_baselines_on_arange():
    splits = window_splits(np.arange(60.0), n_steps=3)
    results = evaluate_baselines(splits)
    assert list(results) == ["persistencia", "lineal"]
    # Cada objetivo de arange supera en 1 a su último valor.
    assert results["persistencia"]["mse"] == pytest.approx(1.0, abs=1e-5)
    assert results["persistencia"]["mae"] == pytest.approx(1.0, abs=1e-5)
    assert results["persistencia"]["n_params"] == 0
    # «último valor + 1» es lineal en la ventana: el ajuste no falla.
    assert results["lineal"]["mse"] < 1e-8
    assert results["lineal"]["n_params"] == 4


def test_evaluate_baselines_returns_test_predictions():
    splits = window_splits(np.arange(60.0), n_steps=3)
    predictions = evaluate_baselines(splits)["persistencia"]["predictions"]
    # Prueba: los valores 51..59; objetivos 54..59 y último valor 53..58.
    np.testing.assert_allclose(predictions, np.arange(53.0, 59.0),
                               atol=1e-4)


def test_evaluate_baselines_rejects_plain_tuple():
    with pytest.raises(TypeError, match="WindowedSplits"):
        evaluate_baselines((np.zeros((2, 3, 1)), np.zeros(2)))
