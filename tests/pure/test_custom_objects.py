"""kfn.saving's registration of user classes (register_keras_serializable, custom object
scopes, serialize/deserialize_keras_object), as Keras 3 names and uses them."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops


class Scale(kfn.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _model(scale):
    return kfn.Sequential([kfn.Input((3,)), kfn.layers.Dense(2), scale])


def test_a_registered_class_loads_by_its_registered_name():
    @kfn.saving.register_keras_serializable(package="TestPkg")
    class Shift(kfn.Layer):
        def __init__(self, amount=1.0, **kwargs):
            super().__init__(**kwargs)
            self.amount = amount

        def call(self, x):
            return x + self.amount

        def get_config(self):
            return {**super().get_config(), "amount": self.amount}

    @keras.saving.register_keras_serializable(package="TestPkg")
    class KerasShift(keras.layers.Layer):
        pass

    assert kfn.saving.get_registered_name(Shift) == "TestPkg>Shift"
    assert keras.saving.get_registered_name(KerasShift) == "TestPkg>KerasShift"  # same form
    assert kfn.saving.get_registered_object("TestPkg>Shift") is Shift
    assert kfn.saving.get_custom_objects()["TestPkg>Shift"] is Shift
    model = _model(Shift(amount=0.5))
    loaded = kfn.models.model_from_json(model.to_json())
    assert type(loaded.layers[-1]) is Shift and loaded.layers[-1].amount == 0.5
    x = np.ones((2, 3), "float32")
    loaded.set_weights(model.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(loaded(x)), ops.convert_to_numpy(model(x)))
    form = kfn.saving.serialize_keras_object(Shift(amount=3.0))
    assert form["registered_name"] == "TestPkg>Shift" and form["class_name"] == "Shift"
    assert kfn.saving.deserialize_keras_object(form).amount == 3.0


def test_unregistered_classes_load_in_a_custom_object_scope_or_with_custom_objects():
    config = _model(Scale(factor=4.0)).to_json()
    with pytest.raises(ValueError, match="Unknown layer 'Scale'"):
        kfn.models.model_from_json(config)
    with kfn.saving.custom_object_scope({"Scale": Scale}):
        assert kfn.models.model_from_json(config).layers[-1].factor == 4.0
    assert kfn.models.model_from_json(config, custom_objects={"Scale": Scale}).layers[-1].factor
    assert kfn.saving.get_registered_object("Scale") is None


def test_serialize_keras_object_handles_built_in_objects_and_plain_values():
    form = kfn.saving.serialize_keras_object(kfn.initializers.Constant(0.5))
    assert form["class_name"] == "Constant" and form["config"] == {"value": 0.5}
    assert kfn.saving.deserialize_keras_object(form)((2,))[0] == 0.5
    layer = kfn.saving.deserialize_keras_object(
        kfn.saving.serialize_keras_object(kfn.layers.Dense(3, name="head"))
    )
    assert isinstance(layer, kfn.layers.Dense) and layer.units == 3 and layer.name == "head"
    assert kfn.saving.serialize_keras_object([1, "a", None]) == [1, "a", None]
    with pytest.raises(ValueError, match="unknown class 'Nope'"):
        kfn.saving.deserialize_keras_object({"class_name": "Nope", "config": {}})


def test_registration_errors_are_explained():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="NoConfig has no get_config"):
        kfn.saving.register_keras_serializable()(NoConfig)
    kfn.saving.register_keras_serializable(package="Twice")(Scale)
    with pytest.raises(ValueError, match="'Twice>Scale' is already registered"):

        @kfn.saving.register_keras_serializable(package="Twice", name="Scale")
        class Other(kfn.Layer):
            pass
