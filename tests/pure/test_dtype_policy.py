"""Dtype policies (kfn/pure/dtype_policy.py; kfn.dtype_policies, kfn.mixed_precision,
kfn.config.set_dtype_policy): names, the global policy, and mixed precision against Keras 3."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops


@pytest.fixture(autouse=True)
def _restore_global_policies():
    yield
    kfn.config.set_dtype_policy(None)
    keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize(
    "name, compute, variable",
    [
        ("float32", "float32", "float32"),
        ("float64", "float64", "float64"),
        ("bfloat16", "bfloat16", "bfloat16"),
        ("mixed_float16", "float16", "float32"),
        ("mixed_bfloat16", "bfloat16", "float32"),
    ],
)
def test_policies_match_keras(name, compute, variable):
    ours = kfn.DTypePolicy(name)
    theirs = keras.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype) == (name, compute, variable)
    assert (theirs.compute_dtype, theirs.variable_dtype) == (compute, variable)
    assert ours.get_config() == theirs.get_config()
    assert repr(ours) == f'<DTypePolicy "{name}">'


def test_none_is_floatx_and_names_are_standardized():
    assert kfn.DTypePolicy().name == "float32"
    assert kfn.DTypePolicy("double").name == "float64"
    assert kfn.dtype_policies.get(None) is kfn.config.dtype_policy()


def test_unknown_policy_names_the_choices():
    with pytest.raises(ValueError, match=r"Unknown dtype policy 'mixed_float8': expected a dtype"):
        kfn.DTypePolicy("mixed_float8")
    with pytest.raises(ValueError, match="set_dtype_policy: policy must be a DTypePolicy"):
        kfn.config.set_dtype_policy(16)


def test_serialize_round_trips_and_reads_keras():
    policy = kfn.dtype_policies.get("mixed_bfloat16")
    assert kfn.dtype_policies.deserialize(kfn.dtype_policies.serialize(policy)) == policy
    keras_form = keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))
    assert kfn.dtype_policies.deserialize(keras_form) == kfn.DTypePolicy("mixed_float16")
    assert kfn.dtype_policies.serialize(policy)["class_name"] == keras_form["class_name"]


def test_the_global_policy_applies_to_layers_made_afterwards():
    before = kfn.layers.Dense(3)
    pure_before = kfn.pure.layers.Dense(3)
    kfn.mixed_precision.set_global_policy("mixed_float16")
    assert kfn.mixed_precision.global_policy() == kfn.DTypePolicy("mixed_float16")
    after = kfn.layers.Dense(3)
    pure_after = kfn.pure.layers.Dense(3)
    x = np.ones((2, 4), "float32")
    assert ops.dtype(after(x)) == "float16"
    assert after.kernel.dtype == "float32" and after.compute_dtype == "float16"
    assert pure_after.compute_dtype == "float16" and pure_after.variable_dtype == "float32"
    # Made before: unchanged, as in Keras.
    assert ops.dtype(before(x)) == "float32" and before.dtype_policy.name == "float32"
    assert pure_before.compute_dtype == "float32"
    kfn.config.set_dtype_policy(None)
    assert kfn.layers.Dense(3).dtype_policy.name == "float32"


def test_a_mixed_float16_model_matches_keras():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 6)).astype("float32")

    def build(lib):
        lib.config.set_dtype_policy("mixed_float16")
        return lib.Sequential(
            [
                lib.Input((6,)),
                lib.layers.Dense(16, activation="relu"),
                lib.layers.BatchNormalization(),
                lib.layers.Dense(4),
                lib.layers.Activation("softmax", dtype="float32"),
            ]
        )

    ours, theirs = build(kfn), build(keras)
    weights = [rng.normal(size=w.shape).astype("float32") * 0.5 for w in theirs.get_weights()]
    weights[5] = np.abs(weights[5]) + 0.5  # moving variance
    theirs.set_weights(weights)
    ours.set_weights(weights)
    assert [str(w.dtype) for w in ours.weights] == [w.dtype for w in theirs.weights]
    assert all(str(w.dtype) == "float32" for w in ours.weights)
    hidden = ours.layers[2]
    assert hidden.compute_dtype == "float16" and ours.layers[3].compute_dtype == "float32"
    for training in (False, True):
        got = ours(x, training=training)
        expected = keras.ops.convert_to_numpy(theirs(x, training=training))
        assert ops.dtype(got) == "float32" == str(expected.dtype)
        np.testing.assert_allclose(ops.convert_to_numpy(got), expected, rtol=2e-3, atol=2e-3)
    # The moving statistics stay float32 and move as Keras's do.
    np.testing.assert_allclose(
        ours.layers[1].moving_mean.numpy(),
        keras.ops.convert_to_numpy(theirs.layers[1].moving_mean),
        rtol=1e-3,
        atol=1e-3,
    )
    assert ours.layers[1].moving_mean.dtype == "float32"


def _subclassed(lib):
    class Scaled(lib.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(shape[-1], 3), initializer="ones")
            self.c = self.add_weight(shape=(3,), initializer="ones", autocast=False)
            self.inner = lib.layers.Dense(3, dtype="float32")
            self.inner.build((None, 3))

        def call(self, x):
            y = lib.ops.matmul(x, self.w)
            # Read inside the call: autocast variables in the compute dtype, others as stored;
            # a float32 sub-layer called inside reads its own variables in float32.
            self.seen = (str(self.w.dtype), str(self.c.dtype))
            self.inner_out = self.inner(y)
            return y * lib.ops.cast(self.c, y.dtype)

    return Scaled(dtype="mixed_float16")


def test_a_subclassed_layer_reads_its_variables_in_the_compute_dtype_as_keras():
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    ours, theirs = _subclassed(kfn), _subclassed(keras)
    got, expected = ours(x), theirs(x)
    assert ops.dtype(got) == "float16" == keras.ops.dtype(expected)
    assert ours.seen == theirs.seen == ("float16", "float32")
    assert ops.dtype(ours.inner_out) == keras.ops.dtype(theirs.inner_out) == "float32"
    # Outside the call the variables are what they store.
    assert ours.w.dtype == "float32" and ours.w.numpy().dtype == np.float32
    np.testing.assert_allclose(
        ops.convert_to_numpy(got).astype("float32"),
        keras.ops.convert_to_numpy(expected).astype("float32"),
        rtol=1e-3,
    )


@pytest.mark.skipif(kfn.backend() == "numpy", reason="the numpy backend has no gradients")
def test_gradients_of_a_mixed_layer_reach_its_float32_variables():
    layer = _subclassed(kfn)
    x = ops.convert_to_tensor(np.ones((2, 4), "float32"))
    layer(x)

    def loss(trainable):
        y, _ = layer.stateless_call(trainable, layer.non_trainable_variables, x)
        return ops.sum(ops.cast(y, "float32"))

    grads = ops.grad(loss)([v.value for v in layer.trainable_variables])
    assert [ops.dtype(g) for g in grads] == ["float32"] * len(grads)
    # d/dw of sum(x @ w * c) with x = c = 1: every entry of w gets 2 (the batch).
    np.testing.assert_allclose(ops.convert_to_numpy(grads[0]), np.full((4, 3), 2.0))
