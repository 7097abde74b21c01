"""The Functional API: graphs of layers and kfn.ops on symbolic tensors, against Keras 3."""

import json

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND

RNG = np.random.default_rng(5)


def f32(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def numpy(x):
    return ops.convert_to_numpy(x)


def two_tower():
    a = kfn.Input((3,), name="left")
    b = kfn.Input((3,), name="right")
    shared = kfn.layers.Dense(4, activation="tanh", name="shared")
    merged = ops.concatenate([shared(a), shared(b)], axis=-1)
    head = kfn.layers.Dense(2, name="head")(merged)
    return kfn.Model([a, b], [head, ops.sum(merged, axis=-1)], name="towers")


def keras_two_tower():
    import keras

    a = keras.Input((3,), name="left")
    b = keras.Input((3,), name="right")
    shared = keras.layers.Dense(4, activation="tanh", name="shared")
    merged = keras.ops.concatenate([shared(a), shared(b)], axis=-1)
    head = keras.layers.Dense(2, name="head")(merged)
    return keras.Model([a, b], [head, keras.ops.sum(merged, axis=-1)])


def test_multi_input_multi_output_with_a_shared_layer_matches_keras():
    import keras

    model = two_tower()
    assert [layer.name for layer in model.layers] == ["left", "right", "shared", "head"]
    assert model.output_shape == [(None, 2), (None,)]
    x, y = f32(5, 3), f32(5, 3)
    reference = keras_two_tower()
    reference.set_weights(model.get_weights())
    expected = [keras.ops.convert_to_numpy(t) for t in reference([x, y])]
    got = model([x, y])
    for g, e in zip(got, expected):
        np.testing.assert_allclose(numpy(g), e, rtol=1e-5, atol=1e-6)
    # Inputs by name, as Keras accepts.
    by_name = model({"left": x, "right": y})
    np.testing.assert_allclose(numpy(by_name[0]), expected[0], rtol=1e-5, atol=1e-6)


def test_dict_inputs_and_outputs():
    inputs = {"a": kfn.Input((2,), name="a"), "b": kfn.Input((2,), name="b")}
    total = ops.add(inputs["a"], inputs["b"])
    model = kfn.Model(inputs, {"sum": total, "scaled": kfn.layers.Dense(1)(total)})
    out = model({"b": np.ones((1, 2), np.float32), "a": np.ones((1, 2), np.float32)})
    assert set(out) == {"sum", "scaled"}
    np.testing.assert_allclose(numpy(out["sum"]), 2 * np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"missing \['b'\]"):
        model({"a": np.ones((1, 2), np.float32)})


def test_nested_models_and_config_round_trip():
    inner_in = kfn.Input((3,))
    inner = kfn.Model(inner_in, kfn.layers.Dense(3, activation="relu")(inner_in), name="inner")
    outer_in = kfn.Input((3,))
    hidden = inner(outer_in)
    outer = kfn.Model(outer_in, kfn.layers.Dense(1)(ops.add(hidden, outer_in)), name="outer")
    x = f32(4, 3)
    expected = numpy(outer(x))
    config = outer.get_config()
    json.dumps(config)
    clone = kfn.models.Functional.from_config(config)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in outer.layers]
    clone.set_weights(outer.get_weights())
    np.testing.assert_allclose(numpy(clone(x)), expected, rtol=1e-6)
    assert clone.get_config() == config


def test_pure_view_and_stateless_call_agree_with_the_call():
    model = two_tower()
    x, y = f32(2, 3), f32(2, 3)
    expected = [numpy(t) for t in model([x, y])]
    state = model.state_tree()
    assert list(state["trainable"]) == ["shared", "head"]
    outputs, _ = model.pure().apply(state, [ops.convert_to_tensor(x), ops.convert_to_tensor(y)])
    for got, want in zip(outputs, expected):
        np.testing.assert_allclose(numpy(got), want, rtol=1e-6)
    variables = model.pure().init(
        kfn.random.key(1), kfn.TensorSpec((None, 3)), kfn.TensorSpec((None, 3))
    )
    assert kfn.tree.map_structure(lambda v: tuple(v.shape), variables["trainable"]) == {
        "shared": {"kernel": (3, 4), "bias": (4,)},
        "head": {"kernel": (8, 2), "bias": (2,)},
    }


def test_bad_graphs_and_inputs_give_clear_errors():
    a, b = kfn.Input((3,)), kfn.Input((3,))
    out = ops.add(a, b)
    with pytest.raises(ValueError, match="depend on the input .* not among the model's inputs"):
        kfn.Model(a, out)
    model = kfn.Model([a, b], out)
    with pytest.raises(ValueError, match="expects 2 inputs, got 1"):
        model(np.ones((1, 3), np.float32))
    with pytest.raises(ValueError, match=r"expects shape \(None, 3\), got \(1, 4\)"):
        model([np.ones((1, 4), np.float32), np.ones((1, 4), np.float32)])
    with pytest.raises(ValueError, match="must come from kfn.Input"):
        kfn.Model(out, out)
    with pytest.raises(ValueError, match="Dense 'strict' expected input last dimension 3, got 5"):
        dense = kfn.layers.Dense(2, name="strict")
        dense(kfn.Input((3,)))
        dense(kfn.Input((5,)))


def test_summary_lists_layers_shapes_parameters_and_connections():
    lines = []
    two_tower().summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert 'Model: "towers"' in text
    assert "shared (Dense)" in text and "(None, 4)" in text and "16" in text
    assert "left[0][0], right[0][0]" in text
    assert " Total params: 34 (136.00 B)" in text
    assert " Trainable params: 34 (136.00 B)" in text


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit")
def test_jax_jit_of_stateless_call_on_a_functional_model():
    import jax

    model = two_tower()
    x, y = f32(2, 3), f32(2, 3)
    state = model.state_tree()
    outputs, non_trainable = jax.jit(model.stateless_call)(
        state["trainable"], state["non_trainable"], [x, y]
    )
    np.testing.assert_allclose(outputs[0], numpy(model([x, y])[0]), rtol=1e-6)
    assert non_trainable == {}


def test_clone_model_and_json():
    model = two_tower()
    twin = kfn.models.clone_model(model)
    assert [layer.name for layer in twin.layers] == [layer.name for layer in model.layers]
    assert all(a is not b for a, b in zip(twin.weights, model.weights))
    twin.set_weights(model.get_weights())
    x, y = f32(2, 3), f32(2, 3)
    np.testing.assert_allclose(numpy(twin([x, y])[0]), numpy(model([x, y])[0]), rtol=1e-6)
    # clone_function may share layers: here the head is shared, the rest cloned.
    head = model.get_layer("head")
    partial = kfn.models.clone_model(
        model,
        clone_function=lambda layer: (
            layer if layer is head else type(layer).from_config(layer.get_config())
        ),
    )
    assert partial.get_layer("head") is head and partial.get_layer("shared") is not model.get_layer(
        "shared"
    )
    again = kfn.models.model_from_json(model.to_json())
    assert again.get_config() == model.get_config()
    sequential = kfn.Sequential([kfn.Input((3,)), kfn.layers.Dense(2)])
    copy = kfn.models.clone_model(sequential)
    assert copy.output_shape == (None, 2) and copy.weights[0] is not sequential.weights[0]
    assert kfn.layers.deserialize(kfn.layers.serialize(head)).units == 2


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit")
def test_jax_jit_of_stateless_call_with_batch_normalization_and_dropout():
    import jax

    inputs = kfn.Input((4,))
    hidden = kfn.layers.Dense(8, name="hidden")(inputs)
    hidden = kfn.layers.BatchNormalization(name="bn")(hidden)
    hidden = kfn.layers.Dropout(0.5, seed=3, name="drop")(hidden)
    model = kfn.Model(inputs, kfn.layers.Dense(1, name="out")(hidden))
    x = f32(16, 4)
    state = model.state_tree()
    assert set(state["non_trainable"]) == {"bn", "drop"}
    step = jax.jit(model.stateless_call, static_argnames="training")

    out, new = step(state["trainable"], state["non_trainable"], x, training=True)
    batch = numpy(model.get_layer("hidden")(x))
    np.testing.assert_allclose(
        new["bn"]["moving_mean"], 0.99 * 0 + 0.01 * batch.mean(axis=0), rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(
        new["bn"]["moving_variance"], 0.99 * 1 + 0.01 * batch.var(axis=0), rtol=1e-4, atol=1e-6
    )
    seed = numpy(state["non_trainable"]["drop"]["seed_generator_state"])
    assert not np.array_equal(numpy(new["drop"]["seed_generator_state"]), seed)
    # The model's own variables are untouched; a second step from the new state differs.
    np.testing.assert_array_equal(model.get_layer("bn").moving_mean.numpy(), np.zeros(8))
    again, _ = step(state["trainable"], new, x, training=True)
    assert not np.allclose(numpy(again), numpy(out))

    inference, unchanged = step(state["trainable"], state["non_trainable"], x, training=False)
    np.testing.assert_allclose(numpy(inference), numpy(model(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(numpy(unchanged["bn"]["moving_mean"]), np.zeros(8))


def test_layers_and_models_expose_their_symbolic_input_and_output():
    inputs = kfn.Input((4,))
    dense = kfn.layers.Dense(3)
    hidden = dense(inputs)
    assert dense.input is inputs and dense.output is hidden
    again = dense(kfn.Input((4,)))  # a second call: input/output stay the first's, as Keras
    assert dense.output is hidden and again is not hidden
    model = kfn.Sequential([kfn.Input((4,)), kfn.layers.Dense(2)])
    assert model.input is model.inputs[0] and model.outputs == [model.output]
    assert tuple(model.output.shape) == (None, 2)
    with pytest.raises(AttributeError, match=r"has never been called on symbolic tensors"):
        _ = kfn.layers.Dense(2).input


def test_symbolic_tensor_helpers():
    a, b = kfn.Input((3,), name="a"), kfn.Input((3,), name="b")
    out = kfn.layers.Dense(2)(kfn.layers.Add()([a, kfn.layers.Dense(3)(b)]))
    assert kfn.utils.is_keras_tensor(out) and not kfn.utils.is_keras_tensor(np.ones(2))
    assert isinstance(out, kfn.KerasTensor)
    assert {id(t) for t in kfn.utils.get_source_inputs(out)} == {id(a), id(b)}
    with pytest.raises(ValueError, match="expected a symbolic tensor"):
        kfn.utils.get_source_inputs(np.ones(2))
