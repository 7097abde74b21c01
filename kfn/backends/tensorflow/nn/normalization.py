"""tensorflow backend: kfn.ops.nn.normalization."""
