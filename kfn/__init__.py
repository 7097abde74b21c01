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
version = __version__
