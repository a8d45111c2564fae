import math

import numpy as np
import pytest

from rnnbook.data import Scaler, make_windows
from rnnbook.training_speed import (
    RECIPES,
    TrainingRun,
    benchmark_training,
    benchmark_windows,
    format_training_table,
    machine_info,
    matmul_flops_per_second,
    summarize_runs,
    time_recipe,
    train_source_recipe,
    training_flops_per_batch,
)


@pytest.fixture(scope="module")
def tiny():
    series = np.arange(30, dtype=float)
    scaler = Scaler.fit(series)
    return make_windows(scaler.transform(series), n_steps=3), scaler


def _run(architecture, recipe, seed, wall, mse=1e-4):
    return TrainingRun(architecture=architecture, recipe=recipe, seed=seed,
                       wall_seconds=wall, cpu_seconds=wall / 2, mse=mse,
                       rmse=math.sqrt(mse), n_params=10)


def test_benchmark_windows_are_scaled_counting_windows():
    (X, y), scaler = benchmark_windows()
    assert X.shape == (95, 5, 1)
    assert y.shape == (95,)
    assert scaler.mean == pytest.approx(49.5)
    np.testing.assert_allclose(scaler.inverse_transform(y),
                               np.arange(5, 100), atol=1e-4)


def test_training_flops_per_batch_small_cases():
    # SimpleRNN, 2 unidades, 1 variable, 1 paso, 1 muestra:
    # 1 * 2 * (1 + 2) = 6 en la celda + 2 en la cabeza = 8 productos;
    # 2 operaciones cada uno y 3 pasadas -> 48.
    assert training_flops_per_batch("rnn", units=2, n_steps=1,
                                    batch_size=1) == 48
    # LSTM, 3 unidades, 2 variables, 2 pasos, lotes de 4:
    # 4 * (2 * 4 * 3 * (2 + 3) + 3) = 492 productos -> 6 * 492.
    assert training_flops_per_batch("lstm", units=3, n_steps=2,
                                    n_features=2, batch_size=4) == 2952


def test_training_flops_per_batch_rejects_bad_units():
    with pytest.raises(ValueError, match="units=0"):
        training_flops_per_batch("gru", units=0)


def test_matmul_flops_per_second_is_positive():
    rate = matmul_flops_per_second(4, 3, 2, repeats=5)
    assert math.isfinite(rate)
    assert rate > 0


def test_matmul_flops_per_second_rejects_bad_shape():
    with pytest.raises(ValueError, match="rows=0"):
        matmul_flops_per_second(0, 3, 2)


def test_train_source_recipe_keeps_time_loop(tiny):
    train, _ = tiny
    result = train_source_recipe("rnn", train, units=2, epochs=2,
                                 batch_size=8)
    assert result.epochs_run == 2
    assert len(result.history["loss"]) == 2
    assert result.model.get_layer("rnn_1").unroll is False


def test_train_source_recipe_rejects_bad_epochs(tiny):
    train, _ = tiny
    with pytest.raises(ValueError, match="epochs=0"):
        train_source_recipe("rnn", train, units=2, epochs=0)


@pytest.mark.parametrize("recipe", RECIPES)
def test_time_recipe_measures_one_run(tiny, recipe):
    train, scaler = tiny
    run = time_recipe(recipe, "gru", train, scaler, units=2, epochs=1,
                      batch_size=8, seed=3)
    assert run.recipe == recipe
    assert run.architecture == "gru"
    assert run.seed == 3
    assert run.wall_seconds > 0
    assert run.cpu_seconds > 0
    # GRU(2) con 1 variable: 3 * (2 * (1 + 2 + 1) + 2) = 30, más Dense(2 -> 1)
    assert run.n_params == 30 + 3
    assert run.rmse == pytest.approx(math.sqrt(run.mse) * scaler.std)


def test_time_recipe_rejects_unknown_recipe(tiny):
    train, scaler = tiny
    with pytest.raises(ValueError, match="desconocidos"):
        time_recipe("keras", "rnn", train, scaler, epochs=1)


def test_time_recipe_rejects_missing_scaler(tiny):
    train, _ = tiny
    with pytest.raises(TypeError, match="scaler debe ser"):
        time_recipe("helper", "rnn", train, None, epochs=1)


def test_benchmark_training_interleaves_recipes():
    runs = benchmark_training(["rnn"], seeds=(0, 1), units=2, epochs=1,
                              warmup=False)
    assert [(run.seed, run.recipe) for run in runs] == [
        (0, "source"), (0, "helper"), (0, "graph"),
        (1, "source"), (1, "helper"), (1, "graph"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"architectures": "rnn"}, TypeError, "lista no vacía"),
        ({"architectures": ["rnn", "rnn"]}, ValueError, "repite"),
        ({"architectures": ["transformer"]}, ValueError, "desconocidos"),
        ({"recipes": ["fast"]}, ValueError, "desconocidos"),
        ({"seeds": ()}, TypeError, "seeds debe ser"),
        ({"seeds": (-1,)}, ValueError, "seed=-1"),
        ({"epochs": 0}, ValueError, "epochs=0"),
    ],
)
def test_benchmark_training_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        benchmark_training(**kwargs)


def test_summarize_runs_medians_and_ratios():
    runs = [
        _run("lstm", "source", 0, 9.0, mse=4e-4),
        _run("lstm", "helper", 0, 2.0, mse=1e-4),
        _run("lstm", "graph", 0, 1.0, mse=1e-4),
        _run("lstm", "source", 1, 7.0, mse=2e-4),
        _run("lstm", "helper", 1, 3.0, mse=3e-4),
        _run("lstm", "graph", 1, 2.0, mse=3e-4),
        _run("lstm", "source", 2, 8.0, mse=3e-4),
        _run("lstm", "helper", 2, 4.0, mse=2e-4),
        _run("lstm", "graph", 2, 3.0, mse=2e-4),
    ]
    rows = {row["recipe"]: row for row in summarize_runs(runs)}
    assert list(rows) == ["source", "helper", "graph"]
    assert rows["source"]["wall_seconds"] == 8.0
    assert rows["helper"]["wall_seconds"] == 3.0
    assert rows["graph"]["wall_seconds"] == 2.0
    assert rows["helper"]["mse"] == 2e-4
    assert rows["helper"]["mse_min"] == 1e-4
    assert rows["helper"]["mse_max"] == 3e-4
    assert rows["helper"]["n_runs"] == 3
    assert rows["helper"]["speedup"] == pytest.approx(8.0 / 3.0)
    assert rows["helper"]["vs_graph"] == pytest.approx(1.5)
    assert rows["source"]["speedup"] == pytest.approx(1.0)


def test_summarize_runs_without_reference_recipes():
    rows = summarize_runs([_run("gru", "helper", 0, 2.0)])
    assert rows[0]["speedup"] is None
    assert rows[0]["vs_graph"] is None


def test_summarize_runs_rejects_empty():
    with pytest.raises(TypeError, match="lista no vacía de TrainingRun"):
        summarize_runs([])


def test_format_training_table_rows():
    rows = summarize_runs([_run("rnn", "source", 0, 6.0),
                           _run("rnn", "helper", 0, 1.5)])
    lines = format_training_table(rows).splitlines()
    assert lines[0].startswith("| arquitectura | receta |")
    assert len(lines) == 4
    assert lines[2].startswith("| SimpleRNN | receta original | 10 | 6.00 |")
    assert "| 4.00× |" in lines[3]
    assert lines[3].endswith("| - |")


def test_format_training_table_without_parameters():
    rows = summarize_runs([_run("gru", "graph", 0, 2.0)])
    lines = format_training_table(rows, parameters=False).splitlines()
    assert lines[0] == ("| arquitectura | receta | tiempo (s) | CPU (s) "
                        "| MSE | aceleración | frente al grafo |")
    assert lines[1] == "|---|---|---:|---:|---:|---:|---:|"
    assert lines[2] == ("| GRU | bucle en un grafo | 2.00 | 1.00 "
                        "| 1.00e-04 | - | 1.00× |")


def test_machine_info_fields():
    info = machine_info()
    assert set(info) == {"cpu", "logical_cores", "physical_cores",
                         "memory_gb", "system", "python", "tensorflow",
                         "keras", "numpy"}
    assert info["logical_cores"] >= 1
    assert info["tensorflow"].count(".") >= 2
