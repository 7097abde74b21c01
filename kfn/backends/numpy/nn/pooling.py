"""numpy backend: kfn.ops.nn.pooling."""
