"""Backend-neutral rules for turning Python values into arrays.

Every backend's `convert_to_tensor` follows the same rules, so a value converts to the same
dtype everywhere: Python `bool` -> bool, `int` -> int32, `float` -> floatx,
`complex` -> complex64 (complex128 when floatx is float64), nested lists the same way by their
elements, NumPy arrays and tensors keep their dtype. A Python int that does not fit int32 is
an error rather than a silent wrap-around.
"""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_WEAK = {bool: "bool", int: "int", float: "float", complex: "complex"}


def operand_dtype(x):
    """The promotion-lattice entry of `x`: "int"/"float"/"complex" (weak) for Python scalars,
    the standardized dtype for anything with a `dtype`, None for other values (lists)."""
    weak = _WEAK.get(type(x))
    if weak is not None:
        return weak
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        return None
    return dtypes.standardize_dtype(dtype)


def scalar_dtype(x) -> str:
    """The dtype a Python scalar converts to on its own."""
    dtype = dtypes.result_type(_WEAK[type(x)] if type(x) is not bool else "bool")
    if dtype == "int32" and not _INT32_MIN <= x <= _INT32_MAX:
        raise OverflowError(
            f"convert_to_tensor: the Python int {x} does not fit in int32; "
            "pass dtype='int64' (or convert it with numpy first)."
        )
    return dtype


def python_to_numpy(x, dtype: str | None = None) -> np.ndarray:
    """A Python scalar or nested list/tuple of scalars as a NumPy array with kfn's dtypes.

    With `dtype` given, the values are converted to it; otherwise the dtype follows the
    rules of this module (ints -> int32, floats -> floatx, ...).
    """
    if dtype is not None:
        return np.asarray(x, dtype=numpy_dtype(dtype))
    if type(x) in _WEAK:
        return np.asarray(x, dtype=numpy_dtype(scalar_dtype(x)))
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind == "b":
        return array
    if kind in "iu":
        if array.size and (array.min() < _INT32_MIN or array.max() > _INT32_MAX):
            raise OverflowError(
                f"convert_to_tensor: the Python ints in this list range over "
                f"[{array.min()}, {array.max()}], which does not fit in int32; pass dtype='int64'."
            )
        return array.astype(np.int32)
    if kind == "f":
        return array.astype(numpy_dtype(dtypes.config.floatx()))
    if kind == "c":
        return array.astype(numpy_dtype(dtypes.result_type("complex")))
    raise ValueError(
        f"convert_to_tensor: cannot convert a value of type {type(x).__name__} holding "
        f"{array.dtype} elements to a tensor."
    )


def numpy_dtype(dtype: str):
    """The NumPy dtype for a kfn dtype name (bfloat16 through ml_dtypes)."""
    if dtype == "bfloat16":
        try:
            import ml_dtypes
        except ImportError as e:  # pragma: no cover - ml_dtypes comes with jax and tensorflow
            raise ImportError("bfloat16 NumPy arrays need the ml_dtypes package") from e
        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dtype)


def promote(values, convert_to_tensor) -> tuple:
    """`values` converted by the backend's `convert_to_tensor` to their common result dtype.

    Backends call this after their own fast path (all inputs already tensors of one dtype).
    """
    values = [v if operand_dtype(v) is not None else convert_to_tensor(v) for v in values]
    target = dtypes.result_type(*(operand_dtype(v) for v in values))
    return tuple(convert_to_tensor(v, target) for v in values)
