"""The numpy backend: kfn.ops.math primitives (see kfn/ops/math.py for the documented signatures)."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import math as rules
from kfn.backends.common import shaping
from kfn.backends.numpy import core

# ---------------------------------------------------------------------------- segments

_UFUNCS = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}


def _segment(reduction, data, segment_ids, num_segments):
    name = f"segment_{reduction}"
    data, segment_ids = core.convert_to_tensor(data), core.convert_to_tensor(segment_ids)
    rules.check_segments(
        name, data.shape, core.dtype(data), segment_ids.shape, core.dtype(segment_ids), num_segments
    )
    if num_segments is None:
        largest = segment_ids.max() if segment_ids.size else -1
        num_segments = rules.inferred_num_segments(largest)
    # Ids outside [0, num_segments) are dropped.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    identity = rules.segment_identity(reduction, core.dtype(data))
    out = np.full((num_segments, *data.shape[1:]), identity, dtype=data.dtype)
    _UFUNCS[reduction].at(out, segment_ids[valid], data[valid])
    return out


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
    z = np.empty(real.shape, core.to_native_dtype(shaping.complex_of(compute)))
    z.real, z.imag = real, imag
    return z, dtype


def _pair(z, dtype):
    dtype = core.to_native_dtype(dtype)
    return np.real(z).astype(dtype), np.imag(z).astype(dtype)


def fft(x):
    z, dtype = _complex("fft", x, 1)
    return _pair(np.fft.fft(z), dtype)


def fft2(x):
    z, dtype = _complex("fft2", x, 2)
    return _pair(np.fft.fft2(z), dtype)


def ifft2(x):
    z, dtype = _complex("ifft2", x, 2)
    return _pair(np.fft.ifft2(z), dtype)


def rfft(x, fft_length=None):
    x = core.convert_to_tensor(x)
    rules.check_fft_length("rfft", fft_length)
    if x.ndim == 0:
        raise ValueError("kfn.ops.rfft: x must have at least one axis, got a scalar")
    dtype, compute = rules.real_dtypes("rfft", core.dtype(x))
    z = np.fft.rfft(x.astype(core.to_native_dtype(compute)), n=fft_length, axis=-1)
    return _pair(z, dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex("irfft", x, 1)
    n = rules.irfft_length(z.shape, fft_length)
    return np.fft.irfft(z, n=n, axis=-1).astype(core.to_native_dtype(dtype))
