"""The torch backend: kfn.ops.image primitives (see kfn/ops/image.py for the documented signatures).

`torch.nn.functional.interpolate` has Keras's (JAX's) semantics for "nearest"
("nearest-exact"), "bilinear", and "bicubic" with antialias (Keys, a = -0.5), which also serves
upsampling, where antialiasing changes nothing. torch's plain bicubic uses a = -0.75, so bicubic
downsampling without antialias, the Lanczos kernels, "area", integer images and
scale_and_translate take the shared composition of kfn/backends/common/image.py.
"""

from __future__ import annotations

import torch.nn.functional as F

from kfn.backends.common import image as image_rules
from kfn.backends.torch import core
from kfn.backends.torch import numpy as numpy_api


def _fast_resize(x, size, interpolation, antialias, channels_last):
    if not x.dtype.is_floating_point:
        return None
    height, width = x.shape[1:3] if channels_last else x.shape[2:]
    if interpolation == "nearest":
        mode, options = "nearest-exact", {}
    elif interpolation == "bilinear":
        mode, options = "bilinear", {"align_corners": False, "antialias": antialias}
    elif interpolation == "bicubic" and (antialias or (size[0] >= height and size[1] >= width)):
        mode, options = "bicubic", {"align_corners": False, "antialias": True}
    else:
        return None
    x = x.permute(0, 3, 1, 2) if channels_last else x
    out = F.interpolate(x, size=tuple(size), mode=mode, **options)
    return out.permute(0, 2, 3, 1) if channels_last else out


resize, scale_and_translate = image_rules.primitives(core, numpy_api, _fast_resize)
