"""PyTorch backend core: tensors and dtypes, conversion, devices, slicing and scatter, control flow.

Tensors are `torch.Tensor`s on the current device (`device_scope`, else CUDA when available,
else the CPU). Control flow runs eagerly as Python loops, which is what torch does; under
`torch.compile` those loops are traced and unrolled.
"""

from __future__ import annotations

import builtins
import contextlib

import numpy as np
import torch

from kfn.backends.common import convert, dtypes, loops

NAME = "torch"
Tensor = torch.Tensor

# ---------------------------------------------------------------------------- dtypes

_NATIVE = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}


def to_native_dtype(dtype) -> torch.dtype:
    """The torch dtype for a kfn dtype."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return _NATIVE[dtypes.standardize_dtype(dtype)]


def dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype if hasattr(x, "dtype") else convert_to_tensor(x).dtype)


# ---------------------------------------------------------------------------- conversion


def is_tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def convert_to_tensor(x, dtype=None):
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        native = to_native_dtype(dtype)
        return x if x.dtype == native else x.to(native)
    device = current_device()
    if hasattr(type(x), "__kfn_value__"):  # kfn.Variable
        return convert_to_tensor(x.__kfn_value__(), dtype)
    if isinstance(x, np.ndarray | np.generic):
        return _from_numpy(np.asarray(x), dtype, device)
    if hasattr(x, "__array__") and not isinstance(x, list | tuple):
        # jax arrays, tf tensors: through NumPy.
        return _from_numpy(np.asarray(x), dtype, device)
    if isinstance(x, list | tuple) and any(isinstance(e, torch.Tensor) for e in x):
        return torch.stack([convert_to_tensor(e, dtype) for e in x])
    if type(x) in (int, float, bool) and dtype is None:
        return torch.tensor(x, dtype=_NATIVE[convert.scalar_dtype(x)], device=device)
    array = convert.python_to_numpy(x, dtype and dtypes.standardize_dtype(dtype))
    return _from_numpy(array, None, device)


def _from_numpy(array: np.ndarray, dtype, device):
    name = dtypes.standardize_dtype(array.dtype)
    if name == "bfloat16":  # torch cannot read ml_dtypes' bfloat16
        tensor = torch.as_tensor(array.astype(np.float32), device=device).to(torch.bfloat16)
    else:
        if not array.flags.writeable:
            array = array.copy()
        tensor = torch.as_tensor(array, device=device)
    return tensor if dtype is None else tensor.to(to_native_dtype(dtype))


def convert_to_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().resolve_conj()
        if x.dtype == torch.bfloat16:
            return x.to(torch.float32).cpu().numpy().astype(convert.numpy_dtype("bfloat16"))
        return x.cpu().numpy()
    return np.asarray(x)


def cast(x, dtype):
    if not isinstance(x, torch.Tensor):
        # Python values convert straight to `dtype` (no detour through floatx).
        return convert_to_tensor(x, dtype)
    return x.to(to_native_dtype(dtype))


def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    bounds = dtypes.saturation_bounds(
        dtypes.standardize_dtype(x.dtype), dtypes.standardize_dtype(dtype)
    )
    if bounds is not None:
        low, high = bounds
        x = torch.clamp(x, low, high)
    return cast(x, dtype)


def shape(x) -> tuple:
    return tuple(convert_to_tensor(x).shape)


# Plain tensors and parameters (a trainable kfn.Variable's storage): the types the fast paths
# of the ops accept as they are.
TENSOR_TYPES = frozenset((torch.Tensor, torch.nn.Parameter))


def promote(*values):
    """The values as tensors of their common result dtype (see `dtypes.result_type`)."""
    if len(values) == 2:
        # The common case, kept cheap: two tensors of one dtype.
        a, b = values
        if type(a) in TENSOR_TYPES and type(b) in TENSOR_TYPES and a.dtype == b.dtype:
            return values
    elif values:
        first = values[0]
        if type(first) in TENSOR_TYPES:
            dt = first.dtype
            if all(type(v) in TENSOR_TYPES and v.dtype == dt for v in values):
                return values
    return convert.promote(values, convert_to_tensor)


# ---------------------------------------------------------------------------- devices

_device_stack: list[torch.device] = []
_DEFAULT_DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def current_device() -> torch.device:
    """The device new tensors are placed on."""
    return _device_stack[-1] if _device_stack else _DEFAULT_DEVICE


def default_device() -> str:
    device = current_device()
    return f"{device.type}:{device.index or 0}"


@contextlib.contextmanager
def device_scope(name: str):
    device = torch.device(name.lower().replace("gpu", "cuda"))
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {name!r}: torch has no CUDA device here")
    _device_stack.append(device)
    try:
        yield
    finally:
        _device_stack.pop()


def to_device(x, name: str):
    return convert_to_tensor(x).to(torch.device(name.lower().replace("gpu", "cuda")))


# ---------------------------------------------------------------------------- slicing, scatter


def _clamped_starts(start_indices, sizes, full_shape):
    starts = convert_to_numpy(convert_to_tensor(start_indices)).reshape(-1)
    return loops.clamp_starts(starts, sizes, full_shape)


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    starts = _clamped_starts(start_indices, shape, inputs.shape)
    return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(starts, shape))]


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    starts = _clamped_starts(start_indices, updates.shape, inputs.shape)
    out = inputs.clone()
    out[tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))] = updates
    return out


def scatter(indices, values, shape):
    indices = convert_to_tensor(indices).long()
    values = convert_to_tensor(values)
    out = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    return out.index_put(tuple(torch.movedim(indices, -1, 0)), values, accumulate=True)


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices).long()
    updates = convert_to_tensor(updates, inputs.dtype)
    return inputs.index_put(tuple(torch.movedim(indices, -1, 0)), updates)


def unstack(x, num=None, axis=0):
    return list(torch.unbind(convert_to_tensor(x), dim=axis))


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
    return loops.associative_scan(f, elems, reverse, axis, take=_take_keepdims, concatenate=_concat)


def map(f, xs):
    return loops.map(f, xs, stack=_stack)


def vectorized_map(function, elements):
    return torch.vmap(function)(elements)


def _stack(values):
    return torch.stack([convert_to_tensor(v) for v in values])


def _take_keepdims(x, i, axis):
    return torch.narrow(x, axis, i, 1)


def _concat(values, axis):
    return torch.cat(values, dim=axis)
