"""Random numbers, as `keras.random`, with explicit keys for pure code.

Every function takes `seed`, which is one of:

- a key (a uint32 tensor of shape (2,), from `key(seed)`, `split` or `fold_in`): the pure
  form; the same key always gives the same numbers. Use this inside jitted functions.
- an int: shorthand for `key(int)`; the same int gives the same numbers on every call.
- a `kfn.random.SeedGenerator`: its next key is drawn (and the generator advances).
- None: the next key of the process-wide generator, which `set_seed` reseeds.

The numbers depend on the backend: a key gives the same numbers on every run of one backend,
not the same numbers on jax and torch.
"""

import os as _os

from kfn.backends import active as _active
from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import convert_to_tensor as _convert_to_tensor
from kfn.state import keys as _keys

_backend = _active.random

# ---------------------------------------------------------------------------- keys


def key(seed):
    """The RNG key for an integer seed: a uint32 tensor of shape (2,).

    Example:
        >>> k = kfn.random.key(0)
        >>> kfn.random.normal((2,), seed=k)  # the same numbers for the same key
    """
    return _convert_to_tensor(_keys.key_data(seed), "uint32")


def split(key, num=2):
    """`num` independent keys derived from `key`, as a tensor of shape (num, 2).

    Example:
        >>> k1, k2 = kfn.random.split(kfn.random.key(0))
    """
    return _backend.split(_as_key(key), int(num))


def fold_in(key, data):
    """A new key determined by `key` and the integer `data` (e.g. a step or layer index)."""
    return _backend.fold_in(_as_key(key), data)


def _as_key(key):
    key = _convert_to_tensor(key)
    if tuple(key.shape) != _keys.KEY_SHAPE:
        raise ValueError(
            f"an RNG key must have shape (2,) (as made by kfn.random.key(seed)), "
            f"got shape {tuple(key.shape)}"
        )
    if _dtypes.standardize_dtype(key.dtype) != "uint32":
        key = _active.core.cast(key, "uint32")
    return key


class _ProcessSeed:
    """The process-wide generator behind `seed=None`: a seed and a counter on the host."""

    def __init__(self):
        self.seed = int.from_bytes(_os.urandom(4), "little")
        self.counter = 0

    def next(self):
        self.counter += 1
        return _keys.host_fold_in(_keys.key_data(self.seed), self.counter)


_process_seed = _ProcessSeed()


def set_seed(seed: int) -> None:
    """Reseed the process-wide generator used when `seed=None`, for reproducible runs.

    Example:
        >>> kfn.random.set_seed(1); a = kfn.random.normal((2,))
        >>> kfn.random.set_seed(1); b = kfn.random.normal((2,))  # a == b
    """
    _keys.key_data(seed)  # validates
    _process_seed.seed = int(seed)
    _process_seed.counter = 0


def draw_key(seed):
    """The key a random function uses for `seed` (see the module docstring)."""
    if seed is None:
        return _convert_to_tensor(_process_seed.next(), "uint32")
    if isinstance(seed, int) and not isinstance(seed, bool):
        return key(seed)
    if hasattr(seed, "next") and callable(seed.next):
        return _as_key(seed.next())
    if hasattr(seed, "shape"):
        return _as_key(seed)
    raise TypeError(
        "seed must be None, an int, an RNG key (uint32 tensor of shape (2,)) or a "
        f"kfn.random.SeedGenerator; got {type(seed).__name__} {seed!r}"
    )


def _float_dtype(dtype, name):
    dtype = _dtypes.standardize_dtype(dtype)
    if not _dtypes.is_float(dtype):
        raise ValueError(f"kfn.random.{name}: dtype must be a float dtype, got {dtype}")
    return dtype


def _shape(shape, name):
    try:
        return tuple(int(d) for d in shape)
    except TypeError:
        raise TypeError(
            f"kfn.random.{name}: shape must be a tuple of ints, got {shape!r}"
        ) from None


# ---------------------------------------------------------------------------- distributions


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution.

    Args:
        shape: the output shape.
        mean, stddev: the distribution's mean and standard deviation.
        dtype: a float dtype (default floatx).
        seed: see the module docstring.

    Example:
        >>> kfn.random.normal((2, 3), seed=kfn.random.key(0)).shape
        (2, 3)
    """
    dtype = _float_dtype(dtype, "normal")
    return _backend.normal(draw_key(seed), _shape(shape, "normal"), mean, stddev, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution over [minval, maxval).

    Example:
        >>> kfn.random.uniform((4,), minval=-1.0, maxval=1.0, seed=0)
    """
    dtype = _float_dtype(dtype, "uniform")
    return _backend.uniform(draw_key(seed), _shape(shape, "uniform"), minval, maxval, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution, redrawn when more than two standard deviations
    from the mean.

    Example:
        >>> kfn.random.truncated_normal((4,), stddev=0.05, seed=0)
    """
    dtype = _float_dtype(dtype, "truncated_normal")
    return _backend.truncated_normal(
        draw_key(seed), _shape(shape, "truncated_normal"), mean, stddev, dtype
    )


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in [minval, maxval).

    Example:
        >>> kfn.random.randint((3,), 0, 10, seed=0)
    """
    dtype = _dtypes.standardize_dtype(dtype)
    if not _dtypes.is_int(dtype):
        raise ValueError(f"kfn.random.randint: dtype must be an integer dtype, got {dtype}")
    if int(maxval) <= int(minval):
        raise ValueError(
            f"kfn.random.randint: maxval must be greater than minval, got [{minval}, {maxval})"
        )
    return _backend.randint(draw_key(seed), _shape(shape, "randint"), minval, maxval, dtype)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from a Gamma(alpha, 1) distribution.

    Example:
        >>> kfn.random.gamma((3,), alpha=2.0, seed=0)
    """
    dtype = _float_dtype(dtype, "gamma")
    return _backend.gamma(draw_key(seed), _shape(shape, "gamma"), alpha, dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples from a binomial distribution: successes in `counts` trials of probability
    `probabilities` (both broadcast to `shape`). Returned as a float dtype, as in Keras.

    Example:
        >>> kfn.random.binomial((3,), counts=10, probabilities=0.5, seed=0)
    """
    dtype = _float_dtype(dtype, "binomial")
    return _backend.binomial(
        draw_key(seed), _shape(shape, "binomial"), counts, probabilities, dtype
    )


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from a Beta(alpha, beta) distribution, as X / (X + Y) with X ~ Gamma(alpha),
    Y ~ Gamma(beta).

    Example:
        >>> kfn.random.beta((3,), alpha=2.0, beta=5.0, seed=0)
    """
    dtype = _float_dtype(dtype, "beta")
    shape = _shape(shape, "beta")
    key_x, key_y = _unstack_keys(split(draw_key(seed), 2))
    x = _backend.gamma(key_x, shape, alpha, dtype)
    y = _backend.gamma(key_y, shape, beta, dtype)
    return x / (x + y)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the categorical distributions given by `logits`.

    Args:
        logits: tensor of shape (batch, num_classes), unnormalized log-probabilities.
        num_samples: how many samples per row.
        dtype: an integer dtype for the indices.

    Returns:
        A tensor of shape (batch, num_samples).

    Example:
        >>> kfn.random.categorical(kfn.ops.log([[0.1, 0.9]]), 5, seed=0)
    """
    from kfn.ops.numpy import argmax, expand_dims, log

    logits = _convert_to_tensor(logits)
    if len(logits.shape) != 2:
        raise ValueError(
            f"kfn.random.categorical: logits must have shape (batch, num_classes), "
            f"got shape {tuple(logits.shape)}"
        )
    batch, classes = (int(d) for d in logits.shape)
    noise_dtype = _dtypes.to_float(_dtypes.standardize_dtype(logits.dtype))
    # Gumbel-max: argmax(logits + Gumbel noise) is a sample from softmax(logits).
    u = uniform(
        (batch, int(num_samples), classes),
        minval=float(_tiny(noise_dtype)),
        maxval=1.0,
        dtype=noise_dtype,
        seed=seed,
    )
    gumbel = -log(-log(u))
    samples = argmax(expand_dims(_active.core.cast(logits, noise_dtype), 1) + gumbel, axis=-1)
    return _active.core.cast(samples, dtype)


def _tiny(dtype):
    import numpy as np

    if dtype == "bfloat16":
        return 1e-38
    return np.finfo(dtype).tiny


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order.

    Example:
        >>> kfn.random.shuffle(kfn.ops.arange(5), seed=0)
    """
    from kfn.ops.numpy import argsort, take

    x = _convert_to_tensor(x)
    n = int(x.shape[axis])
    order = argsort(uniform((n,), dtype="float32", seed=seed))
    return take(x, order, axis=axis)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """`inputs` with each entry zeroed with probability `rate`, the rest scaled by
    1 / (1 - rate) so the expected value is unchanged.

    Args:
        inputs: a float tensor.
        rate: the drop probability, in [0, 1).
        noise_shape: the shape of the keep mask, broadcast to `inputs` (e.g. (batch, 1, 1,
            channels) drops whole channels); default `inputs.shape`.

    Example:
        >>> kfn.random.dropout(kfn.ops.ones((4,)), 0.5, seed=0)  # entries 0 or 2
    """
    from kfn.ops.numpy import broadcast_to, where, zeros_like

    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"kfn.random.dropout: rate must be in [0, 1), got {rate}")
    inputs = _convert_to_tensor(inputs)
    shape = tuple(inputs.shape) if noise_shape is None else _shape(noise_shape, "dropout")
    dtype = _dtypes.standardize_dtype(inputs.dtype)
    keep = uniform(shape, dtype="float32", seed=seed) >= rate
    keep = broadcast_to(keep, tuple(inputs.shape))
    scaled = inputs / _convert_to_tensor(1.0 - rate, dtype)
    return where(keep, scaled, zeros_like(inputs))


def _unstack_keys(keys):
    return keys[0], keys[1]
