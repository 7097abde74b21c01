"""The jax backend: kfn.ops.image primitives (see kfn/ops/image.py for the documented signatures).

`jax.image` has every Keras interpolation with Keras's semantics, so the shared composition of
kfn/backends/common/image.py is never needed here (only its argument rules and dtypes).
"""

from __future__ import annotations

import functools

import jax

from kfn.backends.common import image as image_rules
from kfn.backends.jax import core
from kfn.backends.jax import numpy as numpy_api


def _fast_resize(x, size, interpolation, antialias, channels_last):
    batch, channels = (x.shape[0], x.shape[3]) if channels_last else x.shape[:2]
    full = (batch, *size, channels) if channels_last else (batch, channels, *size)
    return jax.image.resize(x, full, method=interpolation, antialias=antialias)


# jax.image.resize is compiled per configuration; scale_and_translate is not, so it is here
# (eagerly it would dispatch dozens of small ops).
@functools.partial(jax.jit, static_argnums=(1, 2, 5, 6))
def _fast_scale_and_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    return jax.image.scale_and_translate(
        x, output_shape, spatial_dims, scale, translation, kernel, antialias
    )


resize, scale_and_translate = image_rules.primitives(
    core, numpy_api, _fast_resize, _fast_scale_and_translate
)
