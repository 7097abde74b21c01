"""numpy backend: kfn.ops.nn.encoding."""
