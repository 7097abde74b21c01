"""`kfn.mixed_precision`: Keras's mixed-precision names.

`set_dtype_policy("mixed_float16")` (or "mixed_bfloat16") makes the layers created afterwards
compute in the half type while keeping their variables in float32.
"""

from kfn.pure.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = [
    "DTypePolicy",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
