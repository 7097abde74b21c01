"""jax backend: kfn.ops.numpy.creation."""
