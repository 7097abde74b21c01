"""numpy backend: kfn.ops.nn.attention."""
