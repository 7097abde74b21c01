"""tensorflow backend: kfn.ops.numpy.products."""
