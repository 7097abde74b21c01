"""Keras 3, on the same backend as kfn, as a reference for Keras-named ops (test-only)."""

import numpy as np

from tests.conftest import BACKEND


def keras_ops():
    import keras  # KERAS_BACKEND is set to the kfn backend by tests/conftest.py

    assert keras.backend.backend() == BACKEND
    return keras.ops


def keras_reference(name):
    """A reference function calling `keras.ops.<name>` on NumPy inputs, returning NumPy."""

    def reference(*args, **kwargs):
        ops = keras_ops()
        out = getattr(ops, name)(*args, **kwargs)
        if isinstance(out, list | tuple):
            return [np.asarray(ops.convert_to_numpy(o)) for o in out]
        return np.asarray(ops.convert_to_numpy(out))

    return reference
