"""torch backend: kfn.ops.numpy.reductions."""
