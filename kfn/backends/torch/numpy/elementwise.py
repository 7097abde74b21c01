"""torch backend: kfn.ops.numpy.elementwise."""
