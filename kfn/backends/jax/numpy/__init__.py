"""The NumPy API on the jax backend, one module per group of functions."""

from kfn.backends.jax.numpy import (
    creation,
    elementwise,
    indexing,
    products,
    reductions,
    shape,
)
