"""kfn: Keras-style deep learning on JAX, PyTorch, TensorFlow and NumPy, built from pure
functions over explicit state pytrees.

The backend is chosen once per process: `KFN_BACKEND`, else `~/.kfn/kfn.json`, else jax.
"""

__version__ = "0.1.0"

from kfn import config, ops, random, tree
from kfn.backends.common.dtypes import result_type, standardize_dtype
from kfn.backends.config import backend
from kfn.state.spec import TensorSpec

device = ops.device_scope
remat = ops.remat
version = __version__

from kfn import (  # noqa: E402
    activations,
    constraints,
    dtype_policies,
    initializers,
    layers,
    mixed_precision,
    models,
    pure,
    regularizers,
    saving,
    utils,
)
from kfn.ops.symbolic import SymbolicTensor as KerasTensor  # noqa: E402
from kfn.pure.dtype_policy import DTypePolicy, FloatDTypePolicy  # noqa: E402
from kfn.pure.initializers import Initializer  # noqa: E402
from kfn.pure.layers.base import InputSpec  # noqa: E402
from kfn.pure.regularizers import Regularizer  # noqa: E402
from kfn.stateful.input_layer import Input  # noqa: E402
from kfn.stateful.layer import Layer  # noqa: E402
from kfn.stateful.model import Model  # noqa: E402
from kfn.stateful.naming import name_scope  # noqa: E402
from kfn.stateful.sequential import Sequential  # noqa: E402
from kfn.stateful.variable import StatelessScope, Variable  # noqa: E402
