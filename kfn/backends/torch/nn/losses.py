"""torch backend: kfn.ops.nn.losses."""
