"""The Functional API: a model made of the graph between `kfn.Input`s and outputs.

Calling layers (and kfn.ops functions) on symbolic tensors records nodes; `kfn.Model(inputs,
outputs)` walks back from the outputs to the inputs, orders the nodes so each one's inputs
come first, and runs them in that order when called. Several inputs and outputs (lists or
dicts), shared layers (one layer, several nodes) and nested models are supported.
"""

from __future__ import annotations

from kfn import ops
from kfn.backends.common import dtypes
from kfn.ops import symbolic
from kfn.pure import models as pure_models
from kfn.pure import registry
from kfn.state import tree
from kfn.stateful import masking
from kfn.stateful.input_layer import InputLayer
from kfn.stateful.layer import Layer
from kfn.stateful.model import Model


class Functional(Model):
    """A model defined by its inputs and outputs (what `kfn.Model(inputs, outputs)` makes).

    Args:
        inputs: a symbolic tensor from `kfn.Input`, or a list or dict of them.
        outputs: a symbolic tensor computed from the inputs, or a list or dict of them.
        name: the model's name.
        trainable: whether its variables are trained.

    Example:
        >>> a, b = kfn.Input((3,)), kfn.Input((3,))
        >>> shared = kfn.layers.Dense(4)
        >>> merged = kfn.ops.concatenate([shared(a), shared(b)], axis=-1)
        >>> model = kfn.Model([a, b], kfn.layers.Dense(1)(merged))
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        self._inputs_structure = _as_structure(inputs)
        self._outputs_structure = _as_structure(outputs)
        self._flat_inputs = tree.flatten(self._inputs_structure)
        self._flat_outputs = tree.flatten(self._outputs_structure)
        for role, tensors in (("inputs", self._flat_inputs), ("outputs", self._flat_outputs)):
            for tensor in tensors:
                if not isinstance(tensor, symbolic.SymbolicTensor):
                    raise TypeError(
                        f"{self._describe()}: {role} must be symbolic tensors (from kfn.Input and "
                        f"layers called on them), got {type(tensor).__name__}"
                    )
        for tensor in self._flat_inputs:
            if not isinstance(getattr(tensor.node, "operation", None), InputLayer):
                raise ValueError(
                    f"{self._describe()}: every input must come from kfn.Input, but "
                    f"{tensor.name!r} is the output of a layer"
                )
        self._nodes = self._ordered_nodes()
        layers = []
        for tensor in self._flat_inputs:
            layers.append(tensor.node.operation)
        for node in self._nodes:
            if isinstance(node.operation, Layer) and all(
                node.operation is not seen for seen in layers
            ):
                layers.append(node.operation)
        names = set()
        for layer in layers:
            if layer.name in names:
                raise ValueError(
                    f"{self._describe()}: two layers are named {layer.name!r}; the layers of "
                    "a model must have unique names"
                )
            names.add(layer.name)
            self._track_layer(layer)
        self.built = True
        self._output_shape = tree.map_structure(lambda t: t.shape, self._outputs_structure)

    def _ordered_nodes(self) -> list:
        inputs = {id(t) for t in self._flat_inputs}
        ordered, done, active = [], set(), set()

        def visit(tensor):
            if id(tensor) in inputs:
                return
            node = tensor.node
            if node is None:
                raise ValueError(
                    f"{self._describe()}: the tensor {tensor.name!r} comes from no layer"
                )
            if isinstance(node.operation, InputLayer):
                raise ValueError(
                    f"{self._describe()}: the outputs depend on the input {tensor.name!r}, which "
                    "is not among the model's inputs"
                )
            if id(node) in done:
                return
            if id(node) in active:
                raise ValueError(f"{self._describe()}: the graph has a cycle")
            active.add(id(node))
            for parent in node.inputs:
                visit(parent)
            active.discard(id(node))
            done.add(id(node))
            ordered.append(node)

        for tensor in self._flat_outputs:
            visit(tensor)
        return ordered

    # ---------------------------------------------------------------- reading

    @property
    def inputs(self) -> list:
        return list(self._flat_inputs)

    @property
    def outputs(self) -> list:
        return list(self._flat_outputs)

    @property
    def input(self):
        return self._inputs_structure

    @property
    def output(self):
        return self._outputs_structure

    @property
    def input_shape(self):
        return tree.map_structure(lambda t: t.shape, self._inputs_structure)

    # ---------------------------------------------------------------- calling

    def call(self, inputs, training=None, mask=None):
        values = {}
        flat = self._match_inputs(inputs)
        if mask is not None:  # explicit input masks: the first layers read them off the inputs
            masks = mask if isinstance(mask, list | tuple) else [mask]
            for value, m in zip(flat, masks):
                if m is not None:
                    masking.set_mask(value, m)
        for tensor, value in zip(self._flat_inputs, flat):
            values[id(tensor)] = value
        for node in self._nodes:
            results = node.run(values)
            for tensor, value in zip(tree.flatten(node.outputs), tree.flatten(results)):
                values[id(tensor)] = value
        return tree.map_structure(lambda t: values[id(t)], self._outputs_structure)

    def _build_from_call(self, args, kwargs) -> None:
        self.built = True

    def compute_mask(self, inputs, previous_mask):
        return None  # the layers inside attach their outputs' masks

    def _match_inputs(self, inputs) -> list:
        structure = self._inputs_structure
        if isinstance(structure, dict):
            if not isinstance(inputs, dict):
                raise ValueError(
                    f"{self._describe()} expects a dict of inputs with keys "
                    f"{sorted(structure)}, got {type(inputs).__name__}"
                )
            unknown = sorted(set(inputs) - set(structure))
            missing = sorted(set(structure) - set(inputs))
            if unknown or missing:
                raise ValueError(
                    f"{self._describe()} expects inputs {sorted(structure)}; missing {missing}, "
                    f"unexpected {unknown}"
                )
            flat = tree.flatten({k: inputs[k] for k in structure})
        elif isinstance(structure, list | tuple):
            if isinstance(inputs, dict):
                by_name = {t.node.operation.name: t for t in self._flat_inputs}
                unknown = sorted(set(inputs) - set(by_name))
                if unknown or len(inputs) != len(by_name):
                    raise ValueError(
                        f"{self._describe()} has inputs named {list(by_name)}, got a dict with "
                        f"keys {sorted(inputs)}"
                    )
                flat = [inputs[t.node.operation.name] for t in self._flat_inputs]
            else:
                if not isinstance(inputs, list | tuple) or len(inputs) != len(structure):
                    count = len(inputs) if isinstance(inputs, list | tuple) else 1
                    raise ValueError(
                        f"{self._describe()} expects {len(structure)} inputs, got {count}"
                    )
                flat = tree.flatten(list(inputs))
        else:
            if isinstance(inputs, list | tuple) and len(inputs) == 1:
                inputs = inputs[0]
            elif isinstance(inputs, list | tuple | dict):
                raise ValueError(f"{self._describe()} expects 1 input, got {len(inputs)}")
            flat = [inputs]
        return [self._standardize(t, x) for t, x in zip(self._flat_inputs, flat)]

    def _standardize(self, tensor, value):
        """An input converted to the Input's dtype, its shape checked against the Input's."""
        expected = tensor.dtype
        if not ops.is_tensor(value):
            if value is None:
                if tensor.node.operation._pure.optional:
                    return None
                raise ValueError(f"{self._describe()}: input {tensor.name!r} is None")
            source = dtypes.standardize_dtype(getattr(value, "dtype", None) or "float32")
            if dtypes.is_float(source) and not dtypes.is_float(expected):
                raise ValueError(
                    f"{self._describe()}: input {tensor.name!r} expects {expected} values, got "
                    f"{source} (convert them explicitly if that is meant)"
                )
            value = ops.convert_to_tensor(value, expected)
        else:
            source = ops.dtype(value)
            if source != expected and (
                dtypes.is_float(expected)
                and (dtypes.is_float(source) or source.startswith(("int", "uint", "bool")))
            ):
                value = ops.cast(value, expected)
        shape = tuple(value.shape)
        wanted = tensor.shape
        if len(shape) != len(wanted) or any(
            w is not None and s is not None and w != s for w, s in zip(wanted, shape)
        ):
            raise ValueError(
                f"{self._describe()}: input {tensor.name!r} expects shape {wanted}, got {shape}"
            )
        return value

    # ---------------------------------------------------------------- pure view

    def pure(self) -> pure_models.Functional:
        """The model as a pure `kfn.pure.models.Functional` of the layers' pure views, with
        variables nested by layer name as in `state_tree()` (RNG seed states excluded: the
        pure form takes a key)."""
        index: dict = {}

        def ref(tensor):
            if id(tensor) not in index:
                index[id(tensor)] = pure_models.Ref(len(index))
            return index[id(tensor)]

        def template(structure):
            return tree.map_structure(
                lambda leaf: ref(leaf) if isinstance(leaf, symbolic.SymbolicTensor) else leaf,
                structure,
            )

        inputs = template(self._inputs_structure)
        nodes = []
        for node in self._nodes:
            operation = node.operation
            if isinstance(operation, Layer):
                name, pure = operation.name, operation.pure()
            else:
                name, pure = operation.__name__, operation
            args, kwargs = template((node.args, node.kwargs))
            nodes.append(
                pure_models.FunctionalNode(name, pure, args, kwargs, template(node.outputs))
            )
        return pure_models.Functional(
            inputs=inputs, outputs=template(self._outputs_structure), nodes=tuple(nodes)
        )

    # ---------------------------------------------------------------- configuration

    def get_config(self) -> dict:
        """The graph as a config: each layer's config and the nodes that call it, the
        inputs and outputs by (layer name, node index, tensor index), as Keras writes it."""
        producers = {}  # id(tensor) -> [layer or op name, node index, tensor index]
        entries, by_operation, op_names = [], {}, {}
        for tensor in self._flat_inputs:
            layer = tensor.node.operation
            producers[id(tensor)] = [layer.name, 0, 0]
            by_operation[id(layer)] = {
                "class_name": "InputLayer",
                "config": layer.get_config(),
                "name": layer.name,
                "inbound_nodes": [],
            }
            entries.append(by_operation[id(layer)])
        for node in self._nodes:
            operation = node.operation
            if id(operation) not in by_operation:
                if isinstance(operation, Layer):
                    entry = {
                        **registry.serialize(operation),
                        "name": operation.name,
                        "inbound_nodes": [],
                    }
                else:
                    stem = operation.__name__
                    count = op_names.get(stem, 0)
                    op_names[stem] = count + 1
                    entry = {
                        "class_name": "__operation__",
                        "config": {"function": stem},
                        "name": stem if count == 0 else f"{stem}_{count}",
                        "inbound_nodes": [],
                    }
                by_operation[id(operation)] = entry
                entries.append(entry)
            entry = by_operation[id(operation)]
            node_index = len(entry["inbound_nodes"])

            def encode(leaf):
                if isinstance(leaf, symbolic.SymbolicTensor):
                    return {"__tensor__": producers[id(leaf)]}
                return _plain(leaf)

            args, kwargs = tree.map_structure(encode, (node.args, node.kwargs))
            entry["inbound_nodes"].append({"args": _plain(args), "kwargs": kwargs})
            for position, tensor in enumerate(tree.flatten(node.outputs)):
                producers[id(tensor)] = [entry["name"], node_index, position]
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": entries,
            "input_layers": tree.map_structure(
                lambda t: producers[id(t)], _lists(self._inputs_structure)
            ),
            "output_layers": tree.map_structure(
                lambda t: producers[id(t)], _lists(self._outputs_structure)
            ),
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None, layers=None):
        """The model of a `get_config()`; `layers` maps layer names to layer objects to use
        instead of new ones (`clone_model`'s clone_function)."""
        from kfn import ops as kfn_ops

        produced: dict = {}  # (name, node index) -> outputs
        operations = {}
        pending = []
        for entry in config["layers"]:
            name = entry["name"]
            if entry["class_name"] == "__operation__":
                function = getattr(kfn_ops, entry["config"]["function"], None)
                if function is None:
                    raise ValueError(
                        f"Functional config: unknown operation {entry['config']['function']!r} "
                        "(only kfn.ops functions can appear in a saved graph)"
                    )
                operations[name] = function
            else:
                if layers and name in layers:
                    layer = layers[name]
                else:
                    layer = registry.deserialize(
                        "layers",
                        {"class_name": entry["class_name"], "config": entry["config"]},
                        custom_objects,
                    )
                operations[name] = layer
                if isinstance(layer, InputLayer):
                    produced[(name, 0)] = layer.output
            for node_index, node in enumerate(entry["inbound_nodes"]):
                pending.append((name, node_index, node))

        def ready(leaf):
            return not (isinstance(leaf, dict) and "__tensor__" in leaf) or (
                tuple(leaf["__tensor__"][:2]) in produced
            )

        def decode(value):
            if isinstance(value, dict) and "__tensor__" in value:
                name, node_index, position = value["__tensor__"]
                return tree.flatten(produced[(name, node_index)])[position]
            if isinstance(value, dict):
                return {k: decode(v) for k, v in value.items()}
            if isinstance(value, list):
                return [decode(v) for v in value]
            return value

        while pending:
            progress = False
            for item in list(pending):
                name, node_index, node = item
                if all(ready(leaf) for leaf in _tensor_refs(node)):
                    args = decode(node["args"])
                    kwargs = decode(node["kwargs"])
                    produced[(name, node_index)] = operations[name](*args, **kwargs)
                    pending.remove(item)
                    progress = True
            if not progress:
                raise ValueError(
                    "Functional config: some nodes' inputs are never produced: "
                    f"{[(n, i) for n, i, _ in pending]}"
                )

        def lookup(ref):
            name, node_index, position = ref
            return tree.flatten(produced[(name, node_index)])[position]

        inputs = _map_refs(config["input_layers"], lookup)
        outputs = _map_refs(config["output_layers"], lookup)
        return cls(
            inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True)
        )


registry.register("layers", "Functional")(Functional)


def _as_structure(value):
    if isinstance(value, tuple):
        return list(value)
    return value


def _lists(structure):
    if isinstance(structure, tuple | list):
        return [_lists(s) for s in structure]
    if isinstance(structure, dict):
        return {k: _lists(v) for k, v in structure.items()}
    return structure


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _tensor_refs(node: dict) -> list:
    found = []

    def visit(value):
        if isinstance(value, dict) and "__tensor__" in value:
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)

    visit(node)
    return found


def _map_refs(structure, lookup):
    """Input/output references ([name, node, index], or lists/dicts of them) to tensors."""
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
        return lookup(structure)
    if isinstance(structure, list):
        return [_map_refs(s, lookup) for s in structure]
    if isinstance(structure, dict):
        return {k: _map_refs(v, lookup) for k, v in structure.items()}
    return structure
