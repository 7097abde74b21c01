"""TensorFlow backend core: tensors and dtypes, conversion, devices, slicing and scatter, control
flow.

Works eagerly and inside `tf.function`: control flow uses `tf.cond`/`tf.while_loop`, which
run as Python in eager mode and become graph ops when traced.
"""

from __future__ import annotations

import contextlib

import numpy as np
import tensorflow as tf

from kfn.backends.common import convert, dtypes, loops
from kfn.state import tree

NAME = "tensorflow"
Tensor = tf.Tensor

# ---------------------------------------------------------------------------- dtypes


def to_native_dtype(dtype) -> tf.DType:
    """The TensorFlow dtype for a kfn dtype."""
    if isinstance(dtype, tf.DType):
        return dtype
    return tf.as_dtype(dtypes.standardize_dtype(dtype))


def dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype if hasattr(x, "dtype") else convert_to_tensor(x).dtype)


# ---------------------------------------------------------------------------- conversion


def is_tensor(x) -> bool:
    return tf.is_tensor(x) or isinstance(x, tf.Variable)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, tf.Tensor | tf.Variable) or tf.is_tensor(x):
        if isinstance(x, tf.Variable):
            x = tf.convert_to_tensor(x)
        if dtype is None:
            return x
        native = to_native_dtype(dtype)
        return x if x.dtype is native else tf.cast(x, native)  # tf dtypes are interned
    if hasattr(type(x), "__kfn_value__"):  # kfn.Variable
        return convert_to_tensor(x.__kfn_value__(), dtype)
    if isinstance(x, np.ndarray | np.generic):
        tensor = tf.convert_to_tensor(x)
        return tensor if dtype is None else tf.cast(tensor, to_native_dtype(dtype))
    if hasattr(x, "__array__") and not isinstance(x, list | tuple):
        # jax arrays, torch tensors: through NumPy.
        return convert_to_tensor(_foreign_to_numpy(x), dtype)
    if isinstance(x, list | tuple) and any(is_tensor(e) for e in x):
        return tf.stack([convert_to_tensor(e, dtype) for e in x])
    array = convert.python_to_numpy(x, dtype and dtypes.standardize_dtype(dtype))
    return tf.convert_to_tensor(array)


def _foreign_to_numpy(x) -> np.ndarray:
    if type(x).__module__.startswith("torch"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def convert_to_numpy(x) -> np.ndarray:
    if isinstance(x, tf.Tensor | tf.Variable):
        return np.asarray(x.numpy())
    return np.asarray(x)


def cast(x, dtype):
    if not is_tensor(x):
        # Python values convert straight to `dtype` (no detour through floatx).
        return convert_to_tensor(x, dtype)
    return tf.cast(convert_to_tensor(x), to_native_dtype(dtype))


def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    bounds = dtypes.saturation_bounds(
        dtypes.standardize_dtype(x.dtype), dtypes.standardize_dtype(dtype)
    )
    if bounds is not None:
        low, high = bounds
        x = tf.clip_by_value(x, tf.cast(low, x.dtype), tf.cast(high, x.dtype))
    return cast(x, dtype)


def shape(x) -> tuple:
    """The static shape; in a traced function, unknown dimensions are scalar tensors."""
    x = convert_to_tensor(x)
    static = x.shape.as_list()
    if None not in static:
        return tuple(static)
    dynamic = tf.shape(x)
    return tuple(dynamic[i] if d is None else d for i, d in enumerate(static))


def promote(*values):
    """The values as tensors of their common result dtype (see `dtypes.result_type`)."""
    if len(values) == 2:
        # The common case, kept cheap: two tensors of one dtype.
        a, b = values
        # (tf dtypes are interned: `is` is exact, and far cheaper than DType.__eq__)
        if isinstance(a, tf.Tensor) and isinstance(b, tf.Tensor) and a.dtype is b.dtype:
            return values
    elif values:
        first = values[0]
        if isinstance(first, tf.Tensor):
            dt = first.dtype
            if all(isinstance(v, tf.Tensor) and v.dtype is dt for v in values):
                return values
    return convert.promote(values, convert_to_tensor)


# ---------------------------------------------------------------------------- devices

_device_stack: list[str] = []


def default_device() -> str:
    if _device_stack:
        return _device_stack[-1]
    gpus = tf.config.list_logical_devices("GPU")
    return "gpu:0" if gpus else "cpu:0"


@contextlib.contextmanager
def device_scope(name: str):
    kind = name.lower().partition(":")[0]
    if kind in ("gpu", "cuda") and not tf.config.list_logical_devices("GPU"):
        raise ValueError(f"device {name!r}: TensorFlow has no GPU here")
    tf_name = name.lower().replace("cuda", "gpu")
    _device_stack.append(tf_name)
    try:
        with tf.device(tf_name):
            yield
    finally:
        _device_stack.pop()


def to_device(x, name: str):
    with device_scope(name):
        return tf.identity(convert_to_tensor(x))


# ---------------------------------------------------------------------------- slicing, scatter


def _clamped_starts(start_indices, sizes, full_shape):
    starts = tf.cast(tf.reshape(convert_to_tensor(start_indices), [-1]), "int64")
    upper = tf.constant([d - n for d, n in zip(full_shape, sizes)], dtype="int64")
    return tf.clip_by_value(starts, 0, tf.maximum(upper, 0))


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    starts = _clamped_starts(start_indices, shape, inputs.shape)
    return tf.slice(inputs, starts, tf.constant(list(shape), dtype="int64"))


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    starts = _clamped_starts(start_indices, updates.shape, inputs.shape)
    # Indices of every element of `updates` inside `inputs`, then one scatter.
    grids = tf.meshgrid(*[tf.range(n, dtype="int64") for n in updates.shape], indexing="ij")
    indices = tf.stack([g + starts[i] for i, g in enumerate(grids)], axis=-1)
    return tf.tensor_scatter_nd_update(inputs, indices, updates)


def scatter(indices, values, shape):
    indices = tf.cast(convert_to_tensor(indices), "int64")
    values = convert_to_tensor(values)
    return tf.scatter_nd(indices, values, tf.constant(list(shape), dtype="int64"))


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    indices = tf.cast(convert_to_tensor(indices), "int64")
    updates = convert_to_tensor(updates, inputs.dtype)
    return tf.tensor_scatter_nd_update(inputs, indices, updates)


def unstack(x, num=None, axis=0):
    return tf.unstack(convert_to_tensor(x), num=num, axis=axis)


# ---------------------------------------------------------------------------- control flow


def cond(pred, true_fn, false_fn):
    if isinstance(pred, bool | np.bool_):
        return true_fn() if pred else false_fn()
    return tf.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    if isinstance(index, int):
        return loops.switch(index, branches, *operands)
    index = tf.clip_by_value(tf.cast(index, "int32"), 0, len(branches) - 1)
    return tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, list | tuple)
    state = tuple(loop_vars) if is_sequence else (loop_vars,)

    def step(*s):
        out = body(*s)
        return loops.as_state(out)

    final = tf.while_loop(cond, step, state, maximum_iterations=maximum_iterations)
    return type(loop_vars)(final) if is_sequence else final[0]


def fori_loop(lower, upper, body_fun, init_val):
    if tf.executing_eagerly():
        return loops.fori_loop(lower, upper, body_fun, init_val)
    _, value = tf.while_loop(
        lambda i, _: i < upper,
        lambda i, v: (i + 1, body_fun(i, v)),
        (tf.convert_to_tensor(lower), init_val),
    )
    return value


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if tf.executing_eagerly():
        return loops.scan(f, init, xs, length, reverse, stack=tf.stack)
    return _graph_scan(f, init, xs, length, reverse, unroll)


def _graph_scan(f, init, xs, length, reverse, unroll):
    """jax.lax.scan inside a traced function: one tf.while_loop writing TensorArrays."""
    xs_leaves = [convert_to_tensor(x) for x in tree.flatten(xs)]
    xs_structure = tree.structure(xs)
    steps = tf.shape(xs_leaves[0])[0] if xs_leaves else tf.constant(int(length))

    def x_at(i):
        return None if xs is None else tree.unflatten(xs_structure, [a[i] for a in xs_leaves])

    # The first step runs outside the loop to learn the outputs' structure and dtypes.
    first = steps - 1 if reverse else 0
    carry, y = f(init, x_at(first))
    y_leaves = [convert_to_tensor(v) for v in tree.flatten(y)]
    arrays = [
        tf.TensorArray(v.dtype, size=steps, element_shape=v.shape).write(first, v) for v in y_leaves
    ]

    def body(i, carry, arrays):
        index = steps - 1 - i if reverse else i
        carry, y = f(carry, x_at(index))
        arrays = [a.write(index, convert_to_tensor(v)) for a, v in zip(arrays, tree.flatten(y))]
        return i + 1, carry, arrays

    _, carry, arrays = tf.while_loop(
        lambda i, *_: i < steps,
        body,
        (tf.constant(1), carry, arrays),
        parallel_iterations=unroll,
    )
    if y is None:
        return carry, None
    return carry, tree.unflatten(tree.structure(y), [a.stack() for a in arrays])


def associative_scan(f, elems, reverse=False, axis=0):
    return loops.associative_scan(f, elems, reverse, axis, take=_take_keepdims, concatenate=_concat)


def map(f, xs):
    if tf.executing_eagerly():
        return loops.map(f, xs, stack=tf.stack)
    return _graph_scan(lambda c, x: (c, f(x)), (), xs, None, False, 1)[1]


def vectorized_map(function, elements):
    return tf.vectorized_map(function, elements)


def _take_keepdims(x, i, axis):
    return tf.gather(x, [i], axis=axis)


def _concat(values, axis):
    return tf.concat(values, axis=axis)
