"""numpy backend: kfn.ops.nn.activations."""
