"""numpy backend: kfn.ops.numpy.elementwise."""
