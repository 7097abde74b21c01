"""Neural-network ops on the tensorflow backend, one module per group."""

from kfn.backends.tensorflow.nn import (
    activations,
    attention,
    convolution,
    encoding,
    losses,
    normalization,
    pooling,
)
