"""PyTorch backend: kfn.ops.numpy products (matmul, dot, einsum, ...) and correlation."""

from __future__ import annotations

import torch

from kfn.backends.common import creation, dtypes, shaping
from kfn.backends.torch import core

_NARROW_KERNELS = frozenset((torch.uint16, torch.uint32, torch.uint64))


def _pair(x1, x2):
    """The inputs in the dtype of their product (int8 x int8 accumulates in int32)."""
    if (
        type(x1) in core.TENSOR_TYPES
        and type(x2) in core.TENSOR_TYPES
        and x1.dtype == x2.dtype
        and x1.dtype != torch.int8
    ):
        return x1, x2  # the common case, kept cheap
    x1, x2 = core.convert_to_tensor(x1), core.convert_to_tensor(x2)
    target = core.to_native_dtype(
        creation.matmul_dtype(
            dtypes.standardize_dtype(x1.dtype), dtypes.standardize_dtype(x2.dtype)
        )
    )
    return x1.to(target), x2.to(target)


def _compute(fn, x1, x2):
    if x1.dtype in _NARROW_KERNELS:
        return fn(x1.to(torch.int64), x2.to(torch.int64)).to(x1.dtype)
    return fn(x1, x2)


def matmul(x1, x2):
    x1, x2 = _pair(x1, x2)
    return _compute(torch.matmul, x1, x2)


def dot(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    if x2.ndim == 1:
        return _compute(torch.matmul, x1, x2)
    return _compute(lambda a, b: torch.tensordot(a, b, dims=([-1], [-2])), x1, x2)


def vdot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.sum(torch.conj(x1).reshape(-1) * x2.reshape(-1))


def inner(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    return _compute(lambda a, b: torch.tensordot(a, b, dims=([-1], [-1])), x1, x2)


def outer(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1))


def tensordot(x1, x2, axes=2):
    x1, x2 = _pair(x1, x2)
    if not isinstance(axes, int):
        axes = tuple([a] if isinstance(a, int) else list(a) for a in axes)
    return _compute(lambda a, b: torch.tensordot(a, b, dims=axes), x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [core.convert_to_tensor(x) for x in operands]
    names = [dtypes.standardize_dtype(x.dtype) for x in operands]
    target = "int32" if names and all(n == "int8" for n in names) else dtypes.result_type(*names)
    return torch.einsum(subscripts, *(x.to(core.to_native_dtype(target)) for x in operands))


def kron(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return torch.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = core.promote(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    planar = a.shape[-1] == 2 and b.shape[-1] == 2
    # Two-component vectors are 3-vectors with z = 0, as in NumPy.
    if a.shape[-1] == 2:
        a = torch.nn.functional.pad(a, (0, 1))
    if b.shape[-1] == 2:
        b = torch.nn.functional.pad(b, (0, 1))
    a, b = torch.broadcast_tensors(a, b)
    out = torch.linalg.cross(a, b, dim=-1)
    if planar:
        return out[..., 2]
    return torch.movedim(out, -1, axisc)


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return x1.to(target), x2.to(target)


def _full_convolution(a, v):
    # conv1d is a correlation: flip the kernel, pad both sides for the full output.
    m = v.shape[0]
    out = torch.nn.functional.conv1d(
        a.reshape(1, 1, -1), torch.flip(v, (0,)).reshape(1, 1, -1), padding=m - 1
    )
    return out.reshape(-1)


def convolve(x1, x2, mode="full"):
    x1, x2 = _float_pair(x1, x2)
    start, length = shaping.convolution_window(x1.shape[0], x2.shape[0], mode)
    return _full_convolution(x1, x2)[start : start + length]


def correlate(x1, x2, mode="valid"):
    x1, x2 = _float_pair(x1, x2)
    start, length = shaping.convolution_window(x1.shape[0], x2.shape[0], mode)
    full = _full_convolution(x1, torch.flip(torch.conj(x2), (0,)))
    if x2.shape[0] > x1.shape[0]:
        # NumPy reverses the output when the second operand is the longer one.
        full = torch.flip(full, (0,))
    return full[start : start + length]
