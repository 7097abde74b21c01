"""jax backend: kfn.ops.numpy.indexing."""
