"""tensorflow backend: kfn.ops.numpy.shape."""
