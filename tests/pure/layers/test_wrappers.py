"""SpectralNormalization (kfn/pure/layers/wrappers.py, kfn/stateful/wrappers.py)."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import requires_gradients

RNG = np.random.default_rng(11)


def f32(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def numpy(x):
    return ops.convert_to_numpy(x)


def reference(kernel, vector_u, iterations):
    """Spectral normalization in NumPy: (new u, kernel / sigma)."""
    weights = kernel.reshape(-1, kernel.shape[-1]).astype(np.float64)
    u = vector_u.astype(np.float64)
    for _ in range(iterations):
        v = u @ weights.T
        v = v / np.linalg.norm(v)
        u = v @ weights
        u = u / np.linalg.norm(u)
    sigma = (v @ weights @ u.T).item()
    return u, kernel / sigma


def test_training_call_matches_keras_and_numpy():
    import keras

    sn = kfn.layers.SpectralNormalization(kfn.layers.Dense(3), power_iterations=2)
    x = f32(4, 5)
    sn(x)
    # Keras lists the wrapped kernel first, then vector_u, then the rest.
    assert [v.name for v in sn.weights] == ["kernel", "vector_u", "bias"]
    weights = [w if w.ndim != 1 else w + 0.1 for w in sn.get_weights()]
    sn.set_weights(weights)
    kernel, vector_u, bias = weights
    reference_sn = keras.layers.SpectralNormalization(keras.layers.Dense(3), power_iterations=2)
    reference_sn(x)
    reference_sn.set_weights(weights)
    expected = keras.ops.convert_to_numpy(reference_sn(x, training=True))
    got = numpy(sn(x, training=True))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    new_u, normalized = reference(kernel, vector_u, 2)
    np.testing.assert_allclose(got, x @ normalized + bias, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(sn.vector_u.numpy(), new_u, rtol=1e-4, atol=1e-6)
    # The kernel itself is kept as trained.
    np.testing.assert_allclose(sn.layer.kernel.numpy(), kernel)


def test_inference_uses_the_stored_estimate_and_updates_nothing():
    sn = kfn.layers.SpectralNormalization(kfn.layers.Dense(2))
    x = f32(1, 6, 6, 1)
    out = sn(x)
    before = sn.vector_u.numpy().copy()
    again = sn(x)
    np.testing.assert_array_equal(sn.vector_u.numpy(), before)
    np.testing.assert_allclose(numpy(out), numpy(again))


def test_pure_form_and_stateless_call_agree():
    sn = kfn.layers.SpectralNormalization(kfn.layers.Dense(3))
    x = ops.convert_to_tensor(f32(2, 4))
    expected = numpy(sn(x, training=True))
    sn.vector_u.assign(ops.ones((1, 3)) / np.sqrt(3.0))
    state = sn.state_tree()
    assert list(state["trainable"]) == [sn.layer.name]
    assert list(state["non_trainable"]) == ["vector_u"]
    out, new = sn.pure().apply(state, x, training=True)
    out2, new2 = sn.stateless_call(state["trainable"], state["non_trainable"], x, training=True)
    np.testing.assert_allclose(numpy(out), numpy(out2), rtol=1e-6)
    np.testing.assert_allclose(numpy(new["vector_u"]), numpy(new2["vector_u"]), rtol=1e-6)
    assert expected.shape == numpy(out).shape


def test_config_round_trip_and_errors():
    sn = kfn.layers.SpectralNormalization(kfn.layers.Dense(3, name="inner"), power_iterations=3)
    config = sn.get_config()
    clone = kfn.layers.SpectralNormalization.from_config(config)
    assert clone.get_config()["power_iterations"] == 3
    assert clone.layer.units == 3
    with pytest.raises(ValueError, match="power_iterations must be a positive integer, got 0"):
        kfn.layers.SpectralNormalization(kfn.layers.Dense(3), power_iterations=0)
    with pytest.raises(TypeError, match="layer must be a kfn layer"):
        kfn.layers.SpectralNormalization("dense")
    with pytest.raises(ValueError, match="has no 'kernel' nor 'embeddings'"):
        kfn.layers.SpectralNormalization(kfn.layers.Identity())(f32(2, 3))


@requires_gradients
def test_gradients_reach_the_wrapped_kernel():
    sn = kfn.layers.SpectralNormalization(kfn.layers.Dense(3))
    x = f32(4, 2)
    sn(x)
    state = sn.state_tree()

    def loss(trainable):
        out, _ = sn.stateless_call(trainable, state["non_trainable"], x, training=True)
        return ops.sum(ops.square(out))

    grads = ops.grad(loss)(state["trainable"])
    assert np.any(numpy(grads[sn.layer.name]["kernel"]) != 0)
