"""Rules every backend's array creation shares: default dtypes and argument checks."""

from __future__ import annotations

from kfn.backends.common import convert, dtypes


def arange_dtype(start, stop, step, dtype) -> str:
    """`dtype`, or the dtype of arange's arguments: int32 for Python ints, floatx with a float,
    a tensor's dtype as it is (as Keras)."""
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    entries = [convert.operand_dtype(v) for v in (start, stop, step) if v is not None]
    return dtypes.result_type(*entries)


def space_dtype(start, stop, dtype) -> str:
    """The dtype of linspace/logspace/geomspace: `dtype`, or the float type of the bounds."""
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    entries = [convert.operand_dtype(v) for v in (start, stop)]
    return dtypes.result_type(*entries, float)


def shape_tuple(name: str, shape) -> tuple:
    """`shape` (an int or a sequence of ints) as a tuple; ValueError naming `name` otherwise."""
    if isinstance(shape, int):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError(
            f"kfn.ops.{name}: shape must be an int or a sequence of ints, got {shape!r}"
        ) from None
    for d in shape:
        if not isinstance(d, int) and not hasattr(d, "__index__") and not hasattr(d, "dtype"):
            raise TypeError(f"kfn.ops.{name}: shape must hold ints, got {shape!r}")
        if isinstance(d, int) and d < 0:
            raise ValueError(f"kfn.ops.{name}: negative dimension in shape {shape}")
    return shape


def matmul_dtype(a: str, b: str) -> str:
    """The result dtype of matmul-like products: int8 x int8 accumulates in int32 (as Keras),
    everything else promotes."""
    if a == b == "int8":
        return "int32"
    return dtypes.result_type(a, b)
