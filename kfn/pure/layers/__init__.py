"""Pure layers: frozen dataclasses of their Keras arguments with `init` and `apply`.

Every class listed here gets a generated stateful twin in `kfn.layers` (same name, same
arguments, plus `name`, `dtype`, `trainable`). Other names of the same class (Keras's
aliases, `Convolution2D` for `Conv2D`) are listed too and name the same class there.
"""

from kfn.pure.layers.base import InputSpec, Layer
from kfn.pure.layers.core import Dense, Identity, InputLayer, Lambda

__all__ = [
    "Dense",
    "Identity",
    "InputLayer",
    "Lambda",
]
