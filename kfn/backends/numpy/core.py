"""NumPy backend core: tensors and dtypes, conversion, devices, slicing and scatter, control flow.

The NumPy backend runs eagerly on the host. It is meant for inference and tests: it has no
gradients and no compilation.
"""

from __future__ import annotations

import builtins
import contextlib

import numpy as np

from kfn.backends.common import convert, dtypes, loops

NAME = "numpy"
Tensor = np.ndarray

# ---------------------------------------------------------------------------- dtypes


def to_native_dtype(dtype) -> np.dtype:
    """The NumPy dtype for a kfn dtype."""
    return convert.numpy_dtype(dtypes.standardize_dtype(dtype))


def dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype if hasattr(x, "dtype") else convert_to_tensor(x).dtype)


# ---------------------------------------------------------------------------- conversion


def is_tensor(x) -> bool:
    # NumPy arithmetic on 0-d arrays returns NumPy scalars; they are this backend's 0-d tensors.
    return isinstance(x, np.ndarray | np.generic)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, np.ndarray):
        if dtype is None or dtypes.standardize_dtype(x.dtype) == dtypes.standardize_dtype(dtype):
            return x
        return x.astype(to_native_dtype(dtype))
    if hasattr(type(x), "__kfn_value__"):  # kfn.Variable
        return convert_to_tensor(x.__kfn_value__(), dtype)
    if isinstance(x, np.generic):
        if dtype is None or dtypes.standardize_dtype(x.dtype) == dtypes.standardize_dtype(dtype):
            return x
        return np.asarray(x, dtype=to_native_dtype(dtype))
    if _is_foreign_tensor(x):
        return np.asarray(x, dtype=None if dtype is None else to_native_dtype(dtype))
    if isinstance(x, list | tuple) and any(isinstance(e, np.ndarray) for e in x):
        return np.stack([convert_to_tensor(e, dtype) for e in x])
    return convert.python_to_numpy(x, dtype and dtypes.standardize_dtype(dtype))


def _is_foreign_tensor(x) -> bool:
    # jax arrays, torch and tf tensors handed to the numpy backend.
    return hasattr(x, "__array__") and not isinstance(x, list | tuple)


def convert_to_numpy(x) -> np.ndarray:
    return np.asarray(x)


def cast(x, dtype):
    if not isinstance(x, np.ndarray | np.generic):
        # Python values convert straight to `dtype` (no detour through floatx).
        return convert_to_tensor(x, dtype)
    return x.astype(to_native_dtype(dtype))


def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    bounds = dtypes.saturation_bounds(
        dtypes.standardize_dtype(x.dtype), dtypes.standardize_dtype(dtype)
    )
    if bounds is not None:
        low, high = bounds
        x = np.clip(x, low, high)
    return cast(x, dtype)


def shape(x) -> tuple:
    return tuple(np.shape(x))


def promote(*values):
    """The values as tensors of their common result dtype (see `dtypes.result_type`)."""
    if len(values) == 2:
        # The common case, kept cheap: two tensors of one dtype.
        a, b = values
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype:
            return values
    elif values:
        first = values[0]
        if isinstance(first, np.ndarray):
            dt = first.dtype
            if all(isinstance(v, np.ndarray) and v.dtype == dt for v in values):
                return values
    return convert.promote(values, convert_to_tensor)


# ---------------------------------------------------------------------------- devices


def default_device() -> str:
    return "cpu:0"


@contextlib.contextmanager
def device_scope(name: str):
    if not name.lower().startswith("cpu"):
        raise ValueError(f"device {name!r}: the numpy backend only has the CPU")
    yield


def to_device(x, name: str):
    with device_scope(name):
        return convert_to_tensor(x)


# ---------------------------------------------------------------------------- slicing, scatter


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    # Like lax.dynamic_slice: starts are clamped so the slice fits inside the array.
    index = tuple(
        builtins.slice(s, s + n)
        for s, n in zip(_clamped_starts(start_indices, shape, inputs.shape), shape)
    )
    return inputs[index]


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    starts = _clamped_starts(start_indices, updates.shape, inputs.shape)
    index = tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))
    out = inputs.copy()
    out[index] = updates
    return out


def _clamped_starts(start_indices, sizes, full_shape):
    return loops.clamp_starts(np.asarray(start_indices).reshape(-1), sizes, full_shape)


def scatter(indices, values, shape):
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    out = np.zeros(tuple(shape), values.dtype)
    np.add.at(out, tuple(np.moveaxis(indices, -1, 0)), values)
    return out


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices)
    out = inputs.copy()
    out[tuple(np.moveaxis(indices, -1, 0))] = convert_to_tensor(updates, inputs.dtype)
    return out


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


# ---------------------------------------------------------------------------- control flow


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    return loops.switch(index, branches, *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    return loops.while_loop(cond, body, loop_vars, maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    return loops.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return loops.scan(f, init, xs, length, reverse, stack=_stack)


def associative_scan(f, elems, reverse=False, axis=0):
    return loops.associative_scan(
        f, elems, reverse, axis, take=_take_keepdims, concatenate=np.concatenate
    )


def map(f, xs):
    return loops.map(f, xs, stack=_stack)


def vectorized_map(function, elements):
    return loops.map(function, elements, stack=_stack)


def _stack(values):
    return np.stack([convert_to_tensor(v) for v in values])


def _take_keepdims(x, i, axis):
    return np.take(x, [i], axis=axis)
