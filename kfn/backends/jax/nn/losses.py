"""jax backend: kfn.ops.nn.losses."""
