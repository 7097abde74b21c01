"""PyTorch backend: kfn.ops.numpy array creation, on the current device."""

from __future__ import annotations

import numpy as np
import torch

from kfn.backends.common import creation, dtypes
from kfn.backends.torch import core


def _dtype(dtype):
    return core.to_native_dtype(dtypes.standardize_dtype(dtype))


def _device():
    return core.current_device()


def array(x, dtype=None):
    return core.convert_to_tensor(x, dtype)


def arange(start, stop=None, step=None, dtype=None):
    dtype = creation.arange_dtype(start, stop, step, dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if dtypes.standardize_dtype(dtype) in ("float16", "bfloat16"):
        # torch has no half-precision arange kernel on the CPU.
        return torch.arange(start, stop, step, dtype=torch.float32, device=_device()).to(
            _dtype(dtype)
        )
    return torch.arange(start, stop, step, dtype=_dtype(dtype), device=_device())


def zeros(shape, dtype=None):
    return torch.zeros(creation.shape_tuple("zeros", shape), dtype=_dtype(dtype), device=_device())


def ones(shape, dtype=None):
    return torch.ones(creation.shape_tuple("ones", shape), dtype=_dtype(dtype), device=_device())


def empty(shape, dtype=None):
    return torch.zeros(creation.shape_tuple("empty", shape), dtype=_dtype(dtype), device=_device())


def full(shape, fill_value, dtype=None):
    shape = creation.shape_tuple("full", shape)
    if core.is_tensor(fill_value):
        return torch.broadcast_to(fill_value.to(_dtype(dtype)), shape).clone()
    return torch.full(shape, fill_value, dtype=_dtype(dtype), device=_device())


def zeros_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return torch.zeros_like(x, dtype=None if dtype is None else _dtype(dtype))


def ones_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return torch.ones_like(x, dtype=None if dtype is None else _dtype(dtype))


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    x = core.convert_to_tensor(x)
    return torch.full_like(x, fill_value, dtype=None if dtype is None else _dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = torch.arange(N, device=_device())[:, None]
    columns = torch.arange(M, device=_device())[None, :]
    return (columns - rows == k).to(_dtype(dtype))


def identity(n, dtype=None):
    return torch.eye(n, dtype=_dtype(dtype), device=_device())


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return torch.tril(torch.ones((N, M), device=_device()), diagonal=k).to(_dtype(dtype))


def _space(start, stop, num, endpoint, axis, dtype):
    """`num` evenly spaced points between tensors (or numbers) start and stop, along `axis`."""
    start = core.convert_to_tensor(start, torch.float64)
    stop = core.convert_to_tensor(stop, torch.float64)
    divisor = (num - 1) if endpoint else num
    step = (stop - start) / max(divisor, 1)
    fractions = torch.arange(num, dtype=torch.float64, device=start.device)
    shape = (num,) + (1,) * max(start.ndim, stop.ndim)
    values = start + fractions.reshape(shape) * step
    if endpoint and num > 1:
        values[-1] = stop
    return torch.movedim(values, 0, axis), step


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    values, step = _space(start, stop, num, endpoint, axis, dtype)
    values = values.to(dtype)
    return (values, step.to(dtype)) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    exponents, _ = _space(start, stop, num, endpoint, axis, dtype)
    return torch.pow(torch.tensor(float(base), dtype=torch.float64), exponents).to(dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    start_t = core.convert_to_tensor(start, torch.float64)
    stop_t = core.convert_to_tensor(stop, torch.float64)
    exponents, _ = _space(torch.log10(start_t), torch.log10(stop_t), num, endpoint, 0, dtype)
    values = torch.pow(torch.tensor(10.0, dtype=torch.float64), exponents)
    # Exact ends, as NumPy.
    values[0] = start_t
    if endpoint and num > 1:
        values[-1] = stop_t
    return torch.movedim(values, 0, axis).to(dtype)


def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid(*(core.convert_to_tensor(v) for v in x), indexing=indexing))


def vander(x, N=None, increasing=False):
    x = core.convert_to_tensor(x)
    return torch.vander(x, N=N, increasing=increasing).to(x.dtype)


def _window(numpy_window, x, *args):
    # Windows are constants of the length: NumPy computes them, exactly as NumPy defines them.
    values = numpy_window(x, *args)
    return torch.as_tensor(np.asarray(values), device=_device()).to(_dtype(None))


def bartlett(x):
    return _window(np.bartlett, x)


def blackman(x):
    return _window(np.blackman, x)


def hamming(x):
    return _window(np.hamming, x)


def hanning(x):
    return _window(np.hanning, x)


def kaiser(x, beta):
    return _window(np.kaiser, x, beta)
