"""tensorflow backend: kfn.ops.nn.activations."""
