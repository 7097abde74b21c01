"""jax backend: kfn.ops.numpy.shape."""
