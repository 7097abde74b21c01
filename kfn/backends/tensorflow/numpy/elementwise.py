"""tensorflow backend: kfn.ops.numpy.elementwise."""
