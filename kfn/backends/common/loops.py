"""Python-loop versions of the JAX control-flow primitives, for backends without them.

The NumPy backend and eager PyTorch run `scan`, `map` and `associative_scan` as Python loops
with these functions; each takes the backend's `stack` (and `take`/`concatenate`) so the code
is written once. Semantics are `jax.lax`'s.
"""

from __future__ import annotations

from kfn.state import tree


def scan(f, init, xs, length, reverse, *, stack):
    """`jax.lax.scan` as a loop: returns (final carry, stacked per-step outputs)."""
    leaves = tree.flatten(xs)
    if xs is None or not leaves:
        if length is None:
            raise ValueError("scan: pass xs, or length when xs is None")
        steps = int(length)
    else:
        steps = int(leaves[0].shape[0])
        if length is not None and int(length) != steps:
            raise ValueError(f"scan: length={length} but xs has leading dimension {steps}")
    carry, outputs = init, [None] * steps
    for i in range(steps - 1, -1, -1) if reverse else range(steps):
        x = None if xs is None else tree.unflatten(tree.structure(xs), [a[i] for a in leaves])
        carry, outputs[i] = f(carry, x)
    return carry, stack_structures(outputs, stack)


def map(f, xs, *, stack):
    """`jax.lax.map` as a loop: f applied to each slice of xs along axis 0, stacked."""
    leaves = tree.flatten(xs)
    structure = tree.structure(xs)
    steps = int(leaves[0].shape[0])
    return stack_structures(
        [f(tree.unflatten(structure, [a[i] for a in leaves])) for i in range(steps)], stack
    )


def associative_scan(f, elems, reverse, axis, *, take, concatenate):
    """`jax.lax.associative_scan` as a sequential loop (the same result for associative f).

    `take(a, i, axis)` returns the i-th slice of `a` along `axis`, keeping that axis.
    """
    leaves = tree.flatten(elems)
    structure = tree.structure(elems)
    steps = int(leaves[0].shape[axis])
    results = [None] * steps
    accumulated = None
    for i in range(steps - 1, -1, -1) if reverse else range(steps):
        item = tree.unflatten(structure, [take(a, i, axis) for a in leaves])
        accumulated = item if accumulated is None else f(accumulated, item)
        results[i] = tree.flatten(accumulated)
    return tree.unflatten(
        structure,
        [concatenate([r[k] for r in results], axis) for k in range(len(leaves))],
    )


def stack_structures(structures, stack):
    """Stack a list of identically structured pytrees leaf by leaf; None when all are None."""
    if not structures or all(s is None for s in structures):
        return None
    return tree.map_structure(lambda *leaves: stack(list(leaves)), *structures)


def while_loop(cond, body, loop_vars, maximum_iterations):
    """`while_loop` run eagerly; `loop_vars` is a tuple/list passed unpacked, or one value."""
    is_sequence = isinstance(loop_vars, list | tuple)
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*state)):
        out = body(*state)
        state = as_state(out)
        count += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def as_state(body_output) -> tuple:
    """A while_loop body's output as the tuple of loop variables (one value -> 1-tuple)."""
    return tuple(body_output) if isinstance(body_output, list | tuple) else (body_output,)


def fori_loop(lower, upper, body_fun, init_val):
    """`fori_loop` run eagerly: `body_fun(i, value)` for i in [lower, upper)."""
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def switch(index, branches, *operands):
    """`switch` run eagerly; the index is clamped to the valid range, as in `lax.switch`."""
    return branches[max(0, min(int(index), len(branches) - 1))](*operands)


def clamp_starts(start_indices, sizes, full_shape) -> list[int]:
    """Start indices moved so each slice of `sizes` fits in `full_shape` (lax.dynamic_slice)."""
    starts = [int(s) for s in start_indices]
    return [max(0, min(s, d - n)) for s, n, d in zip(starts, sizes, full_shape)]
