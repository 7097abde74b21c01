"""tensorflow backend: kfn.ops.numpy.reductions."""
