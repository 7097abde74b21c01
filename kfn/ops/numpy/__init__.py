"""`kfn.ops.numpy`: the NumPy API, with NumPy's names and arguments, on every backend."""

import types as _types

from kfn.ops.linalg import slogdet
from kfn.ops.numpy.creation import *
from kfn.ops.numpy.elementwise import *
from kfn.ops.numpy.indexing import *
from kfn.ops.numpy.products import *
from kfn.ops.numpy.reductions import *
from kfn.ops.numpy.shape import *
from kfn.ops.numpy.vectorize import vectorize

# Submodules are attributes of this package too (`shape` is one); export only the ops.
__all__ = [
    _name
    for _name, _value in list(globals().items())
    if not _name.startswith("_") and not isinstance(_value, _types.ModuleType)
]
