"""jax backend: kfn.ops.numpy.reductions."""
