"""Reproducibilidad de train_model: misma semilla, mismos pesos bit a bit."""

import numpy as np
import pytest

from rnnbook.data import make_windows
from rnnbook.training import train_model


@pytest.fixture(scope="module")
def windows():
    series = np.sin(np.arange(50) / 4.0)
    return make_windows(series, n_steps=4)


def _weights_equal(first, second):
    return all(
        np.array_equal(a, b)
        for a, b in zip(first.model.get_weights(), second.model.get_weights(),
                        strict=True)
    )


@pytest.mark.parametrize("architecture", ["rnn", "lstm", "gru"])
def test_same_seed_gives_identical_weights(windows, architecture):
    first = train_model(architecture, windows, units=4, epochs=3, seed=7)
    second = train_model(architecture, windows, units=4, epochs=3, seed=7)
    assert _weights_equal(first, second)
    assert first.history == second.history


def test_different_seed_gives_different_weights(windows):
    first = train_model("gru", windows, units=4, epochs=3, seed=0)
    second = train_model("gru", windows, units=4, epochs=3, seed=1)
    assert not _weights_equal(first, second)


def test_same_seed_identical_with_early_stopping(windows):
    X, y = windows
    settings = dict(val=(X[36:], y[36:]), units=4, epochs=30, patience=3,
                    learning_rate=0.05, seed=3)
    first = train_model("lstm", (X[:36], y[:36]), **settings)
    second = train_model("lstm", (X[:36], y[:36]), **settings)
    assert first.epochs_run == second.epochs_run
    assert first.history == second.history
    assert _weights_equal(first, second)


def test_unrolled_and_looped_models_agree(windows):
    # Desenrollar cambia el grafo, no la cuenta: los pesos solo pueden
    # diferir por el orden de redondeo.
    unrolled = train_model("rnn", windows, units=4, epochs=3, seed=2,
                           unroll=True)
    looped = train_model("rnn", windows, units=4, epochs=3, seed=2,
                         unroll=False)
    for a, b in zip(unrolled.model.get_weights(), looped.model.get_weights(),
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
