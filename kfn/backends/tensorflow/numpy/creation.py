"""tensorflow backend: kfn.ops.numpy.creation."""
