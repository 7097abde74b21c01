"""NumPy backend: no compiler (jit returns the function); abstract evaluation runs the
function on zero arrays."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import shapes
from kfn.backends.numpy import core
from kfn.state.spec import TensorSpec


def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    return fn


def eval_shape(fn, *args, **kwargs):
    def evaluate(concrete):
        specs, rebuild = shapes.partition_specs(concrete)
        values = [np.zeros(s.shape, core.to_native_dtype(s.dtype)) for s in specs]
        call_args, call_kwargs = rebuild(values)
        out = fn(*call_args, **call_kwargs)
        return shapes.to_specs(out, lambda x: TensorSpec(np.shape(x), core.dtype(x)))

    return shapes.eval_with_unknown_dims(evaluate, (args, kwargs))
