"""NumPy backend: the activation primitives of kfn.ops.nn."""

from __future__ import annotations

import math

import numpy as np

from kfn.backends.common import dtypes
from kfn.backends.numpy import core


def _float(x):
    x = core.convert_to_tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return np.asarray(x, dtype=core.to_native_dtype(target))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def relu(x):
    x = core.convert_to_tensor(x)
    return np.maximum(x, np.zeros((), x.dtype))


def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return np.where(x >= 0, x, x * np.asarray(negative_slope, x.dtype))


def elu(x, alpha=1.0):
    x = _float(x)
    return np.where(x > 0, x, np.asarray(alpha, x.dtype) * np.expm1(np.minimum(x, 0)))


def sigmoid(x):
    x = _float(x)
    # exp of a non-positive number only: no overflow for large |x|.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def softplus(x):
    x = _float(x)
    return (np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)).astype(x.dtype)


def silu(x):
    x = _float(x)
    return x * sigmoid(x)


def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        return (0.5 * x * (1 + np.tanh(inner))).astype(x.dtype)
    from kfn.backends.numpy.numpy.elementwise import erf

    return (0.5 * x * (1 + erf(x / math.sqrt(2)))).astype(x.dtype)


def softmax(x, axis=-1):
    x = _float(x)
    shifted = x - np.max(x, axis=_axis(axis), keepdims=True)
    e = np.exp(shifted)
    return (e / np.sum(e, axis=_axis(axis), keepdims=True)).astype(x.dtype)


def log_softmax(x, axis=-1):
    x = _float(x)
    shifted = x - np.max(x, axis=_axis(axis), keepdims=True)
    return (shifted - np.log(np.sum(np.exp(shifted), axis=_axis(axis), keepdims=True))).astype(
        x.dtype
    )
