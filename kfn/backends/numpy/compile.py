"""NumPy backend: no compiler (jit returns the function); abstract evaluation runs the
function on zero arrays."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import shapes
from kfn.backends.numpy import core
from kfn.state.spec import TensorSpec


def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    return fn


def _stand_in(spec, filler: str):
    """An array standing in for a spec: zeros, or identity matrices (over the last two axes)
    for functions that reject zeros (cholesky, inv, solve)."""
    dtype = core.to_native_dtype(spec.dtype)
    shape = tuple(spec.shape)
    if filler == "zeros" or len(shape) < 2 or shape[-1] != shape[-2]:
        return np.zeros(shape, dtype) if filler == "zeros" else np.ones(shape, dtype)
    return np.broadcast_to(np.eye(shape[-1], dtype=dtype), shape).copy()


def eval_shape(fn, *args, **kwargs):
    # NumPy cannot trace: the function runs on stand-in arrays of the specs' shapes.
    def evaluate(concrete):
        specs, rebuild = shapes.partition_specs(concrete)
        try:
            call_args, call_kwargs = rebuild([_stand_in(s, "zeros") for s in specs])
            out = fn(*call_args, **call_kwargs)
        except (ValueError, np.linalg.LinAlgError):
            call_args, call_kwargs = rebuild([_stand_in(s, "eye") for s in specs])
            out = fn(*call_args, **call_kwargs)
        return shapes.to_specs(out, lambda x: TensorSpec(np.shape(x), core.dtype(x)))

    return shapes.eval_with_unknown_dims(evaluate, (args, kwargs))
