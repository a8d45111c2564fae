import numpy as np
import pytest

from rnnbook._tensorflow import keras
from rnnbook.data import make_recall_task
from rnnbook.memory import (
    LEARNED_ACCURACY,
    LagSweep,
    accuracy,
    build_classifier,
    chance_accuracy,
    combine_sweeps,
    describe_limit,
    first_failed_lag,
    gradient_profiles,
    input_gradient_norms,
    run_lag_sweep,
    train_classifier,
    untrained_classifier,
)
from rnnbook.training import TrainingResult

TINY_SWEEP = {
    "architectures": ("rnn", "gru"), "n_train": 16, "n_test": 8,
    "units": 2, "epochs": 1, "batch_size": 8, "seed": 5,
}


@pytest.fixture(scope="module")
def recall_data():
    return make_recall_task(64, lag=3, n_classes=4, n_distractors=2, seed=0)


@pytest.fixture(scope="module")
def tiny_sweep():
    return run_lag_sweep([1, 2], **TINY_SWEEP)


def test_build_classifier_shapes():
    model = build_classifier("gru", n_steps=7, n_features=5, n_classes=3,
                             units=6)
    assert model.input_shape == (None, 7, 5)
    assert model.output_shape == (None, 3)
    assert isinstance(model.layers[0], keras.layers.GRU)
    assert model.layers[0].units == 6


def test_build_classifier_float64():
    model = build_classifier("lstm", 3, 2, n_classes=2, units=2,
                             dtype="float64")
    assert all(w.dtype == np.float64 for w in model.get_weights())
    logits = np.asarray(model(np.ones((1, 3, 2))))
    assert logits.dtype == np.float64


def test_input_gradient_norms_float64_keeps_tiny_values():
    # Con peso recurrente 1e-20, el gradiente respecto al primer paso, tres
    # pasos antes del último, es del orden de 1e-60: por debajo del menor
    # float32 (unos 1e-45) y por encima del menor float64.
    model = build_classifier("rnn", 4, 1, n_classes=2, units=1,
                             dtype="float64")
    model.set_weights([np.ones((1, 1)), np.full((1, 1), 1e-20),
                       np.zeros(1), np.array([[1.0, -1.0]]), np.zeros(2)])
    norms = input_gradient_norms(model, np.zeros((1, 4, 1)), np.array([0]))
    assert norms[0] > 0
    assert norms[0] < 1e-55


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"architecture": "transformer"}, ValueError,
         "Arquitectura desconocida"),
        ({"n_steps": 0}, ValueError, "n_steps=0 no es válido"),
        ({"n_classes": 1}, ValueError, "n_classes=1 no es válido"),
        ({"units": 2.0}, TypeError, "units debe ser un entero"),
        ({"dtype": "float16"}, ValueError, "dtype='float16' no es válido"),
    ],
)
def test_build_classifier_invalid_arguments(kwargs, error, message):
    arguments = {"architecture": "rnn", "n_steps": 3, "n_features": 2,
                 "n_classes": 2, **kwargs}
    with pytest.raises(error, match=message):
        build_classifier(**arguments)


def test_train_classifier_result_fields(recall_data):
    result = train_classifier("rnn", recall_data, n_classes=4, units=4,
                              epochs=2, batch_size=32)
    assert isinstance(result, TrainingResult)
    assert result.epochs_run == 2
    assert sorted(result.history) == ["accuracy", "loss"]
    assert len(result.history["loss"]) == 2
    assert result.seconds > 0
    # SimpleRNN(4) con 6 variables: 6*4 + 4*4 + 4; Dense(4 -> 4): 16 + 4
    assert result.n_params == 44 + 20


def test_train_classifier_same_seed_same_weights(recall_data):
    first = train_classifier("lstm", recall_data, n_classes=4, units=3,
                             epochs=2, seed=7)
    second = train_classifier("lstm", recall_data, n_classes=4, units=3,
                              epochs=2, seed=7)
    for a, b in zip(first.model.get_weights(), second.model.get_weights(),
                    strict=True):
        np.testing.assert_array_equal(a, b)


def test_train_classifier_learns_short_lag():
    train = make_recall_task(512, lag=2, n_classes=4, n_distractors=2,
                             seed=1)
    test = make_recall_task(128, lag=2, n_classes=4, n_distractors=2,
                            seed=2)
    result = train_classifier("lstm", train, n_classes=4, units=8,
                              epochs=30, batch_size=64, learning_rate=1e-2)
    assert accuracy(result.model, *test) >= 0.95


def test_untrained_classifier_matches_initial_weights(recall_data):
    # Con una tasa de 1e-12, Adam mueve cada peso unos 1e-12 por paso: los
    # pesos finales son, a efectos prácticos, los iniciales.
    result = train_classifier("gru", recall_data, n_classes=4, units=3,
                              epochs=1, learning_rate=1e-12, seed=11)
    initial = untrained_classifier("gru", 4, 6, 4, units=3, seed=11)
    for a, b in zip(initial.get_weights(), result.model.get_weights(),
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


def test_untrained_classifier_other_seed_other_weights():
    first = untrained_classifier("rnn", 4, 6, 4, units=3, seed=1)
    second = untrained_classifier("rnn", 4, 6, 4, units=3, seed=2)
    assert not np.array_equal(first.get_weights()[0],
                              second.get_weights()[0])


def test_train_classifier_rejects_non_pair():
    with pytest.raises(TypeError, match=r"train debe ser un par \(X, y\)"):
        train_classifier("rnn", np.zeros((4, 3, 2)), n_classes=2)


def test_train_classifier_rejects_float_labels(recall_data):
    X, y = recall_data
    with pytest.raises(ValueError, match="vector de enteros"):
        train_classifier("rnn", (X, y.astype(float)), n_classes=4)


def test_train_classifier_rejects_length_mismatch(recall_data):
    X, y = recall_data
    with pytest.raises(ValueError, match="64 secuencias e y tiene 63"):
        train_classifier("rnn", (X, y[:-1]), n_classes=4)


def test_train_classifier_rejects_class_out_of_range(recall_data):
    with pytest.raises(ValueError, match=r"clase 3, pero n_classes=3"):
        train_classifier("rnn", recall_data, n_classes=3)


def test_train_classifier_rejects_negative_class(recall_data):
    X, y = recall_data
    with pytest.raises(ValueError, match="contiene la clase -1"):
        train_classifier("rnn", (X, y - 1), n_classes=4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs=0 no es válido"),
        ({"batch_size": 0}, "batch_size=0 no es válido"),
        ({"learning_rate": 0.0}, r"learning_rate=0.0 no es válido"),
    ],
)
def test_train_classifier_invalid_settings(recall_data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_classifier("rnn", recall_data, n_classes=4, **kwargs)


def test_accuracy_constant_prediction():
    model = build_classifier("rnn", 3, 2, n_classes=4, units=2)
    weights = [np.zeros_like(w) for w in model.get_weights()]
    weights[-1] = np.array([0.0, 1.0, 0.0, 0.0])  # sesgo de los logits
    model.set_weights(weights)
    y = np.array([1, 1, 0, 3, 1])
    assert accuracy(model, np.ones((5, 3, 2)), y) == 0.6


def test_accuracy_rejects_non_model():
    with pytest.raises(TypeError, match="model debe ser un keras.Model"):
        accuracy("modelo", np.zeros((2, 3, 1)), np.array([0, 1]))


def test_chance_accuracy_values():
    assert chance_accuracy(np.array([0, 1, 2, 3])) == 0.25
    assert chance_accuracy(np.array([2, 2, 2, 0])) == 0.75


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([], dtype=int), "vector no vacío"),
        (np.array([0.0, 1.0]), "vector no vacío de clases enteras"),
        (np.array([[0, 1]]), r"forma \(1, 2\)"),
        (np.array([0, -2]), "contiene la clase -2"),
    ],
)
def test_chance_accuracy_rejects_invalid_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        chance_accuracy(labels)


def test_first_failed_lag_cases():
    lags = [5, 10, 20, 50]
    assert first_failed_lag(lags, [1.0, 1.0, 0.5, 0.95]) == 20
    assert first_failed_lag(lags, [0.2, 1.0, 1.0, 1.0]) == 5
    assert first_failed_lag(lags, [1.0, 1.0, 1.0, 1.0]) is None
    assert first_failed_lag(lags, [1.0, 0.8, 0.7, 0.6], threshold=0.7) == 50


def test_first_failed_lag_threshold_is_inclusive():
    assert first_failed_lag([5], [LEARNED_ACCURACY]) is None


@pytest.mark.parametrize(
    ("lags", "accuracies", "error", "message"),
    [
        ([5, 10], [1.0], ValueError, "accuracies tiene 1 valores y lags 2"),
        ([10, 5], [1.0, 1.0], ValueError, "orden creciente"),
        ([5, 5], [1.0, 1.0], ValueError, "sin repetidos"),
        ([], [], ValueError, "lags está vacío"),
        ([5, 0], [1.0, 1.0], ValueError, "cada retardo de lags=0"),
        ("5", [1.0], TypeError, "lags debe ser una lista"),
        ([5.0], [1.0], TypeError, "cada retardo de lags debe ser un entero"),
    ],
)
def test_first_failed_lag_invalid(lags, accuracies, error, message):
    with pytest.raises(error, match=message):
        first_failed_lag(lags, accuracies)


def test_first_failed_lag_rejects_threshold_above_one():
    with pytest.raises(ValueError, match="threshold=1.5 no es válido"):
        first_failed_lag([5], [1.0], threshold=1.5)


@pytest.mark.parametrize(
    ("accuracies", "expected"),
    [
        ([1.0, 1.0, 0.3],
         "llega al umbral hasta k = 10 y se queda por debajo en k = 20"),
        ([1.0, 0.95, 0.9],
         "llega al umbral en todos los retardos probados, hasta k = 20"),
        ([0.3, 0.2, 0.25],
         "no llega al umbral ni con el retardo más corto, k = 5"),
        ([1.0, 0.4, 0.95],
         "llega al umbral hasta k = 5 y se queda por debajo en k = 10 "
         "(aunque sí en k = 20)"),
        ([0.4, 1.0, 0.95],
         "no llega al umbral ni con el retardo más corto, k = 5 "
         "(aunque sí en k = 10, k = 20)"),
    ],
)
def test_describe_limit_sentences(accuracies, expected):
    assert describe_limit([5, 10, 20], accuracies) == expected


def test_describe_limit_custom_threshold():
    text = describe_limit([5, 10], [0.8, 0.6], threshold=0.7)
    assert text == (
        "llega al umbral hasta k = 5 y se queda por debajo en k = 10"
    )


def test_describe_limit_rejects_length_mismatch():
    with pytest.raises(ValueError, match="accuracies tiene 1 valores"):
        describe_limit([5, 10], [1.0])


def test_run_lag_sweep_structure(tiny_sweep):
    assert isinstance(tiny_sweep, LagSweep)
    assert tiny_sweep.lags == (1, 2)
    assert list(tiny_sweep.accuracy) == ["rnn", "gru"]
    for values in tiny_sweep.accuracy.values():
        assert len(values) == 2
        assert all(0.0 <= value <= 1.0 for value in values)
    # 8 secuencias de prueba equilibradas entre 4 clases
    assert tiny_sweep.chance == [0.25, 0.25]
    assert sorted(tiny_sweep.models) == [("gru", 1), ("gru", 2), ("rnn", 1),
                                         ("rnn", 2)]
    assert tiny_sweep.test_sets[2][0].shape == (8, 3, 8)
    assert sorted(tiny_sweep.histories) == sorted(tiny_sweep.models)
    assert sorted(tiny_sweep.histories[("rnn", 1)]) == ["accuracy", "loss"]
    assert all(len(s) == 2 for s in tiny_sweep.seconds.values())


def test_run_lag_sweep_test_set_seed(tiny_sweep):
    X, y = make_recall_task(8, 2, seed=TINY_SWEEP["seed"] + 1)
    np.testing.assert_array_equal(tiny_sweep.test_sets[2][0], X)
    np.testing.assert_array_equal(tiny_sweep.test_sets[2][1], y)


def test_run_lag_sweep_accuracy_from_models(tiny_sweep):
    model = tiny_sweep.models[("gru", 2)]
    expected = accuracy(model, *tiny_sweep.test_sets[2])
    assert tiny_sweep.accuracy["gru"][1] == expected


def test_run_lag_sweep_single_architecture_name():
    sweep = run_lag_sweep([1], "lstm", n_train=8, n_test=4, units=2,
                          epochs=1, batch_size=8)
    assert list(sweep.accuracy) == ["lstm"]


def test_combine_sweeps_matches_joint_sweep(tiny_sweep):
    settings = {k: v for k, v in TINY_SWEEP.items() if k != "architectures"}
    parts = [run_lag_sweep([1, 2], a, **settings) for a in ("rnn", "gru")]
    combined = combine_sweeps(parts)
    assert list(combined.accuracy) == ["rnn", "gru"]
    assert combined.accuracy == tiny_sweep.accuracy
    assert combined.chance == tiny_sweep.chance
    assert combined.settings == tiny_sweep.settings
    assert sorted(combined.models) == sorted(tiny_sweep.models)
    assert sorted(combined.histories) == sorted(tiny_sweep.histories)


def test_combine_sweeps_rejects_other_settings(tiny_sweep):
    other = run_lag_sweep([1, 2], "lstm", n_train=16, n_test=8, units=3,
                          epochs=1, batch_size=8, seed=5)
    with pytest.raises(ValueError, match="no son comparables"):
        combine_sweeps([tiny_sweep, other])


def test_combine_sweeps_rejects_repeated_architecture(tiny_sweep):
    message = r"repetidas en varios barridos: \['gru', 'rnn'\]"
    with pytest.raises(ValueError, match=message):
        combine_sweeps([tiny_sweep, tiny_sweep])


@pytest.mark.parametrize("sweeps", [[], "barrido", [{"lags": (1,)}]])
def test_combine_sweeps_rejects_non_sweeps(sweeps):
    with pytest.raises(TypeError, match="LagSweep"):
        combine_sweeps(sweeps)


def test_run_lag_sweep_records_budget(tiny_sweep):
    assert tiny_sweep.settings == {
        "n_train": 16, "n_test": 8, "n_classes": 4, "n_distractors": 4,
        "units": 2, "epochs": 1, "batch_size": 8, "learning_rate": 3e-3,
        "seed": 5,
    }


def test_run_lag_sweep_rejects_unknown_architecture():
    with pytest.raises(ValueError, match="Arquitectura desconocida"):
        run_lag_sweep([1], ("rnn", "tcn"))


def test_input_gradient_norms_without_recurrence():
    # Sin matriz recurrente, la salida solo depende del último paso: el
    # gradiente respecto a los pasos anteriores es exactamente 0.
    model = untrained_classifier("rnn", 5, 3, 2, units=4, seed=0)
    kernel, recurrent_kernel, bias, *head = model.get_weights()
    model.set_weights([kernel, np.zeros_like(recurrent_kernel), bias,
                       *head])
    X = np.random.default_rng(0).normal(size=(6, 5, 3))
    norms = input_gradient_norms(model, X, np.array([0, 1, 0, 1, 0, 1]))
    assert norms.shape == (5,)
    np.testing.assert_array_equal(norms[:-1], np.zeros(4))
    assert norms[-1] > 0


def test_input_gradient_norms_independent_of_batch_size():
    model = untrained_classifier("lstm", 4, 2, 3, units=3, seed=0)
    X = np.random.default_rng(1).normal(size=(1, 4, 2))
    single = input_gradient_norms(model, X, np.array([2]))
    repeated = input_gradient_norms(model, np.repeat(X, 5, axis=0),
                                    np.array([2, 2, 2, 2, 2]))
    np.testing.assert_allclose(repeated, single, rtol=1e-6)


def test_input_gradient_norms_rejects_bad_labels():
    model = untrained_classifier("gru", 4, 2, 3, units=3, seed=0)
    with pytest.raises(ValueError, match="3 secuencias e y tiene 2"):
        input_gradient_norms(model, np.zeros((3, 4, 2)), np.array([0, 1]))


def test_gradient_profiles_structure(tiny_sweep):
    profiles = gradient_profiles(tiny_sweep, lag=2, n_sequences=4)
    assert list(profiles) == ["sin entrenar", "entrenado"]
    for by_architecture in profiles.values():
        assert list(by_architecture) == ["rnn", "gru"]
        for norms in by_architecture.values():
            assert norms.shape == (3,)


def test_gradient_profiles_untrained_uses_initial_weights(tiny_sweep):
    profiles = gradient_profiles(tiny_sweep, lag=1, n_sequences=4)
    X, y = tiny_sweep.test_sets[1]
    initial = untrained_classifier("rnn", 2, 8, 4, units=2,
                                   seed=TINY_SWEEP["seed"])
    # El perfil se mide en float64; aquí, en float32, con los mismos pesos.
    np.testing.assert_allclose(profiles["sin entrenar"]["rnn"],
                               input_gradient_norms(initial, X[:4], y[:4]),
                               rtol=1e-4)


def test_gradient_profiles_trained_uses_sweep_model(tiny_sweep):
    profiles = gradient_profiles(tiny_sweep, lag=2, n_sequences=4)
    X, y = tiny_sweep.test_sets[2]
    trained = tiny_sweep.models[("gru", 2)]
    np.testing.assert_allclose(profiles["entrenado"]["gru"],
                               input_gradient_norms(trained, X[:4], y[:4]),
                               rtol=1e-4)


def test_gradient_profiles_rejects_unknown_lag(tiny_sweep):
    with pytest.raises(ValueError, match=r"lag=3 no está en el barrido"):
        gradient_profiles(tiny_sweep, lag=3)


def test_gradient_profiles_rejects_non_sweep():
    with pytest.raises(TypeError, match="sweep debe ser un LagSweep"):
        gradient_profiles({"lags": (1,)}, lag=1)
