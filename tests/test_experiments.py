import numpy as np
import pytest

from rnnbook._tensorflow import keras
from rnnbook.baselines import LinearWindowModel
from rnnbook.data import make_windows
from rnnbook.experiments import (
    HtmlTable,
    MultiStepForecast,
    NoisySineData,
    RunResult,
    RunSummary,
    TrainingBudget,
    WindowSweep,
    build_recurrent_stack,
    clean_signal_errors,
    compare_architectures,
    comparison_table,
    forecast_recursive,
    layer_output_shapes,
    make_noisy_sine_data,
    model_label,
    multi_step_forecast,
    seed_ranges_overlap,
    sine_drift,
    stacking_sweep,
    summarize_runs,
    window_length_sweep,
)

# Tamaños mínimos: cada entrenamiento dura alrededor de un segundo.
TINY = TrainingBudget(units=2, epochs=3, batch_size=64, learning_rate=0.01,
                      patience=1)


@pytest.fixture(scope="module")
def data():
    # 200 valores: entrenamiento 0-89, validación 90-119, prueba 120-199.
    return make_noisy_sine_data(200, period=20, noise_std=0.1, n_steps=5)


@pytest.fixture(scope="module")
def rnn_runs(data):
    return compare_architectures(data.splits, architectures=("rnn",),
                                 seeds=(0, 1), budget=TINY)


def fake_run(mse, seed=0, architecture="lstm", n_layers=1, n_steps=5,
             seconds=1.0):
    return RunResult(
        architecture=architecture, n_layers=n_layers, n_steps=n_steps,
        seed=seed, mse=mse, mae=mse / 2, n_params=10, seconds=seconds,
        epochs_run=7, budget=TINY, data_id="x", predictions=np.zeros(3),
        model=None,
    )


def fake_summary(mse_min, mse_max, architecture="gru"):
    return RunSummary(
        architecture=architecture, n_layers=1, n_steps=5, n_runs=2,
        mse_mean=(mse_min + mse_max) / 2, mse_std=0.1, mse_min=mse_min,
        mse_max=mse_max, mae_mean=0.5, mae_std=0.01, ratio_mean=1.0,
        ratio_std=0.1, n_params=10, seconds_mean=2.0, seconds_std=0.5,
        epoch_seconds_mean=2.0 / 7, epochs_mean=7.0,
    )


# --- Datos ------------------------------------------------------------------


def test_make_noisy_sine_data_structure(data):
    assert isinstance(data, NoisySineData)
    assert data.boundaries == (90, 120)
    assert data.noisy.shape == (200,)
    assert data.n_steps == 5
    assert data.noise_var == pytest.approx(0.01)
    # 80 valores de prueba menos los 5 que solo sirven de entrada.
    assert data.splits.test[0].shape == (75, 5, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"length": 1}, "length=1 no es válido"),
        ({"noise_std": -0.1}, "noise_std=-0.1 no es válido"),
        ({"n_steps": 40}, "no cabe ninguna ventana"),
        ({"train_fraction": 0.9}, "deja vacía la prueba"),
    ],
)
def test_make_noisy_sine_data_rejects_invalid(kwargs, message):
    arguments = {"length": 200, "period": 20, "noise_std": 0.1,
                 "n_steps": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        make_noisy_sine_data(**arguments)


def test_test_targets_index_the_series(data):
    targets = data.test_targets()
    assert targets[0] == 125
    assert targets[-1] == 199
    scaled = data.splits.test[1]
    np.testing.assert_allclose(
        data.splits.scaler.inverse_transform(scaled), data.noisy[targets],
        atol=1e-5,
    )


def test_with_n_steps_keeps_series(data):
    longer = data.with_n_steps(8)
    assert longer.n_steps == 8
    assert longer.noisy is data.noisy
    assert longer.splits.test[0].shape == (72, 8, 1)


def test_clean_signal_errors_measure_test_noise(data):
    targets = np.arange(125, 200)
    noise = data.noisy[targets].astype(np.float64) - data.clean[targets]
    errors = clean_signal_errors(data)
    assert errors["mse"] == pytest.approx(np.mean(noise ** 2))


def test_clean_signal_errors_without_noise():
    quiet = make_noisy_sine_data(200, period=20, noise_std=0.0, n_steps=5)
    assert clean_signal_errors(quiet)["mse"] == 0.0


def test_clean_signal_errors_rejects_splits(data):
    with pytest.raises(TypeError, match="make_noisy_sine_data"):
        clean_signal_errors(data.splits)


# --- Presupuesto y ejecuciones ----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"units": 0}, ValueError, "units=0 no es válido"),
        ({"epochs": 0}, ValueError, "epochs=0 no es válido"),
        ({"batch_size": 0}, ValueError, "batch_size=0 no es válido"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate=0.0"),
        ({"patience": 0}, ValueError, "patience=0 no es válido"),
        ({"units": "16"}, TypeError, "units debe ser un entero"),
    ],
)
def test_training_budget_rejects_invalid(kwargs, error, message):
    with pytest.raises(error, match=message):
        TrainingBudget(**kwargs)


def test_compare_architectures_structure(data, rnn_runs):
    assert [run.seed for run in rnn_runs] == [0, 1]
    first = rnn_runs[0]
    assert first.architecture == "rnn"
    assert first.label == "SimpleRNN"
    assert first.n_layers == 1
    assert first.n_steps == 5
    assert first.budget == TINY
    assert 1 <= first.epochs_run <= 3
    assert first.seconds > 0
    # SimpleRNN(2) con 1 variable: 2 * (1 + 2 + 1) = 8, más Dense(2 -> 1).
    assert first.n_params == 8 + 3
    assert first.predictions.shape == (75,)


def test_compare_architectures_mse_matches_predictions(data, rnn_runs):
    truth = data.noisy[data.test_targets()].astype(np.float64)
    for run in rnn_runs:
        residuals = run.predictions - truth
        assert run.mse == pytest.approx(np.mean(residuals ** 2), rel=1e-4)
        assert run.mae == pytest.approx(np.mean(np.abs(residuals)),
                                        rel=1e-4)


def test_compare_architectures_same_seed_is_identical(data, rnn_runs):
    again = compare_architectures(data.splits, architectures=("rnn",),
                                  seeds=(0,), budget=TINY)[0]
    assert again.mse == rnn_runs[0].mse
    assert again.epochs_run == rnn_runs[0].epochs_run
    np.testing.assert_array_equal(again.predictions,
                                  rnn_runs[0].predictions)


def test_compare_architectures_seeds_differ(rnn_runs):
    assert rnn_runs[0].mse != rnn_runs[1].mse


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seeds": (0, 0)}, ValueError, "valores repetidos"),
        ({"seeds": ()}, ValueError, "seeds está vacío"),
        ({"seeds": 3}, TypeError, "secuencia de enteros"),
        ({"architectures": "rnn"}, TypeError, "no el texto 'rnn'"),
        ({"architectures": ("cnn",)}, ValueError, "desconocida: 'cnn'"),
        ({"architectures": ()}, ValueError, "architectures está vacío"),
        ({"n_layers": 0}, ValueError, "n_layers=0 no es válido"),
        ({"budget": {"units": 2}}, TypeError, "TrainingBudget"),
    ],
)
def test_compare_architectures_rejects_invalid(data, kwargs, error,
                                               message):
    with pytest.raises(error, match=message):
        compare_architectures(data.splits, **kwargs)


def test_compare_architectures_rejects_plain_tuple(data):
    with pytest.raises(TypeError, match="WindowedSplits"):
        compare_architectures(data.splits.train)


def test_model_label():
    assert model_label("lstm") == "LSTM"
    assert model_label("gru", 2) == "GRU (2 capas)"
    with pytest.raises(ValueError, match="n_layers=0"):
        model_label("gru", 0)


# --- Resúmenes --------------------------------------------------------------


def test_summarize_runs_by_hand():
    runs = [fake_run(1.0, seed=0, seconds=1.0),
            fake_run(2.0, seed=1, seconds=2.0),
            fake_run(3.0, seed=2, seconds=3.0)]
    (summary,) = summarize_runs(runs, noise_std=0.5)
    assert summary.label == "LSTM"
    assert summary.n_runs == 3
    assert summary.mse_mean == pytest.approx(2.0)
    assert summary.mse_std == pytest.approx(1.0)  # ddof=1
    assert summary.mse_min == 1.0
    assert summary.mse_max == 3.0
    assert summary.mae_mean == pytest.approx(1.0)
    # MSE / 0.25: 4, 8 y 12.
    assert summary.ratio_mean == pytest.approx(8.0)
    assert summary.ratio_std == pytest.approx(4.0)
    assert summary.seconds_mean == pytest.approx(2.0)
    assert summary.seconds_std == pytest.approx(1.0)
    # 1/7, 2/7 y 3/7 segundos por época.
    assert summary.epoch_seconds_mean == pytest.approx(2.0 / 7)
    assert summary.epochs_mean == 7.0


def test_summarize_runs_groups_in_order():
    runs = [fake_run(1.0, architecture="gru"),
            fake_run(2.0, architecture="rnn"),
            fake_run(3.0, architecture="gru", n_layers=2)]
    summaries = summarize_runs(runs, noise_std=1.0)
    assert [s.label for s in summaries] == [
        "GRU", "SimpleRNN", "GRU (2 capas)"
    ]
    # Una sola semilla: dispersión 0.0 por convenio.
    assert summaries[0].mse_std == 0.0


def test_summarize_runs_rejects_invalid():
    with pytest.raises(ValueError, match="runs está vacío"):
        summarize_runs([], noise_std=1.0)
    with pytest.raises(ValueError, match="noise_std=0.0 no es válido"):
        summarize_runs([fake_run(1.0)], noise_std=0.0)
    with pytest.raises(TypeError, match="RunResult"):
        summarize_runs([{"mse": 1.0}], noise_std=1.0)


def test_seed_ranges_overlap():
    assert seed_ranges_overlap(fake_summary(1.0, 2.0),
                               fake_summary(1.5, 3.0))
    assert not seed_ranges_overlap(fake_summary(1.0, 2.0),
                                   fake_summary(2.5, 3.0))
    with pytest.raises(TypeError, match="dos RunSummary"):
        seed_ranges_overlap(fake_summary(1.0, 2.0), 3.0)


# --- Apilado ----------------------------------------------------------------


def test_stacking_sweep_reuses_and_trains(data, rnn_runs):
    runs = stacking_sweep(data.splits, depths=(1, 2), architectures=("rnn",),
                          seeds=(0,), budget=TINY, reuse=rnn_runs)
    assert [run.n_layers for run in runs] == [1, 2]
    assert runs[0] is rnn_runs[0]
    # Segunda capa SimpleRNN(2) sobre 2 variables: 2 * (2 + 2 + 1) = 10.
    assert runs[1].n_params == rnn_runs[0].n_params + 10


def test_stacking_sweep_ignores_other_budget(data, rnn_runs):
    other = TrainingBudget(units=3, epochs=1, batch_size=64, patience=1)
    (run,) = stacking_sweep(data.splits, depths=(1,), architectures=("rnn",),
                            budget=other, reuse=rnn_runs)
    assert run is not rnn_runs[0]
    assert run.budget == other


def test_stacking_sweep_rejects_invalid(data):
    with pytest.raises(ValueError, match="depths=0 no es válido"):
        stacking_sweep(data.splits, depths=(0,))
    with pytest.raises(TypeError, match="reuse debe contener"):
        stacking_sweep(data.splits, depths=(1,), architectures=("rnn",),
                       budget=TINY, reuse=["x"])


def test_build_recurrent_stack_shapes():
    last = build_recurrent_stack("lstm", n_steps=7, units=3)
    full = build_recurrent_stack("lstm", n_steps=7, units=3,
                                 return_sequences=True, n_layers=2)
    assert layer_output_shapes(last) == {"lstm_1": (None, 3)}
    assert layer_output_shapes(full) == {
        "lstm_1": (None, 7, 3), "lstm_2": (None, 7, 3)
    }


def test_build_recurrent_stack_needs_sequences_to_stack():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        build_recurrent_stack("gru", n_steps=7, units=3, n_layers=2)


def test_build_recurrent_stack_rejects_invalid():
    with pytest.raises(TypeError, match="True o False"):
        build_recurrent_stack("gru", n_steps=7, units=3,
                              return_sequences="yes")
    with pytest.raises(ValueError, match="units=0"):
        build_recurrent_stack("gru", n_steps=7, units=0)


def test_layer_output_shapes_rejects_non_model():
    with pytest.raises(TypeError, match="keras.Model"):
        layer_output_shapes("lstm")


# --- Longitud de la ventana -------------------------------------------------


@pytest.fixture(scope="module")
def sweep(data, rnn_runs):
    return window_length_sweep(data, (3, 5), architectures=("rnn",),
                               budget=TINY, reuse=rnn_runs)


def test_window_length_sweep_structure(sweep):
    assert isinstance(sweep, WindowSweep)
    assert [run.n_steps for run in sweep.runs] == [3, 5]
    assert set(sweep.linear_mse) == {3, 5}
    # Prueba 120-199 y ventana más larga de 5 pasos: objetivos 125-199.
    assert sweep.n_targets == 75
    for run in sweep.runs:
        assert run.predictions.shape == (75,)


def test_window_length_sweep_common_targets(data, sweep):
    targets = np.arange(125, 200)
    truth = data.noisy[targets].astype(np.float64)
    persistence = data.noisy[targets - 1].astype(np.float64)
    assert sweep.persistence_mse == pytest.approx(
        np.mean((truth - persistence) ** 2), rel=1e-4
    )
    for run in sweep.runs:
        assert run.mse == pytest.approx(
            np.mean((run.predictions - truth) ** 2), rel=1e-4
        )


def test_window_length_sweep_reuses_matching_run(data, rnn_runs, sweep):
    reused = sweep.runs[1]
    assert reused.model is rnn_runs[0].model
    # Misma ventana y mismos objetivos que la comparación: mismo error.
    assert reused.mse == pytest.approx(rnn_runs[0].mse)


def test_window_length_sweep_rejects_invalid(data):
    with pytest.raises(ValueError, match="n_steps_values=0"):
        window_length_sweep(data, (0, 5))
    with pytest.raises(ValueError, match="no cabe ninguna ventana"):
        window_length_sweep(data, (40,), architectures=("rnn",),
                            budget=TINY)
    with pytest.raises(TypeError, match="NoisySineData"):
        window_length_sweep(data.splits)


# --- Varios pasos -----------------------------------------------------------


def test_forecast_recursive_persistence_is_flat():
    windows = np.array([[[1.0], [2.0]], [[5.0], [4.0]]])
    forecasts = forecast_recursive("persistencia", windows, 3)
    np.testing.assert_array_equal(forecasts, [[2, 2, 2], [4, 4, 4]])


def test_forecast_recursive_linear_continues_sine():
    series = np.sin(2 * np.pi * np.arange(60) / 20)
    X, y = make_windows(series, n_steps=2)
    model = LinearWindowModel.fit(X, y)
    forecasts = forecast_recursive(model, X[:1], 30)
    np.testing.assert_allclose(forecasts[0], series[2:32], atol=1e-4)


def test_forecast_recursive_keras_model():
    # Flatten + Dense con pesos (0, 0, 1): devuelve el último valor.
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.layers[-1].set_weights([np.array([[0.0], [0.0], [1.0]]),
                                  np.zeros(1)])
    windows = np.array([[[1.0], [2.0], [3.0]]])
    np.testing.assert_allclose(forecast_recursive(model, windows, 2),
                               [[3.0, 3.0]])


def test_forecast_recursive_rejects_invalid():
    windows = np.zeros((2, 3, 1))
    with pytest.raises(ValueError, match=r"forma \(muestras, pasos, 1\)"):
        forecast_recursive("persistencia", np.zeros((2, 3)), 2)
    with pytest.raises(ValueError, match="NaN"):
        forecast_recursive("persistencia", windows + np.nan, 2)
    with pytest.raises(ValueError, match="n_ahead=0"):
        forecast_recursive("persistencia", windows, 0)
    with pytest.raises(TypeError, match="LinearWindowModel"):
        forecast_recursive("media", windows, 2)


def test_multi_step_forecast_structure(data):
    models = {"persistencia": "persistencia"}
    result = multi_step_forecast(data, models, n_ahead=10, example=2)
    assert isinstance(result, MultiStepForecast)
    assert result.n_starts == 75 - 10 + 1
    # La ventana de prueba 2 predice desde el paso 127 de la serie.
    assert result.example_start == 127
    np.testing.assert_allclose(result.history, data.noisy[122:127],
                               atol=1e-5)
    np.testing.assert_array_equal(result.truth, data.noisy[127:137])
    np.testing.assert_array_equal(result.clean, data.clean[127:137])
    np.testing.assert_allclose(result.forecasts["persistencia"],
                               np.full(10, data.noisy[126]), atol=1e-5)
    assert result.mse_by_horizon["persistencia"].shape == (10,)


def test_multi_step_forecast_persistence_error_by_hand(data):
    result = multi_step_forecast(data, {"p": "persistencia"}, n_ahead=3)
    series = data.noisy.astype(np.float64)
    starts = np.arange(125, 125 + result.n_starts)
    for horizon in (1, 2, 3):
        expected = np.mean((series[starts + horizon - 1]
                            - series[starts - 1]) ** 2)
        assert result.mse_by_horizon["p"][horizon - 1] == pytest.approx(
            expected, rel=1e-4
        )


def test_multi_step_forecast_linear_is_exact_without_noise():
    quiet = make_noisy_sine_data(200, period=20, noise_std=0.0, n_steps=4)
    linear = LinearWindowModel.fit(*quiet.splits.train)
    result = multi_step_forecast(quiet, {"lineal": linear}, n_ahead=20)
    assert np.max(result.mse_by_horizon["lineal"]) < 1e-8


def test_multi_step_forecast_rejects_invalid(data):
    models = {"p": "persistencia"}
    with pytest.raises(TypeError, match="dict no vacío"):
        multi_step_forecast(data, {}, n_ahead=3)
    with pytest.raises(ValueError, match="n_ahead=80 no cabe"):
        multi_step_forecast(data, models, n_ahead=80)
    with pytest.raises(ValueError, match="example=70 no es válido"):
        multi_step_forecast(data, models, n_ahead=10, example=70)


def shifted_sine(lag, amplitude=1.0, period=20, length=40):
    steps = np.arange(length)
    return amplitude * np.sin(2 * np.pi * (steps - lag) / period)


@pytest.mark.parametrize(
    ("lag", "amplitude", "expected_lag"),
    [
        (0.0, 1.0, 0.0),
        (3.0, 0.5, 3.0),    # por detrás y aplanada a la mitad
        (-2.5, 1.2, -2.5),  # por delante y más amplia
        (12.0, 1.0, -8.0),  # 12 pasos tarde es 8 pasos pronto (periodo 20)
        (10.0, 1.0, 10.0),  # medio periodo: el extremo incluido
    ],
)
def test_sine_drift_by_hand(lag, amplitude, expected_lag):
    drift = sine_drift(shifted_sine(lag, amplitude), shifted_sine(0.0), 20)
    assert drift["amplitude_ratio"] == pytest.approx(amplitude)
    assert drift["lag_steps"] == pytest.approx(expected_lag, abs=1e-9)


def test_sine_drift_ignores_offset():
    drift = sine_drift(shifted_sine(1.0) + 5.0, shifted_sine(0.0), 20)
    assert drift["amplitude_ratio"] == pytest.approx(1.0)
    assert drift["lag_steps"] == pytest.approx(1.0)


def test_sine_drift_rejects_invalid():
    clean = shifted_sine(0.0)
    with pytest.raises(ValueError, match="mismos pasos"):
        sine_drift(clean[:-1], clean, 20)
    with pytest.raises(ValueError, match="al menos 3 pasos"):
        sine_drift(clean[:2], clean[:2], 20)
    with pytest.raises(ValueError, match="amplitud 0"):
        sine_drift(clean, np.zeros(40), 20)
    with pytest.raises(ValueError, match="period=0.0 no es válido"):
        sine_drift(clean, clean, 0)


# --- Tablas -----------------------------------------------------------------


def test_comparison_table_rows():
    table = comparison_table(
        [fake_summary(0.9, 1.1)],
        baselines={"persistencia": {"mse": 0.5, "mae": 0.25,
                                    "n_params": 0}},
        noise_std=0.5,
    )
    assert table.headers[:4] == ["modelo", "semillas", "MSE", "MSE / σ²"]
    assert table.rows[0][:4] == ["GRU", "2", "1.0000 ± 0.1000",
                                 "1.000 ± 0.100"]
    assert table.rows[1] == ["persistencia", "—", "0.5000", "2.000",
                             "0.2500", "0", "—", "—"]


def test_comparison_table_single_seed_has_no_spread():
    single = summarize_runs([fake_run(0.04)], noise_std=0.2)
    table = comparison_table(single)
    assert table.rows[0][1:4] == ["1", "0.0400", "1.000"]


def test_comparison_table_html_and_text():
    table = comparison_table([fake_summary(0.9, 1.1)])
    html = table._repr_html_()
    assert html.startswith("<table")
    assert "<th>MSE / σ²</th>" in html
    assert "<td>GRU</td>" in html
    assert repr(table).splitlines()[0].startswith("modelo")


def test_comparison_table_rejects_invalid():
    with pytest.raises(ValueError, match="pasa noise_std"):
        comparison_table([fake_summary(0.9, 1.1)],
                         baselines={"lineal": {"mse": 1.0, "mae": 1.0}})
    with pytest.raises(TypeError, match="summarize_runs"):
        comparison_table([{"mse": 1.0}])
    with pytest.raises(ValueError, match="No hay filas"):
        comparison_table([])


def test_html_table_escapes_and_checks_width():
    table = HtmlTable(["a", "b"], [["<x>", "1"]])
    assert "<td>&lt;x&gt;</td>" in table._repr_html_()
    with pytest.raises(ValueError, match="2 encabezados"):
        HtmlTable(["a", "b"], [["1"]])
