"""Pure models: a Sequential stack or a Functional graph of pure layers is a pure layer too.

    init(key, *input_specs)                             -> variables
    apply(variables, *inputs, training=False, key=None) -> (outputs, new_non_trainable)

A model's variables are its layers' variables nested under the layer names:
`{"trainable": {"dense": {"kernel": ..., "bias": ...}, ...}, "non_trainable": {...}}`; a
layer with no variables has no entry. `apply` returns the whole new non-trainable tree, in
the structure it was given, so the state can be carried through `jax.lax.scan` or a training
loop unchanged. The key, when given, is split so that each random layer gets its own.

Example:
    >>> model = kfn.pure.models.Sequential((kfn.pure.layers.Dense(8, activation="relu"),
    ...                                     kfn.pure.layers.Dense(1)))
    >>> variables = model.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
    >>> y, _ = jax.jit(model.apply)(variables, x)
"""

from __future__ import annotations

import dataclasses
import functools

from kfn import ops
from kfn.pure import registry
from kfn.pure.layers import base
from kfn.state import tree
from kfn.state.spec import TensorSpec


def _child_variables(variables, name) -> dict:
    return {
        "trainable": variables["trainable"].get(name, {}),
        "non_trainable": variables["non_trainable"].get(name, {}),
    }


def apply_child(layer, variables, args, kwargs, training, key):
    """Run one layer of a model: its inputs cast to its compute dtype, its activity
    regularization added to the collected losses."""
    if layer.autocast and layer.compute_dtype in base._FLOATS:
        args = base.autocast(layer.compute_dtype, args)
    outputs, new_non_trainable = layer.apply(variables, *args, training=training, key=key, **kwargs)
    base.activity_losses(layer, outputs)
    return outputs, new_non_trainable


@functools.cache
def _takes_mask(layer_class) -> bool:
    return base.takes_argument(layer_class.apply, "mask")


def mask_arguments(layer, mask, kwargs) -> dict:
    """`kwargs` with the mask of the layer's inputs added, when its apply takes one and
    none was given (Keras's mask propagation)."""
    if mask is None or "mask" in kwargs or not _takes_mask(type(layer)):
        return kwargs
    return {**kwargs, "mask": mask}


def passed_mask(layer, inputs, mask):
    """The mask of the layer's outputs: `compute_mask` when the layer supports masking
    (None otherwise), as the stateful layers attach it."""
    if not layer.supports_masking:
        return None
    if mask is None and type(layer).compute_mask is base.Layer.compute_mask:
        return None
    return layer.compute_mask(inputs, mask)


def output_spec_with(layer, variables, *specs, **keyword_specs):
    """The output specs of `layer` applied with these variables (or their specs)."""
    if type(layer).output_spec is not base.Layer.output_spec and not keyword_specs:
        return layer.output_spec(*specs)
    variable_specs = tree.map_structure(
        lambda v: TensorSpec(tuple(v.shape), ops.dtype(v)) if ops.is_tensor(v) else v, variables
    )

    def run(variables, *inputs, **keywords):
        return apply_child(layer, variables, inputs, keywords, False, None)[0]

    return ops.eval_shape(run, variable_specs, *specs, **keyword_specs)


def default_names(layers) -> tuple:
    """Unique snake_case names for layers in a model: "dense", "dense_1", ..."""
    counts: dict = {}
    names = []
    for layer in layers:
        stem = registry.snake_case(type(layer).__name__)
        count = counts.get(stem, 0)
        counts[stem] = count + 1
        names.append(stem if count == 0 else f"{stem}_{count}")
    return tuple(names)


def _check_names(model: str, names) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{model}: two layers are named {name!r}; layer names must be unique")
        seen.add(name)


@base.register
@dataclasses.dataclass(frozen=True)
class Sequential(base.Layer):
    """Layers applied one after the other.

    Args:
        layers: the pure layers, in order.
        names: their names (the keys of the variables); default snake_case class names
            made unique ("dense", "dense_1").

    Example:
        >>> model = kfn.pure.models.Sequential((kfn.pure.layers.Dense(4),))
        >>> variables = model.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
    """

    layers: tuple = ()
    names: tuple | None = None

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "layers", tuple(self.layers))
        names = default_names(self.layers) if self.names is None else tuple(self.names)
        if len(names) != len(self.layers):
            raise ValueError(
                f"Sequential: {len(self.layers)} layers but {len(names)} names were given"
            )
        _check_names("Sequential", names)
        object.__setattr__(self, "names", names)

    @property
    def uses_key(self) -> bool:
        return any(layer.uses_key for layer in self.layers)

    @property
    def uses_training(self) -> bool:
        return any(layer.uses_training for layer in self.layers)

    def init(self, key, spec):
        trainable, non_trainable = {}, {}
        for layer, name, layer_key in zip(
            self.layers, self.names, base.split_key(key, len(self.layers))
        ):
            variables = layer.init(layer_key, spec)
            if variables["trainable"]:
                trainable[name] = variables["trainable"]
            if variables["non_trainable"]:
                non_trainable[name] = variables["non_trainable"]
            spec = output_spec_with(layer, variables, spec)
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        """The layers in turn; `mask` (optional) is the inputs' mask, and each layer's
        output mask goes to the next (Keras's mask propagation)."""
        keys = base.split_key(key if self.uses_key else None, len(self.layers))
        new_non_trainable = {}
        outputs = inputs
        for layer, name, layer_key in zip(self.layers, self.names, keys):
            layer_inputs = outputs
            outputs, changed = apply_child(
                layer,
                _child_variables(variables, name),
                (outputs,),
                mask_arguments(layer, mask, {}),
                training,
                layer_key,
            )
            mask = passed_mask(layer, layer_inputs, mask)
            if changed:
                new_non_trainable[name] = changed
        return outputs, new_non_trainable

    def output_spec(self, spec):
        variables = ops.eval_shape(lambda: self.init(None, spec))
        for layer, name in zip(self.layers, self.names):
            spec = output_spec_with(layer, _child_variables(variables, name), spec)
        return spec

    def get_config(self) -> dict:
        return {
            "layers": [registry.serialize(layer) for layer in self.layers],
            "names": list(self.names),
        }

    @classmethod
    def from_config(cls, config: dict):
        layers = tuple(registry.deserialize("pure_layers", c) for c in config["layers"])
        return cls(layers, names=tuple(config.get("names") or ()) or None)


class Ref:
    """A tensor of a Functional graph: an index into the values computed so far (inputs
    first, then each node's outputs in order). Not a pytree node, so it is a leaf."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index

    def __repr__(self) -> str:
        return f"Ref({self.index})"

    def __eq__(self, other):
        return isinstance(other, Ref) and other.index == self.index

    def __hash__(self):
        return hash(("Ref", self.index))


@dataclasses.dataclass(frozen=True)
class FunctionalNode:
    """One call in a Functional graph.

    Args:
        name: the layer's name (its variables' key) or the op's name.
        operation: a pure layer, or a function of tensors (a kfn.ops function).
        args, kwargs: the call's arguments, with `Ref`s where tensors of the graph go.
        outputs: the structure of the outputs, with a `Ref` for each.
    """

    name: str
    operation: object
    args: tuple
    kwargs: dict
    outputs: object

    @property
    def is_layer(self) -> bool:
        return isinstance(self.operation, base.Layer) or hasattr(self.operation, "apply")


def _substitute(values: dict, structure):
    return tree.map_structure(
        lambda leaf: values[leaf.index] if isinstance(leaf, Ref) else leaf, structure
    )


def _store(values: dict, refs, results) -> None:
    flat_refs = tree.flatten(refs)
    flat_results = tree.flatten(results)
    if len(flat_refs) != len(flat_results):
        raise ValueError(
            f"a Functional node returned {len(flat_results)} tensors, expected {len(flat_refs)}"
        )
    for ref, value in zip(flat_refs, flat_results):
        values[ref.index] = value


@dataclasses.dataclass(frozen=True)
class Functional(base.Layer):
    """A graph of pure layers and kfn.ops calls (what `kfn.Model(inputs, outputs).pure()`
    returns).

    Args:
        inputs: the structure of the inputs (single, list or dict), with `Ref`s.
        outputs: the structure of the outputs, with `Ref`s.
        nodes: the `FunctionalNode`s, in an order where each node's inputs come first.

    A layer used by several nodes (a shared layer) has one set of variables.
    """

    inputs: object = None
    outputs: object = None
    nodes: tuple = ()

    @property
    def uses_key(self) -> bool:
        return any(n.is_layer and n.operation.uses_key for n in self.nodes)

    @property
    def uses_training(self) -> bool:
        return any(n.is_layer and n.operation.uses_training for n in self.nodes)

    def _layer_nodes(self):
        return [n for n in self.nodes if n.is_layer]

    def init(self, key, *input_specs):
        specs: dict = {}
        _store(specs, self.inputs, _one_or_all(input_specs))
        layer_nodes = self._layer_nodes()
        keys = dict(zip((n.name for n in layer_nodes), base.split_key(key, len(layer_nodes))))
        trainable, non_trainable, done = {}, {}, {}
        for node in self.nodes:
            args, kwargs = _substitute(specs, (node.args, node.kwargs))
            if node.is_layer:
                if node.name not in done:
                    done[node.name] = node.operation.init(
                        keys[node.name], *args, **_only_specs(kwargs)
                    )
                    if done[node.name]["trainable"]:
                        trainable[node.name] = done[node.name]["trainable"]
                    if done[node.name]["non_trainable"]:
                        non_trainable[node.name] = done[node.name]["non_trainable"]
                result = output_spec_with(node.operation, done[node.name], *args, **kwargs)
            else:
                result = ops.eval_shape(node.operation, *args, **kwargs)
            _store(specs, node.outputs, result)
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, *inputs, training=False, key=None):
        values: dict = {}
        _store(values, self.inputs, _one_or_all(inputs))
        layer_names = [n.name for n in self._layer_nodes() if n.operation.uses_key]
        keys = dict(
            zip(layer_names, base.split_key(key if layer_names else None, len(layer_names)))
        )
        new_non_trainable: dict = {}
        masks: dict = {}  # Ref index -> the mask of that tensor (Keras's mask propagation)
        for node in self.nodes:
            args, kwargs = _substitute(values, (node.args, node.kwargs))
            if node.is_layer:
                current = _child_variables(variables, node.name)
                if node.name in new_non_trainable:  # a shared layer sees the latest state
                    current["non_trainable"] = new_non_trainable[node.name]
                mask = _mask_of(masks, node.args[0]) if node.args else None
                result, changed = apply_child(
                    node.operation,
                    current,
                    args,
                    mask_arguments(node.operation, mask, kwargs),
                    training,
                    keys.get(node.name),
                )
                if changed:
                    new_non_trainable[node.name] = changed
                if masks or node.operation.supports_masking:
                    out_mask = passed_mask(node.operation, args[0] if args else None, mask)
                    _store_masks(masks, node.outputs, out_mask)
            else:
                result = node.operation(*args, **kwargs)
            _store(values, node.outputs, result)
        return _substitute(values, self.outputs), new_non_trainable

    def get_config(self) -> dict:
        raise NotImplementedError(
            "a pure Functional graph has no config of its own: save the stateful model "
            "(kfn.Model.get_config) it came from"
        )


def _mask_of(masks: dict, argument):
    """The mask of a node's first argument: a Ref's mask, or a list of them (None when
    none has one)."""
    if isinstance(argument, Ref):
        return masks.get(argument.index)
    if isinstance(argument, list | tuple):
        found = [masks.get(a.index) if isinstance(a, Ref) else None for a in argument]
        return found if any(m is not None for m in found) else None
    return None


def _store_masks(masks: dict, refs, mask) -> None:
    if mask is None:
        return
    if isinstance(refs, Ref):
        masks[refs.index] = mask
    elif isinstance(refs, list | tuple) and isinstance(mask, list | tuple):
        for ref, m in zip(refs, mask):
            if isinstance(ref, Ref) and m is not None:
                masks[ref.index] = m


def _one_or_all(inputs: tuple):
    return inputs[0] if len(inputs) == 1 else list(inputs)


def _only_specs(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if isinstance(v, TensorSpec)}
