"""tensorflow backend: kfn.ops.nn.encoding."""
