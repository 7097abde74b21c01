"""Neural-network ops on the jax backend, one module per group."""

from kfn.backends.jax.nn import (
    activations,
    attention,
    convolution,
    encoding,
    losses,
    normalization,
    pooling,
)
