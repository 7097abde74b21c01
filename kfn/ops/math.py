"""kfn.ops.math: the math ops of `keras.ops` that are not in NumPy.

Segment reductions and the Fourier transforms are backend primitives; the rest
(`extract_sequences`, `stft`, `istft`, `cdist`) are compositions of kfn.ops, written once
here. Complex values are passed and returned as `(real, imag)` pairs of
float tensors, as in Keras. `top_k`, `in_top_k`, `logsumexp`, `rsqrt`, `erf`, `erfc`, `erfinv`,
`view_as_complex` and `view_as_real` are the kfn.ops.numpy functions, also exported here
because Keras has them here.
"""

import numbers as _numbers

import numpy as _numpy

from kfn.backends import active as _active
from kfn.backends.common import dtypes as _dtypes
from kfn.ops import core as _core
from kfn.ops.dispatch import broadcast_shapes as _broadcast_shapes
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.numpy import elementwise as _elementwise
from kfn.ops.numpy import indexing as _indexing
from kfn.ops.numpy import reductions as _reductions
from kfn.ops.numpy import shape as _shape
from kfn.ops.numpy.elementwise import erf, erfc, erfinv, rsqrt  # noqa: F401
from kfn.ops.numpy.indexing import in_top_k, top_k  # noqa: F401
from kfn.ops.numpy.reductions import logsumexp  # noqa: F401
from kfn.ops.numpy.shape import view_as_complex, view_as_real  # noqa: F401

_primitive = _primitive_of(_active.math)


# ---------------------------------------------------------------------------- segments


@_primitive
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """The sums of the rows of `data` that share a segment id.

    Row `i` of `data` goes to segment `segment_ids[i]`; ids outside `[0, num_segments)` are
    dropped, and a segment with no rows is 0.

    Args:
        data: a tensor of real numbers; its leading axis holds the rows.
        segment_ids: 1-D integer tensor, one id per row of `data`, in any order.
        num_segments: the number of segments; None: the largest id plus one (read from the
            data, so it must be given under `kfn.ops.jit` on jax).
        sorted: a hint that `segment_ids` is sorted (used by jax); the result is the same.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` and the dtype of `data`.

    Example:
        >>> data = kfn.ops.convert_to_tensor([1, 2, 10, 20, 100, 200])
        >>> kfn.ops.segment_sum(data, kfn.ops.convert_to_tensor([0, 0, 1, 1, 2, 2]), 3)
        # [3, 30, 300]
    """


@_primitive
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """The maxima of the rows of `data` that share a segment id; an empty segment is -inf
    (the lowest value of an integer dtype).

    Args:
        data: a tensor of real numbers; its leading axis holds the rows.
        segment_ids: 1-D integer tensor, one id per row of `data`; ids outside
            `[0, num_segments)` are dropped.
        num_segments: the number of segments; None: the largest id plus one.
        sorted: a hint that `segment_ids` is sorted; the result is the same.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` and the dtype of `data`.

    Example:
        >>> data = kfn.ops.convert_to_tensor([1, 2, 10, 20, 100, 200])
        >>> kfn.ops.segment_max(data, kfn.ops.convert_to_tensor([0, 0, 1, 1, 2, 2]), 3)
        # [2, 20, 200]
    """


@_primitive
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """The minima of the rows of `data` that share a segment id; an empty segment is +inf
    (the highest value of an integer dtype).

    Args:
        data: a tensor of real numbers; its leading axis holds the rows.
        segment_ids: 1-D integer tensor, one id per row of `data`; ids outside
            `[0, num_segments)` are dropped.
        num_segments: the number of segments; None: the largest id plus one.
        sorted: a hint that `segment_ids` is sorted; the result is the same.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` and the dtype of `data`.

    Example:
        >>> data = kfn.ops.convert_to_tensor([1, 2, 10, 20, 100, 200])
        >>> kfn.ops.segment_min(data, kfn.ops.convert_to_tensor([0, 0, 1, 1, 2, 2]), 3)
        # [1, 10, 100]
    """


@_primitive
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """The products of the rows of `data` that share a segment id; an empty segment is 1.

    Args:
        data: a tensor of real numbers; its leading axis holds the rows.
        segment_ids: 1-D integer tensor, one id per row of `data`; ids outside
            `[0, num_segments)` are dropped.
        num_segments: the number of segments; None: the largest id plus one.
        sorted: a hint that `segment_ids` is sorted; the result is the same.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]` and the dtype of `data`.

    Example:
        >>> data = kfn.ops.convert_to_tensor([1, 2, 10, 20, 100, 200])
        >>> kfn.ops.segment_prod(data, kfn.ops.convert_to_tensor([0, 0, 1, 1, 2, 2]), 3)
        # [2, 200, 20000]
    """


def _check_count(name, argument, value, minimum=1):
    if not (isinstance(value, _numbers.Integral) and not isinstance(value, bool)) or (
        value < minimum
    ):
        kind = "positive" if minimum == 1 else "non-negative"
        raise ValueError(f"kfn.ops.{name}: {argument} must be a {kind} int, got {value!r}")


# ---------------------------------------------------------------------------- sequences


@_composite
def extract_sequences(x, sequence_length, sequence_stride):
    """The windows of `sequence_length` values along the last axis of `x`, starting every
    `sequence_stride` values: `1 + (n - sequence_length) // sequence_stride` of them.

    Args:
        x: a tensor with at least one axis (of length n, known).
        sequence_length: the length of each window, at most n.
        sequence_stride: the step between window starts.

    Returns:
        A tensor of shape `x.shape[:-1] + (num_sequences, sequence_length)`, the dtype of `x`.

    Example:
        >>> kfn.ops.extract_sequences(kfn.ops.convert_to_tensor([1, 2, 3, 4, 5, 6]), 3, 2)
        # [[1, 2, 3], [3, 4, 5]]
    """
    x = _core.convert_to_tensor(x)
    return _frames("extract_sequences", x, sequence_length, sequence_stride)


def _frames(name, x, length, stride):
    _check_count(name, "sequence_length", length)
    _check_count(name, "sequence_stride", stride)
    shape = tuple(x.shape)
    if not shape or shape[-1] is None:
        raise ValueError(
            f"kfn.ops.{name}: x must have a last axis of known length, got shape {shape}"
        )
    if length > shape[-1]:
        raise ValueError(
            f"kfn.ops.{name}: the windows of length {length} are longer than the last axis "
            f"of x (shape {shape})"
        )
    count = 1 + (shape[-1] - length) // stride
    positions = _numpy.arange(count)[:, None] * stride + _numpy.arange(length)[None, :]
    return _indexing.take(x, _core.convert_to_tensor(positions.astype("int32")), axis=-1)


# ---------------------------------------------------------------------------- fourier transforms


@_primitive
def fft(x):
    """The discrete Fourier transform along the last axis.

    Args:
        x: the complex input as a pair `(real, imag)` of float tensors of one shape.

    Returns:
        The pair `(real, imag)` of the transform, in the dtype of the inputs (half precision
        is computed in float32).

    Example:
        >>> kfn.ops.fft((kfn.ops.convert_to_tensor([1.0, 2.0]), kfn.ops.convert_to_tensor([0.0, 1.0])))
        # ([3.0, -1.0], [1.0, -1.0])
    """


@_primitive
def fft2(x):
    """The 2-D discrete Fourier transform over the last two axes.

    Args:
        x: the complex input as a pair `(real, imag)` of float tensors of one shape, with at
            least two axes.

    Returns:
        The pair `(real, imag)` of the transform, in the dtype of the inputs.

    Example:
        >>> real = kfn.ops.convert_to_tensor([[1.0, 2.0], [2.0, 1.0]])
        >>> kfn.ops.fft2((real, kfn.ops.zeros((2, 2))))  # ([[6.0, 0.0], [0.0, -2.0]], zeros)
    """


@_primitive
def ifft2(x):
    """The inverse of `fft2`, over the last two axes (scaled by 1 / (m * n)).

    Args:
        x: the complex input as a pair `(real, imag)` of float tensors of one shape, with at
            least two axes.

    Returns:
        The pair `(real, imag)` of the inverse transform, in the dtype of the inputs.

    Example:
        >>> real = kfn.ops.convert_to_tensor([[6.0, 0.0], [0.0, -2.0]])
        >>> kfn.ops.ifft2((real, kfn.ops.zeros((2, 2))))  # ([[1.0, 2.0], [2.0, 1.0]], zeros)
    """


@_primitive
def rfft(x, fft_length=None):
    """The discrete Fourier transform of a real signal along its last axis: the
    `fft_length // 2 + 1` non-negative frequencies.

    Args:
        x: a real tensor with at least one axis.
        fft_length: the length of the transform; the signal is cropped or padded with zeros
            to it. None: the length of the last axis.

    Returns:
        The pair `(real, imag)`, of shape `x.shape[:-1] + (fft_length // 2 + 1,)`, in the
        float dtype of `x` (floatx for integers).

    Example:
        >>> kfn.ops.rfft(kfn.ops.convert_to_tensor([0.0, 1.0, 2.0, 3.0, 4.0]))
        # ([10.0, -2.5, -2.5], [0.0, 3.4410, 0.8123])
    """


@_primitive
def irfft(x, fft_length=None):
    """The inverse of `rfft`: a real signal of `fft_length` values from its non-negative
    frequencies along the last axis.

    The input is cropped or padded with zeros to `fft_length // 2 + 1` frequencies; the
    imaginary parts of the zero frequency (and of the Nyquist frequency, for an even
    `fft_length`) are ignored.

    Args:
        x: the pair `(real, imag)` of float tensors of one shape.
        fft_length: the length of the signal; None: `2 * (x[0].shape[-1] - 1)` (an odd
            length must be given).

    Returns:
        A tensor of shape `x[0].shape[:-1] + (fft_length,)` in the dtype of the inputs.

    Example:
        >>> kfn.ops.irfft(kfn.ops.rfft(kfn.ops.convert_to_tensor([0.0, 1.0, 2.0])), 3)
        # [0.0, 1.0, 2.0]
    """


@_composite
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform along the last axis: the `rfft` of windowed frames
    of the signal.

    Frames of `fft_length` values start every `sequence_stride` values; each is multiplied
    by the window (of `sequence_length` values, centered in the frame with zeros around it)
    and transformed. There are `1 + (n - fft_length) // sequence_stride` frames, where n is
    the length of the (padded) signal.

    Args:
        x: a float tensor of signals along its last axis.
        sequence_length: the length of the window.
        sequence_stride: the step between frames.
        fft_length: the length of each frame and transform, at least `sequence_length`.
        window: "hann" or "hamming" (the periodic windows of `scipy.signal.get_window`), a
            1-D tensor of `sequence_length` values, or None for no window.
        center: whether to pad the signal by `fft_length // 2` on both sides (reflecting
            it), so that frame t is centered at `t * sequence_stride`.

    Returns:
        The pair `(real, imag)` of shape `x.shape[:-1] + (num_frames, fft_length // 2 + 1)`,
        in the dtype of `x`.

    Example:
        >>> real, imag = kfn.ops.stft(kfn.ops.zeros((2, 100)), 32, 8, 32)
        >>> real.shape
        (2, 13, 17)
    """
    x = _core.convert_to_tensor(x)
    dtype = _core.dtype(x)
    if not _dtypes.is_float(dtype):
        raise TypeError(f"kfn.ops.stft: x must be a float tensor, got {dtype}")
    _check_frame_arguments("stft", sequence_length, sequence_stride, fft_length)
    frame_window = _in_dtype(_window("stft", window, sequence_length, fft_length), dtype)
    if center:
        shape, half = tuple(x.shape), fft_length // 2
        if shape and shape[-1] is not None and shape[-1] <= half:
            raise ValueError(
                f"kfn.ops.stft: with center=True the signal must be longer than "
                f"fft_length // 2 = {half} (it is padded by reflection), got shape {shape}"
            )
        x = _shape.pad(x, [(0, 0)] * (len(shape) - 1) + [(half, half)], mode="reflect")
    frames = _frames("stft", x, fft_length, sequence_stride)
    return rfft(frames * frame_window, fft_length)


@_composite
def istft(
    x,
    sequence_length,
    sequence_stride,
    fft_length,
    length=None,
    window="hann",
    center=True,
):
    """The inverse of `stft` (with the same arguments): the `irfft` of each frame, windowed
    and overlap-added, divided by the overlap-added squared window.

    This is the inverse of `stft` wherever the squared windows overlap to a nonzero sum (as
    `scipy.signal.istft` and `torch.istft`); positions where they do not are left as
    overlap-added. Keras's own backends differ from each other at the signal edges and, for
    `window=None`, in scale: kfn treats None as a window of ones.

    Args:
        x: the pair `(real, imag)` of shape `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length: the length of the window.
        sequence_stride: the step between frames.
        fft_length: the length of each frame.
        length: the length of the signal returned (cropped, or padded with zeros); None: all
            of it (without the `center` padding).
        window: "hann", "hamming", a 1-D tensor of `sequence_length` values, or None.
        center: whether `stft` padded the signal (the padding is removed).

    Returns:
        A tensor of shape `(..., n)` in the dtype of the inputs.

    Example:
        >>> signal = kfn.ops.ones((100,))
        >>> kfn.ops.istft(kfn.ops.stft(signal, 32, 8, 32), 32, 8, 32).shape
        (96,)
    """
    _check_frame_arguments("istft", sequence_length, sequence_stride, fft_length)
    if length is not None:
        _check_count("istft", "length", length, minimum=0)
    frames = irfft(x, fft_length)
    shape, dtype = tuple(frames.shape), _core.dtype(frames)
    if len(shape) < 2:
        raise ValueError(
            "kfn.ops.istft: x must have a frames axis and a frequencies axis, got parts of "
            f"shape {tuple(x[0].shape)}"
        )
    frame_window = _window("istft", window, sequence_length, fft_length)
    signal = _overlap_add(frames * _in_dtype(frame_window, dtype), sequence_stride)
    signal = signal * _inverse_envelope(frame_window, shape[-2], sequence_stride, dtype)
    total = signal.shape[-1]
    start = fft_length // 2 if center else 0
    if length is not None:
        stop = start + length
    else:
        stop = total - start
    signal = signal[..., start : min(stop, total)]
    if stop > total:
        signal = _shape.pad(signal, [(0, 0)] * (len(shape) - 2) + [(0, stop - total)])
    return signal


def _check_frame_arguments(name, sequence_length, sequence_stride, fft_length):
    _check_count(name, "sequence_length", sequence_length)
    _check_count(name, "sequence_stride", sequence_stride)
    _check_count(name, "fft_length", fft_length)
    if fft_length < sequence_length:
        raise ValueError(
            f"kfn.ops.{name}: fft_length must be at least sequence_length, got "
            f"fft_length={fft_length} and sequence_length={sequence_length}"
        )


def _window(name, window, sequence_length, fft_length):
    """The window of an stft frame: `sequence_length` values centered in `fft_length` zeros.
    A NumPy array for a named window or None (a constant), else the given tensor, padded."""
    left = (fft_length - sequence_length) // 2
    padding = (left, fft_length - sequence_length - left)
    if window is None or isinstance(window, str):
        if window not in (None, "hann", "hamming"):
            raise ValueError(
                f"kfn.ops.{name}: window must be 'hann', 'hamming', a tensor or None, got "
                f"{window!r}"
            )
        values = (
            _numpy.ones(sequence_length)
            if window is None
            else _periodic_window(window, sequence_length)
        )
        return _numpy.pad(values, padding)
    values = _core.convert_to_tensor(window)
    if tuple(values.shape) != (sequence_length,):
        raise ValueError(
            f"kfn.ops.{name}: window must have shape ({sequence_length},) "
            f"(sequence_length), got {tuple(values.shape)}"
        )
    return _shape.pad(values, [padding]) if padding != (0, 0) else values


def _in_dtype(values, dtype):
    if isinstance(values, _numpy.ndarray):
        return _core.convert_to_tensor(values, dtype)
    return values if _core.dtype(values) == dtype else _core.cast(values, dtype)


def _inverse_envelope(window, count, stride, dtype):
    """1 / the overlap-added squared windows of `count` frames, where that sum is nonzero
    (1 elsewhere): the normalization of istft. Computed on the host for a constant window."""
    if isinstance(window, _numpy.ndarray):
        size = window.shape[0]
        envelope = _numpy.zeros((count - 1) * stride + size)
        starts = _numpy.arange(count)[:, None] * stride
        _numpy.add.at(
            envelope, (starts + _numpy.arange(size)).reshape(-1), _numpy.tile(window**2, count)
        )
        covered = envelope > 1e-10
        inverse = _numpy.divide(1.0, envelope, out=_numpy.ones_like(envelope), where=covered)
        return _core.convert_to_tensor(inverse, dtype)
    window = _in_dtype(window, dtype)
    squares = _shape.broadcast_to(_elementwise.square(window), (count, window.shape[0]))
    envelope = _overlap_add(squares, stride)
    covered = envelope > 1e-10
    return _elementwise.where(covered, 1.0 / _elementwise.where(covered, envelope, 1.0), 1.0)


def _periodic_window(kind, size):
    # scipy.signal.get_window's periodic cosine windows; a window of one value is [1].
    if size == 1:
        return _numpy.ones(1)
    a0 = 0.5 if kind == "hann" else 0.54
    return a0 - (1.0 - a0) * _numpy.cos(2.0 * _numpy.pi * _numpy.arange(size) / size)


def _overlap_add(frames, stride):
    """Frames `(..., t, m)` summed into a signal `(..., (t - 1) * stride + m)`, frame i
    starting at `i * stride`.

    Each frame is cut into r pieces of `stride` values; piece j of frame i lands at block
    i + j of the signal. Laying the pieces out as r rows of t + r blocks and reading them
    back as rows of t + r - 1 blocks shifts row j by j blocks, so one sum over the rows adds
    them all (a reshape, not a scatter).
    """
    # Batch sizes unknown while tracing (TensorFlow) are scalar tensors here.
    batch = tuple(_core.shape(frames))[:-2]
    count, size = tuple(frames.shape)[-2:]
    if count is None or size is None:
        raise ValueError(
            "kfn.ops.istft: the numbers of frames and frequencies must be known, got shape "
            f"{tuple(frames.shape)}"
        )
    pieces = -(-size // stride)
    no_padding = [(0, 0)] * len(batch)
    frames = _shape.pad(frames, no_padding + [(0, 0), (0, pieces * stride - size)])
    frames = _shape.reshape(frames, batch + (count, pieces, stride))
    frames = _shape.swapaxes(frames, -3, -2)
    frames = _shape.pad(frames, no_padding + [(0, 0), (0, pieces), (0, 0)])
    frames = _shape.reshape(frames, batch + (pieces * (count + pieces), stride))
    frames = frames[..., : pieces * (count + pieces - 1), :]
    frames = _shape.reshape(frames, batch + (pieces, count + pieces - 1, stride))
    signal = _reductions.sum(frames, axis=-3)
    signal = _shape.reshape(signal, batch + ((count + pieces - 1) * stride,))
    return signal[..., : (count - 1) * stride + size]


# ---------------------------------------------------------------------------- distances


@_composite
def cdist(x, y):
    """The Euclidean distances between each row of `x` and each row of `y`.

    The gradient at coincident points is 0 (rather than NaN).

    Args:
        x: a tensor of shape `(..., m, d)`.
        y: a tensor of shape `(..., n, d)`; the leading axes broadcast with those of `x`.

    Returns:
        A tensor of shape `(..., m, n)`, in the common float dtype of `x` and `y`.

    Example:
        >>> x = kfn.ops.convert_to_tensor([[0.0, 0.0], [1.0, 1.0]])
        >>> y = kfn.ops.convert_to_tensor([[1.0, 0.0], [0.0, 1.0]])
        >>> kfn.ops.cdist(x, y)  # [[1.0, 1.0], [1.0, 1.0]]
    """
    x, y = _core.convert_to_tensor(x), _core.convert_to_tensor(y)
    x_shape, y_shape = tuple(x.shape), tuple(y.shape)
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(
            f"kfn.ops.cdist: x and y must have at least two axes (rows, features), got shapes "
            f"{x_shape} and {y_shape}"
        )
    if None not in (x_shape[-1], y_shape[-1]) and x_shape[-1] != y_shape[-1]:
        raise ValueError(
            f"kfn.ops.cdist: x and y must have the same number of features (last axis), got "
            f"shapes {x_shape} and {y_shape}"
        )
    try:
        _broadcast_shapes(x_shape[:-2], y_shape[:-2])
    except ValueError:
        raise ValueError(
            f"kfn.ops.cdist: the leading axes of x and y cannot be broadcast together, got "
            f"shapes {x_shape} and {y_shape}"
        ) from None
    dtype = _dtypes.result_type(_core.dtype(x), _core.dtype(y), float)
    x, y = _in_dtype(x, dtype), _in_dtype(y, dtype)
    difference = _shape.expand_dims(x, -2) - _shape.expand_dims(y, -3)
    squared = _reductions.sum(_elementwise.square(difference), axis=-1)
    apart = squared > 0
    # sqrt has no gradient at 0: take it only where the points are apart.
    return _elementwise.where(
        apart, _elementwise.sqrt(_elementwise.where(apart, squared, 1.0)), 0.0
    )
