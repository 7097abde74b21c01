"""torch backend: kfn.ops.nn.normalization."""
