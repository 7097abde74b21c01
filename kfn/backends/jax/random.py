"""JAX backend: stateless random numbers from uint32[2] keys (jax.random, threefry)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.jax import core


def _key(key):
    return jnp.asarray(key, dtype=jnp.uint32)


def split(key, num):
    return jax.random.split(_key(key), num)


def fold_in(key, data):
    return jax.random.fold_in(_key(key), data)


def normal(key, shape, mean, stddev, dtype):
    sample = jax.random.normal(_key(key), tuple(shape), dtype=core.to_native_dtype(dtype))
    return sample * stddev + mean


def uniform(key, shape, minval, maxval, dtype):
    native = core.to_native_dtype(dtype)
    return jax.random.uniform(_key(key), tuple(shape), dtype=native, minval=minval, maxval=maxval)


def truncated_normal(key, shape, mean, stddev, dtype):
    native = core.to_native_dtype(dtype)
    sample = jax.random.truncated_normal(_key(key), -2.0, 2.0, tuple(shape), dtype=native)
    return sample * stddev + mean


def randint(key, shape, minval, maxval, dtype):
    native = core.to_native_dtype(dtype)
    return jax.random.randint(_key(key), tuple(shape), minval, maxval, dtype=native)


def gamma(key, shape, alpha, dtype):
    return jax.random.gamma(_key(key), alpha, tuple(shape), dtype=core.to_native_dtype(dtype))


def binomial(key, shape, counts, probabilities, dtype):
    native = core.to_native_dtype(dtype)
    counts = jnp.asarray(counts, dtype=native)
    probabilities = jnp.asarray(probabilities, dtype=native)
    return jax.random.binomial(_key(key), counts, probabilities, tuple(shape), dtype=native)
