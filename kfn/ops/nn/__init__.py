"""`kfn.ops.nn`: neural-network ops (activations, convolution, pooling, normalization, losses,
attention, encodings) on every backend."""

from kfn.ops.nn.activations import *
from kfn.ops.nn.attention import *
from kfn.ops.nn.convolution import *
from kfn.ops.nn.encoding import *
from kfn.ops.nn.losses import *
from kfn.ops.nn.normalization import *
from kfn.ops.nn.pooling import *
