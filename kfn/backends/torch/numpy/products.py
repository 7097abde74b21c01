"""torch backend: kfn.ops.numpy.products."""
