"""The torch backend: kfn.ops.math primitives (see kfn/ops/math.py for the documented signatures)."""

from __future__ import annotations

import torch

from kfn.backends.common import math as rules
from kfn.backends.torch import core

# ---------------------------------------------------------------------------- segments

_SCATTER_REDUCE = {"prod": "prod", "max": "amax", "min": "amin"}


def _segment(reduction, data, segment_ids, num_segments):
    name = f"segment_{reduction}"
    data, segment_ids = core.convert_to_tensor(data), core.convert_to_tensor(segment_ids)
    rules.check_segments(
        name, data.shape, core.dtype(data), segment_ids.shape, core.dtype(segment_ids), num_segments
    )
    segment_ids = segment_ids.to(torch.int64)
    if num_segments is None:
        largest = segment_ids.max() if segment_ids.numel() else -1
        num_segments = rules.inferred_num_segments(largest)
    # Ids outside [0, num_segments) go to one extra segment, dropped at the end.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = torch.where(valid, segment_ids, num_segments)
    identity = rules.segment_identity(reduction, core.dtype(data))
    out = torch.full(
        (num_segments + 1, *data.shape[1:]), identity, dtype=data.dtype, device=data.device
    )
    if reduction == "sum":
        out = out.index_add(0, segment_ids, data)
    else:
        index = segment_ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand_as(data)
        out = out.scatter_reduce(0, index, data, _SCATTER_REDUCE[reduction], include_self=True)
    return out[:num_segments]


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment("sum", data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment("max", data, segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment("min", data, segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment("prod", data, segment_ids, num_segments)


# ---------------------------------------------------------------------------- fourier transforms


def _complex(name, x, rank):
    real, imag = rules.split_pair(name, x)
    real, imag = core.convert_to_tensor(real), core.convert_to_tensor(imag)
    dtype, compute = rules.pair_dtypes(
        name, real.shape, imag.shape, core.dtype(real), core.dtype(imag), rank
    )
    compute = core.to_native_dtype(compute)
    return torch.complex(real.to(compute), imag.to(compute)), dtype


def _pair(z, dtype):
    dtype = core.to_native_dtype(dtype)
    return z.real.to(dtype), z.imag.to(dtype)


def fft(x):
    z, dtype = _complex("fft", x, 1)
    return _pair(torch.fft.fft(z), dtype)


def fft2(x):
    z, dtype = _complex("fft2", x, 2)
    return _pair(torch.fft.fft2(z), dtype)


def ifft2(x):
    z, dtype = _complex("ifft2", x, 2)
    return _pair(torch.fft.ifft2(z), dtype)


def rfft(x, fft_length=None):
    x = core.convert_to_tensor(x)
    rules.check_fft_length("rfft", fft_length)
    if x.ndim == 0:
        raise ValueError("kfn.ops.rfft: x must have at least one axis, got a scalar")
    dtype, compute = rules.real_dtypes("rfft", core.dtype(x))
    z = torch.fft.rfft(x.to(core.to_native_dtype(compute)), n=fft_length, dim=-1)
    return _pair(z, dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex("irfft", x, 1)
    n = rules.irfft_length(z.shape, fft_length)
    return torch.fft.irfft(z, n=n, dim=-1).to(core.to_native_dtype(dtype))
