"""numpy backend: kfn.ops.nn.normalization."""
