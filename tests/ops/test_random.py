"""kfn.random: explicit keys, int seeds, SeedGenerator; distributions by their statistics."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND

N = 20000


def np_(x):
    return ops.convert_to_numpy(x)


def test_key_layout_split_and_fold_in():
    key = kfn.random.key(42)
    assert ops.dtype(key) == "uint32" and ops.shape(key) == (2,)
    np.testing.assert_array_equal(np_(key), [0, 42])
    keys = kfn.random.split(key, 3)
    assert ops.shape(keys) == (3, 2) and ops.dtype(keys) == "uint32"
    assert len({tuple(row) for row in np_(keys).tolist()}) == 3
    np.testing.assert_array_equal(np_(kfn.random.split(key, 3)), np_(keys))
    folded = kfn.random.fold_in(key, 7)
    assert ops.shape(folded) == (2,)
    assert not np.array_equal(np_(folded), np_(kfn.random.fold_in(key, 8)))


@pytest.mark.parametrize(
    "draw",
    [
        lambda seed: kfn.random.normal((5,), seed=seed),
        lambda seed: kfn.random.uniform((5,), seed=seed),
        lambda seed: kfn.random.truncated_normal((5,), seed=seed),
        lambda seed: kfn.random.randint((5,), 0, 100, seed=seed),
        lambda seed: kfn.random.gamma((5,), 2.0, seed=seed),
        lambda seed: kfn.random.binomial((5,), 10, 0.5, seed=seed),
        lambda seed: kfn.random.beta((5,), 2.0, 3.0, seed=seed),
    ],
    ids=["normal", "uniform", "truncated_normal", "randint", "gamma", "binomial", "beta"],
)
def test_same_key_same_numbers_different_key_different_numbers(draw):
    key = kfn.random.key(3)
    np.testing.assert_array_equal(np_(draw(key)), np_(draw(key)))
    np.testing.assert_array_equal(np_(draw(3)), np_(draw(3)))
    assert not np.array_equal(np_(draw(kfn.random.key(4))), np_(draw(key)))


def test_seed_generator_advances_and_is_reproducible():
    gen = kfn.random.SeedGenerator(7)
    a, b = np_(kfn.random.normal((4,), seed=gen)), np_(kfn.random.normal((4,), seed=gen))
    assert not np.array_equal(a, b)
    again = kfn.random.SeedGenerator(7)
    np.testing.assert_array_equal(np_(kfn.random.normal((4,), seed=again)), a)
    other = kfn.random.SeedGenerator(8)
    assert not np.array_equal(np_(kfn.random.normal((4,), seed=other)), a)
    assert ops.dtype(gen.state) == "uint32"


def test_set_seed_makes_unseeded_draws_reproducible():
    kfn.random.set_seed(11)
    a = np_(kfn.random.normal((3,)))
    b = np_(kfn.random.normal((3,)))
    kfn.random.set_seed(11)
    np.testing.assert_array_equal(np_(kfn.random.normal((3,))), a)
    assert not np.array_equal(a, b)


def test_normal_statistics_and_dtype():
    x = np_(kfn.random.normal((N,), mean=2.0, stddev=3.0, seed=1))
    assert x.dtype == np.float32
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 3.0) < 0.1
    assert ops.dtype(kfn.random.normal((2,), dtype="float64", seed=1)) == "float64"


def test_uniform_range():
    x = np_(kfn.random.uniform((N,), minval=-1.0, maxval=3.0, seed=2))
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < 0.05


def test_truncated_normal_stays_within_two_standard_deviations():
    x = np_(kfn.random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=3))
    assert x.min() >= 0.0 - 1e-6 and x.max() <= 2.0 + 1e-6
    # The standard deviation of a normal truncated at +-2 sigma is 0.8796 sigma.
    assert abs(x.std() - 0.8796 * 0.5) < 0.02


def test_randint_range_and_dtype():
    x = kfn.random.randint((N,), 3, 9, dtype="int64", seed=4)
    assert ops.dtype(x) == "int64"
    values = np_(x)
    assert set(np.unique(values)) == set(range(3, 9))


def test_gamma_binomial_beta_means():
    assert abs(np_(kfn.random.gamma((N,), alpha=3.0, seed=5)).mean() - 3.0) < 0.1
    binomial = np_(kfn.random.binomial((N,), counts=10, probabilities=0.3, seed=6))
    assert binomial.dtype == np.float32 and abs(binomial.mean() - 3.0) < 0.1
    assert set(np.unique(binomial)) <= set(range(11))
    beta = np_(kfn.random.beta((N,), alpha=2.0, beta=6.0, seed=7))
    assert beta.min() > 0 and beta.max() < 1 and abs(beta.mean() - 0.25) < 0.02


def test_categorical_frequencies_follow_the_logits():
    probabilities = np.array([[0.1, 0.6, 0.3], [0.8, 0.1, 0.1]])
    samples = kfn.random.categorical(ops.convert_to_tensor(np.log(probabilities)), 4000, seed=8)
    assert ops.shape(samples) == (2, 4000) and ops.dtype(samples) == "int32"
    counts = np.stack([np.bincount(row, minlength=3) / 4000 for row in np_(samples)])
    np.testing.assert_allclose(counts, probabilities, atol=0.03)


def test_shuffle_is_a_permutation():
    x = ops.convert_to_tensor(np.arange(20, dtype="int32"))
    shuffled = np_(kfn.random.shuffle(x, seed=9))
    assert sorted(shuffled.tolist()) == list(range(20)) and shuffled.tolist() != list(range(20))
    grid = ops.convert_to_tensor(np.arange(12, dtype="float32").reshape(3, 4))
    columns = np_(kfn.random.shuffle(grid, axis=1, seed=9))
    assert sorted(columns[0].tolist()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(columns[1], columns[0] + 4)


def test_dropout_rate_scale_and_noise_shape():
    x = ops.convert_to_tensor(np.ones((200, 100), "float32"))
    dropped = np_(kfn.random.dropout(x, 0.25, seed=10))
    assert set(np.unique(dropped)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((dropped == 0).mean() - 0.25) < 0.02
    rows = np_(kfn.random.dropout(x, 0.5, noise_shape=(200, 1), seed=10))
    assert all(len(set(row)) == 1 for row in rows)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="randint: maxval must be greater than minval"):
        kfn.random.randint((2,), 5, 5)
    with pytest.raises(ValueError, match="normal: dtype must be a float dtype, got int32"):
        kfn.random.normal((2,), dtype="int32")
    with pytest.raises(ValueError, match=r"an RNG key must have shape \(2,\).*got shape \(3,\)"):
        kfn.random.normal((2,), seed=ops.convert_to_tensor(np.zeros(3, "uint32")))
    with pytest.raises(TypeError, match="seed must be None, an int"):
        kfn.random.normal((2,), seed="abc")
    with pytest.raises(ValueError, match=r"dropout: rate must be in \[0, 1\)"):
        kfn.random.dropout(ops.convert_to_tensor([1.0]), 1.0)


@pytest.mark.skipif(BACKEND not in ("jax", "tensorflow"), reason="compiled random needs jax or tf")
def test_explicit_keys_work_under_jit():
    draw = ops.jit(lambda key: kfn.random.normal((3,), seed=key))
    key = kfn.random.key(5)
    np.testing.assert_allclose(np_(draw(key)), np_(kfn.random.normal((3,), seed=key)), rtol=1e-6)
