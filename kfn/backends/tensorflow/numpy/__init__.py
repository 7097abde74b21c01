"""The NumPy API on the tensorflow backend, one module per group of functions."""

from kfn.backends.tensorflow.numpy import (
    creation,
    elementwise,
    indexing,
    products,
    reductions,
    shape,
)
