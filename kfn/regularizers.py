"""`kfn.regularizers`: Keras's weight regularizers, by Keras's names (defined in
kfn/pure/regularizers.py)."""

from kfn.pure.regularizers import (
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
    deserialize,
    get,
    serialize,
)
from kfn.pure.regularizers import L1 as l1
from kfn.pure.regularizers import L1L2 as l1_l2
from kfn.pure.regularizers import L2 as l2
from kfn.pure.regularizers import OrthogonalRegularizer as orthogonal_regularizer
