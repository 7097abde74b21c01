"""PyTorch backend: automatic differentiation with torch.autograd, in JAX's functional form."""

from __future__ import annotations

import functools

import torch

from kfn.backends.common import autodiff
from kfn.backends.torch import core
from kfn.state import tree

# How many value_and_grad calls are running: inside one, inputs keep their graph and gradients
# are built differentiably (create_graph), so gradients of gradients work as in JAX.
_depth = 0


def value_and_grad(fn, argnums=0, has_aux=False):
    argnum_tuple = autodiff.positions(argnums)

    def value_and_grad_fn(*args, **kwargs):
        global _depth
        nested = _depth > 0 and torch.is_grad_enabled()

        def prepare(leaf):
            tensor = core.convert_to_tensor(leaf)
            autodiff.check_differentiable(tensor.dtype)
            if nested and tensor.requires_grad:
                return tensor
            return tensor.detach().requires_grad_(True)

        args, inputs, structures = autodiff.prepare_inputs(args, argnum_tuple, prepare)
        _depth += 1
        try:
            with torch.enable_grad():
                out = fn(*args, **kwargs)
                value, aux = out if has_aux else (out, None)
                value = core.convert_to_tensor(value)
                autodiff.check_scalar(value)
                if value.requires_grad:
                    grads = torch.autograd.grad(
                        value, inputs, allow_unused=True, create_graph=nested
                    )
                else:
                    grads = [None] * len(inputs)
        finally:
            _depth -= 1
        grads = [torch.zeros_like(x) if g is None else g for x, g in zip(inputs, grads)]
        grads = autodiff.regroup(grads, structures, argnums)
        if not nested:
            value = value.detach()
            aux = tree.map_structure(_detach, aux)
        return ((value, aux), grads) if has_aux else (value, grads)

    return value_and_grad_fn


def _detach(x):
    return x.detach() if isinstance(x, torch.Tensor) else x


def stop_gradient(variable):
    return core.convert_to_tensor(variable).detach()


def custom_gradient(f):
    """`f(*args) -> (output, grad_fn)`; `grad_fn(upstream)` returns the input gradients."""

    class CustomGradient(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *args):
            output, grad_fn = f(*args)
            ctx.grad_fn = grad_fn
            return output

        @staticmethod
        def backward(ctx, *upstream):
            grads = ctx.grad_fn(*upstream)
            return tuple(grads) if isinstance(grads, list | tuple) else (grads,)

    def apply(*args):
        return CustomGradient.apply(*(core.convert_to_tensor(a) for a in args))

    return apply


def remat(f):
    import torch.utils.checkpoint

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return rematerialized
