"""`kfn.dtype_policies`: Keras's dtype policies (see `kfn.pure.dtype_policy`).

>>> layer = kfn.layers.Dense(4, dtype=kfn.dtype_policies.DTypePolicy("mixed_float16"))
>>> layer.compute_dtype, layer.dtype
('float16', 'float32')
"""

from kfn.pure.dtype_policy import DTypePolicy, FloatDTypePolicy, deserialize, get, serialize

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]
