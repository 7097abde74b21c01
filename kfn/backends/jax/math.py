"""The jax backend: kfn.ops.math primitives (see kfn/ops/math.py for the documented signatures)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import math as rules
from kfn.backends.jax import core

# ---------------------------------------------------------------------------- segments

_SEGMENT_OPS = {
    "sum": jax.ops.segment_sum,
    "prod": jax.ops.segment_prod,
    "max": jax.ops.segment_max,
    "min": jax.ops.segment_min,
}


def _segment(reduction, data, segment_ids, num_segments, sorted):
    name = f"segment_{reduction}"
    data, segment_ids = core.convert_to_tensor(data), core.convert_to_tensor(segment_ids)
    rules.check_segments(
        name, data.shape, core.dtype(data), segment_ids.shape, core.dtype(segment_ids), num_segments
    )
    if num_segments is None:
        if isinstance(segment_ids, jax.core.Tracer):
            raise ValueError(
                f"kfn.ops.{name}: num_segments must be given when segment_ids is traced "
                "(under jit), got None"
            )
        largest = jnp.max(segment_ids) if segment_ids.size else -1
        num_segments = rules.inferred_num_segments(largest)
    # jax.ops drops ids outside [0, num_segments) and fills empty segments with the identity.
    return _SEGMENT_OPS[reduction](data, segment_ids, num_segments, indices_are_sorted=sorted)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment("sum", data, segment_ids, num_segments, sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment("max", data, segment_ids, num_segments, sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment("min", data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment("prod", data, segment_ids, num_segments, sorted)


# ---------------------------------------------------------------------------- fourier transforms


def _complex(name, x, rank):
    real, imag = rules.split_pair(name, x)
    real, imag = core.convert_to_tensor(real), core.convert_to_tensor(imag)
    dtype, compute = rules.pair_dtypes(
        name, real.shape, imag.shape, core.dtype(real), core.dtype(imag), rank
    )
    compute = core.to_native_dtype(compute)
    return jax.lax.complex(_as(real, compute), _as(imag, compute)), dtype


def _pair(z, dtype):
    dtype = core.to_native_dtype(dtype)
    return _as(jnp.real(z), dtype), _as(jnp.imag(z), dtype)


def _as(x, dtype):
    # Eager astype compiles a conversion even to the same dtype.
    return x if x.dtype == dtype else x.astype(dtype)


def fft(x):
    z, dtype = _complex("fft", x, 1)
    return _pair(jnp.fft.fft(z), dtype)


def fft2(x):
    z, dtype = _complex("fft2", x, 2)
    return _pair(jnp.fft.fft2(z), dtype)


def ifft2(x):
    z, dtype = _complex("ifft2", x, 2)
    return _pair(jnp.fft.ifft2(z), dtype)


def rfft(x, fft_length=None):
    x = core.convert_to_tensor(x)
    rules.check_fft_length("rfft", fft_length)
    if x.ndim == 0:
        raise ValueError("kfn.ops.rfft: x must have at least one axis, got a scalar")
    dtype, compute = rules.real_dtypes("rfft", core.dtype(x))
    z = jnp.fft.rfft(_as(x, core.to_native_dtype(compute)), n=fft_length, axis=-1)
    return _pair(z, dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex("irfft", x, 1)
    n = rules.irfft_length(z.shape, fft_length)
    return _as(jnp.fft.irfft(z, n=n, axis=-1), core.to_native_dtype(dtype))
