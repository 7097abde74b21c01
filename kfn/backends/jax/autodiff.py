"""JAX backend: automatic differentiation (jax.value_and_grad, custom gradients)."""

from __future__ import annotations

import jax


def value_and_grad(fn, argnums=0, has_aux=False):
    return jax.value_and_grad(fn, argnums=argnums, has_aux=has_aux)


def stop_gradient(variable):
    return jax.lax.stop_gradient(variable)


def custom_gradient(f):
    return jax.custom_gradient(f)


def remat(f):
    return jax.checkpoint(f)
