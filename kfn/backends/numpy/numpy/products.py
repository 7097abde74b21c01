"""numpy backend: kfn.ops.numpy.products."""
