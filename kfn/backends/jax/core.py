"""JAX backend core: tensors and dtypes, conversion, devices, slicing and scatter, control flow."""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from kfn.backends.common import convert, dtypes, loops

# kfn keeps 64-bit dtypes on every backend (see kfn.backends.common.dtypes).
jax.config.update("jax_enable_x64", True)

NAME = "jax"
Tensor = jax.Array

# ---------------------------------------------------------------------------- dtypes


def to_native_dtype(dtype) -> np.dtype:
    """The JAX dtype for a kfn dtype."""
    return convert.numpy_dtype(dtypes.standardize_dtype(dtype))


def dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype if hasattr(x, "dtype") else convert_to_tensor(x).dtype)


# ---------------------------------------------------------------------------- conversion


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, jax.Array):
        if dtype is None or dtypes.standardize_dtype(x.dtype) == dtypes.standardize_dtype(dtype):
            return x
        return x.astype(to_native_dtype(dtype))
    if hasattr(type(x), "__kfn_value__"):  # kfn.Variable
        return convert_to_tensor(x.__kfn_value__(), dtype)
    if isinstance(x, np.ndarray | np.generic):
        return jnp.asarray(x, dtype=None if dtype is None else to_native_dtype(dtype))
    if hasattr(x, "__jax_array__") or _is_foreign_tensor(x):
        x = np.asarray(x) if _is_foreign_tensor(x) else x
        return jnp.asarray(x, dtype=None if dtype is None else to_native_dtype(dtype))
    if isinstance(x, list | tuple) and any(isinstance(e, jax.Array) for e in x):
        return jnp.stack([convert_to_tensor(e, dtype) for e in x])
    return jnp.asarray(convert.python_to_numpy(x, dtype and dtypes.standardize_dtype(dtype)))


def _is_foreign_tensor(x) -> bool:
    # torch tensors and tf tensors handed to the jax backend go through NumPy.
    return type(x).__module__.startswith(("torch", "tensorflow")) and hasattr(x, "numpy")


def convert_to_numpy(x) -> np.ndarray:
    return np.asarray(x)


def cast(x, dtype):
    if not isinstance(x, jax.Array):
        # Python values convert straight to `dtype` (no detour through floatx).
        return convert_to_tensor(x, dtype)
    native = to_native_dtype(dtype)
    if x.dtype == native:
        return x  # astype would still dispatch (and, eagerly, compile) a copy
    return x.astype(native)


def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    bounds = dtypes.saturation_bounds(
        dtypes.standardize_dtype(x.dtype), dtypes.standardize_dtype(dtype)
    )
    if bounds is not None:
        low, high = bounds
        x = jnp.clip(x, low, high)
    return cast(x, dtype)


def shape(x) -> tuple:
    return tuple(jnp.shape(x))


def promote(*values):
    """The values as tensors of their common result dtype (see `dtypes.result_type`)."""
    if len(values) == 2:
        # The common case, kept cheap: two tensors of one dtype.
        a, b = values
        if isinstance(a, jax.Array) and isinstance(b, jax.Array) and a.dtype == b.dtype:
            return values
    elif values:
        first = values[0]
        if isinstance(first, jax.Array):
            dt = first.dtype
            if all(isinstance(v, jax.Array) and v.dtype == dt for v in values):
                return values
    return convert.promote(values, convert_to_tensor)


# ---------------------------------------------------------------------------- devices


def default_device() -> str:
    device = jax.config.jax_default_device or jax.devices()[0]
    return f"{device.platform}:{device.id}" if not isinstance(device, str) else device


def _find_device(name: str):
    platform, _, index = name.lower().partition(":")
    platform = {"gpu": "gpu", "cuda": "gpu", "cpu": "cpu", "tpu": "tpu"}.get(platform, platform)
    try:
        devices = jax.devices(platform)
    except RuntimeError as e:
        raise ValueError(f"device {name!r}: JAX has no {platform!r} devices ({e})") from None
    index = int(index or 0)
    if index >= len(devices):
        raise ValueError(f"device {name!r}: JAX has {len(devices)} {platform} device(s)")
    return devices[index]


@contextlib.contextmanager
def device_scope(name: str):
    with jax.default_device(_find_device(name)):
        yield


def to_device(x, name: str):
    return jax.device_put(convert_to_tensor(x), _find_device(name))


# ---------------------------------------------------------------------------- slicing, scatter


def slice(inputs, start_indices, shape):
    return jax.lax.dynamic_slice(convert_to_tensor(inputs), tuple(start_indices), tuple(shape))


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, tuple(start_indices))


def scatter(indices, values, shape):
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    zeros = jnp.zeros(tuple(shape), values.dtype)
    return zeros.at[tuple(jnp.moveaxis(indices, -1, 0))].add(values)


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices)
    updates = convert_to_tensor(updates, inputs.dtype)
    return inputs.at[tuple(jnp.moveaxis(indices, -1, 0))].set(updates)


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [jnp.take(x, i, axis=axis) for i in range(x.shape[axis])]


# ---------------------------------------------------------------------------- control flow


def cond(pred, true_fn, false_fn):
    if isinstance(pred, bool | np.bool_):
        return true_fn() if pred else false_fn()
    return jax.lax.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    if isinstance(index, int):
        return branches[max(0, min(index, len(branches) - 1))](*operands)
    return jax.lax.switch(index, branches, *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, list | tuple)
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    if maximum_iterations is None:

        def step(s):
            out = body(*s)
            return loops.as_state(out)

        final = jax.lax.while_loop(lambda s: cond(*s), step, state)
    else:

        def counted_step(counted):
            count, s = counted
            out = body(*s)
            return count + 1, loops.as_state(out)

        def counted_cond(counted):
            count, s = counted
            return jnp.logical_and(count < maximum_iterations, cond(*s))

        _, final = jax.lax.while_loop(counted_cond, counted_step, (0, state))
    return type(loop_vars)(final) if is_tuple else final[0]


def fori_loop(lower, upper, body_fun, init_val):
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


def map(f, xs):
    return jax.lax.map(f, xs)


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)
