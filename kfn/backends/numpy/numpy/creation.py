"""numpy backend: kfn.ops.numpy.creation."""
