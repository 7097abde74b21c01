"""kfn.ops.linalg: (being written) see the issue for the functions this module offers."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.linalg)
