"""PyTorch backend: eager by default, torch.compile on request; abstract evaluation on meta
tensors (no memory, no compute), falling back to zero tensors for ops meta cannot run."""

from __future__ import annotations

import torch

from kfn.backends.common import shapes
from kfn.backends.torch import core
from kfn.state.spec import TensorSpec


def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    if jit_compile is True:
        return torch.compile(fn)
    return fn


def eval_shape(fn, *args, **kwargs):
    def evaluate_on(device):
        def evaluate(concrete):
            specs, rebuild = shapes.partition_specs(concrete)
            with core.device_scope(device), torch.no_grad():
                values = [
                    torch.zeros(s.shape, dtype=core.to_native_dtype(s.dtype), device=device)
                    for s in specs
                ]
                call_args, call_kwargs = rebuild(values)
                out = fn(*call_args, **call_kwargs)
            return shapes.to_specs(out, lambda x: TensorSpec(tuple(x.shape), x.dtype))

        return evaluate

    try:
        return shapes.eval_with_unknown_dims(evaluate_on("meta"), (args, kwargs))
    except (NotImplementedError, RuntimeError):
        # Data-dependent ops (.item(), NumPy conversion) cannot run on meta tensors.
        return shapes.eval_with_unknown_dims(evaluate_on("cpu"), (args, kwargs))
