"""numpy backend: kfn.ops.nn.losses."""
