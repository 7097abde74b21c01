"""torch backend: kfn.ops.nn.pooling."""
