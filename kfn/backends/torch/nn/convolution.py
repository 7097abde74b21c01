"""torch backend: kfn.ops.nn.convolution."""
