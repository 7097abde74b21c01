"""tensorflow backend: kfn.ops.nn.losses."""
