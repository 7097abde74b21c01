"""numpy backend: kfn.ops.numpy.shape."""
