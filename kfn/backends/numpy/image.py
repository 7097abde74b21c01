"""The numpy backend: kfn.ops.image primitives (see kfn/ops/image.py for the documented signatures).

NumPy has no resampling kernels: everything takes the shared composition of
kfn/backends/common/image.py.
"""

from __future__ import annotations

from kfn.backends.common import image as image_rules
from kfn.backends.numpy import core
from kfn.backends.numpy import numpy as numpy_api

resize, scale_and_translate = image_rules.primitives(core, numpy_api)
