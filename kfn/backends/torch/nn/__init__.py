"""Neural-network primitives on the torch backend. The other kfn.ops.nn functions are compositions
of kfn.ops, written once in kfn/ops/nn/."""

from kfn.backends.torch.nn import activations, convolution, pooling
