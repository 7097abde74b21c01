"""numpy backend: kfn.ops.numpy.indexing."""
