"""Initializers (kfn/pure/initializers.py, kfn.initializers) by statistics, by seeds and
against Keras 3 where they are deterministic."""

import math

import keras
import numpy as np
import pytest

import kfn
from kfn import initializers, ops
from kfn.pure import initializers as pure_initializers
from tests.conftest import BACKEND

SHAPE = (200, 300)  # fan_in 200, fan_out 300


def sample(initializer, shape=SHAPE, seed=0, dtype="float32"):
    return ops.convert_to_numpy(initializer.sample(kfn.random.key(seed), shape, dtype))


# ---------------------------------------------------------------------------- statistics

# (initializer, distribution, expected standard deviation, bound of |values| or None)
_VARIANCE = [
    (initializers.GlorotUniform(), "uniform", math.sqrt(2 / 500), math.sqrt(6 / 500)),
    (initializers.GlorotNormal(), "truncated", math.sqrt(2 / 500), None),
    (initializers.HeUniform(), "uniform", math.sqrt(2 / 200), math.sqrt(6 / 200)),
    (initializers.HeNormal(), "truncated", math.sqrt(2 / 200), None),
    (initializers.LecunUniform(), "uniform", math.sqrt(1 / 200), math.sqrt(3 / 200)),
    (initializers.LecunNormal(), "truncated", math.sqrt(1 / 200), None),
    (initializers.VarianceScaling(3.0, "fan_out", "untruncated_normal"), "normal", 0.1, None),
    (initializers.VarianceScaling(0.5, "fan_avg", "uniform"), "uniform", math.sqrt(1 / 500), None),
    (initializers.RandomNormal(mean=1.0, stddev=0.2), "normal", 0.2, None),
    (initializers.RandomUniform(-0.3, 0.3), "uniform", 0.3 / math.sqrt(3), 0.3),
    (initializers.TruncatedNormal(stddev=0.1), "truncated", 0.1 * 0.8796, 0.2),
]


@pytest.mark.parametrize(
    "case", _VARIANCE, ids=lambda c: repr(c[0]) if hasattr(c, "__len__") else ""
)
def test_random_initializers_have_their_statistics(case):
    initializer, distribution, stddev, bound = case
    values = sample(initializer)
    assert values.shape == SHAPE and values.dtype == np.float32
    mean = getattr(initializer, "mean", 0.0)
    assert abs(values.mean() - mean) < 4 * stddev / math.sqrt(values.size)
    assert values.std() == pytest.approx(stddev, rel=0.02)
    if bound is not None:
        assert np.abs(values - mean).max() <= bound * (1 + 1e-6)
    if distribution == "truncated":
        # Redrawn beyond two standard deviations of the untruncated normal.
        assert np.abs(values - mean).max() <= 2 * stddev / 0.8796 * (1 + 1e-5)
    if distribution == "uniform":
        assert np.abs(values - mean).max() > 0.98 * stddev * math.sqrt(3)


def test_fans_of_convolution_kernels_and_given_axes():
    compute_fans = pure_initializers.compute_fans
    assert compute_fans((3, 3, 4, 8)) == (36, 72)
    assert compute_fans((5,)) == (5, 5)
    assert compute_fans((2, 3, 4), input_axes=(0, 1), output_axes=(2,)) == (6, 4)
    values = sample(initializers.HeNormal(input_axes=(0, 1), output_axes=(2,)), (20, 30, 4))
    assert values.std() == pytest.approx(math.sqrt(2 / 600), rel=0.05)


def test_same_key_same_values_and_seeded_initializers_repeat():
    init = initializers.GlorotUniform()
    np.testing.assert_array_equal(sample(init, (4, 5), seed=3), sample(init, (4, 5), seed=3))
    assert not np.array_equal(sample(init, (4, 5), seed=3), sample(init, (4, 5), seed=4))
    seeded = initializers.RandomNormal(seed=7)
    # A seeded initializer gives the same values on every call, whatever the key (as Keras).
    first = ops.convert_to_numpy(seeded((3, 3)))
    np.testing.assert_array_equal(first, ops.convert_to_numpy(seeded((3, 3))))
    np.testing.assert_array_equal(first, sample(seeded, (3, 3), seed=99))
    kfn.random.set_seed(5)
    a = ops.convert_to_numpy(initializers.HeUniform()((3, 3)))
    kfn.random.set_seed(5)
    np.testing.assert_array_equal(a, ops.convert_to_numpy(initializers.HeUniform()((3, 3))))


def test_dtype_of_samples():
    assert ops.dtype(initializers.GlorotUniform()((2, 2))) == kfn.config.floatx()
    assert ops.dtype(initializers.RandomNormal().sample(None, (2,), "float16")) == "float16"
    assert ops.dtype(initializers.Zeros()((2,), "int32")) == "int32"


# ---------------------------------------------------------------------------- deterministic


def keras_value(initializer, shape, dtype="float32"):
    return np.asarray(keras.ops.convert_to_numpy(initializer(shape, dtype=dtype)))


@pytest.mark.parametrize(
    "name, config, shape",
    [
        ("Zeros", {}, (2, 3)),
        ("Ones", {}, (4,)),
        ("Constant", {"value": 0.25}, (2, 2)),
        ("Identity", {"gain": 2.0}, (3, 4)),
        ("STFT", {}, (16, 1, 9)),
        ("STFT", {"side": "imag", "window": "hamming", "scaling": "spectrum"}, (8, 1, 5)),
        ("STFT", {"window": "hann", "periodic": True, "scaling": None}, (12, 1, 7)),
        ("STFT", {"window": "blackman", "periodic": True}, (10, 1, 6)),
        ("STFT", {"side": "imag", "window": None}, (6, 1, 4)),
        ("STFT", {"window": "tukey"}, (8, 1, 5)),  # scipy's window
    ],
)
def test_deterministic_initializers_equal_keras(name, config, shape):
    ours = ops.convert_to_numpy(getattr(kfn.initializers, name)(**config)(shape))
    expected = keras_value(getattr(keras.initializers, name)(**config), shape)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


def test_stft_with_an_array_window():
    window = np.linspace(0.5, 1.0, 8)
    ours = ops.convert_to_numpy(initializers.STFT(window=window)((8, 1, 5)))
    expected = keras_value(keras.initializers.STFT(window=window), (8, 1, 5))
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 3, 2, 8)])
def test_orthogonal_is_orthogonal(shape):
    q = sample(initializers.Orthogonal(gain=1.5), shape).reshape(-1, shape[-1])
    gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
    np.testing.assert_allclose(gram, 2.25 * np.eye(len(gram)), atol=1e-5)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit of pure initialization")
def test_orthogonal_and_stft_under_jit():
    import jax

    q = jax.jit(lambda k: initializers.Orthogonal().sample(k, (5, 3), "float32"))(kfn.random.key(0))
    np.testing.assert_allclose(np.asarray(q).T @ np.asarray(q), np.eye(3), atol=1e-5)
    stft = jax.jit(lambda k: initializers.STFT().sample(k, (8, 1, 5), "float32"))(None)
    assert stft.shape == (8, 1, 5)


# ---------------------------------------------------------------------------- configs


_CONFIGS = [
    ("Zeros", {}),
    ("Constant", {"value": 3.0}),
    ("RandomNormal", {"mean": 0.5, "stddev": 0.1, "seed": 3}),
    ("RandomUniform", {"minval": -1.0, "maxval": 2.0}),
    ("TruncatedNormal", {"stddev": 0.3, "seed": 1}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "normal"}),
    ("GlorotUniform", {"seed": 4}),
    ("HeNormal", {"input_axes": [0], "output_axes": [1]}),
    ("LecunUniform", {}),
    ("Orthogonal", {"gain": 0.5, "seed": 2}),
    ("Identity", {"gain": 3.0}),
    ("STFT", {"side": "imag", "window": "hamming", "periodic": True}),
]


@pytest.mark.parametrize("name, config", _CONFIGS, ids=[c[0] for c in _CONFIGS])
def test_configs_equal_keras_and_round_trip(name, config):
    ours = getattr(kfn.initializers, name)(**config)
    theirs = getattr(keras.initializers, name)(**config)
    assert kfn.initializers.get(kfn.initializers.serialize(ours)) == ours
    assert ours.clone() == ours and ours.clone() is not ours
    if name == "Identity":
        # Keras's Identity forgets its gain in get_config ({}); kfn keeps it.
        assert theirs.get_config() == {} and ours.get_config() == config
        return
    assert ours.get_config() == theirs.get_config()
    # Keras's serialized form loads in kfn, kfn's in Keras.
    loaded = kfn.initializers.deserialize(keras.initializers.serialize(theirs))
    assert type(loaded) is type(ours) and loaded.get_config() == ours.get_config()
    back = keras.initializers.deserialize(kfn.initializers.serialize(ours))
    assert back.get_config() == theirs.get_config()


def test_get_accepts_names_aliases_classes_functions_and_tensors():
    get = kfn.initializers.get
    assert get(None) is None
    for name, cls in [
        ("glorot_uniform", initializers.GlorotUniform),
        ("he_normal", initializers.HeNormal),
        ("normal", initializers.RandomNormal),
        ("uniform", initializers.RandomUniform),
        ("one", initializers.Ones),
        ("zero", initializers.Zeros),
        ("stft", initializers.STFT),
        ("STFTInitializer", initializers.STFT),
        ("OrthogonalInitializer", initializers.Orthogonal),
        ("IdentityInitializer", initializers.Identity),
        ("Constant", initializers.Constant),
    ]:
        assert type(get(name)) is cls, name
    assert type(get(kfn.initializers.Ones)) is initializers.Ones
    instance = initializers.Constant(2.0)
    assert get(instance) is instance

    def halves(shape, dtype=None):
        return ops.full(shape, 0.5, dtype=dtype)

    dense = kfn.layers.Dense(2, kernel_initializer=halves)
    dense(np.ones((1, 3), "float32"))
    np.testing.assert_array_equal(dense.kernel.numpy(), np.full((3, 2), 0.5))
    value = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(get(value)((2, 3))), value)
    with pytest.raises(
        ValueError, match=r"the initial value has shape \(2, 3\), expected \(3, 2\)"
    ):
        get(value)((3, 2))
    with pytest.raises(ValueError, match="Unknown initializer 'glorot'"):
        get("glorot")


def test_keras_namespace_is_complete():
    public = [n for n in dir(keras.initializers) if not n.startswith("_")]
    missing = [n for n in public if not hasattr(kfn.initializers, n)]
    assert not missing
    assert kfn.initializers.glorot_uniform is kfn.initializers.GlorotUniform
    assert kfn.initializers.STFTInitializer is kfn.initializers.stft is kfn.initializers.STFT


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError, match="VarianceScaling: scale must be positive, got 0"):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match="mode must be 'fan_in', 'fan_out' or 'fan_avg'"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match="distribution must be"):
        initializers.VarianceScaling(distribution="cauchy")
    with pytest.raises(ValueError, match="Orthogonal: the shape must have at least 2"):
        initializers.Orthogonal()((3,))
    with pytest.raises(ValueError, match=r"Identity: the shape must be 2-D, got \(2, 2, 2\)"):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="STFT: side must be 'real' or 'imag'"):
        initializers.STFT(side="both")
    with pytest.raises(ValueError, match="STFT: scaling must be"):
        initializers.STFT(scaling="energy")
    with pytest.raises(ValueError, match="STFT: the window must have frame_length=8 values"):
        initializers.STFT(window=np.ones(4))((8, 1, 5))
