"""Neural-network primitives on the numpy backend. The other kfn.ops.nn functions are compositions
of kfn.ops, written once in kfn/ops/nn/."""

from kfn.backends.numpy.nn import activations, convolution, pooling
