"""Masks, as Keras propagates them: made by Embedding(mask_zero=True) and Masking, attached to
outputs, passed on by the layers that support masking, and used by the layers whose call
takes `mask` (GlobalAveragePooling1D, Maximum, BatchNormalization, Softmax, ...)."""

import warnings

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from kfn.stateful.masking import get_mask
from tests.conftest import BACKEND

IDS = np.array([[3, 5, 0, 0], [1, 0, 0, 0], [2, 4, 6, 7]], "int32")
STEPS = np.random.default_rng(0).normal(size=(3, 4, 2)).astype("float32")
STEPS[0, 2:] = 0.0  # padded steps for Masking
STEPS[2, 1] = 0.0


def numpy(x):
    return ops.convert_to_numpy(x)


def keras_numpy(x):
    return keras.ops.convert_to_numpy(x)


def _text_model(lib):
    return lib.Sequential(
        [
            lib.Input((4,), dtype="int32"),
            lib.layers.Embedding(10, 3, mask_zero=True),
            lib.layers.Dense(5, activation="relu"),
            lib.layers.Dropout(0.2),
            lib.layers.GlobalAveragePooling1D(),
            lib.layers.Dense(2),
        ]
    )


def test_embedding_mask_reaches_global_average_pooling_as_in_keras():
    ours, theirs = _text_model(kfn), _text_model(keras)
    theirs.set_weights(ours.get_weights())
    got = numpy(ours(IDS))
    np.testing.assert_allclose(got, keras_numpy(theirs(IDS)), rtol=1e-5, atol=1e-6)
    # Without the mask the padding would count in the average.
    embedding, dense, _, _, head = ours.layers
    unmasked = ops.mean(dense(ops.convert_to_tensor(numpy(embedding(IDS)))), axis=1)
    assert not np.allclose(numpy(head(unmasked)), got, atol=1e-4)


def test_embedding_and_masking_attach_keras_masks_that_pass_through():
    embedded = kfn.layers.Embedding(10, 3, mask_zero=True)(IDS)
    np.testing.assert_array_equal(numpy(get_mask(embedded)), IDS != 0)
    passed = kfn.layers.Dense(4)(kfn.layers.Activation("tanh")(embedded))
    np.testing.assert_array_equal(numpy(get_mask(passed)), IDS != 0)
    masked = kfn.layers.Masking()(STEPS)
    expected = keras.layers.Masking().compute_mask(keras.ops.convert_to_tensor(STEPS))
    np.testing.assert_array_equal(numpy(get_mask(masked)), keras_numpy(expected))
    assert get_mask(kfn.layers.Embedding(10, 3)(IDS)) is None


def test_a_functional_model_with_masking_matches_keras():
    def build(lib):
        inputs = lib.Input((4, 2))
        x = lib.layers.Masking()(inputs)
        x = lib.layers.Dense(3)(x)
        x = lib.layers.BatchNormalization()(x)
        x = lib.layers.GlobalAveragePooling1D()(x)
        return lib.Model(inputs, lib.layers.Dense(1)(x))

    ours, theirs = build(kfn), build(keras)
    theirs.set_weights(ours.get_weights())
    for training in (False, True):
        np.testing.assert_allclose(
            numpy(ours(STEPS, training=training)),
            keras_numpy(theirs(STEPS, training=training)),
            rtol=1e-5,
            atol=1e-5,
        )
    # In training the moving statistics leave out the masked steps, as Keras's do.
    np.testing.assert_allclose(
        ours.layers[3].moving_mean.numpy(),
        keras_numpy(theirs.layers[3].moving_mean),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize("name", ["Add", "Maximum", "Minimum", "Concatenate"])
def test_merges_combine_masks_and_values_as_keras(name):
    a = np.random.default_rng(1).normal(size=(3, 4, 2)).astype("float32")
    b = np.random.default_rng(2).normal(size=(3, 4, 2)).astype("float32")
    mask_a = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 0]], bool)
    mask_b = np.array([[1, 0, 0, 1], [0, 0, 1, 0], [1, 1, 1, 1]], bool)

    def run(lib, convert):
        x, y = convert(a), convert(b)
        layer = getattr(lib.layers, name)()
        if lib is kfn:
            from kfn.stateful.masking import set_mask

            set_mask(x, convert(mask_a))
            set_mask(y, convert(mask_b))
            out = layer([x, y])
            return numpy(out), numpy(get_mask(out))
        from keras.src.backend import set_keras_mask

        set_keras_mask(x, convert(mask_a))
        set_keras_mask(y, convert(mask_b))
        out = layer([x, y])
        mask = layer.compute_mask([x, y], [convert(mask_a), convert(mask_b)])
        return keras_numpy(out), keras_numpy(mask)

    got, got_mask = run(kfn, ops.convert_to_tensor)
    expected, expected_mask = run(keras, keras.ops.convert_to_tensor)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_array_equal(got_mask, expected_mask)


def test_subclassed_layers_receive_and_make_masks():
    class CountSteps(kfn.Layer):
        def call(self, inputs, mask=None):
            self.seen = mask
            return ops.sum(ops.cast(mask, "float32"), axis=1)

    class DropFirstStep(kfn.Layer):
        def call(self, inputs):
            return inputs * 1.0  # a new tensor (the input's own mask stays with the input)

        def compute_mask(self, inputs, previous_mask):
            return ops.concatenate(
                [ops.zeros_like(previous_mask[:, :1]), previous_mask[:, 1:]], axis=1
            )

    embedded = kfn.layers.Embedding(10, 3, mask_zero=True)(IDS)
    counter = CountSteps()
    np.testing.assert_array_equal(numpy(counter(embedded)), [2, 1, 4])
    assert DropFirstStep().supports_masking and not counter.supports_masking
    np.testing.assert_array_equal(numpy(counter(DropFirstStep()(embedded))), [1, 0, 3])
    # An explicit mask wins over the attached one.
    explicit = ops.convert_to_tensor(np.ones((3, 4), bool))
    np.testing.assert_array_equal(numpy(counter(embedded, mask=explicit)), [4, 4, 4])


def test_a_layer_without_masking_support_warns_that_the_mask_stops():
    embedded = kfn.layers.Embedding(10, 3, mask_zero=True)(IDS)
    with pytest.warns(UserWarning, match=r"flatten.* was given an input with a mask but does"):
        flat = kfn.layers.Flatten()(embedded)
    assert get_mask(flat) is None


def test_an_explicit_mask_to_a_sequential_model_reaches_its_first_layer():
    def build(lib):
        return lib.Sequential([lib.Input((4, 2)), lib.layers.GlobalAveragePooling1D()])

    mask = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1]], bool)
    got = build(kfn)(STEPS, mask=ops.convert_to_tensor(mask))
    with warnings.catch_warnings():  # Keras warns that its Sequential drops the mask after
        warnings.simplefilter("ignore")
        expected = build(keras)(STEPS, mask=keras.ops.convert_to_tensor(mask))
    np.testing.assert_allclose(numpy(got), keras_numpy(expected), rtol=1e-6)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit of stateless_call")
def test_masks_flow_through_a_jitted_stateless_call():
    import jax

    model = _text_model(kfn)
    eager = numpy(model(IDS))
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    out, _ = jax.jit(model.stateless_call)(trainable, non_trainable, IDS)
    np.testing.assert_allclose(numpy(out), eager, rtol=1e-6)


def test_lambda_passes_its_mask_argument_on_and_gives_the_function_the_mask():
    embedded = kfn.layers.Embedding(10, 3, mask_zero=True)(IDS)
    keep_first_two = kfn.layers.Lambda(
        lambda x: x * 2.0, mask=lambda inputs, mask: ops.logical_and(mask, ops.arange(4) < 2)
    )
    out = keep_first_two(embedded)
    np.testing.assert_array_equal(numpy(get_mask(out)), (IDS != 0) & (np.arange(4) < 2))
    counted = kfn.layers.Lambda(lambda x, mask: ops.sum(ops.cast(mask, "int32"), axis=1))
    np.testing.assert_array_equal(numpy(counted(embedded)), [2, 1, 4])
    with pytest.warns(UserWarning, match="does not support masking"):
        kfn.layers.Lambda(lambda x: x)(embedded)  # no mask argument: the mask stops


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_the_pure_form_propagates_masks_as_the_stateful_model(kind):
    if kind == "sequential":
        model = _text_model(kfn)
    else:
        inputs = kfn.Input((4, 2))
        x = kfn.layers.Masking()(inputs)
        x = kfn.layers.Dense(3)(x)
        merged = kfn.layers.Maximum()([x, kfn.layers.Dense(3)(x)])
        model = kfn.Model(inputs, kfn.layers.GlobalAveragePooling1D()(merged))
    data = IDS if kind == "sequential" else STEPS
    pure = model.pure()
    state = model.state_tree()
    variables = {"trainable": state["trainable"], "non_trainable": state["non_trainable"]}
    got, _ = pure.apply(variables, ops.convert_to_tensor(data))
    np.testing.assert_allclose(numpy(got), numpy(model(data)), rtol=1e-6, atol=1e-7)
