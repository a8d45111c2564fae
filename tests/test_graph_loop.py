import numpy as np
import pytest

from rnnbook.data import make_windows
from rnnbook.graph_loop import train_in_graph
from rnnbook.models import build_model
from rnnbook.training import set_seed, train_model


@pytest.fixture(scope="module")
def windows():
    series = np.cos(np.arange(45) / 3.0)
    return make_windows(series, n_steps=3)


def test_train_in_graph_result_fields(windows):
    result = train_in_graph("gru", windows, units=3, epochs=4, seed=0)
    assert result.epochs_run == 4
    assert list(result.history) == ["loss"]
    assert len(result.history["loss"]) == 4
    assert result.seconds > 0
    # GRU(3) con 1 variable: 3 * (3 * (1 + 3 + 1) + 3) = 54, más Dense(3 -> 1)
    assert result.n_params == 54 + 4


def test_train_in_graph_matches_train_model(windows):
    graph = train_in_graph("lstm", windows, units=4, epochs=5,
                           batch_size=8, seed=4)
    helper = train_model("lstm", windows, units=4, epochs=5, batch_size=8,
                         seed=4)
    assert graph.history == helper.history
    for a, b in zip(graph.model.get_weights(), helper.model.get_weights(),
                    strict=True):
        assert np.array_equal(a, b)


def test_train_in_graph_first_loss_is_initial_mse(windows):
    # Con una tasa de aprendizaje despreciable los pesos no cambian, así que
    # la pérdida de la primera época (media de los lotes ponderada por su
    # tamaño) es el MSE del modelo inicial sobre todas las ventanas.
    X, y = windows
    set_seed(5)
    initial = build_model("rnn", units=3, n_steps=3, unroll=True)
    expected = float(np.mean((initial(X).numpy()[:, 0] - y) ** 2))
    result = train_in_graph("rnn", windows, units=3, epochs=1,
                            batch_size=16, learning_rate=1e-12, seed=5)
    assert result.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_train_in_graph_loss_decreases(windows):
    result = train_in_graph("rnn", windows, units=8, epochs=40,
                            learning_rate=1e-2, seed=1)
    losses = result.history["loss"]
    assert losses[-1] < 0.2 * losses[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs=0"),
        ({"batch_size": 0}, ValueError, "batch_size=0"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate=0.0"),
        ({"seed": -1}, ValueError, "seed=-1"),
        ({"epochs": 2.5}, TypeError, "epochs debe ser un entero"),
    ],
)
def test_train_in_graph_rejects_bad_arguments(windows, kwargs, error, match):
    with pytest.raises(error, match=match):
        train_in_graph("rnn", windows, units=2, **kwargs)


def test_train_in_graph_rejects_unpaired_data():
    with pytest.raises(TypeError, match="debe ser un par"):
        train_in_graph("rnn", np.zeros((4, 3, 1)), units=2, epochs=1)
