"""numpy backend: kfn.ops.nn.convolution."""
