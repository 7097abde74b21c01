"""Rules every backend's reductions, statistics and counting ops share: result dtypes and the
checks of static arguments (axes, methods, shapes), so errors read the same on every backend."""

from __future__ import annotations

import numbers

import numpy as np

from kfn.backends.common import convert, dtypes

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def sum_dtype(dtype: str) -> str:
    """The dtype of `sum`, `prod`, `cumsum`, `cumprod` and `trace` over `dtype` (as Keras):
    bool and narrow signed ints accumulate in int32, narrow unsigned ints in uint32."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def average_dtype(x_dtype: str, weights_dtype: str | None) -> str:
    """The dtype of `average`: the inputs' common type, as a float (as Keras)."""
    if weights_dtype is None:
        return dtypes.result_type(x_dtype, float)
    return dtypes.result_type(x_dtype, weights_dtype, float)


def compute_float(dtype: str) -> str:
    """The dtype statistics are computed in for a float `dtype`: half precision in float32."""
    return "float32" if dtype in ("float16", "bfloat16") else dtype


def normalize_axes(name: str, axis, ndim: int) -> tuple[int, ...]:
    """`axis` (None, an int or a sequence of ints) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    out = [canonical_axis(name, a, ndim) for a in axes]
    if len(set(out)) != len(out):
        raise ValueError(f"kfn.ops.{name}: repeated axis in axis={axis!r}")
    return tuple(sorted(out))


def canonical_axis(name: str, axis, ndim: int, argument: str = "axis") -> int:
    """One axis as a non-negative int; ValueError naming `name` when out of range."""
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"kfn.ops.{name}: {argument} must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"kfn.ops.{name}: {argument}={axis} is out of bounds for a tensor of rank {ndim}"
        )
    return int(axis) % ndim


def arg_axis(name: str, axis, ndim: int) -> tuple[int | None, tuple[int, ...]]:
    """The axis of an argmax-like op (None: the flattened input, else one int, normalized)
    and the axes it reduces."""
    if axis is None:
        return None, tuple(range(ndim))
    axis = canonical_axis(name, axis, ndim)
    return axis, (axis,)


def reduced_shape(shape, axes, keepdims: bool) -> tuple:
    """The shape of a reduction of `shape` over `axes` (normalized)."""
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def check_nonempty(name: str, shape, axes, initial=None) -> None:
    """ValueError when `name` reduces over an axis of size 0 without an `initial` value.
    `axes` are normalized; unknown (None) sizes are not checked."""
    if initial is not None:
        return
    shape, axes = tuple(shape), tuple(axes)
    if any(shape[a] == 0 for a in axes):
        hint = "; pass initial=..." if name in ("max", "min") else ""
        raise ValueError(
            f"kfn.ops.{name}: cannot reduce over an empty axis (x has shape {shape}, "
            f"reduced axes {axes}){hint}"
        )


def check_method(name: str, method: str) -> None:
    if method not in QUANTILE_METHODS:
        raise ValueError(
            f"kfn.ops.{name}: method must be one of {QUANTILE_METHODS}, got {method!r}"
        )


def check_quantiles(name: str, q, scale: float = 1.0) -> None:
    """Checks `q` for the quantile family: at most 1-D, and in [0, scale] when its values are
    known without reading a tensor (Python numbers, lists, NumPy arrays)."""
    ndim = len(getattr(q, "shape", np.shape(q) if isinstance(q, list | tuple) else ()))
    if ndim > 1:
        raise ValueError(f"kfn.ops.{name}: q must be a scalar or 1-D, got shape {np.shape(q)}")
    if isinstance(q, numbers.Number | list | tuple | np.ndarray | np.generic):
        values = np.asarray(q, dtype=np.float64)
        if not np.all((values >= 0) & (values <= scale)):
            what = "quantiles" if scale == 1 else "percentiles"
            raise ValueError(f"kfn.ops.{name}: {what} q must be in [0, {scale:g}], got {q!r}")


def check_dense(name: str, sparse, backend: str) -> None:
    if sparse:
        raise NotImplementedError(
            f"kfn.ops.{name}: sparse outputs are not supported on the {backend} backend (kfn has "
            "no sparse tensors); use sparse=False."
        )


def average_weights_shape(x_shape, weights_shape, axis):
    """How `average`'s weights broadcast against `x`, as NumPy: None when they have x's shape,
    else `(permutation, shape)`: transpose the weights by `permutation` (None: keep them) and
    reshape them to `shape`. ValueError when they fit neither x nor the averaged axes."""
    x_shape, weights_shape = tuple(x_shape), tuple(weights_shape)
    if weights_shape == x_shape:
        return None
    if axis is None:
        raise ValueError(
            f"kfn.ops.average: weights of shape {weights_shape} differ from x of shape "
            f"{x_shape}; pass axis= to weight along an axis, or weights of x's shape."
        )
    given = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    given = tuple(canonical_axis("average", a, len(x_shape)) for a in given)
    expected = tuple(x_shape[a] for a in given)
    if weights_shape != expected:
        raise ValueError(
            f"kfn.ops.average: weights must have x's shape {x_shape} or the shape of the "
            f"averaged axes {expected}, got {weights_shape}"
        )
    order = tuple(int(i) for i in np.argsort(given))
    permutation = None if order == tuple(range(len(given))) else order
    return permutation, tuple(d if i in given else 1 for i, d in enumerate(x_shape))


def trapezoid_x_shape(y_shape, x_shape, axis: int) -> None:
    """ValueError when `trapezoid`'s sample points `x` do not match `y` along `axis`."""
    if len(x_shape) == 1 and x_shape[0] is not None and y_shape[axis] is not None:
        if x_shape[0] != y_shape[axis]:
            raise ValueError(
                f"kfn.ops.trapezoid: x has {x_shape[0]} sample points but y has "
                f"{y_shape[axis]} along axis {axis}"
            )


def histogram_arguments(bins, range) -> tuple[int, tuple[float, float] | None]:
    """`histogram`'s bins and range, checked as NumPy does."""
    if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"kfn.ops.histogram: bins must be a positive int, got {bins!r}")
    if range is None:
        return int(bins), None
    try:
        low, high = (float(v) for v in range)
    except (TypeError, ValueError):
        raise ValueError(
            f"kfn.ops.histogram: range must be a pair (low, high) of numbers, got {range!r}"
        ) from None
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"kfn.ops.histogram: range must be finite, got {range!r}")
    if low > high:
        raise ValueError(f"kfn.ops.histogram: range must have low <= high, got {range!r}")
    if low == high:  # as NumPy: an empty range is widened by one around its value
        low, high = low - 0.5, high + 0.5
    return int(bins), (low, high)


def histogram_edges(bins: int, range: tuple[float, float], dtype: str) -> np.ndarray:
    """The bin edges for a given range, computed as NumPy does (in float64, then rounded)."""
    return np.linspace(range[0], range[1], bins + 1).astype(convert.numpy_dtype(dtype))


def bincount_arguments(x_dtype: str, x_shape, weights, minlength) -> str:
    """Checks `bincount`'s static arguments; returns the result dtype (int32 for counts, the
    common type of x and weights for sums of weights, as Keras)."""
    if not (dtypes.is_int(x_dtype) or x_dtype == "bool"):
        raise TypeError(f"kfn.ops.bincount: x must be a tensor of integers, got {x_dtype}")
    if len(x_shape) not in (1, 2):
        raise ValueError(
            f"kfn.ops.bincount: x must be 1-D (or 2-D: one count per row), got shape "
            f"{tuple(x_shape)}"
        )
    if not isinstance(minlength, numbers.Integral) or minlength < 0:
        raise ValueError(f"kfn.ops.bincount: minlength must be an int >= 0, got {minlength!r}")
    if weights is None:
        return "int32"
    if tuple(weights.shape) != tuple(x_shape):
        raise ValueError(
            f"kfn.ops.bincount: weights must have the shape of x {tuple(x_shape)}, got "
            f"{tuple(weights.shape)}"
        )
    return dtypes.result_type(x_dtype, dtypes.standardize_dtype(weights.dtype))


def bincount_length(name: str, low, high, minlength: int) -> int:
    """The output length of `bincount` from the smallest and largest value of x (host
    numbers); ValueError on negative values, as NumPy."""
    if low is not None and low < 0:
        raise ValueError(f"kfn.ops.{name}: x must be non-negative, got a value {low}")
    return max(int(high) + 1 if high is not None else 0, int(minlength))
