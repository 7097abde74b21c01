"""tensorflow backend: kfn.ops.numpy.indexing."""
