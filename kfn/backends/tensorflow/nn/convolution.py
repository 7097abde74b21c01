"""tensorflow backend: kfn.ops.nn.convolution."""
