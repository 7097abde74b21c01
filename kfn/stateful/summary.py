"""`model.summary()`: the Keras table of layers, output shapes and parameter counts."""

from __future__ import annotations

import math
import textwrap

import numpy as np


def _count(variables) -> tuple[int, int]:
    """(number of scalars, bytes) of some variables."""
    count = 0
    size = 0
    for v in variables:
        n = int(np.prod(v.shape, dtype=np.int64))
        count += n
        size += n * np.dtype(_numpy_dtype(v.dtype)).itemsize
    return count, size


def _numpy_dtype(dtype: str):
    return "float16" if dtype == "bfloat16" else dtype


def _bytes(size: int) -> str:
    units = ["B", "KB", "MB", "GB", "TB"]
    index = 0 if size < 1024 else min(int(math.log(size, 1024)), len(units) - 1)
    return f"{size / 1024**index:.2f} {units[index]}"


def _shape_text(layer) -> str:
    shape = layer._output_shape
    if shape is None:
        return "?"
    return _format_shape(shape)


def _format_shape(shape) -> str:
    if isinstance(shape, tuple) and all(isinstance(d, int | type(None)) for d in shape):
        return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_format_shape(v)}" for k, v in shape.items()) + "}"
    if isinstance(shape, list | tuple):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return str(shape)


def _connections(model) -> dict:
    """For a Functional model: layer name -> the inputs of its nodes ("dense[0][0]")."""
    from kfn.ops import symbolic
    from kfn.state import tree

    produced, node_counts, connected = {}, {}, {}
    for tensor in model._flat_inputs:
        produced[id(tensor)] = f"{tensor.node.operation.name}[0][0]"
    for node in model._nodes:
        name = getattr(node.operation, "name", None) or node.operation.__name__
        index = node_counts.get(name, 0)
        node_counts[name] = index + 1
        sources = [
            produced.get(id(t), "?")
            for t in tree.flatten((node.args, node.kwargs))
            if isinstance(t, symbolic.SymbolicTensor)
        ]
        connected.setdefault(name, []).extend(sources)
        for position, tensor in enumerate(tree.flatten(node.outputs)):
            produced[id(tensor)] = f"{name}[{index}][{position}]"
    return connected


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Print `model`'s summary (see `kfn.Model.summary`)."""
    from kfn.stateful.functional import Functional

    print_fn = print_fn or print
    functional = isinstance(model, Functional)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if functional:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    line_length = line_length or (108 if functional else 78)
    if positions is None:
        relative = [0.45, 0.75, 1.0] if not functional else [0.3, 0.6, 0.7, 1.0]
        if show_trainable:
            relative = [p * 0.9 for p in relative] + [1.0]
    else:
        relative = list(positions)
    if relative[-1] <= 1:
        relative = [int(line_length * p) for p in relative]
    widths = [b - a for a, b in zip([0, *relative[:-1]], relative)]
    widths = [max(w - 3, 5) for w in widths]

    connections = _connections(model) if functional else {}
    rows = []

    def add_rows(layers, depth):
        for layer in layers:
            if not hasattr(layer, "weights"):
                continue
            label = "  " * depth + f"{layer.name} ({type(layer).__name__})"
            params = _count(layer.weights)[0] if layer.built else 0
            row = [label, _shape_text(layer), f"{params:,}" if layer.built else "0 (unbuilt)"]
            if functional:
                row.append(", ".join(connections.get(layer.name, [])) or "-")
            if show_trainable:
                row.append("Y" if layer.trainable else "N")
            rows.append(row)
            nested = getattr(layer, "layers", None)
            if expand_nested and nested and hasattr(layer, "summary"):
                add_rows(nested, depth + 1)

    layers = list(model.layers)
    if layer_range is not None:
        names = [layer.name for layer in layers]
        start, end = layer_range
        if start not in names or end not in names:
            raise ValueError(
                f"summary: layer_range names layers {layer_range!r}, the model has {names}"
            )
        layers = layers[names.index(start) : names.index(end) + 1]
    add_rows(layers, 0)

    def line(left, middle, right, fill):
        return left + middle.join(fill * (w + 2) for w in widths) + right

    def cells(values, right_align=(2,)):
        wrapped = [textwrap.wrap(v, w) or [""] for v, w in zip(values, widths)]
        height = max(len(c) for c in wrapped)
        out = []
        for i in range(height):
            parts = []
            for column, (chunk, width) in enumerate(zip(wrapped, widths)):
                text = chunk[i] if i < len(chunk) else ""
                parts.append(text.rjust(width) if column in right_align else text.ljust(width))
            out.append(parts)
        return out

    print_fn(f'Model: "{model.name}"')
    print_fn(line("┏", "┳", "┓", "━"))
    for parts in cells(headers):
        print_fn("┃ " + " ┃ ".join(parts) + " ┃")
    print_fn(line("┡", "╇", "┩", "━"))
    for index, row in enumerate(rows):
        for parts in cells(row):
            print_fn("│ " + " │ ".join(parts) + " │")
        if index < len(rows) - 1:
            print_fn(line("├", "┼", "┤", "─"))
    print_fn(line("└", "┴", "┘", "─"))
    if model.built:
        total = _count(model.weights)
        trainable = _count(model.trainable_weights)
        non_trainable = _count(model.non_trainable_weights)
    else:
        total = trainable = non_trainable = (0, 0)
    print_fn(f" Total params: {total[0]:,} ({_bytes(total[1])})")
    print_fn(f" Trainable params: {trainable[0]:,} ({_bytes(trainable[1])})")
    print_fn(f" Non-trainable params: {non_trainable[0]:,} ({_bytes(non_trainable[1])})")
