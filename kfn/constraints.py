"""`kfn.constraints`: Keras's weight constraints, by Keras's names (defined in
kfn/pure/constraints.py)."""

from kfn.pure.constraints import (
    Constraint,
    MaxNorm,
    MinMaxNorm,
    NonNeg,
    UnitNorm,
    deserialize,
    get,
    serialize,
)
from kfn.pure.constraints import MaxNorm as max_norm
from kfn.pure.constraints import MinMaxNorm as min_max_norm
from kfn.pure.constraints import NonNeg as non_neg
from kfn.pure.constraints import UnitNorm as unit_norm
