"""State: the pytrees a kfn model's state is made of, and what works on them.

`tree` (optree with JAX's semantics), `spec` (TensorSpec: shape and dtype), `paths`
(variable paths and their Keras order), `keys` (RNG key layout).
"""

from kfn.state import keys, paths, spec, tree
