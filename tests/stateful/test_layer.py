"""kfn.Layer: subclassing the Keras way, variables and their order, losses, stateless_call."""

import json

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from kfn.pure.regularizers import L2
from tests.conftest import BACKEND, requires_gradients

RNG = np.random.default_rng(3)


def f32(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def numpy(x):
    return ops.convert_to_numpy(x)


class Scale(kfn.Layer):
    """A subclassed layer: a trainable scale and a non-trainable call counter."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, name="calls")
        self.scale = self.add_weight(
            shape=(input_shape[-1],),
            initializer="ones",
            regularizer=L2(0.5),
            name="scale",
        )

    def call(self, x, training=None):
        self.calls.assign_add(1.0)
        out = x * self.scale * self.factor
        return out * 2.0 if training else out

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Block(kfn.Model):
    """A subclassed model: sub-layers in __init__, a weight of its own, kfn.ops in call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = kfn.layers.Dense(4, name="inner_dense")
        self.scale = Scale(name="inner_scale")

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(4,), initializer="zeros", name="offset")

    def call(self, x, training=None):
        return ops.tanh(self.scale(self.dense(x), training=training) + self.offset)


def test_subclassed_layer_builds_on_first_call_and_computes():
    layer = Scale(3.0)
    x = f32(2, 5)
    assert not layer.built
    np.testing.assert_allclose(numpy(layer(x)), x * 3.0, rtol=1e-6)
    assert layer.built and layer.scale.shape == (5,)
    assert float(layer.calls.numpy()) == 1.0
    np.testing.assert_allclose(numpy(layer(x, training=True)), x * 6.0, rtol=1e-6)


def test_variables_are_listed_in_keras_order():
    block = Block(name="block")
    block(f32(2, 3))
    # Own variables (trainable first, then the others), then each sub-layer's, depth first.
    assert [v.name for v in block.weights] == ["offset", "kernel", "bias", "scale", "calls"]
    assert [v.name for v in block.trainable_variables] == ["offset", "kernel", "bias", "scale"]
    assert [v.name for v in block.non_trainable_variables] == ["calls"]
    state = block.state_tree()
    assert list(state["trainable"]) == ["offset", "inner_dense", "inner_scale"]
    assert list(state["non_trainable"]) == ["inner_scale"]
    assert list(state["non_trainable"]["inner_scale"]) == ["calls"]


def test_freezing_moves_weights_to_non_trainable():
    block = Block()
    block(f32(2, 3))
    block.dense.trainable = False
    assert [v.name for v in block.trainable_variables] == ["offset", "scale"]
    assert [v.name for v in block.non_trainable_weights] == ["kernel", "bias", "calls"]
    block.trainable = False
    assert block.trainable_variables == []
    block.trainable = True
    assert len(block.trainable_variables) == 4


def test_get_and_set_weights_round_trip_and_check_count_and_shapes():
    a, b = Block(), Block()
    x = f32(2, 3)
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    np.testing.assert_allclose(numpy(a(x)), numpy(b(x)), rtol=1e-6)
    with pytest.raises(ValueError, match=r"set_weights expected 5 weights .*got 4"):
        b.set_weights(a.get_weights()[:4])
    wrong = a.get_weights()
    wrong[1] = np.zeros((4, 3), np.float32)
    with pytest.raises(
        ValueError, match=r"weight '.*kernel' has shape \(3, 4\), got a value of shape \(4, 3\)"
    ):
        b.set_weights(wrong)


def test_stateless_call_returns_the_updated_counter_and_touches_nothing():
    block = Block()
    x = f32(2, 3)
    expected = numpy(block(x))
    before = [v.numpy().copy() for v in block.variables]
    state = block.state_tree()
    out, non_trainable = block.stateless_call(state["trainable"], state["non_trainable"], x)
    np.testing.assert_allclose(numpy(out), expected, rtol=1e-6)
    assert float(numpy(non_trainable["inner_scale"]["calls"])) == 2.0
    for variable, value in zip(block.variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)
    # Keras's flat form: lists in the order of trainable_variables / non_trainable_variables.
    trainable = [v.value for v in block.trainable_variables]
    trainable[0] = ops.ones((4,))  # offset
    out, flat = block.stateless_call(trainable, [v.value for v in block.non_trainable_variables], x)
    assert isinstance(flat, list) and float(numpy(flat[0])) == 2.0
    np.testing.assert_allclose(
        numpy(out), np.tanh(np.arctanh(expected) + 1.0), rtol=1e-5, atol=1e-6
    )


def test_stateless_call_errors():
    block = Block()
    with pytest.raises(ValueError, match="needs the layer built"):
        block.stateless_call([], [], f32(1, 3))
    block(f32(1, 3))
    with pytest.raises(
        ValueError, match=r"trainable_variables must hold one value per variable .* \(4\), got 3"
    ):
        block.stateless_call([1, 2, 3], [0.0], f32(1, 3))
    state = block.state_tree()
    del state["trainable"]["offset"]
    with pytest.raises(ValueError, match=r"missing \['offset'\]"):
        block.stateless_call(state["trainable"], state["non_trainable"], f32(1, 3))


def test_losses_from_add_loss_activity_and_weight_regularizers():
    class Penalized(kfn.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    layer = Penalized(activity_regularizer=lambda y: 10.0 * ops.mean(y))
    x = np.ones((2, 2), np.float32)
    layer(x)
    # The activity penalty is per sample (divided by the batch of 2), as in Keras 3.
    assert sorted(float(numpy(v)) for v in layer.losses) == [4.0, 5.0]
    layer(x)  # losses of a call replace those of the previous one
    assert len(layer.losses) == 2
    state = layer.state_tree()
    _, _, losses = layer.stateless_call(
        state["trainable"], state["non_trainable"], x * 2, return_losses=True
    )
    assert sorted(float(numpy(v)) for v in losses) == [8.0, 10.0]

    dense = kfn.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=L2(0.5))
    dense(np.ones((1, 3), np.float32))
    assert [float(numpy(v)) for v in dense.losses] == [3.0]  # 0.5 * 6 ones


def test_training_flag_reaches_nested_layers():
    block = Block()
    x = f32(2, 3)
    inference = numpy(block(x))
    training = numpy(block(x, training=True))
    assert not np.allclose(inference, training)  # Scale doubles in training


def test_names_are_unique_and_checked():
    first, second = Scale(), Scale()
    assert first.name != second.name and second.name.startswith("scale")
    with pytest.raises(ValueError, match="names cannot contain '/'"):
        Scale(name="a/b")
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        kfn.Layer(nonsense=1)


def test_config_round_trip_of_a_subclassed_layer():
    layer = Scale(2.5, name="scaled", dtype="float64")
    config = layer.get_config()
    json.dumps(config)
    clone = Scale.from_config(config)
    assert clone.get_config() == config
    assert clone.factor == 2.5 and clone.dtype == "float64"


def test_symbolic_call_of_a_subclassed_model_records_shapes():
    inputs = kfn.Input((3,))
    outputs = Block()(inputs)
    assert outputs.shape == (None, 4)
    model = kfn.Model(inputs, outputs)
    np.testing.assert_allclose(numpy(model(np.ones((2, 3), np.float32))).shape, (2, 4))


def test_autocast_casts_float_inputs_to_the_compute_dtype():
    dense = kfn.layers.Dense(2, dtype="float64")
    out = dense(f32(2, 3))
    assert ops.dtype(out) == "float64" and dense.kernel.dtype == "float64"
    half = kfn.layers.Dense(2, dtype="mixed_float16")
    out = half(f32(2, 3))
    assert ops.dtype(out) == "float16" and half.kernel.dtype == "float32"


@requires_gradients
def test_gradients_through_stateless_call():
    block = Block()
    x = f32(4, 3)
    block(x)
    state = block.state_tree()

    def loss(trainable):
        out, _ = block.stateless_call(trainable, state["non_trainable"], x)
        return ops.sum(ops.square(out))

    grads = ops.grad(loss)(state["trainable"])
    assert set(grads) == {"offset", "inner_dense", "inner_scale"}
    assert np.any(numpy(grads["inner_dense"]["kernel"]) != 0)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit")
def test_jax_jit_of_stateless_call():
    import jax

    block = Block()
    x = f32(2, 3)
    expected = numpy(block(x, training=True))
    state = block.state_tree()
    step = jax.jit(block.stateless_call, static_argnames="training")
    out, non_trainable = step(state["trainable"], state["non_trainable"], x, training=True)
    np.testing.assert_allclose(numpy(out), expected, rtol=1e-6)
    assert float(non_trainable["inner_scale"]["calls"]) == 2.0


def test_add_weight_keeps_keras_variable_attributes():
    layer = kfn.Layer()
    v = layer.add_weight(shape=(2,), aggregation="mean", overwrite_with_gradient=True, name="s")
    reference = keras.Variable(np.zeros(2, "float32"), aggregation="mean")
    assert (v.aggregation, v.synchronization) == (reference.aggregation, "auto")
    assert v.overwrite_with_gradient and v.autocast and v.path == f"{layer.name}/s"
    plain = kfn.Variable(np.zeros(2, "float32"))
    assert (plain.aggregation, plain.overwrite_with_gradient) == ("none", False)
    with pytest.raises(ValueError, match=r"Variable: aggregation must be one of 'none', 'mean'"):
        kfn.Variable(np.zeros(2), aggregation="average")
    with pytest.raises(ValueError, match="synchronization must be one of 'auto'.*got 'never'"):
        kfn.Variable(np.zeros(2), synchronization="never")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colocate'"):
        kfn.Variable(np.zeros(2), colocate=True)


@pytest.mark.parametrize(
    "name, config, shape",
    [
        ("Dense", {"units": 3, "kernel_regularizer": "l1", "bias_regularizer": "l2"}, (5, 4)),
        ("Conv2D", {"filters": 2, "kernel_size": 2, "kernel_regularizer": "l2"}, (2, 4, 4, 3)),
        ("Embedding", {"input_dim": 5, "output_dim": 2, "embeddings_regularizer": "l2"}, (2, 2)),
    ],
)
def test_weight_and_activity_penalties_equal_keras(name, config, shape):
    config = {**config, "activity_regularizer": "l2"}
    rng = np.random.default_rng(1)
    x = rng.integers(0, 5, shape) if name == "Embedding" else rng.normal(size=shape)
    x = x.astype("int32" if name == "Embedding" else "float32")
    reference = getattr(keras.layers, name)(**config)
    reference.build(shape)
    layer = getattr(kfn.layers, name)(**config)
    layer.build(shape)
    layer.set_weights(reference.get_weights())
    reference(keras.ops.convert_to_tensor(x))
    layer(x)
    expected = sorted(float(keras.ops.convert_to_numpy(v)) for v in reference.losses)
    np.testing.assert_allclose(sorted(float(numpy(v)) for v in layer.losses), expected, rtol=1e-5)
