"""NumPy backend: no automatic differentiation (the backend is for inference and tests)."""

from __future__ import annotations

_NO_GRADIENTS = (
    "kfn.ops.{name}: the numpy backend has no automatic differentiation. "
    "Run with KFN_BACKEND=jax, torch or tensorflow to compute gradients."
)


def value_and_grad(fn, argnums=0, has_aux=False):
    raise NotImplementedError(_NO_GRADIENTS.format(name="value_and_grad"))


def stop_gradient(variable):
    return variable


def custom_gradient(f):
    # The forward computation is all the numpy backend can run.
    def forward(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return forward


def remat(f):
    return f  # no values are kept for a backward pass
