"""kfn.ops.math against NumPy/SciPy references and Keras 3, on the active backend.

Expected dtypes are written out in each case: the same on every backend.
"""

import warnings

import numpy as np
import pytest
import scipy.signal
import scipy.spatial.distance
import scipy.special

from kfn import ops
from kfn.ops.symbolic import SymbolicTensor
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import (
    OpCase,
    case_id,
    check_gradient,
    check_result,
    f16,
    f32,
    f64,
    i32,
    run_case,
    to_backend,
    to_numpy,
)
from tests.ops.nn.keras_reference import keras_ops

RNG = np.random.default_rng(21)
requires_tracing = pytest.mark.skipif(BACKEND == "numpy", reason="nothing to trace on numpy")

# ---------------------------------------------------------------------------- references


def segment_reference(reduction):
    """Segment reductions as a loop over rows: ids outside [0, num_segments) are dropped,
    empty segments hold the reduction's identity."""
    combine = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}
    combine = combine[reduction]

    def reference(data, segment_ids, num_segments=None, sorted=False):
        if num_segments is None:
            num_segments = int(segment_ids.max()) + 1 if segment_ids.size else 0
        if data.dtype.kind == "f":
            identity = {"sum": 0, "prod": 1, "max": -np.inf, "min": np.inf}[reduction]
        else:
            info = np.iinfo(data.dtype)
            identity = {"sum": 0, "prod": 1, "max": info.min, "min": info.max}[reduction]
        out = np.full((num_segments,) + data.shape[1:], identity, dtype=data.dtype)
        for row, segment in zip(data, segment_ids):
            if 0 <= segment < num_segments:
                out[segment] = combine(out[segment], row)
        return out

    return reference


def top_k_reference(x, k, sorted=True):
    """The k largest values per row, equal values in increasing index order."""
    values = np.zeros(x.shape[:-1] + (k,), x.dtype)
    indices = np.zeros(x.shape[:-1] + (k,), np.int32)
    for index in np.ndindex(x.shape[:-1]):
        row = x[index]
        order = np.lexsort((np.arange(row.size), -row.astype(np.float64)))[:k]
        values[index], indices[index] = row[order], order
    return values, indices


def in_top_k_reference(targets, predictions, k):
    """A target is in the top k when its score is at least the k-th largest score."""
    out = np.zeros(targets.shape, bool)
    for index in np.ndindex(targets.shape):
        row, target = predictions[index], targets[index]
        if k > 0 and 0 <= target < row.size and not np.isnan(row[target]):
            out[index] = row[target] >= np.sort(row)[-k]
    return out


def sequences_reference(x, sequence_length, sequence_stride):
    starts = range(0, x.shape[-1] - sequence_length + 1, sequence_stride)
    return np.stack([x[..., s : s + sequence_length] for s in starts], axis=-2)


def complex_reference(transform):
    def reference(x):
        real, imag = x
        out = transform(real.astype(np.float64) + 1j * imag.astype(np.float64))
        return out.real, out.imag

    return reference


def rfft_reference(x, fft_length=None):
    out = np.fft.rfft(x.astype(np.float64), n=fft_length, axis=-1)
    return out.real, out.imag


def irfft_reference(x, fft_length=None):
    real, imag = x
    n = fft_length if fft_length is not None else 2 * (real.shape[-1] - 1)
    return np.fft.irfft(real.astype(np.float64) + 1j * imag.astype(np.float64), n=n, axis=-1)


def frame_window(window, sequence_length, fft_length):
    if window is None:
        values = np.ones(sequence_length)
    elif isinstance(window, str):
        values = scipy.signal.get_window(window, sequence_length)
    else:
        values = np.asarray(window, np.float64)
    left = (fft_length - sequence_length) // 2
    return np.pad(values, (left, fft_length - sequence_length - left))


def stft_reference(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """scipy.signal.stft on the (reflect-padded) signal, without its 1 / sum(window) scale."""
    win = frame_window(window, sequence_length, fft_length)
    x = x.astype(np.float64)
    if center:
        half = fft_length // 2
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)], mode="reflect")
    _, _, z = scipy.signal.stft(
        x,
        window=win,
        nperseg=fft_length,
        noverlap=fft_length - sequence_stride,
        nfft=fft_length,
        detrend=False,
        return_onesided=True,
        boundary=None,
        padded=False,
        scaling="spectrum",
        axis=-1,
    )
    z = np.swapaxes(z, -1, -2) * win.sum()
    return z.real, z.imag


def istft_reference(
    x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True
):
    """scipy.signal.istft (without the stft scale), the center padding removed."""
    win = frame_window(window, sequence_length, fft_length)
    real, imag = x
    with warnings.catch_warnings():  # scipy's invertibility check, strict at the edges
        warnings.simplefilter("ignore", UserWarning)
        _, signal = scipy.signal.istft(
            real.astype(np.float64) + 1j * imag.astype(np.float64),
            window=win,
            nperseg=fft_length,
            noverlap=fft_length - sequence_stride,
            nfft=fft_length,
            input_onesided=True,
            boundary=False,
            time_axis=-2,
            freq_axis=-1,
            scaling="spectrum",
        )
    signal = signal / win.sum()
    start = fft_length // 2 if center else 0
    stop = start + length if length is not None else signal.shape[-1] - start
    out = signal[..., start:stop]
    missing = stop - signal.shape[-1]
    if missing > 0:
        out = np.pad(out, [(0, 0)] * (out.ndim - 1) + [(0, missing)])
    return out


def cdist_reference(x, y):
    batch = np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    x = np.broadcast_to(x, batch + x.shape[-2:]).astype(np.float64)
    y = np.broadcast_to(y, batch + y.shape[-2:]).astype(np.float64)
    out = np.zeros(batch + (x.shape[-2], y.shape[-2]))
    for index in np.ndindex(batch):
        out[index] = scipy.spatial.distance.cdist(x[index], y[index])
    return out


def as_float64(fn):
    return lambda *a, **k: fn(*(v.astype(np.float64) if v.dtype.kind == "f" else v for v in a), **k)


def ids(*values):
    return np.array(values, np.int32)


def pair(*shape, dtype=np.float32):
    return (f32(*shape).astype(dtype), f32(*shape).astype(dtype))


FFT_TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}

# ---------------------------------------------------------------------------- the table

CASES = [
    # Segment reductions: sorted and unsorted ids, empty segments, dropped ids, inferred count.
    *[
        OpCase(
            f"segment_{r}",
            (f32(6, 3), ids(0, 0, 1, 1, 3, 3)),
            {"num_segments": 5},
            dtype="float32",
            reference=segment_reference(r),
            id=f"segment_{r}-sorted-empty-segments",
        )
        for r in ("sum", "max", "min", "prod")
    ],
    *[
        OpCase(
            f"segment_{r}",
            (f32(7), ids(2, 0, 2, 1, 0, 2, 1)),
            dtype="float32",
            reference=segment_reference(r),
            id=f"segment_{r}-unsorted-inferred",
        )
        for r in ("sum", "max", "min", "prod")
    ],
    *[
        OpCase(
            f"segment_{r}",
            (i32(6, 2), ids(1, -1, 4, 0, 1, 7)),
            {"num_segments": 3},
            dtype="int32",
            reference=segment_reference(r),
            id=f"segment_{r}-int-out-of-range-ids-dropped",
        )
        for r in ("sum", "max")
    ],
    OpCase(
        "segment_sum",
        (f64(5, 2, 2), ids(0, 1, 0, 1, 0)),
        {"num_segments": 2, "sorted": False},
        dtype="float64",
        reference=segment_reference("sum"),
    ),
    OpCase(
        "segment_max",
        (f32(0, 3), np.zeros((0,), np.int32)),
        {"num_segments": 2},
        dtype="float32",
        reference=segment_reference("max"),
        id="segment_max-no-rows",
    ),
    OpCase(
        "segment_sum",
        (f32(0, 3), np.zeros((0,), np.int32)),
        dtype="float32",
        reference=segment_reference("sum"),
        id="segment_sum-no-rows-inferred",
    ),
    OpCase(
        "segment_sum",
        (f16(4), ids(0, 0, 1, 1)),
        {"num_segments": 2, "sorted": True},
        dtype="float16",
        reference=as_float64(segment_reference("sum")),
    ),
    # top_k.
    OpCase("top_k", (f32(7), 3), dtype=["float32", "int32"], reference=top_k_reference),
    OpCase("top_k", (f32(2, 3, 5), 1), dtype=["float32", "int32"], reference=top_k_reference),
    OpCase(
        "top_k",
        (RNG.permutation(18).reshape(3, 6).astype(np.int32), 2),
        dtype=["int32", "int32"],
        reference=top_k_reference,
    ),
    OpCase(
        "top_k",
        (np.array([[1.0, 3.0, 3.0, 2.0, 3.0]], np.float32), 2),
        dtype=["float32", "int32"],
        reference=top_k_reference,
        skip={"torch": "torch.topk does not order equal values by index"},
        id="top_k-ties-lower-index-first",
    ),
    # in_top_k: ties at the boundary are in, NaN and out-of-range targets are out.
    OpCase(
        "in_top_k",
        (
            ids(2, 5, 3, 0, -1),
            np.array(
                [
                    [0.1, 0.4, 0.6, 0.9, 0.5, 0.0],
                    [0.1, 0.7, 0.9, 0.8, 0.3, 0.2],
                    [0.1, 0.6, 0.9, 0.9, 0.5, 0.9],
                    [np.nan, 0.6, 0.9, 0.9, 0.5, 0.9],
                    [0.1, 0.6, 0.9, 0.9, 0.5, 0.9],
                ],
                np.float32,
            ),
            3,
        ),
        dtype="bool",
        reference=in_top_k_reference,
    ),
    OpCase("in_top_k", (ids(0, 1), f32(2, 3), 0), dtype="bool", reference=in_top_k_reference),
    # extract_sequences.
    OpCase("extract_sequences", (i32(6), 3, 2), dtype="int32", reference=sequences_reference),
    OpCase(
        "extract_sequences", (f32(2, 3, 10), 4, 3), dtype="float32", reference=sequences_reference
    ),
    OpCase("extract_sequences", (f32(5), 2, 7), dtype="float32", reference=sequences_reference),
    OpCase("extract_sequences", (f64(2, 5), 5, 1), dtype="float64", reference=sequences_reference),
    # Fourier transforms: odd and even lengths, batch axes, float64, half precision.
    OpCase(
        "fft",
        (pair(8),),
        dtype=["float32", "float32"],
        reference=complex_reference(np.fft.fft),
        **FFT_TOLERANCE,
    ),
    OpCase(
        "fft",
        (pair(2, 3, 7),),
        dtype=["float32", "float32"],
        reference=complex_reference(np.fft.fft),
        **FFT_TOLERANCE,
    ),
    OpCase(
        "fft",
        (pair(5, dtype=np.float64),),
        dtype=["float64", "float64"],
        reference=complex_reference(np.fft.fft),
    ),
    OpCase(
        "fft",
        ((f32(6), f32(6).astype(np.float64)),),
        dtype=["float64", "float64"],
        reference=complex_reference(np.fft.fft),
        id="fft-float32-float64-promoted",
    ),
    OpCase(
        "fft",
        (pair(6, dtype=np.float16),),
        dtype=["float16", "float16"],
        reference=complex_reference(np.fft.fft),
        rtol=1e-2,
        atol=1e-2,
    ),
    OpCase(
        "fft2",
        (pair(4, 6),),
        dtype=["float32", "float32"],
        reference=complex_reference(np.fft.fft2),
        **FFT_TOLERANCE,
    ),
    OpCase(
        "fft2",
        (pair(3, 3, dtype=np.float64),),
        dtype=["float64", "float64"],
        reference=complex_reference(np.fft.fft2),
    ),
    OpCase(
        "ifft2",
        (pair(2, 3, 5),),
        dtype=["float32", "float32"],
        reference=complex_reference(np.fft.ifft2),
        **FFT_TOLERANCE,
    ),
    OpCase(
        "rfft", (f32(8),), dtype=["float32", "float32"], reference=rfft_reference, **FFT_TOLERANCE
    ),
    OpCase(
        "rfft",
        (f32(2, 3, 7),),
        dtype=["float32", "float32"],
        reference=rfft_reference,
        **FFT_TOLERANCE,
    ),
    OpCase(
        "rfft",
        (f32(9), 5),
        dtype=["float32", "float32"],
        reference=rfft_reference,
        id="rfft-cropped-odd",
        **FFT_TOLERANCE,
    ),
    OpCase(
        "rfft",
        (f32(2, 5), 12),
        dtype=["float32", "float32"],
        reference=rfft_reference,
        id="rfft-padded",
        **FFT_TOLERANCE,
    ),
    OpCase(
        "rfft", (i32(6),), dtype=["float32", "float32"], reference=rfft_reference, **FFT_TOLERANCE
    ),
    OpCase("irfft", (pair(5),), dtype="float32", reference=irfft_reference, **FFT_TOLERANCE),
    OpCase(
        "irfft",
        (pair(2, 4),),
        {"fft_length": 7},
        dtype="float32",
        reference=irfft_reference,
        id="irfft-odd",
        **FFT_TOLERANCE,
    ),
    OpCase(
        "irfft",
        (pair(3, 6),),
        {"fft_length": 4},
        dtype="float32",
        reference=irfft_reference,
        id="irfft-cropped",
        **FFT_TOLERANCE,
    ),
    OpCase(
        "irfft",
        (pair(3),),
        {"fft_length": 9},
        dtype="float32",
        reference=irfft_reference,
        id="irfft-padded",
        **FFT_TOLERANCE,
    ),
    OpCase("irfft", (pair(4, dtype=np.float64),), dtype="float64", reference=irfft_reference),
    # stft against scipy.signal.stft.
    OpCase(
        "stft",
        (f32(64), 16, 4, 16),
        dtype=["float32", "float32"],
        reference=stft_reference,
        **FFT_TOLERANCE,
    ),
    OpCase(
        "stft",
        (f32(2, 3, 50), 12, 5, 16),
        {"window": "hamming", "center": False},
        dtype=["float32", "float32"],
        reference=stft_reference,
        **FFT_TOLERANCE,
    ),
    OpCase(
        "stft",
        (f64(41), 9, 3, 15),
        {"window": None},
        dtype=["float64", "float64"],
        reference=stft_reference,
        id="stft-no-window-odd-fft-length",
    ),
    OpCase(
        "stft",
        (f32(40), 8, 8, 8),
        {"window": f32(8, low=0.0, high=1.0)},
        dtype=["float32", "float32"],
        reference=stft_reference,
        id="stft-array-window",
        **FFT_TOLERANCE,
    ),
    # istft against scipy.signal.istft.
    OpCase(
        "istft",
        (pair(9, 9), 16, 4, 16),
        dtype="float32",
        reference=istft_reference,
        **FFT_TOLERANCE,
    ),
    OpCase(
        "istft",
        (pair(2, 7, 9), 12, 5, 16),
        {"window": "hamming", "center": False},
        dtype="float32",
        reference=istft_reference,
        **FFT_TOLERANCE,
    ),
    OpCase(
        "istft",
        (pair(6, 8, dtype=np.float64), 9, 3, 15),
        {"window": None, "length": 20},
        dtype="float64",
        reference=istft_reference,
        id="istft-no-window-cropped",
    ),
    OpCase(
        "istft",
        (pair(9, 9), 16, 4, 16),
        {"window": f32(16, low=0.5, high=1.0)},
        dtype="float32",
        reference=istft_reference,
        id="istft-array-window",
        **FFT_TOLERANCE,
    ),
    OpCase(
        "istft",
        (pair(9, 9), 16, 4, 16),
        {"length": 45},
        dtype="float32",
        reference=istft_reference,
        id="istft-padded-to-length",
        **FFT_TOLERANCE,
    ),
    # cdist against scipy.spatial.distance.cdist.
    OpCase("cdist", (f32(4, 3), f32(5, 3)), dtype="float32", reference=cdist_reference),
    OpCase("cdist", (f32(2, 1, 4, 3), f32(3, 2, 3)), dtype="float32", reference=cdist_reference),
    OpCase("cdist", (f64(3, 2), f32(2, 2)), dtype="float64", reference=cdist_reference),
    OpCase("cdist", (i32(3, 2), i32(4, 2)), dtype="float32", reference=cdist_reference),
    OpCase(
        "cdist",
        (np.ones((2, 3), np.float32), np.ones((1, 3), np.float32)),
        dtype="float32",
        reference=cdist_reference,
        id="cdist-coincident",
    ),
    # Re-exported from kfn.ops.numpy.
    OpCase(
        "logsumexp", (f32(3, 4),), {"axis": 1}, dtype="float32", reference=scipy.special.logsumexp
    ),
    OpCase("logsumexp", (f64(5),), dtype="float64", reference=scipy.special.logsumexp),
    OpCase(
        "rsqrt", (f32(5, low=0.1, high=4.0),), dtype="float32", reference=lambda x: 1 / np.sqrt(x)
    ),
    OpCase("erf", (f32(6),), dtype="float32", reference=scipy.special.erf),
    OpCase("erfc", (f64(6),), dtype="float64", reference=scipy.special.erfc),
    OpCase(
        "erfinv",
        (f32(6, low=-0.95, high=0.95),),
        dtype="float32",
        reference=scipy.special.erfinv,
        rtol=1e-4,
    ),
]


def math_op(name):
    return getattr(ops.math, name)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)
    if isinstance(case.op, str) and hasattr(ops.math, case.op):
        assert getattr(ops, case.op) is math_op(case.op), f"kfn.ops.{case.op} is not kfn.ops.math's"


# ---------------------------------------------------------------------------- stft round trip

ROUND_TRIPS = [
    # (signal shape, sequence_length, sequence_stride, fft_length, window, center)
    ((2, 101), 24, 6, 32, "hann", True),
    ((3, 80), 16, 4, 16, RNG.uniform(0.5, 1.0, 16), False),
]


@pytest.mark.parametrize("shape, length, stride, fft_length, window, center", ROUND_TRIPS)
def test_istft_inverts_stft(shape, length, stride, fft_length, window, center):
    x, window = RNG.normal(size=shape), to_backend(window)

    @ops.jit
    def round_trip(signal):
        spectrum = ops.stft(signal, length, stride, fft_length, window, center)
        return ops.istft(spectrum, length, stride, fft_length, shape[-1], window, center)

    back = round_trip(ops.convert_to_tensor(x))
    assert ops.dtype(back) == "float64"
    back = ops.convert_to_numpy(back)
    assert back.shape == x.shape
    if center:
        np.testing.assert_allclose(back, x, rtol=1e-9, atol=1e-9)
    else:
        # Without padding, the samples after the last whole frame are not in any frame.
        frames = 1 + (shape[-1] - fft_length) // stride
        covered = (frames - 1) * stride + fft_length
        np.testing.assert_allclose(back[..., 1:covered], x[..., 1:covered], rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------- errors


def tensor(value):
    return ops.convert_to_tensor(value)


ERRORS = [
    (
        lambda: ops.segment_sum(tensor(f32(4)), tensor(ids(0, 1, 0, 1).reshape(2, 2))),
        ValueError,
        r"segment_sum: segment_ids must be 1-D .*got shape \(2, 2\)",
    ),
    (
        lambda: ops.segment_max(tensor(f32(4, 2)), tensor(ids(0, 1, 0))),
        ValueError,
        r"segment_max: segment_ids must be 1-D with one id per row of data \(shape \(4,\)\), got shape \(3,\)",
    ),
    (
        lambda: ops.segment_min(tensor(f32(3)), tensor(f32(3))),
        TypeError,
        "segment_min: segment_ids must be integers, got float32",
    ),
    (
        lambda: ops.segment_prod(tensor(f32(3)), tensor(ids(0, 1, 2)), -1),
        ValueError,
        "segment_prod: num_segments must be a non-negative int or None, got -1",
    ),
    (
        lambda: ops.segment_sum(tensor(np.array([True, False])), tensor(ids(0, 1))),
        TypeError,
        "segment_sum: data must be real numbers, got bool",
    ),
    (
        lambda: ops.extract_sequences(tensor(f32(5)), 6, 1),
        ValueError,
        r"extract_sequences: the windows of length 6 are longer than the last axis of x \(shape \(5,\)\)",
    ),
    (
        lambda: ops.extract_sequences(tensor(f32(5)), 2, 0),
        ValueError,
        "extract_sequences: sequence_stride must be a positive int, got 0",
    ),
    (
        lambda: ops.fft((tensor(i32(4)), tensor(i32(4)))),
        TypeError,
        "fft: x must be a pair \\(real, imag\\) of float tensors, got int32 and int32",
    ),
    (
        lambda: ops.fft(tensor(f32(4))),
        ValueError,
        r"fft: x must be a pair \(real, imag\) of tensors",
    ),
    (
        lambda: ops.fft((tensor(f32(4)), tensor(f32(5)))),
        ValueError,
        r"fft: the real and imaginary parts of x must have one shape, got \(4,\) and \(5,\)",
    ),
    (
        lambda: ops.fft2((tensor(f32(4)), tensor(f32(4)))),
        ValueError,
        r"fft2: x must have at least 2 axes, got shape \(4,\)",
    ),
    (lambda: ops.rfft(tensor(f32(4)), 0), ValueError, "rfft: fft_length must be a positive int"),
    (lambda: ops.rfft(tensor(np.ones(4, np.complex64))), TypeError, "rfft: x must be real"),
    (
        lambda: ops.irfft((tensor(f32(3, 1)), tensor(f32(3, 1)))),
        ValueError,
        "irfft: cannot infer fft_length from a last axis of size 1; give fft_length",
    ),
    (
        lambda: ops.stft(tensor(i32(64)), 16, 4, 16),
        TypeError,
        "stft: x must be a float tensor, got int32",
    ),
    (
        lambda: ops.stft(tensor(f32(64)), 16, 4, 8),
        ValueError,
        "stft: fft_length must be at least sequence_length, got fft_length=8 and sequence_length=16",
    ),
    (
        lambda: ops.stft(tensor(f32(64)), 16, 4, 16, window="blackman"),
        ValueError,
        "stft: window must be 'hann', 'hamming', a tensor or None, got 'blackman'",
    ),
    (
        lambda: ops.stft(tensor(f32(64)), 16, 4, 16, window=tensor(f32(8))),
        ValueError,
        r"stft: window must have shape \(16,\) \(sequence_length\), got \(8,\)",
    ),
    (
        lambda: ops.stft(tensor(f32(8)), 16, 4, 16),
        ValueError,
        "stft: with center=True the signal must be longer than fft_length // 2 = 8",
    ),
    (
        lambda: ops.stft(tensor(f32(64)), 16, 0, 16),
        ValueError,
        "stft: sequence_stride must be a positive int",
    ),
    (
        lambda: ops.istft(pair(4, 9), 16, 4, 16, window="kaiser"),
        ValueError,
        "istft: window must be",
    ),
    (
        lambda: ops.cdist(tensor(f32(3)), tensor(f32(2, 3))),
        ValueError,
        r"cdist: x and y must have at least two axes \(rows, features\), got shapes \(3,\) and \(2, 3\)",
    ),
    (
        lambda: ops.cdist(tensor(f32(2, 3)), tensor(f32(2, 4))),
        ValueError,
        "cdist: x and y must have the same number of features",
    ),
    (
        lambda: ops.cdist(tensor(f32(2, 2, 3)), tensor(f32(3, 2, 3))),
        ValueError,
        "cdist: the leading axes of x and y cannot be broadcast together",
    ),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2][:50] for e in ERRORS])
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match="kfn.ops." + message):
        call()


# ---------------------------------------------------------------------------- compiled


@requires_tracing
def test_segment_sum_and_stft_compile():
    segments = ops.convert_to_tensor(ids(0, 2, 2, 1))
    summed = ops.jit(lambda d: ops.segment_sum(d, segments, 3))(ops.convert_to_tensor(f32(4, 2)))
    assert tuple(summed.shape) == (3, 2)
    x = f32(2, 64)
    real, imag = ops.jit(lambda s: ops.stft(s, 16, 4, 16))(ops.convert_to_tensor(x))
    expected = stft_reference(x, 16, 4, 16)
    check_result((real, imag), expected, ["float32", "float32"], **FFT_TOLERANCE)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="the count read from the ids in a graph")
def test_segment_count_is_inferred_inside_tf_function():
    data, segments = f32(5, 2), ids(3, 0, 3, 1, 0)
    out = ops.jit(lambda d, s: ops.segment_max(d, s))(*to_backend((data, segments)))
    check_result(out, segment_reference("max")(data, segments), "float32")


@pytest.mark.skipif(BACKEND != "jax", reason="only jax cannot read the ids under jit")
def test_segment_count_must_be_given_under_jit_on_jax():
    segments = ops.convert_to_tensor(ids(0, 1))
    with pytest.raises(ValueError, match="segment_max: num_segments must be given"):
        ops.jit(lambda s: ops.segment_max(ops.ones((2,)), s))(segments)


def test_symbolic_shapes():
    signal = SymbolicTensor((None, 100), "float32")
    real, imag = ops.stft(signal, 16, 4, 16)
    assert (real.shape, imag.shape, real.dtype) == ((None, 26, 9), (None, 26, 9), "float32")
    assert ops.istft((real, imag), 16, 4, 16).shape == (None, 100)
    assert ops.irfft(ops.rfft(signal), 100).shape == (None, 100)
    assert ops.extract_sequences(signal, 10, 5).shape == (None, 19, 10)
    points = ops.cdist(SymbolicTensor((None, 5, 3)), SymbolicTensor((None, 4, 3)))
    assert points.shape == (None, 5, 4)
    data, segments = SymbolicTensor((6, 3)), SymbolicTensor((6,), "int32")
    assert ops.segment_sum(data, segments, 4).shape == (4, 3)


# ---------------------------------------------------------------------------- against Keras 3

fixed_ids = ids(0, 2, 2, 1, 0, 1)
KERAS_CASES = [
    ("segment_sum", (f32(6, 2), fixed_ids), {"num_segments": 3}),
    ("segment_max", (f32(6, 2), fixed_ids), {"num_segments": 3}),
    ("top_k", (f32(3, 7), 4), {}),
    ("in_top_k", (ids(1, 0, 3), f32(3, 5), 2), {}),
    ("extract_sequences", (f32(2, 20), 5, 3), {}),
    ("fft", (pair(3, 8),), {}),
    ("fft2", (pair(2, 4, 6),), {}),
    ("rfft", (f32(2, 9), 12), {}),
    ("irfft", (pair(2, 5), 8), {}),
    ("stft", (f32(2, 80), 16, 8, 16), {}),
    # Keras's backends disagree on the signal edges; with center=True and a stride of half
    # the frame the edges are cut off, and all agree.
    ("istft", (pair(2, 11, 9), 16, 8, 16), {}),
    ("cdist", (f32(2, 4, 3), f32(2, 5, 3)), {}),
]


@pytest.mark.filterwarnings("ignore:NOLA condition failed")  # Keras's numpy istft (scipy)
@pytest.mark.parametrize(
    "name, args, kwargs", KERAS_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(KERAS_CASES)]
)
def test_agrees_with_keras(name, args, kwargs):
    if BACKEND == "jax" and name in ("stft", "istft"):
        # Keras's jax stft and istft are jax.scipy.signal's, the definitions the table
        # checks against scipy.signal; compiling them op by op costs seconds.
        pytest.skip("Keras's jax stft/istft are scipy.signal's, checked in the table")
    keras = keras_ops()
    expected = to_numpy(getattr(keras, name)(*to_backend(args), **kwargs))
    result = to_numpy(getattr(ops, name)(*to_backend(args), **kwargs))
    check_result(result, expected, None, rtol=1e-4, atol=1e-5, label=name)


# ---------------------------------------------------------------------------- gradients

SEGMENTS = ids(1, 0, 2, 1, 0, 2)
WEIGHTS = f64(3, 2)
FAR_POINTS = f64(3, 2) + 5.0


def constant(value):
    return ops.convert_to_tensor(value)


GRADIENTS = {
    "segment_sum": (
        lambda d: ops.sum(ops.segment_sum(d, constant(SEGMENTS), 3) ** 2),
        f64(6),
    ),
    "segment_max": (
        lambda d: ops.sum(ops.segment_max(d, constant(SEGMENTS), 3) * constant(WEIGHTS)),
        f64(6, 2),
    ),
    "top_k": (lambda x: ops.sum(ops.top_k(x, 2)[0] ** 2), f64(3, 5)),
    "logsumexp": (lambda x: ops.sum(ops.logsumexp(x, axis=-1)), f64(2, 4)),
    "rsqrt": (lambda x: ops.sum(ops.rsqrt(x)), f64(4, low=0.5, high=3.0)),
    "erf": (lambda x: ops.sum(ops.erf(x)), f64(4)),
    "erfinv": (lambda x: ops.sum(ops.erfinv(x)), f64(4, low=-0.8, high=0.8)),
    "rfft": (
        lambda x: ops.sum(ops.rfft(x)[0] ** 2 + 3.0 * ops.rfft(x)[1]),
        f64(5),
    ),
    "irfft": (
        lambda re: ops.sum(ops.irfft((re, ops.ones_like(re)), 8) * constant(np.arange(8.0))),
        f64(2, 5),
    ),
    "stft": (
        lambda x: ops.sum(ops.stft(x, 8, 4, 8)[0] ** 2 - ops.stft(x, 8, 4, 8)[1]),
        f64(12),
    ),
    "cdist": (lambda x: ops.sum(ops.cdist(x, constant(FAR_POINTS))), f64(2, 2)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    # Compiled, so jax runs one program instead of compiling each op; eager on torch.
    check_gradient(ops.jit(fn), x)


@requires_gradients
def test_cdist_gradient_at_coincident_points_is_zero():
    points = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = ops.grad(lambda x: ops.sum(ops.cdist(x, constant(points))))(constant(points))
    grad = ops.convert_to_numpy(grad)
    assert np.all(np.isfinite(grad))
    unit = (points[0] - points[1]) / np.linalg.norm(points[0] - points[1])
    np.testing.assert_allclose(grad, [unit, -unit], atol=1e-12)
