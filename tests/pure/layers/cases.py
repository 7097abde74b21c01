"""Table-driven layer tests: one `LayerCase` per row, one test function per check walking
every table (tests/pure/layers/test_*.py each hold one family's table).

    CASES = [
        LayerCase("Dense", {"units": 4}, (f32(2, 3),)),
        LayerCase("Dense", {"units": 4, "activation": "relu"}, (f32(2, 5, 3),)),
        LayerCase("Dropout", {"rate": 0.5}, (f32(4, 3),), training=True, keras=False,
                  reference=...),
    ]

    @pytest.mark.parametrize("case", CASES, ids=case_id)
    def test_layer(case):
        check_layer(case)

`check_layer` builds the kfn layer (`kfn.layers.<name>(**config)`) on the inputs and checks:
1. the output's shape and dtype equal the pure layer's `output_spec` and what a symbolic call
   (`kfn.Input`) predicts;
2. the values equal Keras 3's same-named layer on the same backend, with kfn's weights copied
   in by `set_weights` (when `keras=True`), or a NumPy `reference(weights, *inputs)`;
3. the pure form agrees: `layer.pure().apply(layer.state_tree(), *inputs)` gives the same
   outputs, and `stateless_call` touches no variable;
4. `get_config`/`from_config` round-trips (same config, same outputs with the same weights);
5. gradients reach every trainable variable (jax, torch, tensorflow).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest

import kfn
from kfn import ops, tree
from kfn.pure.layers.base import autocast, compute_variables
from kfn.state.spec import TensorSpec
from tests.conftest import BACKEND, GRADIENT_BACKENDS

RNG = np.random.default_rng(7)


@dataclasses.dataclass
class LayerCase:
    """One row of a layer table.

    Args:
        layer: the class name in `kfn.layers` (and `keras.layers` for the Keras reference).
        config: constructor arguments.
        inputs: the positional inputs (NumPy arrays, or lists of them for merge layers).
        call_kwargs: keyword arguments of the call (NumPy arrays are converted).
        training: the `training` argument of the call.
        keras: compare with `keras.layers.<layer>(**keras_config or config)`.
        keras_config: the Keras constructor arguments when they differ from `config`.
        reference: `reference(weights, *inputs) -> expected` with NumPy weights (in
            `get_weights()` order) and inputs; used when `keras` is False.
        random: the output is random (training-mode dropout, noise): values are checked by
            `reference` only, which then receives the output too: `reference(weights, output,
            *inputs)` returns True when the output is plausible.
        gradients: check that gradients reach every trainable variable.
        rtol, atol: tolerances of the value comparisons.
        skip: backends this case does not run on, mapped to the reason.
        id: a readable test id (default: layer name and config).
        random_weights: once built, the layer's weights are replaced by random values
            (uniform in [-1, 1]) before any check, so a case can start from a cheap
            initializer ("zeros": no RNG compilation per kernel shape on JAX, for kfn and
            Keras alike) and still compare non-trivial weights.
    """

    layer: str
    config: dict = dataclasses.field(default_factory=dict)
    inputs: tuple = ()
    call_kwargs: dict = dataclasses.field(default_factory=dict)
    training: bool = False
    keras: bool = True
    keras_config: dict | None = None
    reference: Callable | None = None
    random: bool = False
    gradients: bool = True
    rtol: float = 1e-5
    atol: float = 1e-5
    skip: dict = dataclasses.field(default_factory=dict)
    id: str | None = None
    random_weights: bool = False


def case_id(case: LayerCase) -> str:
    if case.id:
        return case.id
    args = ",".join(f"{k}={_describe(v)}" for k, v in case.config.items())
    return f"{case.layer}({args})" + ("-training" if case.training else "")


def _describe(value) -> str:
    """A value as it reads in a test id (stable across processes: no object addresses)."""
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    return repr(value)


# ---------------------------------------------------------------------------- inputs


def f32(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


def i32(*shape, low=0, high=10):
    return RNG.integers(low, high, shape).astype(np.int32)


def to_backend(value):
    return tree.map_structure(
        lambda leaf: ops.convert_to_tensor(leaf) if isinstance(leaf, np.ndarray) else leaf,
        value,
    )


def to_numpy(value):
    return tree.map_structure(
        lambda leaf: ops.convert_to_numpy(leaf) if ops.is_tensor(leaf) else leaf, value
    )


def specs_of(value):
    return tree.map_structure(lambda x: TensorSpec(x.shape, x.dtype.name), value)


def assert_close(actual, expected, rtol, atol, label):
    actual, expected = to_numpy(actual), to_numpy(expected)
    flat_actual, flat_expected = tree.flatten(actual), tree.flatten(expected)
    assert len(flat_actual) == len(flat_expected), f"{label}: number of outputs differs"
    for a, e in zip(flat_actual, flat_expected):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"{label}: shape {a.shape}, expected {e.shape}"
        np.testing.assert_allclose(
            a.astype(np.float64), e.astype(np.float64), rtol=rtol, atol=atol, err_msg=label
        )


# ---------------------------------------------------------------------------- the checks


def make(case: LayerCase):
    """The kfn layer of a case, built by calling it on the inputs; (layer, outputs)."""
    if BACKEND in case.skip:
        pytest.skip(case.skip[BACKEND])
    layer = getattr(kfn.layers, case.layer)(**case.config)
    outputs = layer(
        *to_backend(case.inputs), training=case.training, **to_backend(case.call_kwargs)
    )
    if case.random_weights:
        layer.set_weights(
            [RNG.uniform(-1.0, 1.0, w.shape).astype(w.dtype) for w in layer.get_weights()]
        )
        outputs = layer(
            *to_backend(case.inputs), training=case.training, **to_backend(case.call_kwargs)
        )
    return layer, outputs


def check_layer(case: LayerCase) -> None:
    """Every check of the module docstring, for one case."""
    layer, outputs = make(case)
    label = case_id(case)
    check_specs(case, layer, outputs, label)
    check_values(case, layer, outputs, label)
    check_pure(case, layer, outputs, label)
    check_config(case, layer, outputs, label)
    if case.gradients and BACKEND in GRADIENT_BACKENDS and layer.trainable_variables:
        check_gradients_reach_variables(case, layer, label)


def check_specs(case, layer, outputs, label) -> None:
    flat = tree.flatten(outputs)
    specs = tree.flatten(layer.pure().output_spec(*specs_of(case.inputs)))
    assert len(specs) == len(flat), f"{label}: output_spec has {len(specs)} outputs"
    for spec, out in zip(specs, flat):
        assert tuple(spec.shape) == tuple(out.shape), (
            f"{label}: output_spec shape {spec.shape}, actual {tuple(out.shape)}"
        )
        assert spec.dtype == ops.dtype(out), f"{label}: output_spec dtype {spec.dtype}"
    # A symbolic call with an unknown batch size predicts the same, batch axis aside.
    if _batched(case.inputs):
        symbolic_inputs = tree.map_structure(
            lambda x: kfn.Input(batch_shape=(None, *x.shape[1:]), dtype=x.dtype.name), case.inputs
        )
        fresh = getattr(kfn.layers, case.layer)(**case.config)
        predicted = tree.flatten(
            fresh(*symbolic_inputs, training=case.training, **to_backend(case.call_kwargs))
        )
        for tensor, out in zip(predicted, flat):
            assert tuple(tensor.shape[1:]) == tuple(out.shape[1:]), (
                f"{label}: symbolic shape {tensor.shape}, actual {tuple(out.shape)}"
            )
            assert tensor.dtype == ops.dtype(out), f"{label}: symbolic dtype {tensor.dtype}"


def _batched(inputs) -> bool:
    return all(np.ndim(x) >= 1 for x in tree.flatten(inputs))


def check_values(case, layer, outputs, label) -> None:
    weights = layer.get_weights()
    if case.random:
        assert case.reference is not None, f"{label}: a random case needs a reference check"
        assert case.reference(weights, to_numpy(outputs), *case.inputs), (
            f"{label}: the output fails the reference check"
        )
        return
    if case.keras:
        expected = keras_outputs(case, weights)
    else:
        assert case.reference is not None, f"{label}: give a reference or keras=True"
        expected = case.reference(weights, *case.inputs)
    assert_close(outputs, expected, case.rtol, case.atol, f"{label} (values)")


def keras_outputs(case, weights):
    import keras  # KERAS_BACKEND is the kfn backend (tests/conftest.py)

    assert keras.backend.backend() == BACKEND
    reference = getattr(keras.layers, case.layer)(**(case.keras_config or case.config))
    inputs = (
        [keras.ops.convert_to_tensor(x) for x in case.inputs]
        if _all_arrays(case.inputs)
        else list(tree.map_structure(keras.ops.convert_to_tensor, case.inputs))
    )
    kwargs = tree.map_structure(
        lambda v: keras.ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v,
        case.call_kwargs,
    )
    reference(*inputs, **kwargs)  # build
    reference.set_weights(weights)
    out = reference(*inputs, training=case.training, **kwargs)
    return tree.map_structure(lambda t: np.asarray(keras.ops.convert_to_numpy(t)), out)


def _all_arrays(inputs) -> bool:
    return all(isinstance(x, np.ndarray) for x in inputs)


def check_pure(case, layer, outputs, label) -> None:
    if case.random:
        return
    state = layer.state_tree()
    before = [v.numpy().copy() for v in layer.variables]
    inputs = to_backend(case.inputs)
    if layer.autocast:  # what the stateful call does before `apply`
        inputs = autocast(layer.compute_dtype, inputs)
    pure_out, _ = layer.pure().apply(
        compute_variables(layer.pure(), _pure_variables(layer, state)),
        *inputs,
        training=case.training,
        **to_backend(case.call_kwargs),
    )
    assert_close(pure_out, outputs, 1e-6, 1e-6, f"{label} (pure apply)")
    stateless_out, _ = layer.stateless_call(
        state["trainable"],
        state["non_trainable"],
        *to_backend(case.inputs),
        training=case.training,
        **to_backend(case.call_kwargs),
    )
    assert_close(stateless_out, outputs, 1e-6, 1e-6, f"{label} (stateless_call)")
    for variable, value in zip(layer.variables, before):
        np.testing.assert_array_equal(
            variable.numpy(), value, err_msg=f"{label}: stateless_call changed {variable.path}"
        )


def _pure_variables(layer, state):
    """The state tree without RNG seed states (the pure form takes a key instead)."""
    seeds = {v.name for v in layer.variables if v.name.endswith("seed_generator_state")}
    non_trainable = {k: v for k, v in state["non_trainable"].items() if k not in seeds}
    return {"trainable": state["trainable"], "non_trainable": non_trainable}


def check_config(case, layer, outputs, label) -> None:
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config, f"{label}: from_config(get_config()) changed the config"
    if case.random:
        return
    clone(*to_backend(case.inputs), training=case.training, **to_backend(case.call_kwargs))
    clone.set_weights(layer.get_weights())
    again = clone(*to_backend(case.inputs), training=case.training, **to_backend(case.call_kwargs))
    assert_close(again, outputs, 1e-6, 1e-6, f"{label} (from_config)")


def check_gradients_reach_variables(case, layer, label) -> None:
    state = layer.state_tree()

    def loss(trainable):
        out, _ = layer.stateless_call(
            trainable,
            state["non_trainable"],
            *to_backend(case.inputs),
            training=case.training,
            **to_backend(case.call_kwargs),
        )
        total = 0.0
        for leaf in tree.flatten(out):
            if ops.dtype(leaf).startswith(("float", "bfloat")):
                total = total + ops.sum(ops.square(leaf))
        return total

    grads = ops.grad(loss)(state["trainable"])
    for path, grad in _flat_paths(grads):
        values = ops.convert_to_numpy(grad)
        assert np.all(np.isfinite(values)), f"{label}: gradient of {path} is not finite"
        assert np.any(values != 0), f"{label}: no gradient reaches {path}"


def _flat_paths(nested, prefix=""):
    for key, value in nested.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flat_paths(value, path)
        else:
            yield path, value


def expect_error(case_or_layer, message: str, *inputs, **config) -> None:
    """The layer named `case_or_layer` built with `config` and called on `inputs` raises a
    ValueError whose message contains `message`."""
    with pytest.raises(ValueError, match=message):
        layer = getattr(kfn.layers, case_or_layer)(**config)
        layer(*to_backend(inputs))
