"""jax backend: kfn.ops.nn.encoding."""
