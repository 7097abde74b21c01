"""Rules every backend's kfn.ops.math primitives share: the checks of their arguments and the
dtypes they compute in, so errors and result dtypes are the same on every backend."""

from __future__ import annotations

import numbers

import numpy as np

from kfn.backends.common import dtypes

SEGMENT_REDUCTIONS = ("sum", "prod", "max", "min")


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_segments(name: str, data_shape, data_dtype: str, ids_shape, ids_dtype: str, num_segments):
    """ValueError/TypeError unless `segment_ids` is 1-D, one integer id per row of `data`,
    and `num_segments` is None or a non-negative int."""
    if len(data_shape) == 0:
        raise ValueError(f"kfn.ops.{name}: data must have at least one axis, got a scalar")
    if data_dtype == "bool" or dtypes.is_complex(data_dtype):
        raise TypeError(f"kfn.ops.{name}: data must be real numbers, got {data_dtype}")
    if not dtypes.is_int(ids_dtype):
        raise TypeError(f"kfn.ops.{name}: segment_ids must be integers, got {ids_dtype}")
    rows, ids_rows = data_shape[0], ids_shape[0] if len(ids_shape) == 1 else None
    if len(ids_shape) != 1 or (rows is not None and ids_rows is not None and rows != ids_rows):
        raise ValueError(
            f"kfn.ops.{name}: segment_ids must be 1-D with one id per row of data "
            f"(shape ({rows},)), got shape {tuple(ids_shape)} for data of shape "
            f"{tuple(data_shape)}"
        )
    if num_segments is not None and not (_is_int(num_segments) and num_segments >= 0):
        raise ValueError(
            f"kfn.ops.{name}: num_segments must be a non-negative int or None, got {num_segments!r}"
        )


def segment_identity(reduction: str, dtype: str):
    """The value of an empty segment: 0 for sums, 1 for products, -inf / +inf for float
    maxima / minima (the lowest / highest int for integers)."""
    if reduction == "sum":
        return 0
    if reduction == "prod":
        return 1
    if dtypes.is_int(dtype):
        info = np.iinfo(dtype)
        return int(info.min) if reduction == "max" else int(info.max)
    return -float("inf") if reduction == "max" else float("inf")


def inferred_num_segments(largest_id) -> int:
    """The number of segments when `num_segments` is None: the largest id plus one."""
    return max(int(largest_id) + 1, 0)


def pair_dtypes(name: str, real_shape, imag_shape, real_dtype: str, imag_dtype: str, rank: int):
    """The (result, computation) float dtypes of a transform of the complex value given as a
    `(real, imag)` pair: both float tensors of one shape with at least `rank` axes. Half
    precision is computed in float32."""
    if not (dtypes.is_float(real_dtype) and dtypes.is_float(imag_dtype)):
        raise TypeError(
            f"kfn.ops.{name}: x must be a pair (real, imag) of float tensors, got "
            f"{real_dtype} and {imag_dtype}"
        )
    if tuple(real_shape) != tuple(imag_shape):
        raise ValueError(
            f"kfn.ops.{name}: the real and imaginary parts of x must have one shape, got "
            f"{tuple(real_shape)} and {tuple(imag_shape)}"
        )
    if len(real_shape) < rank:
        raise ValueError(
            f"kfn.ops.{name}: x must have at least {rank} axes, got shape {tuple(real_shape)}"
        )
    dtype = dtypes.result_type(real_dtype, imag_dtype)
    return dtype, _computed_in(dtype)


def split_pair(name: str, x):
    """The two parts of a `(real, imag)` pair; ValueError for anything else."""
    if not isinstance(x, list | tuple) or len(x) != 2:
        raise ValueError(
            f"kfn.ops.{name}: x must be a pair (real, imag) of tensors, got "
            f"{type(x).__name__}" + (f" of length {len(x)}" if isinstance(x, list | tuple) else "")
        )
    return x


def real_dtypes(name: str, dtype: str):
    """The (result, computation) float dtypes of a transform of a real tensor of `dtype`:
    floats keep their type (half precision computed in float32), ints and bool give floatx."""
    if dtypes.is_complex(dtype):
        raise TypeError(
            f"kfn.ops.{name}: x must be real; give a complex value as a (real, imag) pair to "
            f"kfn.ops.fft, got {dtype}"
        )
    result = dtypes.to_float(dtype)
    return result, _computed_in(result)


def _computed_in(dtype: str) -> str:
    return "float32" if dtype in ("float16", "bfloat16") else dtype


def check_fft_length(name: str, fft_length) -> None:
    if fft_length is not None and not (_is_int(fft_length) and fft_length > 0):
        raise ValueError(
            f"kfn.ops.{name}: fft_length must be a positive int or None, got {fft_length!r}"
        )


def irfft_length(shape, fft_length) -> int:
    """The length of the signal `irfft` returns: `fft_length`, else 2 * (bins - 1)."""
    check_fft_length("irfft", fft_length)
    if fft_length is not None:
        return int(fft_length)
    bins = shape[-1]
    if bins is None or bins < 2:
        raise ValueError(
            "kfn.ops.irfft: cannot infer fft_length from a last axis of "
            f"{'unknown size' if bins is None else f'size {bins}'}; give fft_length"
        )
    return 2 * (int(bins) - 1)
