"""Neural-network ops on the torch backend, one module per group."""

from kfn.backends.torch.nn import (
    activations,
    attention,
    convolution,
    encoding,
    losses,
    normalization,
    pooling,
)
