"""jax backend: kfn.ops.nn.convolution."""
