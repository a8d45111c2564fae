import numpy as np
import pytest

from rnnbook.data import (
    Scaler,
    counting_sequence,
    make_windows,
    noisy_sine,
    split_series,
    window_splits,
)


def test_counting_sequence_values():
    np.testing.assert_array_equal(counting_sequence(5), [0, 1, 2, 3, 4])
    assert counting_sequence(5).dtype == np.float32


def test_make_windows_arange_exact():
    X, y = make_windows(np.arange(10), n_steps=3)
    assert X.shape == (7, 3, 1)
    assert y.shape == (7,)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    assert y[0] == 3
    np.testing.assert_array_equal(X[-1, :, 0], [6, 7, 8])
    assert y[-1] == 9


def test_make_windows_every_row():
    X, y = make_windows(np.arange(6), n_steps=2)
    expected_X = [[0, 1], [1, 2], [2, 3], [3, 4]]
    np.testing.assert_array_equal(X[:, :, 0], expected_X)
    np.testing.assert_array_equal(y, [2, 3, 4, 5])


def test_make_windows_source_shapes():
    X, y = make_windows(np.arange(100), n_steps=5)
    assert X.shape == (95, 5, 1)
    assert y.shape == (95,)


def test_make_windows_longest_window():
    X, y = make_windows(np.arange(4), n_steps=3)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2]])
    np.testing.assert_array_equal(y, [3])


@pytest.mark.parametrize("n_steps", [10, 11, 50])
def test_make_windows_window_too_long(n_steps):
    with pytest.raises(ValueError, match=f"n_steps={n_steps} no cabe"):
        make_windows(np.arange(10), n_steps)


@pytest.mark.parametrize("n_steps", [0, -3])
def test_make_windows_n_steps_below_one(n_steps):
    with pytest.raises(ValueError, match=r"n_steps=.* debe ser >= 1"):
        make_windows(np.arange(10), n_steps)


@pytest.mark.parametrize("n_steps", [2.5, "3", True, None])
def test_make_windows_n_steps_not_int(n_steps):
    with pytest.raises(TypeError, match="n_steps debe ser un entero"):
        make_windows(np.arange(10), n_steps)


def test_make_windows_rejects_2d_series():
    with pytest.raises(ValueError, match=r"1 dimensión.*forma \(5, 2\)"):
        make_windows(np.zeros((5, 2)), 2)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_make_windows_rejects_non_finite(bad):
    series = np.arange(10, dtype=float)
    series[4] = bad
    with pytest.raises(ValueError, match="NaN o infinitos"):
        make_windows(series, 3)


def test_make_windows_rejects_empty():
    with pytest.raises(ValueError, match="está vacío"):
        make_windows([], 1)


def test_make_windows_rejects_text():
    with pytest.raises(TypeError, match="array numérico"):
        make_windows(["a", "b", "c"], 1)


def test_noisy_sine_clean_values():
    _, clean = noisy_sine(8, period=4, noise_std=0.0, seed=0)
    np.testing.assert_allclose(clean, [0, 1, 0, -1, 0, 1, 0, -1], atol=1e-6)


def test_noisy_sine_noise_level():
    noisy, clean = noisy_sine(20000, period=50, noise_std=0.2, seed=1)
    assert np.std(noisy - clean) == pytest.approx(0.2, rel=0.03)


def test_noisy_sine_same_seed_same_series():
    first, _ = noisy_sine(50, period=10, noise_std=0.3, seed=7)
    second, _ = noisy_sine(50, period=10, noise_std=0.3, seed=7)
    np.testing.assert_array_equal(first, second)


def test_noisy_sine_other_seed_other_noise():
    first, _ = noisy_sine(50, period=10, noise_std=0.3, seed=7)
    second, _ = noisy_sine(50, period=10, noise_std=0.3, seed=8)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": 0}, "period=0.0 no es válido"),
        ({"noise_std": -0.1}, "noise_std=-0.1 no es válido"),
        ({"length": 1}, "length=1 no es válido"),
        ({"seed": -1}, "seed=-1 no es válido"),
        ({"period": float("nan")}, "debe ser finito"),
    ],
)
def test_noisy_sine_invalid_arguments(kwargs, message):
    arguments = {"length": 10, "period": 5, "noise_std": 0.1, "seed": 0}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        noisy_sine(**arguments)


def test_split_series_chronological():
    train, val, test = split_series(np.arange(10), 0.6, 0.2)
    np.testing.assert_array_equal(train, [0, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(val, [6, 7])
    np.testing.assert_array_equal(test, [8, 9])


def test_split_series_fractions_leave_no_test():
    with pytest.raises(ValueError, match="deja vacía la prueba"):
        split_series(np.arange(10), 0.8, 0.2)


def test_split_series_empty_split():
    with pytest.raises(ValueError, match="conjunto de validación queda vacío"):
        split_series(np.arange(3), 0.7, 0.15)


def test_split_series_rejects_2d():
    with pytest.raises(ValueError, match="1 dimensión"):
        split_series(np.zeros((10, 1)))


def test_scaler_round_trip():
    scaler = Scaler.fit(np.array([1.0, 2.0, 3.0]))
    assert scaler.mean == 2.0
    assert scaler.std == pytest.approx(np.sqrt(2 / 3))
    values = np.array([-4.0, 0.5, 10.0])
    np.testing.assert_allclose(
        scaler.inverse_transform(scaler.transform(values)), values, rtol=1e-6
    )


def test_scaler_rejects_constant():
    with pytest.raises(ValueError, match="constantes"):
        Scaler.fit(np.ones(5))


def test_scaler_rejects_2d():
    with pytest.raises(ValueError, match="train_values debe tener 1"):
        Scaler.fit(np.ones((3, 2)))


def test_window_splits_scaler_uses_training_only():
    # La prueba tiene valores enormes: si se filtraran al escalado, la media
    # dejaría de ser la del tramo de entrenamiento.
    series = np.concatenate([np.arange(70.0), np.full(30, 1e6)])
    splits = window_splits(series, n_steps=3, train_fraction=0.7,
                           val_fraction=0.15)
    assert splits.scaler.mean == pytest.approx(34.5)
    assert splits.scaler.std == pytest.approx(np.std(np.arange(70.0)))


def test_window_splits_never_straddle():
    series = np.arange(100.0)
    splits = window_splits(series, n_steps=4, train_fraction=0.7,
                           val_fraction=0.15)
    restore = splits.scaler.inverse_transform
    train_X, train_y = splits.train
    val_X, val_y = splits.val
    test_X, test_y = splits.test
    assert restore(train_X).max() < 70
    assert restore(train_y).max() == pytest.approx(69, abs=1e-3)
    assert restore(val_X).min() == pytest.approx(70, abs=1e-3)
    assert restore(val_y).max() == pytest.approx(84, abs=1e-3)
    assert restore(test_X).min() == pytest.approx(85, abs=1e-3)
    assert train_X.shape == (66, 4, 1)
    assert val_X.shape == (11, 4, 1)
    assert test_X.shape == (11, 4, 1)


def test_window_splits_window_longer_than_split():
    with pytest.raises(ValueError, match="tramo de validación"):
        window_splits(np.arange(100.0), n_steps=20)


def test_window_splits_rejects_zero_validation():
    with pytest.raises(ValueError, match="val_fraction=0"):
        window_splits(np.arange(100.0), n_steps=3, val_fraction=0.0)
