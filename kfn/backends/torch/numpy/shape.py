"""torch backend: kfn.ops.numpy.shape."""
