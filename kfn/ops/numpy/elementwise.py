"""kfn.ops.numpy: elementwise functions."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.elementwise)


@_primitive(elementwise=True)
def add(x1, x2):
    """`x1 + x2` element-wise, broadcast, in the promoted dtype (see `kfn.result_type`).

    Args:
        x1, x2: tensors, arrays or Python scalars (scalars are weakly typed: `int8 + 1`
            stays int8).

    Example:
        >>> kfn.ops.add(kfn.ops.convert_to_tensor([1, 2]), 0.5)  # [1.5, 2.5], float32
    """


@_primitive
def absolute(x):
    """The absolute value of `x` element-wise, in the dtype of `x`.

    Example:
        >>> kfn.ops.absolute(kfn.ops.convert_to_tensor([-1.5, 2.0]))  # [1.5, 2.0]
    """


abs = absolute
