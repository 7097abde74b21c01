"""`kfn.config`: the backend, default float type, epsilon and image data format."""

from kfn.backends.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
