"""torch backend: kfn.ops.nn.encoding."""
