"""jax backend: kfn.ops.nn.pooling."""
