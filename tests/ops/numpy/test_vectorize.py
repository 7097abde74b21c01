"""kfn.ops.vectorize (kfn.ops.numpy.vectorize) against np.vectorize, on the active backend."""

import numpy as np
import pytest

from kfn import ops
from tests.ops.cases import check_result, f32, i32, to_backend


def test_vectorize_scalar_function_broadcasts():
    add = ops.vectorize(lambda a, b: a * 2 + b)
    out = add(ops.convert_to_tensor(i32(3, 1)), ops.convert_to_tensor(i32(4)))
    assert ops.numpy.vectorize is ops.vectorize
    assert tuple(out.shape) == (3, 4)


def test_vectorize_signature_against_numpy():
    a, v = f32(4, 1, 2, 3), f32(5, 3)
    matvec = ops.vectorize(ops.matmul, signature="(m,n),(n)->(m)")
    expected = np.vectorize(np.matmul, signature="(m,n),(n)->(m)")(a, v)
    check_result(matvec(*to_backend((a, v))), expected, "float32", rtol=2e-5)


def test_vectorize_several_outputs_excluded_and_keyword_arguments():
    def stats(x, scale, *, shift):
        return ops.sum(x) * scale + shift, ops.max(x)

    fn = ops.vectorize(stats, excluded={1}, signature="(n),()->(),()")
    x, shift = f32(2, 3, 4), f32(3)
    total, largest = fn(ops.convert_to_tensor(x), 10.0, shift=ops.convert_to_tensor(shift))
    check_result(total, x.sum(-1) * 10.0 + shift, "float32", rtol=2e-5)
    check_result(largest, x.max(-1), "float32")


def test_vectorize_without_batch_axes_calls_the_function_once():
    fn = ops.vectorize(lambda m: ops.sum(m, axis=0), signature="(m,n)->(n)")
    check_result(fn(ops.convert_to_tensor(f32(2, 3) * 0 + 1)), np.full(3, 2.0), "float32")


# ---------------------------------------------------------------------------- errors


def tensor(value):
    return ops.convert_to_tensor(value)


ERRORS = [
    (lambda: ops.vectorize(3), TypeError, "vectorize: pyfunc must be callable, got 3"),
    (
        lambda: ops.vectorize(ops.sum, signature="(n)>()"),
        ValueError,
        "vectorize: signature must read like",
    ),
    (
        lambda: ops.vectorize(ops.matmul, signature="(m,n),(n)->(m)")(
            tensor(f32(2, 3)), tensor(f32(4))
        ),
        ValueError,
        "vectorize: core dimension 'n' has size 3 and 4",
    ),
    (
        lambda: ops.vectorize(lambda x: x, signature="(n)->()")(tensor(f32(2, 3))),
        ValueError,
        r"vectorize: output 0 of pyfunc should have core dimensions \(\) .*got shape \(3,\)",
    ),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2][:50] for e in ERRORS])
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match="kfn.ops." + message):
        call()
