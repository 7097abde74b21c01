"""jax backend: kfn.ops.numpy.products."""
