"""`kfn.ops.nn`: neural-network ops (activations, convolution, pooling, normalization, losses,
attention, encodings) on every backend."""

import types as _types

from kfn.ops.nn.activations import *
from kfn.ops.nn.attention import *
from kfn.ops.nn.convolution import *
from kfn.ops.nn.encoding import *
from kfn.ops.nn.losses import *
from kfn.ops.nn.normalization import *
from kfn.ops.nn.pooling import *

# Submodules are attributes of this package too (`shape` is one); export only the ops.
__all__ = [
    _name
    for _name, _value in list(globals().items())
    if not _name.startswith("_") and not isinstance(_value, _types.ModuleType)
]
