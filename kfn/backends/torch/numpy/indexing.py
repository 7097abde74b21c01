"""torch backend: kfn.ops.numpy.indexing."""
