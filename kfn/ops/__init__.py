"""`kfn.ops`: the NumPy API, neural-network ops, linear algebra and control flow, on the
active backend. Submodules as in Keras: `kfn.ops.numpy`, `kfn.ops.nn`, `kfn.ops.linalg`, `kfn.ops.image`,
`kfn.ops.math` (linalg and math functions are also at `kfn.ops.*`, as in Keras); plus
`kfn.ops.grad`, `kfn.ops.value_and_grad` and `kfn.ops.jit`, so one training step written
with kfn.ops runs, with gradients, on jax, torch and tensorflow.
"""

from kfn.ops import image, linalg, math, nn, numpy
from kfn.ops.autodiff import *
from kfn.ops.compile import *
from kfn.ops.core import *
from kfn.ops.linalg import *
from kfn.ops.math import *
from kfn.ops.nn import *
from kfn.ops.numpy import *
from kfn.ops.rearrange import rearrange
