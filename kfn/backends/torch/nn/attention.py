"""torch backend: kfn.ops.nn.attention."""
