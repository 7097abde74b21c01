"""numpy backend: kfn.ops.numpy.reductions."""
