"""torch backend: kfn.ops.nn.activations."""
