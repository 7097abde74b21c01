"""The NumPy API on the torch backend, one module per group of functions."""

from kfn.backends.torch.numpy import (
    creation,
    elementwise,
    indexing,
    products,
    reductions,
    shape,
)
