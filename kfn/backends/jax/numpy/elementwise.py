"""jax backend: kfn.ops.numpy.elementwise."""
