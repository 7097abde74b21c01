"""Neural-network ops on the numpy backend, one module per group."""

from kfn.backends.numpy.nn import (
    activations,
    attention,
    convolution,
    encoding,
    losses,
    normalization,
    pooling,
)
