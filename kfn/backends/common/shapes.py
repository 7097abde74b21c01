"""Abstract evaluation with unknown dimensions, for backends whose shape evaluation needs
concrete sizes (jax.eval_shape, torch meta tensors, NumPy)."""

from __future__ import annotations

from kfn.state import tree
from kfn.state.spec import TensorSpec

# Two sizes unlikely to appear in a model, standing in for unknown (None) dimensions. A
# dimension of the output that changes between the two runs depends on an unknown one.
_FILL_SIZES = (83, 89)


def eval_with_unknown_dims(evaluate, specs):
    """Output specs of `evaluate(concrete_specs)` where `specs` may have None dimensions.

    `evaluate` takes a pytree of TensorSpecs with concrete shapes and returns a pytree of
    TensorSpecs. With unknown dimensions it runs twice with different stand-in sizes and marks
    as None every output dimension that differs.
    """
    leaves = tree.flatten(specs)
    if not any(None in leaf.shape for leaf in leaves if isinstance(leaf, TensorSpec)):
        return evaluate(specs)
    runs = [evaluate(_fill(specs, size)) for size in _FILL_SIZES]
    return tree.map_structure(_merge, *runs)


def _fill(specs, size):
    def fill(leaf):
        if isinstance(leaf, TensorSpec):
            return TensorSpec(tuple(size if d is None else d for d in leaf.shape), leaf.dtype)
        return leaf

    return tree.map_structure(fill, specs)


def _merge(first, second):
    if not isinstance(first, TensorSpec):
        return first
    if len(first.shape) != len(second.shape):
        raise ValueError(
            "eval_shape: the output rank depends on the size of an unknown (None) input "
            f"dimension ({first.shape} vs {second.shape}); give the input a concrete shape."
        )
    shape = tuple(a if a == b else None for a, b in zip(first.shape, second.shape))
    return TensorSpec(shape, first.dtype)


def partition_specs(structure):
    """Split a pytree into its TensorSpec leaves and a function rebuilding it from values
    standing in for those specs (other leaves are kept as they are)."""
    leaves = tree.flatten(structure)
    treedef = tree.structure(structure)
    where = [i for i, leaf in enumerate(leaves) if isinstance(leaf, TensorSpec)]

    def rebuild(values):
        filled = list(leaves)
        for i, value in zip(where, values):
            filled[i] = value
        return tree.unflatten(treedef, filled)

    return [leaves[i] for i in where], rebuild


def to_specs(outputs, spec_of):
    """Map the tensor leaves of `outputs` to TensorSpecs with `spec_of(leaf)`."""
    return tree.map_structure(spec_of, outputs)
