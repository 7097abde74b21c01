"""kfn.ops.value_and_grad / grad / stop_gradient / custom_gradient: JAX's functional
semantics on jax, torch and tensorflow; a clear error on numpy."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import check_gradient, check_result


def t(x, dtype="float32"):
    return ops.convert_to_tensor(np.asarray(x, dtype))


@requires_gradients
def test_value_and_grad_matches_the_analytic_gradient():
    x = np.array([1.0, -2.0, 3.0], "float32")
    value, grad = ops.value_and_grad(lambda v: ops.sum(3.0 * v * v))(t(x))
    check_result(value, np.float32(3 * (x**2).sum()), "float32")
    check_result(grad, 6 * x, "float32")


@requires_gradients
def test_gradients_come_back_in_the_structure_of_the_arguments():
    params = {"w": t([[1.0, 2.0], [3.0, 4.0]]), "extra": [t([0.5]), t([2.0])]}
    x = t([1.0, -1.0])

    def loss(params, x):
        hidden = ops.matmul(x, params["w"])
        return ops.sum(hidden * params["extra"][1]) + ops.sum(params["extra"][0] * 0.0)

    grads = ops.grad(loss)(params, x)
    assert sorted(grads) == ["extra", "w"] and len(grads["extra"]) == 2
    check_result(grads["w"], np.array([[2.0, 2.0], [-2.0, -2.0]]), "float32")
    check_result(grads["extra"][0], np.array([0.0]), "float32")
    check_result(grads["extra"][1], np.array([-4.0]), "float32")


@requires_gradients
def test_argnums_tuple_and_has_aux():
    def f(a, b, scale):
        return ops.sum(a * b) * scale, {"product": a * b}

    (value, aux), (grad_a, grad_b) = ops.value_and_grad(f, argnums=(0, 1), has_aux=True)(
        t([1.0, 2.0]), t([3.0, 4.0]), 2.0
    )
    check_result(value, np.float32(22.0), "float32")
    check_result(aux["product"], np.array([3.0, 8.0]), "float32")
    check_result(grad_a, np.array([6.0, 8.0]), "float32")
    check_result(grad_b, np.array([2.0, 4.0]), "float32")
    grads, aux = ops.grad(f, argnums=1, has_aux=True)(t([1.0, 2.0]), t([3.0, 4.0]), 1.0)
    check_result(grads, np.array([1.0, 2.0]), "float32")


@requires_gradients
def test_unused_input_has_a_zero_gradient():
    grad_a, grad_b = ops.grad(lambda a, b: ops.sum(a * 2.0), argnums=(0, 1))(t([1.0]), t([5.0]))
    check_result(grad_b, np.array([0.0]), "float32")
    check_result(grad_a, np.array([2.0]), "float32")


@requires_gradients
def test_gradient_of_a_gradient():
    def first_derivative(x):
        return ops.sum(ops.grad(lambda v: ops.sum(v * v * v))(x))

    second = ops.grad(first_derivative)(t([1.0, 2.0]))
    check_result(second, np.array([6.0, 12.0]), "float32")


@requires_gradients
def test_value_and_grad_under_jit():
    step = ops.jit(ops.value_and_grad(lambda w, x: ops.sum((w * x - 1.0) ** 2)))
    value, grad = step(t([1.0, 2.0]), t([3.0, 4.0]))
    check_result(value, np.float32(4.0 + 49.0), "float32")
    check_result(grad, np.array([12.0, 56.0]), "float32")


@requires_gradients
def test_non_scalar_output_is_an_error():
    with pytest.raises(TypeError, match="scalar"):
        ops.grad(lambda x: x * 2.0)(t([1.0, 2.0]))


@requires_gradients
def test_integer_input_is_an_error():
    with pytest.raises(TypeError, match="int32"):
        ops.grad(lambda x: ops.sum(x))(ops.convert_to_tensor([1, 2]))


@pytest.mark.skipif(BACKEND != "numpy", reason="numpy backend only")
def test_numpy_backend_has_no_gradients():
    with pytest.raises(
        NotImplementedError, match="the numpy backend has no automatic differentiation"
    ):
        ops.value_and_grad(lambda x: x)


@requires_gradients
def test_stop_gradient():
    x = t([2.0, 3.0])
    check_result(
        ops.grad(lambda v: ops.sum(v * ops.stop_gradient(v)))(x), np.array([2.0, 3.0]), "float32"
    )


def test_stop_gradient_is_identity_forward():
    check_result(ops.stop_gradient(t([2.0, 3.0])), np.array([2.0, 3.0]), "float32")


@ops.custom_gradient
def _doubled_gradient_identity(x):
    def grad_fn(upstream):
        return upstream * 2.0

    return x * 1.0, grad_fn


@ops.custom_gradient
def _log1pexp(x):
    e = ops.exp(x)

    def grad_fn(upstream):
        return upstream * (1.0 - 1.0 / (1.0 + e))

    return ops.log(1.0 + e), grad_fn


def test_custom_gradient_forward():
    check_result(_doubled_gradient_identity(t([1.0, -1.0])), np.array([1.0, -1.0]), "float32")


@requires_gradients
def test_custom_gradient_is_used():
    x = t([1.0, -1.0])
    check_result(
        ops.grad(lambda v: ops.sum(_doubled_gradient_identity(v)))(x),
        np.array([2.0, 2.0]),
        "float32",
    )
    # Stable where the plain formula overflows: the custom gradient of log(1 + e^x) at x=100.
    grad = ops.grad(lambda v: ops.sum(_log1pexp(v)))(t([100.0, 0.0]))
    check_result(grad, np.array([1.0, 0.5]), "float32")


@requires_gradients
def test_check_gradient_helper_agrees_with_finite_differences():
    check_gradient(lambda x: ops.sum(ops.exp(x) * x), np.array([0.1, -0.3, 0.7]))


W1 = np.random.default_rng(4).normal(size=(3, 5)).astype("float32")
W2 = np.random.default_rng(5).normal(size=(5, 2)).astype("float32")


def _block(calls):
    def block(x, scale=1.0):
        calls.append(1)
        return ops.matmul(ops.tanh(ops.matmul(x, W1)), W2) * scale

    return block


def test_remat_computes_what_the_function_computes():
    x = ops.convert_to_tensor(np.ones((4, 3), "float32"))
    calls = []
    np.testing.assert_allclose(
        ops.convert_to_numpy(kfn.remat(_block(calls))(x, scale=2.0)),
        ops.convert_to_numpy(_block([])(x, scale=2.0)),
        rtol=1e-6,
    )
    assert kfn.remat is ops.remat


@requires_gradients
def test_remat_gives_the_same_gradient_and_recomputes_the_forward_pass():
    x = ops.convert_to_tensor(np.random.default_rng(6).normal(size=(4, 3)).astype("float32"))
    calls = []
    rematerialized = ops.remat(_block(calls))
    expected = ops.grad(lambda x: ops.sum(_block([])(x) ** 2))(x)
    got = ops.grad(lambda x: ops.sum(rematerialized(x) ** 2))(x)
    np.testing.assert_allclose(ops.convert_to_numpy(got), ops.convert_to_numpy(expected), rtol=1e-5)
    if BACKEND == "jax":
        import jax

        # Traced once; the recomputation is the checkpoint in the gradient's program.
        jaxpr = str(jax.make_jaxpr(jax.grad(lambda x: ops.sum(rematerialized(x))))(x))
        assert "checkpoint" in jaxpr or "remat" in jaxpr
    else:
        assert len(calls) == 2  # the forward pass, and again for the backward pass
