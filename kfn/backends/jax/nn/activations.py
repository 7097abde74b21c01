"""jax backend: kfn.ops.nn.activations."""
