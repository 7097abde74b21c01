"""Merge layers (kfn/pure/layers/merging.py) and their functional forms
(kfn/stateful/merging.py) against Keras 3."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND
from tests.pure.layers.cases import (
    LayerCase,
    assert_close,
    case_id,
    check_layer,
    expect_error,
    f32,
    i32,
    specs_of,
    to_numpy,
)

CASES = [
    LayerCase("Add", {}, ([f32(2, 3), f32(2, 3)],)),
    LayerCase("Add", {}, ([f32(2, 3), f32(2, 3), f32(2, 3)],), id="Add-3-inputs"),
    LayerCase("Add", {}, ([f32(2, 1, 3), f32(2, 4, 3)],), id="Add-broadcast-size-1"),
    LayerCase("Add", {}, ([f32(2, 3), f32(2, 4, 3)],), id="Add-broadcast-rank"),
    LayerCase("Add", {}, ([i32(2, 3), i32(2, 3)],), id="Add-int"),
    LayerCase("Subtract", {}, ([f32(2, 3, 4), f32(2, 3, 4)],)),
    LayerCase("Subtract", {}, ([f32(2, 4, 1), f32(2, 3)],), id="Subtract-broadcast"),
    LayerCase("Multiply", {}, ([f32(2, 3), f32(2, 3), f32(2, 3)],)),
    LayerCase("Multiply", {}, ([i32(2, 3), i32(2, 1)],), id="Multiply-int-broadcast"),
    LayerCase("Average", {}, ([f32(2, 3), f32(2, 3)],)),
    LayerCase("Average", {}, ([i32(2, 3), i32(2, 3), i32(2, 3)],), id="Average-int"),
    LayerCase("Maximum", {}, ([f32(2, 3), f32(2, 3), f32(2, 3)],)),
    LayerCase("Maximum", {}, ([i32(2, 3), i32(2, 3)],), id="Maximum-int"),
    LayerCase("Minimum", {}, ([f32(2, 3, 2), f32(2, 1, 2)],)),
    LayerCase("Concatenate", {}, ([f32(2, 3), f32(2, 4)],)),
    LayerCase("Concatenate", {"axis": 1}, ([f32(2, 2, 5), f32(2, 1, 5)],)),
    LayerCase("Concatenate", {"axis": -2}, ([f32(2, 1, 3), f32(2, 2, 3), f32(2, 3, 3)],)),
    LayerCase("Concatenate", {}, ([i32(2, 3), i32(2, 1)],), id="Concatenate-int"),
    LayerCase("Concatenate", {}, ([f32(2, 3), i32(2, 2)],), id="Concatenate-float-int"),
    LayerCase("Dot", {"axes": 1}, ([f32(2, 3), f32(2, 3)],)),
    LayerCase("Dot", {"axes": 1, "normalize": True}, ([f32(2, 3), f32(2, 3)],)),
    LayerCase("Dot", {"axes": (1, 2)}, ([f32(2, 5, 3), f32(2, 4, 5)],)),
    LayerCase("Dot", {"axes": -1}, ([f32(2, 4, 3), f32(2, 5, 3)],)),
    LayerCase("Dot", {"axes": (2, 1), "normalize": True}, ([f32(2, 4, 3), f32(2, 3)],)),
    LayerCase("Dot", {"axes": (1, 1)}, ([f32(2, 3), f32(2, 3, 4)],)),
    LayerCase("Dot", {"axes": (2, 3)}, ([f32(2, 3, 4, 2), f32(2, 2, 3, 4)],), id="Dot-rank4"),
    LayerCase("Dot", {"axes": (1, 2)}, ([i32(2, 3, 2), i32(2, 4, 3)],), id="Dot-int"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


def test_mixed_precision_casts_float_inputs_as_keras():
    # Not a table row: the table's pure-apply check passes the inputs uncast, and a pure
    # `apply` leaves casting to its caller (the stateful layer or a pure model).
    import keras

    inputs = [f32(2, 3), f32(2, 3), i32(2, 3)]
    layer = kfn.layers.Add(dtype="mixed_float16")
    outputs = layer(inputs)
    assert ops.dtype(outputs) == "float16"
    assert layer.pure().output_spec(specs_of(inputs)).dtype == "float16"
    expected = keras.layers.Add(dtype="mixed_float16")(
        [keras.ops.convert_to_tensor(x) for x in inputs]
    )
    assert_close(outputs, keras.ops.convert_to_numpy(expected), 1e-3, 1e-3, "mixed_float16")


def test_errors_name_the_layer_and_the_shapes():
    a, b = kfn.Input((3,)), kfn.Input((4,))
    with pytest.raises(
        ValueError,
        match=r"Add 'add_3' expected inputs of compatible shapes, got \(None, 3\) and \(None, 4\)",
    ):
        kfn.layers.Add(name="add_3")([a, b])
    expect_error(
        "Multiply",
        r"Multiply '.*' expected inputs of compatible shapes, got \(2, 3, 2\) and \(2, 4, 2\)",
        [f32(2, 3, 2), f32(2, 1, 2), f32(2, 4, 2)],
    )
    expect_error(
        "Maximum",
        r"Maximum '.*' expected inputs of the same batch size, got shapes \(2, 3\) and \(4, 3\)",
        [f32(2, 3), f32(4, 3)],
    )
    expect_error("Add", r"Add '.*' expected a list of at least 2 inputs, got 1", [f32(2, 3)])
    expect_error("Average", r"expected a list of inputs, got a single input of shape", f32(2, 3))
    expect_error(
        "Subtract",
        r"Subtract '.*' expected a list of exactly 2 inputs, got 3",
        [f32(2, 3), f32(2, 3), f32(2, 3)],
    )
    with pytest.raises(
        ValueError,
        match=r"Concatenate 'concatenate_errors' expected inputs of the same shape except along "
        r"axis -1, got \(None, 3, 2\) and \(None, 4, 3\)",
    ):
        kfn.layers.Concatenate(name="concatenate_errors")([kfn.Input((3, 2)), kfn.Input((4, 3))])
    expect_error(
        "Concatenate",
        r"expected inputs of the same rank, got \(2, 3\) and \(2, 3, 1\)",
        [f32(2, 3), f32(2, 3, 1)],
    )
    expect_error(
        "Concatenate",
        r"expected inputs with an axis 2 to join along, got rank 2",
        [f32(2, 3), f32(2, 3)],
        axis=2,
    )
    expect_error(
        "Dot",
        r"Dot '.*' expected inputs of the same size along axes \(1, 1\), got 3 and 4 "
        r"\(input shapes \(2, 3\) and \(2, 4\)\)",
        [f32(2, 3), f32(2, 4)],
        axes=1,
    )
    expect_error(
        "Dot",
        r"cannot take the dot product along the batch axis 0",
        [f32(2, 3), f32(2, 3)],
        axes=(0, 1),
    )
    expect_error("Dot", r"expected inputs of rank >= 2", [f32(3), f32(3)], axes=-1)
    expect_error("Dot", r"exactly 2 inputs, got 3", [f32(2, 3)] * 3, axes=1)


def test_shapes_checked_again_on_a_symbolic_call_after_building():
    add = kfn.layers.Add(name="add_again")
    add([f32(2, 3), f32(2, 3)])
    with pytest.raises(ValueError, match=r"Add 'add_again' expected inputs of compatible shapes"):
        add([kfn.Input((3,)), kfn.Input((5,))])


@pytest.mark.parametrize(
    "name, config, message",
    [
        ("Concatenate", {"axis": 1.5}, r"Concatenate: axis must be an integer, got 1.5"),
        (
            "Dot",
            {"axes": (1, 2, 3)},
            r"Dot: axes must be an int or a pair of ints, got \(1, 2, 3\)",
        ),
        ("Dot", {"axes": "1"}, r"Dot: axes must be an int or a pair of ints, got '1'"),
    ],
)
def test_bad_arguments_name_the_layer_and_the_argument(name, config, message):
    with pytest.raises(ValueError, match=message):
        getattr(kfn.layers, name)(**config)


def test_unknown_sizes_give_none():
    x, y = kfn.Input((None, 3)), kfn.Input((4, 3))
    assert tuple(kfn.layers.Add()([x, y]).shape) == (None, None, 3)
    assert tuple(kfn.layers.Concatenate(axis=1)([x, y]).shape) == (None, None, 3)
    assert tuple(kfn.layers.Concatenate()([x, y]).shape) == (None, 4, 6)
    assert tuple(kfn.layers.Dot(axes=(2, 2))([x, y]).shape) == (None, None, 4)


def test_functional_forms_make_the_layers():
    a, b = f32(2, 3), f32(2, 3)
    for function, layer, kwargs in [
        (kfn.layers.add, "Add", {}),
        (kfn.layers.subtract, "Subtract", {}),
        (kfn.layers.multiply, "Multiply", {}),
        (kfn.layers.average, "Average", {}),
        (kfn.layers.maximum, "Maximum", {}),
        (kfn.layers.minimum, "Minimum", {}),
        (kfn.layers.concatenate, "Concatenate", {"axis": 0}),
        (kfn.layers.dot, "Dot", {"axes": -1, "normalize": True}),
    ]:
        expected = getattr(kfn.layers, layer)(**kwargs)([a, b])
        assert_close(function([a, b], **kwargs), expected, 1e-6, 1e-6, layer)
    merged = kfn.layers.add([kfn.Input((3,)), kfn.Input((3,))], name="named_add")
    assert merged.node.operation.name == "named_add"
    assert tuple(kfn.layers.dot([kfn.Input((3,)), kfn.Input((3,))]).shape) == (None, 1)


def _merge_model(library):
    """The same Functional model in kfn or Keras: (model, its Dense layers)."""
    layers = library.layers
    a, b, c = layers.Input((4,)), layers.Input((4,)), layers.Input((3, 4))
    first, second = layers.Dense(4, name="first"), layers.Dense(4, name="second")
    x, y = first(a), second(b)
    total = layers.add([x, y])
    product = layers.multiply([total, x])
    difference = layers.subtract([product, y])
    mean = layers.average([total, difference, c])
    extremes = layers.concatenate(
        [layers.maximum([mean, x]), layers.minimum([mean, y])], axis=1
    )  # (None, 6, 4)
    scores = layers.dot([extremes, x], axes=(2, 1))  # (None, 6)
    cosine = layers.dot([c, y], axes=-1, normalize=True)  # (None, 3)
    outputs = layers.concatenate([scores, cosine, layers.dot([x, y], axes=1)])
    return library.Model([a, b, c], outputs), (first, second)


def test_functional_model_matches_keras():
    import keras

    model, dense = _merge_model(kfn)
    reference, keras_dense = _merge_model(keras)
    inputs = [f32(2, 4), f32(2, 4), f32(2, 3, 4)]
    outputs = model(inputs)
    assert tuple(outputs.shape) == (2, 10) and tuple(model.output.shape) == (None, 10)
    for ours, theirs in zip(dense, keras_dense):
        theirs.set_weights(ours.get_weights())
    expected = keras.ops.convert_to_numpy(reference(inputs))
    assert_close(outputs, expected, 1e-5, 1e-5, "functional model")

    state = model.state_tree()
    pure_out, _ = model.pure().apply(state, [ops.convert_to_tensor(x) for x in inputs])
    assert_close(pure_out, outputs, 1e-6, 1e-6, "pure functional model")

    clone = kfn.models.Functional.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    assert_close(clone(inputs), to_numpy(outputs), 1e-6, 1e-6, "functional model from_config")


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend has no gradients")
def test_gradients_flow_through_the_merges():
    model, _ = _merge_model(kfn)
    inputs = [ops.convert_to_tensor(x) for x in (f32(2, 4), f32(2, 4), f32(2, 3, 4))]
    state = model.state_tree()

    def loss(trainable):
        out, _ = model.stateless_call(trainable, state["non_trainable"], inputs)
        return ops.sum(ops.square(out))

    grads = ops.grad(loss)(state["trainable"])
    for leaf in kfn.tree.flatten(grads):
        values = ops.convert_to_numpy(leaf)
        assert np.all(np.isfinite(values)) and np.any(values != 0)
