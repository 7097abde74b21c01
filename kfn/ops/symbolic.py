"""Symbolic tensors: placeholders that record the computation applied to them.

`kfn.Input(shape)` makes a SymbolicTensor; calling a layer or any `kfn.ops` function on
symbolic tensors computes the output shape and dtype (by abstract evaluation, never running the
computation) and returns new symbolic tensors linked to a `Node`. The Functional API turns
those nodes into a model.

The op forwarders check for symbolic arguments only once some symbolic tensor exists (`ACTIVE`
below), so code that never builds a graph pays nothing.
"""

from __future__ import annotations

import itertools

from kfn.state import tree
from kfn.state.spec import TensorSpec

# Set when the first symbolic tensor is made; read by every op forwarder.
ACTIVE = False

_names = itertools.count()


class SymbolicTensor:
    """A tensor of known shape (None for unknown dimensions) and dtype, with no value.

    Example:
        >>> x = kfn.Input((3,))
        >>> (x * 2).shape
        (None, 3)
    """

    __array_priority__ = 1000  # NumPy defers to our operators

    def __init__(self, shape, dtype="float32", name=None, node=None, index=0):
        global ACTIVE
        ACTIVE = True
        spec = TensorSpec(tuple(shape), dtype)
        self.shape = spec.shape
        self.dtype = spec.dtype
        self.name = name or f"tensor_{next(_names)}"
        # The node that produced this tensor, and which of its outputs it is.
        self.node = node
        self.index = index

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def spec(self) -> TensorSpec:
        return TensorSpec(self.shape, self.dtype)

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape} dtype={self.dtype} name={self.name}>"

    def __bool__(self):
        raise TypeError(
            "A symbolic tensor has no value to test: it stands for data given later. "
            "Use kfn.ops.cond or kfn.ops.where for data-dependent choices."
        )

    def __iter__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"cannot iterate over a symbolic tensor of shape {self.shape}")
        from kfn import ops

        return iter(ops.unstack(self, num=self.shape[0]))

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"len() of a symbolic tensor of shape {self.shape}")
        return self.shape[0]

    def __hash__(self):
        return id(self)

    def __getitem__(self, key):
        from kfn import ops

        return ops.get_item(self, key)


def _operator(op_name, reverse=False):
    def method(self, other):
        from kfn import ops

        op = getattr(ops, op_name)
        return op(other, self) if reverse else op(self, other)

    return method


for _name, _op in {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "divide",
    "floordiv": "floor_divide",
    "mod": "mod",
    "pow": "power",
    "matmul": "matmul",
    "and": "logical_and",
    "or": "logical_or",
    "xor": "logical_xor",
}.items():
    setattr(SymbolicTensor, f"__{_name}__", _operator(_op))
    setattr(SymbolicTensor, f"__r{_name}__", _operator(_op, reverse=True))
for _name, _op in {
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "eq": "equal",
    "ne": "not_equal",
}.items():
    setattr(SymbolicTensor, f"__{_name}__", _operator(_op))
SymbolicTensor.__neg__ = lambda self: __import__("kfn").ops.negative(self)
SymbolicTensor.__abs__ = lambda self: __import__("kfn").ops.absolute(self)
SymbolicTensor.__invert__ = lambda self: __import__("kfn").ops.logical_not(self)


class Node:
    """One call in a graph: `operation(*args, **kwargs)` with symbolic tensors among the
    arguments, producing `outputs` (a structure of symbolic tensors).

    `operation` is a layer or a kfn.ops function; `run(values)` calls it with the values of
    its input tensors (`values` maps id(tensor) -> value).
    """

    def __init__(self, operation, args, kwargs, outputs):
        self.operation = operation
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs
        self.inputs = [t for t in tree.flatten((args, kwargs)) if isinstance(t, SymbolicTensor)]
        for index, tensor in enumerate(tree.flatten(outputs)):
            tensor.node = self
            tensor.index = index

    def run(self, values: dict, call=None):
        """The operation on concrete values (`call(operation, args, kwargs)` if given)."""

        def substitute(leaf):
            return values[id(leaf)] if isinstance(leaf, SymbolicTensor) else leaf

        args, kwargs = tree.map_structure(substitute, (self.args, self.kwargs))
        if call is not None:
            return call(self.operation, args, kwargs)
        return self.operation(*args, **kwargs)


def any_symbolic(args, kwargs=None) -> bool:
    """Whether a symbolic tensor is among the arguments (at the top level or in a list)."""
    for arg in args:
        kind = type(arg)
        if kind is SymbolicTensor:
            return True
        if kind is list or kind is tuple:
            for item in arg:
                if type(item) is SymbolicTensor:
                    return True
    if kwargs:
        return any_symbolic(kwargs.values())
    return False


def any_in(sequence) -> bool:
    """Whether a list or tuple holds a symbolic tensor."""
    for item in sequence:
        if type(item) is SymbolicTensor:
            return True
    return False


def to_spec(leaf):
    return leaf.spec if isinstance(leaf, SymbolicTensor) else leaf


def call(operation, impl, args, kwargs):
    """Record `operation(*args, **kwargs)` on symbolic arguments: the output shapes come from
    abstract evaluation of `impl` (no computation runs)."""
    from kfn.ops.compile import eval_shape

    specs_args, specs_kwargs = tree.map_structure(to_spec, (args, kwargs))
    out_specs = eval_shape(impl, *specs_args, **specs_kwargs)
    outputs = tree.map_structure(
        lambda spec: (
            SymbolicTensor(spec.shape, spec.dtype) if isinstance(spec, TensorSpec) else spec
        ),
        out_specs,
    )
    Node(operation, args, kwargs, outputs)
    return outputs


def is_keras_tensor(x) -> bool:
    """Whether `x` is a symbolic tensor (from `kfn.Input` or a layer called on one)."""
    return isinstance(x, SymbolicTensor)


def get_source_inputs(tensor) -> list:
    """The `kfn.Input` tensors a symbolic tensor is computed from."""
    if not is_keras_tensor(tensor):
        raise ValueError(
            f"get_source_inputs: expected a symbolic tensor, got {type(tensor).__name__}"
        )
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        node = getattr(current, "node", None)
        if node is None or not node.inputs:
            found.append(current)
        else:
            stack.extend(reversed(node.inputs))
    return found
