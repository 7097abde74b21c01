"""Rules every backend's reductions share: result dtypes and argument checks."""

from __future__ import annotations

from kfn.backends.common import dtypes

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def sum_dtype(dtype: str) -> str:
    """The dtype of `sum`, `prod`, `cumsum`, `cumprod` and `trace` over `dtype` (as Keras):
    bool and narrow signed ints accumulate in int32, narrow unsigned ints in uint32."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def normalize_axes(axis, ndim: int) -> tuple[int, ...]:
    """`axis` (None, an int or a sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for a tensor of rank {ndim}")
        out.append(a % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(out))


def check_nonempty(name: str, shape, axis, initial) -> None:
    """ValueError when `name` reduces over an empty axis without an `initial` value."""
    if initial is not None:
        return
    shape = tuple(shape)
    axes = normalize_axes(axis, len(shape))
    if any(shape[a] == 0 for a in axes if shape[a] is not None):
        raise ValueError(
            f"kfn.ops.{name}: cannot reduce an empty axis (input shape {shape}, axis={axis}) "
            "without an identity; pass initial=..."
        )


def check_method(name: str, method: str) -> None:
    if method not in QUANTILE_METHODS:
        raise ValueError(
            f"kfn.ops.{name}: method must be one of {QUANTILE_METHODS}, got {method!r}"
        )


def check_dense(name: str, sparse) -> None:
    if sparse:
        raise NotImplementedError(
            f"kfn.ops.{name}: sparse outputs are not supported; use sparse=False"
        )
