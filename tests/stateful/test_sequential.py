"""kfn.Sequential: building, add/pop, configs, summary, against Keras 3."""

import json

import numpy as np
import pytest

import kfn
from kfn import ops

RNG = np.random.default_rng(9)


def f32(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def numpy(x):
    return ops.convert_to_numpy(x)


def test_with_an_input_it_builds_at_once_and_matches_keras():
    import keras

    model = kfn.Sequential(
        [kfn.Input((3,)), kfn.layers.Dense(5, activation="relu"), kfn.layers.Dense(2)]
    )
    assert model.built and model.output_shape == (None, 2)
    assert [v.shape for v in model.weights] == [(3, 5), (5,), (5, 2), (2,)]
    reference = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(2)]
    )
    reference.set_weights(model.get_weights())
    x = f32(4, 3)
    np.testing.assert_allclose(
        numpy(model(x)), keras.ops.convert_to_numpy(reference(x)), rtol=1e-5, atol=1e-6
    )


def test_deferred_build_on_first_call_and_input_shape_argument():
    deferred = kfn.Sequential([kfn.layers.Dense(4), kfn.layers.Dense(1)])
    assert not deferred.built and deferred.weights == []
    deferred(f32(2, 6))
    assert deferred.built and deferred.weights[0].shape == (6, 4)
    assert deferred.output_shape == (None, 1)
    hinted = kfn.Sequential([kfn.layers.Dense(4, input_shape=(7,))])
    assert hinted.built and hinted.weights[0].shape == (7, 4)
    built = kfn.Sequential([kfn.layers.Dense(4)])
    built.build((None, 2))
    assert built.weights[0].shape == (2, 4)


def test_add_pop_and_get_layer():
    model = kfn.Sequential([kfn.Input((3,))])
    model.add(kfn.layers.Dense(4, name="first"))
    model.add(kfn.layers.Dense(2, name="second"))
    assert [layer.name for layer in model.layers] == ["first", "second"]
    assert model.get_layer("second") is model.get_layer(index=1)
    popped = model.pop()
    assert popped.name == "second" and model.output_shape == (None, 4)
    assert len(model.weights) == 2
    with pytest.raises(ValueError, match="has no layer named 'third'"):
        model.get_layer("third")
    with pytest.raises(ValueError, match="already has a layer named 'first'"):
        model.add(kfn.layers.Dense(1, name="first"))
    with pytest.raises(ValueError, match="an input can only be the first element"):
        model.add(kfn.Input((3,)))
    with pytest.raises(TypeError, match="expected a kfn layer"):
        model.add("dense")


def test_config_round_trip():
    model = kfn.Sequential(
        [
            kfn.Input((3,)),
            kfn.layers.Dense(4, activation="relu", name="hidden"),
            kfn.layers.Dense(1),
        ],
        name="regressor",
    )
    config = model.get_config()
    json.dumps(config)
    clone = kfn.Sequential.from_config(config)
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    x = f32(3, 3)
    np.testing.assert_allclose(numpy(clone(x)), numpy(model(x)), rtol=1e-6)


def test_summary_matches_keras_totals():
    model = kfn.Sequential([kfn.Input((3,)), kfn.layers.Dense(4), kfn.layers.Dense(2)], name="tiny")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert 'Model: "tiny"' in text and "(None, 4)" in text and "(None, 2)" in text
    assert " Total params: 26 (104.00 B)" in text
    assert " Non-trainable params: 0 (0.00 B)" in text


def test_pure_sequential_is_the_same_model():
    model = kfn.Sequential(
        [kfn.Input((3,)), kfn.layers.Dense(4, activation="relu"), kfn.layers.Dense(2)]
    )
    pure = model.pure()
    assert pure.names == tuple(layer.name for layer in model.layers)
    x = ops.convert_to_tensor(f32(2, 3))
    out, non_trainable = pure.apply(model.state_tree(), x)
    np.testing.assert_allclose(numpy(out), numpy(model(x)), rtol=1e-6)
    assert non_trainable == {}
    fresh = pure.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
    again = pure.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
    for a, b in zip(kfn.tree.flatten(fresh), kfn.tree.flatten(again)):
        np.testing.assert_array_equal(numpy(a), numpy(b))
