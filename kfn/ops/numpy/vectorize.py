"""kfn.ops.numpy.vectorize: NumPy's `vectorize`, looping with `kfn.ops.vectorized_map`."""

import functools as _functools
import math as _math
import re as _re

from kfn.ops import core as _core
from kfn.ops.dispatch import broadcast_shapes as _broadcast_shapes
from kfn.ops.numpy import shape as _shape


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` made to apply over the leading (batch) axes of its arguments, as
    `numpy.vectorize`; the loop is `kfn.ops.vectorized_map` (jax.vmap, torch.vmap,
    tf.vectorized_map; a Python loop on NumPy).

    The arguments' batch shapes (their shapes without the core axes of `signature`) are
    broadcast together; `pyfunc` is called on one element of the batch at a time and its
    outputs are stacked into the batch shape.

    Args:
        pyfunc: the function to vectorize; it receives and returns tensors.
        excluded: positions (ints) and keyword names (strings) of arguments passed to
            `pyfunc` as they are, not vectorized.
        signature: a generalized ufunc signature such as `"(m,n),(n)->(m)"` naming the core
            axes of each argument and output; None: every argument and output is a scalar.

    Returns:
        The vectorized function.

    Example:
        >>> matvec = kfn.ops.vectorize(kfn.ops.matmul, signature="(m,n),(n)->(m)")
        >>> matvec(kfn.ops.ones((5, 2, 3)), kfn.ops.ones((3,))).shape
        (5, 2)
    """
    if not callable(pyfunc):
        raise TypeError(f"kfn.ops.vectorize: pyfunc must be callable, got {pyfunc!r}")
    excluded = frozenset(() if excluded is None else excluded)
    for item in excluded:
        if not isinstance(item, int | str) or isinstance(item, bool):
            raise TypeError(
                "kfn.ops.vectorize: excluded must hold argument positions (ints) and "
                f"keyword names (strings), got {item!r}"
            )
    inputs_core, outputs_core = (None, None) if signature is None else _signature(signature)

    @_functools.wraps(pyfunc)
    def vectorized(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        keywords = [k for k in kwargs if k not in excluded]
        values = [_core.convert_to_tensor(args[i]) for i in positions]
        values += [_core.convert_to_tensor(kwargs[k]) for k in keywords]
        batch, core_shapes, sizes = _split_shapes(values, inputs_core, signature)

        def call(vector_values):
            call_args, call_kwargs = list(args), dict(kwargs)
            for i, value in zip(positions, vector_values):
                call_args[i] = value
            for k, value in zip(keywords, vector_values[len(positions) :]):
                call_kwargs[k] = value
            return pyfunc(*call_args, **call_kwargs)

        if not batch:
            return _check_outputs(call(values), outputs_core, sizes, signature, batch=0)
        count = _math.prod(batch)
        flat = tuple(
            _shape.reshape(_shape.broadcast_to(value, batch + dims), (count, *dims))
            for value, dims in zip(values, core_shapes)
        )
        outputs = _core.vectorized_map(call, flat)
        outputs = _check_outputs(outputs, outputs_core, sizes, signature, batch=1)
        return _map_outputs(lambda out: _shape.reshape(out, batch + tuple(out.shape[1:])), outputs)

    return vectorized


def _split_shapes(values, inputs_core, signature):
    """The broadcast batch shape of the vectorized arguments, the core shape of each, and
    the size of each named core dimension (checked to agree)."""
    core = [()] * len(values) if inputs_core is None else inputs_core
    if len(core) != len(values):
        raise ValueError(
            f"kfn.ops.vectorize: signature {signature!r} has {len(core)} inputs, got "
            f"{len(values)} vectorized arguments"
        )
    sizes, batch_shapes, core_shapes = {}, [], []
    for index, (value, dims) in enumerate(zip(values, core)):
        shape = tuple(value.shape)
        if len(shape) < len(dims):
            raise ValueError(
                f"kfn.ops.vectorize: argument {index} needs at least {len(dims)} axes for "
                f"core dimensions {dims} of signature {signature!r}, got shape {shape}"
            )
        split = len(shape) - len(dims)
        batch_shapes.append(shape[:split])
        core_shapes.append(shape[split:])
        for name, size in zip(dims, shape[split:]):
            if sizes.setdefault(name, size) != size:
                raise ValueError(
                    f"kfn.ops.vectorize: core dimension {name!r} has size {sizes[name]} "
                    f"and {size} in the arguments (signature {signature!r})"
                )
    try:
        batch = _broadcast_shapes(*batch_shapes)
    except ValueError:
        raise ValueError(
            "kfn.ops.vectorize: the batch shapes of the arguments cannot be broadcast "
            f"together: {', '.join(map(str, batch_shapes))}"
        ) from None
    return batch, core_shapes, sizes


_SIGNATURE = _re.compile(
    r"^(\((\w+(,\w+)*)?\))(,\((\w+(,\w+)*)?\))*->(\((\w+(,\w+)*)?\))(,\((\w+(,\w+)*)?\))*$"
)


def _signature(signature):
    """The core dimension names of the inputs and outputs of a gufunc signature."""
    text = _re.sub(r"\s+", "", str(signature))
    if not _SIGNATURE.match(text):
        raise ValueError(
            f"kfn.ops.vectorize: signature must read like '(m,n),(n)->(m)', got {signature!r}"
        )
    inputs, outputs = text.split("->")

    def parse(side):
        return [
            tuple(n for n in group.split(",") if n) for group in _re.findall(r"\(([^()]*)\)", side)
        ]

    return parse(inputs), parse(outputs)


def _map_outputs(fn, outputs):
    if isinstance(outputs, list | tuple):
        return type(outputs)(fn(out) for out in outputs)
    return fn(outputs)


def _check_outputs(outputs, outputs_core, sizes, signature, batch):
    """`outputs` after checking them against the output core dimensions of the signature
    (`batch` leading axes are not core axes)."""
    if outputs_core is None:
        return outputs
    several = len(outputs_core) != 1
    listed = list(outputs) if several and isinstance(outputs, list | tuple) else [outputs]
    if len(listed) != len(outputs_core):
        raise ValueError(
            f"kfn.ops.vectorize: signature {signature!r} has {len(outputs_core)} outputs, "
            f"pyfunc returned {len(listed) if several else 1}"
        )
    for index, (out, dims) in enumerate(zip(listed, outputs_core)):
        shape = tuple(_core.convert_to_tensor(out).shape)[batch:]
        if len(shape) != len(dims):
            raise ValueError(
                f"kfn.ops.vectorize: output {index} of pyfunc should have core dimensions "
                f"{dims} (signature {signature!r}), got shape {shape}"
            )
        for name, size in zip(dims, shape):
            if sizes.setdefault(name, size) != size:
                raise ValueError(
                    f"kfn.ops.vectorize: core dimension {name!r} has size {sizes[name]} in "
                    f"the arguments and {size} in output {index}"
                )
    return outputs
