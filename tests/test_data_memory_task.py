import numpy as np
import pytest

from rnnbook.data import make_recall_task


def test_recall_task_shapes_and_dtypes():
    X, y = make_recall_task(10, lag=6, n_classes=3, n_distractors=2)
    assert X.shape == (10, 7, 5)
    assert y.shape == (10,)
    assert X.dtype == np.float32
    assert y.dtype == np.int32


def test_recall_task_one_hot_rows():
    X, _ = make_recall_task(12, lag=5, n_classes=4, n_distractors=3)
    np.testing.assert_array_equal(X.sum(axis=2), np.ones((12, 6)))
    assert set(np.unique(X)) == {0.0, 1.0}


def test_recall_task_first_step_is_key():
    X, y = make_recall_task(20, lag=4, n_classes=4, n_distractors=2)
    np.testing.assert_array_equal(X[:, 0, :4].argmax(axis=1), y)
    np.testing.assert_array_equal(X[:, 0, 4:], np.zeros((20, 2)))


def test_recall_task_distractors_carry_no_key():
    X, _ = make_recall_task(30, lag=8, n_classes=3, n_distractors=2)
    np.testing.assert_array_equal(X[:, 1:, :3], np.zeros((30, 8, 3)))


def test_recall_task_single_distractor_symbol():
    X, y = make_recall_task(4, lag=2, n_classes=2, n_distractors=1)
    expected_tail = np.zeros((4, 2, 3), dtype=np.float32)
    expected_tail[:, :, 2] = 1.0
    np.testing.assert_array_equal(X[:, 1:, :], expected_tail)


def test_recall_task_balanced_keys():
    _, y = make_recall_task(10, lag=3, n_classes=4, n_distractors=2)
    # 10 = 2 * 4 + 2: las dos primeras clases aparecen una vez más
    np.testing.assert_array_equal(np.bincount(y, minlength=4), [3, 3, 2, 2])


def test_recall_task_uses_every_distractor():
    X, _ = make_recall_task(200, lag=10, n_classes=2, n_distractors=5)
    symbols = X[:, 1:, :].argmax(axis=2)
    np.testing.assert_array_equal(np.unique(symbols), [2, 3, 4, 5, 6])


def test_recall_task_same_seed_same_data():
    first = make_recall_task(16, lag=5, seed=3)
    second = make_recall_task(16, lag=5, seed=3)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_recall_task_other_seed_other_data():
    first = make_recall_task(16, lag=5, seed=3)
    second = make_recall_task(16, lag=5, seed=4)
    assert not np.array_equal(first[0], second[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, r"n_samples=0 no es válido: debe ser >= 1"),
        ({"lag": 0}, r"lag=0 no es válido: debe ser >= 1"),
        ({"n_classes": 1}, r"n_classes=1 no es válido: debe ser >= 2"),
        ({"n_distractors": 0},
         r"n_distractors=0 no es válido: debe ser >= 1"),
        ({"seed": -1}, r"seed=-1 no es válido: debe ser >= 0"),
        ({"n_samples": 3, "n_classes": 4},
         r"n_samples=3 es menor que n_classes=4"),
    ],
)
def test_recall_task_invalid_values(kwargs, message):
    arguments = {"n_samples": 8, "lag": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        make_recall_task(**arguments)


@pytest.mark.parametrize("name", ["n_samples", "lag", "n_classes",
                                  "n_distractors", "seed"])
@pytest.mark.parametrize("bad", [2.5, "4", True, None])
def test_recall_task_non_integer_arguments(name, bad):
    arguments = {"n_samples": 8, "lag": 3, name: bad}
    with pytest.raises(TypeError, match=f"{name} debe ser un entero"):
        make_recall_task(**arguments)
