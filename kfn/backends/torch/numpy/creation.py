"""torch backend: kfn.ops.numpy.creation."""
