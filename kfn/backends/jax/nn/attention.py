"""jax backend: kfn.ops.nn.attention."""
