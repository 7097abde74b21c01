"""Neural-network primitives on the tensorflow backend. The other kfn.ops.nn functions are compositions
of kfn.ops, written once in kfn/ops/nn/."""

from kfn.backends.tensorflow.nn import activations, convolution, pooling
