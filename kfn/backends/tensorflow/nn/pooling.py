"""tensorflow backend: kfn.ops.nn.pooling."""
