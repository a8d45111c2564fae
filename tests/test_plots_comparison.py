import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook.experiments import (
    MultiStepForecast,
    RunResult,
    RunSummary,
    TrainingBudget,
)
from rnnbook.plots import (
    ARCHITECTURE_COLORS,
    plot_error_comparison,
    plot_multistep,
    plot_noisy_sine,
    plot_stacking,
    plot_test_predictions,
    plot_window_sweep,
)

NOISE_VAR = 0.04


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "una función dejó figuras abiertas"


def summary(architecture, mse, n_layers=1, n_steps=20, seconds=2.0):
    return RunSummary(
        architecture=architecture, n_layers=n_layers, n_steps=n_steps,
        n_runs=3, mse_mean=mse, mse_std=0.002, mse_min=mse - 0.002,
        mse_max=mse + 0.002, mae_mean=0.16, mae_std=0.001,
        ratio_mean=mse / NOISE_VAR, ratio_std=0.002 / NOISE_VAR,
        n_params=100, seconds_mean=seconds, seconds_std=0.1,
        epoch_seconds_mean=seconds / 30, epochs_mean=30.0,
    )


def run(architecture, mse, seed):
    return RunResult(
        architecture=architecture, n_layers=1, n_steps=20, seed=seed,
        mse=mse, mae=0.16, n_params=100, seconds=2.0, epochs_run=30,
        budget=TrainingBudget(), data_id="x", predictions=np.zeros(3),
        model=None,
    )


def axis_texts(fig):
    texts = []
    for ax in fig.axes:
        texts += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
    return texts


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def assert_house_style(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        assert ax.get_title() == ""
    for text in axis_texts(fig):
        assert text == text.lower() or "σ" in text or "MSE" in text


def test_plot_noisy_sine_panels_and_shading():
    steps = np.arange(100)
    clean = np.sin(steps / 5)
    fig = plot_noisy_sine(clean + 0.1, clean, boundaries=(60, 80), zoom=30)
    assert_house_style(fig)
    top, bottom = fig.axes
    assert legend_texts(top) == ["validación", "prueba"]
    spans = [patch.get_x() for patch in top.patches]
    assert spans == [60, 80]
    assert len(bottom.lines[0].get_xdata()) == 30
    assert legend_texts(bottom) == ["serie con ruido", "señal limpia"]


def test_plot_noisy_sine_rejects_invalid():
    values = np.zeros(50)
    with pytest.raises(ValueError, match="índices crecientes"):
        plot_noisy_sine(values, values, boundaries=(30, 20))
    with pytest.raises(ValueError, match="deben coincidir"):
        plot_noisy_sine(values, np.zeros(40), boundaries=(20, 30))
    with pytest.raises(ValueError, match="zoom=1 no es válido"):
        plot_noisy_sine(values, values, boundaries=(20, 30), zoom=1)


def test_plot_error_comparison_bars_and_reference():
    summaries = [summary("rnn", 0.048), summary("gru", 0.044)]
    runs = [run("rnn", 0.047, 0), run("rnn", 0.049, 1), run("gru", 0.044, 0)]
    baselines = {"persistencia": 0.092, "lineal": 0.045}
    fig = plot_error_comparison(summaries, runs, baselines, NOISE_VAR)
    assert_house_style(fig)
    left, right = fig.axes
    heights = [bar.get_height() for bar in left.patches]
    np.testing.assert_allclose(heights, [2.3, 1.125, 1.2, 1.1])
    assert mcolors.same_color(left.patches[2].get_facecolor(),
                              ARCHITECTURE_COLORS["rnn"])
    reference = [line for line in left.lines
                 if line.get_label() == "ruido (σ²)"]
    assert list(reference[0].get_ydata()) == [1.0, 1.0]
    # Un punto por semilla, en la columna de su modelo.
    points = [line for line in right.lines if line.get_marker() == "o"]
    assert [p.get_xdata()[0] for p in points] == [0, 0, 1]
    np.testing.assert_allclose([p.get_ydata()[0] for p in points],
                               [1.175, 1.225, 1.1])


def test_plot_error_comparison_rejects_unknown_run():
    with pytest.raises(ValueError, match="no tiene resumen"):
        plot_error_comparison([summary("rnn", 0.05)],
                              [run("lstm", 0.05, 0)], {}, NOISE_VAR)
    with pytest.raises(ValueError, match="noise_var=0.0 no es válido"):
        plot_error_comparison([summary("rnn", 0.05)],
                              [run("rnn", 0.05, 0)], {}, 0.0)
    with pytest.raises(ValueError, match="summaries está vacío"):
        plot_error_comparison([], [], {}, NOISE_VAR)


def test_plot_test_predictions_lines():
    steps = np.arange(10, 20)
    truth = np.ones(10)
    fig = plot_test_predictions(steps, truth, truth * 0.5,
                                {"LSTM": truth * 0.9, "lineal": truth})
    assert_house_style(fig)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["observado (con ruido)", "señal limpia",
                                "LSTM", "lineal"]
    assert mcolors.same_color(ax.lines[2].get_color(),
                              ARCHITECTURE_COLORS["lstm"])
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), steps)


def test_plot_test_predictions_rejects_mismatch():
    steps = np.arange(10)
    with pytest.raises(ValueError, match="predictions\\['GRU'\\] tiene 9"):
        plot_test_predictions(steps, steps, steps, {"GRU": np.arange(9)})
    with pytest.raises(TypeError, match="dict no vacío"):
        plot_test_predictions(steps, steps, steps, {})


def test_plot_stacking_one_line_per_architecture():
    summaries = [summary(arch, 0.044 + 0.001 * depth, n_layers=depth,
                         seconds=float(depth))
                 for arch in ("rnn", "lstm") for depth in (1, 2, 3)]
    fig = plot_stacking(summaries, NOISE_VAR)
    assert_house_style(fig)
    top, bottom = fig.axes
    assert legend_texts(top) == ["SimpleRNN", "LSTM", "ruido (σ²)"]
    np.testing.assert_array_equal(bottom.lines[0].get_xdata(), [1, 2, 3])
    # Milisegundos por época: 1000 * segundos / 30 épocas.
    np.testing.assert_allclose(bottom.lines[0].get_ydata(),
                               [1000 / 30, 2000 / 30, 3000 / 30])
    assert bottom.get_xlabel() == "capas recurrentes apiladas"
    assert bottom.get_ylabel() == "tiempo por época (ms)"


def test_plot_window_sweep_with_linear_reference():
    summaries = [summary("gru", 0.05, n_steps=n) for n in (40, 5, 20)]
    fig = plot_window_sweep(summaries, NOISE_VAR,
                            linear_mse={5: 0.08, 20: 0.044, 40: 0.042})
    assert_house_style(fig)
    top, bottom = fig.axes
    # Ordenado por n_steps aunque los resúmenes lleguen desordenados.
    np.testing.assert_array_equal(top.lines[0].get_xdata(), [5, 20, 40])
    linear = [line for line in top.lines if line.get_label() == "lineal"]
    np.testing.assert_allclose(linear[0].get_ydata(), [2.0, 1.1, 1.05])
    assert bottom.get_xscale() == "log"


def multistep_forecast(n_ahead=8):
    ones = np.ones(n_ahead)
    return MultiStepForecast(
        n_ahead=n_ahead, n_starts=5, example_start=100,
        history=np.zeros(4), truth=ones, clean=ones,
        forecasts={"GRU (semilla 0)": ones, "GRU (semilla 1)": ones,
                   "lineal": ones},
        mse_by_horizon={"GRU (semilla 0)": np.linspace(0.04, 0.1, n_ahead),
                        "GRU (semilla 1)": np.full(n_ahead, 0.06),
                        "lineal": np.full(n_ahead, 0.05)},
    )


def test_plot_multistep_panels():
    fig = plot_multistep(multistep_forecast(), NOISE_VAR, series_var=0.54)
    assert_house_style(fig)
    top, bottom = fig.axes
    np.testing.assert_array_equal(top.lines[0].get_xdata(),
                                  [96, 97, 98, 99])
    np.testing.assert_array_equal(top.lines[1].get_xdata(),
                                  np.arange(100, 108))
    assert legend_texts(top)[3:] == ["GRU (semilla 0)", "GRU (semilla 1)",
                                     "lineal"]
    # Una entrada de leyenda por modelo, aunque haya dos semillas de GRU.
    assert legend_texts(bottom) == ["GRU", "lineal", "ruido (σ²)",
                                    "varianza de la serie"]
    assert mcolors.same_color(bottom.lines[1].get_color(),
                              ARCHITECTURE_COLORS["gru"])
    np.testing.assert_array_equal(bottom.lines[0].get_xdata(),
                                  np.arange(1, 9))
    assert bottom.get_yscale() == "log"


def test_plot_multistep_example_labels_and_period():
    fig = plot_multistep(multistep_forecast(), NOISE_VAR, series_var=0.54,
                         period=4, example_labels=["lineal"])
    top, bottom = fig.axes
    assert legend_texts(top)[3:] == ["lineal"]
    marks = [line.get_xdata()[0] for line in bottom.lines
             if list(line.get_xdata()) == [line.get_xdata()[0]] * 2]
    assert marks == [4, 8]


def test_plot_multistep_rejects_invalid():
    with pytest.raises(ValueError, match="series_var=0.0 no es válido"):
        plot_multistep(multistep_forecast(), NOISE_VAR, series_var=0.0)
    with pytest.raises(ValueError, match="sin predicción: \\['LSTM'\\]"):
        plot_multistep(multistep_forecast(), NOISE_VAR, series_var=0.5,
                       example_labels=["LSTM"])
