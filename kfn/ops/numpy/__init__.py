"""`kfn.ops.numpy`: the NumPy API, with NumPy's names and arguments, on every backend."""

from kfn.ops.numpy.creation import *
from kfn.ops.numpy.elementwise import *
from kfn.ops.numpy.indexing import *
from kfn.ops.numpy.products import *
from kfn.ops.numpy.reductions import *
from kfn.ops.numpy.shape import *
