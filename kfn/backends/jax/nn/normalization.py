"""jax backend: kfn.ops.nn.normalization."""
