"""The NumPy API on the numpy backend, one module per group of functions."""

from kfn.backends.numpy.numpy import (
    creation,
    elementwise,
    indexing,
    products,
    reductions,
    shape,
)
