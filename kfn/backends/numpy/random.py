"""NumPy backend: random numbers from uint32[2] keys, through a NumPy Generator seeded from
the key (so the same key gives the same numbers)."""

from __future__ import annotations

import numpy as np

from kfn.backends.numpy import core
from kfn.state import keys


def split(key, num):
    return keys.host_split(key, num)


def fold_in(key, data):
    return keys.host_fold_in(key, int(data))


def normal(key, shape, mean, stddev, dtype):
    sample = keys.host_generator(key).normal(mean, stddev, tuple(shape))
    return sample.astype(core.to_native_dtype(dtype))


def uniform(key, shape, minval, maxval, dtype):
    sample = keys.host_generator(key).uniform(minval, maxval, tuple(shape))
    return sample.astype(core.to_native_dtype(dtype))


def truncated_normal(key, shape, mean, stddev, dtype):
    # Rejection: redraw the values outside two standard deviations until none are left.
    generator = keys.host_generator(key)
    sample = generator.standard_normal(tuple(shape))
    outside = np.abs(sample) > 2.0
    while outside.any():
        sample[outside] = generator.standard_normal(int(outside.sum()))
        outside = np.abs(sample) > 2.0
    return (sample * stddev + mean).astype(core.to_native_dtype(dtype))


def randint(key, shape, minval, maxval, dtype):
    sample = keys.host_generator(key).integers(minval, maxval, tuple(shape))
    return sample.astype(core.to_native_dtype(dtype))


def gamma(key, shape, alpha, dtype):
    sample = keys.host_generator(key).standard_gamma(alpha, tuple(shape))
    return sample.astype(core.to_native_dtype(dtype))


def binomial(key, shape, counts, probabilities, dtype):
    sample = keys.host_generator(key).binomial(
        np.asarray(counts, dtype=np.int64), probabilities, tuple(shape)
    )
    return sample.astype(core.to_native_dtype(dtype))
