"""What the torch and TensorFlow `value_and_grad` share: argument handling and checks that
give the same errors as `jax.value_and_grad`."""

from __future__ import annotations

from kfn.backends.common import dtypes
from kfn.state import tree


def positions(argnums) -> tuple[int, ...]:
    """`argnums` as a tuple of ints."""
    if isinstance(argnums, int):
        return (argnums,)
    result = tuple(argnums)
    if not result or not all(isinstance(i, int) for i in result):
        raise TypeError(
            f"value_and_grad: argnums must be an int or a tuple of ints, got {argnums!r}"
        )
    return result


def prepare_inputs(args, argnums, prepare_leaf):
    """Replace each differentiated argument's leaves by `prepare_leaf(leaf)`.

    Returns (new args, the prepared leaves as one list, the tree structure of each argument).
    """
    args = list(args)
    flat, structures = [], []
    for i in argnums:
        if i >= len(args):
            raise TypeError(
                f"value_and_grad: argnums={i} but the function was called with {len(args)} "
                "positional arguments"
            )
        leaves, structure = tree.flatten(args[i]), tree.structure(args[i])
        prepared = [prepare_leaf(leaf) for leaf in leaves]
        args[i] = tree.unflatten(structure, prepared)
        flat.extend(prepared)
        structures.append(structure)
    return args, flat, structures


def check_differentiable(dtype) -> None:
    """TypeError, as in JAX, for inputs that are not float or complex."""
    name = dtypes.standardize_dtype(dtype)
    if not (dtypes.is_float(name) or dtypes.is_complex(name)):
        raise TypeError(
            "value_and_grad: gradients need float (or complex) inputs, but an input to "
            f"differentiate has dtype {name}. Cast it to a float dtype, or leave it out of argnums."
        )


def check_scalar(value) -> None:
    """TypeError, as in JAX, when the differentiated function's output is not a scalar."""
    shape = tuple(getattr(value, "shape", ()))
    if shape != ():
        raise TypeError(
            f"value_and_grad: the function must return a scalar to be differentiated, "
            f"got an output of shape {shape}."
        )


def regroup(grads, structures, argnums):
    """Flat gradients back into the structure of the arguments, as `jax.grad` returns them:
    one pytree for an int `argnums`, a tuple of pytrees for a tuple."""
    out, start = [], 0
    for structure in structures:
        count = structure.num_leaves
        out.append(tree.unflatten(structure, list(grads[start : start + count])))
        start += count
    return out[0] if isinstance(argnums, int) else tuple(out)
