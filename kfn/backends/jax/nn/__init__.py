"""Neural-network primitives on the jax backend. The other kfn.ops.nn functions are compositions
of kfn.ops, written once in kfn/ops/nn/."""

from kfn.backends.jax.nn import activations, convolution, pooling
