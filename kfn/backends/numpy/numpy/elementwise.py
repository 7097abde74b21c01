"""numpy backend: kfn.ops.numpy.elementwise."""

from __future__ import annotations

import numpy as np

from kfn.backends.numpy import core


def add(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.add(x1, x2)


def absolute(x):
    return np.absolute(core.convert_to_tensor(x))
