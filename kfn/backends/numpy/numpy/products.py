"""NumPy backend: kfn.ops.numpy products (matmul, dot, einsum, ...) and correlation."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import creation, dtypes
from kfn.backends.numpy import core


def _pair(x1, x2):
    """The inputs in the dtype of their product (int8 x int8 accumulates in int32)."""
    if (
        type(x1) is np.ndarray
        and type(x2) is np.ndarray
        and x1.dtype == x2.dtype
        and x1.dtype != np.int8
    ):
        return x1, x2  # the common case, kept cheap
    x1, x2 = core.convert_to_tensor(x1), core.convert_to_tensor(x2)
    target = core.to_native_dtype(
        creation.matmul_dtype(
            dtypes.standardize_dtype(x1.dtype), dtypes.standardize_dtype(x2.dtype)
        )
    )
    return x1.astype(target), x2.astype(target)


def matmul(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.matmul(x1, x2)


def dot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.dot(x1, x2)


def vdot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.vdot(x1, x2)


def inner(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.inner(x1, x2)


def outer(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.outer(x1, x2)


def tensordot(x1, x2, axes=2):
    x1, x2 = _pair(x1, x2)
    return np.tensordot(x1, x2, axes=axes)


def einsum(subscripts, *operands, **kwargs):
    operands = [core.convert_to_tensor(x) for x in operands]
    names = [dtypes.standardize_dtype(x.dtype) for x in operands]
    target = "int32" if names and all(n == "int8" for n in names) else dtypes.result_type(*names)
    return np.einsum(
        subscripts, *(x.astype(core.to_native_dtype(target)) for x in operands), **kwargs
    )


def kron(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = core.promote(x1, x2)
    return np.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _float_pair(x1, x2)
    return np.correlate(x1, x2, mode=mode)


def convolve(x1, x2, mode="full"):
    x1, x2 = _float_pair(x1, x2)
    return np.convolve(x1, x2, mode=mode)


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return x1.astype(target), x2.astype(target)
