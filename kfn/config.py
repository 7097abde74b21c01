"""`kfn.config`: the backend, default float type, epsilon, image data format and the global
dtype policy."""

from kfn.backends.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from kfn.pure.dtype_policy import dtype_policy, set_dtype_policy
