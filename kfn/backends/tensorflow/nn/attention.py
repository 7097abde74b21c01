"""tensorflow backend: kfn.ops.nn.attention."""
