"""kfn.ops.nn: crossentropies, CTC (loss and decoding) and PSNR.

Compositions of kfn.ops, written once for every backend. The crossentropies are per-sample
(no reduction), as in `keras.ops`; the loss classes of kfn reduce them.
"""

import numpy as _numpy

from kfn.backends import config as _config
from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_numpy as _to_numpy
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.core import scan as _scan
from kfn.ops.dispatch import composite as _composite
from kfn.ops.nn.activations import log_sigmoid as _log_sigmoid
from kfn.ops.nn.activations import log_softmax as _log_softmax
from kfn.ops.nn.encoding import one_hot as _one_hot
from kfn.ops.numpy import creation as _create
from kfn.ops.numpy import elementwise as _np
from kfn.ops.numpy import indexing as _index
from kfn.ops.numpy import reductions as _reduce
from kfn.ops.numpy import shape as _shape


def _float_pair(target, output):
    output = _tensor(output)
    dtype = _dtypes.to_float(_dtype(output))
    return _cast(_tensor(target), dtype), _cast(output, dtype)


def _check_same_shape(name, target, output):
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError(
            f"kfn.ops.{name}: target and output must have the same shape, got target shape "
            f"{tuple(target.shape)} and output shape {tuple(output.shape)}"
        )


@_composite
def binary_crossentropy(target, output, from_logits=False):
    """The binary crossentropy of each element (no reduction).

    Args:
        target: labels in [0, 1], the shape of `output`.
        output: probabilities, or logits with `from_logits=True` (more stable).
        from_logits: whether `output` holds logits.

    Example:
        >>> kfn.ops.binary_crossentropy(kfn.ops.convert_to_tensor([1.0]), kfn.ops.convert_to_tensor([0.9]))  # [0.1054]
    """
    target, output = _float_pair(target, output)
    _check_same_shape("binary_crossentropy", target, output)
    if from_logits:
        return -target * _log_sigmoid(output) - (1.0 - target) * _log_sigmoid(-output)
    epsilon = _config.epsilon()
    output = _np.clip(output, epsilon, 1.0 - epsilon)
    return -(target * _np.log(output) + (1.0 - target) * _np.log(1.0 - output))


@_composite
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """The crossentropy between one-hot (or soft) `target` and `output` along `axis`.

    Args:
        target: class probabilities, the shape of `output`.
        output: probabilities (normalized along `axis` here), or logits with `from_logits`.
        from_logits: whether `output` holds logits.
        axis: the class axis.

    Returns:
        The shape of `output` without `axis`.

    Example:
        >>> kfn.ops.categorical_crossentropy(kfn.ops.convert_to_tensor([[0.0, 1.0]]), kfn.ops.convert_to_tensor([[0.1, 0.9]]))  # [0.1054]
    """
    target, output = _float_pair(target, output)
    _check_same_shape("categorical_crossentropy", target, output)
    if from_logits:
        return -_reduce.sum(target * _log_softmax(output, axis=axis), axis=axis)
    output = output / _reduce.sum(output, axis=axis, keepdims=True)
    epsilon = _config.epsilon()
    output = _np.clip(output, epsilon, 1.0 - epsilon)
    return -_reduce.sum(target * _np.log(output), axis=axis)


@_composite
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """The crossentropy between integer class labels `target` and `output` along `axis`.

    Args:
        target: int class indices, the shape of `output` without `axis` (a trailing axis of
            size 1 is also accepted).
        output: probabilities, or logits with `from_logits`.

    Example:
        >>> kfn.ops.sparse_categorical_crossentropy(kfn.ops.convert_to_tensor([1]), kfn.ops.convert_to_tensor([[0.1, 0.9]]))  # [0.1054]
    """
    target = _tensor(target)
    output = _tensor(output)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = _shape.squeeze(target, -1)
    axis = axis % len(output.shape)
    expected = tuple(output.shape[:axis]) + tuple(output.shape[axis + 1 :])
    if tuple(target.shape) != expected:
        raise ValueError(
            "kfn.ops.sparse_categorical_crossentropy: target must have the shape of output "
            f"without the class axis, {expected}, got {tuple(target.shape)}"
        )
    if not _dtypes.is_int(_dtype(target)):
        raise ValueError(
            f"kfn.ops.sparse_categorical_crossentropy: target must hold integer class indices, "
            f"got dtype {_dtype(target)}"
        )
    one_hot = _one_hot(
        target, output.shape[axis], axis=axis, dtype=_dtypes.to_float(_dtype(output))
    )
    return categorical_crossentropy(one_hot, output, from_logits=from_logits, axis=axis)


# A finite stand-in for log(0): keeps CTC's log-space sums free of inf - inf.
_LOG_ZERO = -1e30


@_composite
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The connectionist temporal classification loss of each sequence (no reduction).

    Args:
        target: int labels, shape (batch, max_label_length), padded past `target_length`.
        output: logits, shape (batch, max_time, num_classes).
        target_length: int, shape (batch,): the length of each label sequence.
        output_length: int, shape (batch,): the number of valid time steps of each output.
        mask_index: the blank class.

    Returns:
        The negative log-likelihood of each target, shape (batch,).

    Example:
        >>> kfn.ops.ctc_loss(labels, logits, label_lengths, logit_lengths)
    """
    output = _tensor(output)
    dtype = _dtypes.to_float(_dtype(output))
    log_probs = _log_softmax(_cast(output, _dtypes.result_type(dtype, "float32")), axis=-1)
    target = _cast(_tensor(target), "int32")
    target_length = _cast(_tensor(target_length), "int32")
    output_length = _cast(_tensor(output_length), "int32")
    batch, max_time = log_probs.shape[0], log_probs.shape[1]
    max_label = target.shape[1]
    states = 2 * max_label + 1
    # Extended labels: a blank before, between and after the labels.
    positions = _create.arange(states)
    if max_label:
        label_at = _index.take(target, _np.clip((positions - 1) // 2, 0, max_label - 1), axis=1)
    else:
        label_at = _create.zeros((batch, states), "int32")
    is_blank = _np.equal(positions % 2, 0)[None, :]
    extended = _np.where(is_blank, _create.full_like(label_at, mask_index), label_at)
    # A state may skip the blank before it when its label differs from the one two back.
    previous = _shape.pad(extended, ((0, 0), (2, 0)), constant_values=-1)[:, :states]
    can_skip = _np.logical_and(_np.logical_not(is_blank), _np.not_equal(extended, previous))
    # Emission log-probabilities of each extended state at each time: (time, batch, states).
    emissions = _index.take_along_axis(
        log_probs, _shape.broadcast_to(extended[:, None, :], (batch, max_time, states)), axis=2
    )
    emissions = _shape.moveaxis(emissions, 1, 0)
    log_zero = _create.full((batch, states), _LOG_ZERO, log_probs.dtype)
    initial = _np.where(positions[None, :] < 2, emissions[0], log_zero)

    def step(alpha, inputs):
        emission, t = inputs
        stay = alpha
        advance = _shape.pad(alpha, ((0, 0), (1, 0)), constant_values=_LOG_ZERO)[:, :states]
        skip = _shape.pad(alpha, ((0, 0), (2, 0)), constant_values=_LOG_ZERO)[:, :states]
        skip = _np.where(can_skip, skip, log_zero)
        new = _np.logaddexp(_np.logaddexp(stay, advance), skip) + emission
        active = _np.less(t, output_length)[:, None]
        return _np.where(active, new, alpha), None

    times = _create.arange(1, max_time, dtype="int32")
    alpha, _ = _scan(step, initial, (emissions[1:], times))
    last = 2 * target_length
    end_blank = _index.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    end_label = _index.take_along_axis(alpha, _np.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    end_label = _np.where(target_length > 0, end_label, _create.full_like(end_label, _LOG_ZERO))
    return _cast(-_np.logaddexp(end_blank, end_label), dtype)


@_composite
def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decode CTC outputs into label sequences.

    Args:
        inputs: logits (or log-probabilities), shape (batch, max_time, num_classes).
        sequence_lengths: int, shape (batch,): the valid time steps of each sequence.
        strategy: "greedy" (the best class at each step; traceable) or "beam_search" (prefix
            beam search over log-softmax probabilities, run eagerly on the host).
        beam_width: the number of prefixes kept by beam search.
        top_paths: how many decodings beam search returns (greedy returns 1).
        merge_repeated: merge repeated labels (greedy; beam search always merges, as CTC
            requires).
        mask_index: the blank class.

    Returns:
        `(decoded, scores)`: decoded int32 labels of shape (top_paths, batch, max_time), padded
        with -1; scores of shape (batch, top_paths): for greedy the negative sum of the chosen
        logits, for beam search the log-probability of each decoding.

    Example:
        >>> decoded, scores = kfn.ops.ctc_decode(logits, lengths)
    """
    if strategy == "greedy":
        return _ctc_greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _ctc_beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        f"kfn.ops.ctc_decode: strategy must be 'greedy' or 'beam_search', got {strategy!r}"
    )


def _ctc_greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    inputs = _tensor(inputs)
    sequence_lengths = _cast(_tensor(sequence_lengths), "int32")
    max_time = inputs.shape[1]
    best = _cast(_reduce.argmax(inputs, axis=-1), "int32")
    scores = _reduce.max(inputs, axis=-1)
    past_end = _np.greater_equal(_create.arange(max_time)[None, :], sequence_lengths[:, None])
    best = _np.where(past_end, _create.full_like(best, mask_index), best)
    scores = _np.where(past_end, _create.zeros_like(scores), scores)
    if merge_repeated:
        repeated = _shape.pad(_np.equal(best[:, 1:], best[:, :-1]), ((0, 0), (1, 0)))
        best = _np.where(repeated, _create.full_like(best, mask_index), best)
    dropped = _np.equal(best, mask_index)
    best = _np.where(dropped, _create.full_like(best, -1), best)
    # Move the kept labels to the front, in order: sort positions with dropped ones last.
    order = _index.argsort(
        _np.where(
            dropped,
            _create.full_like(best, max_time),
            _create.arange(max_time, dtype="int32")[None, :],
        ),
        axis=-1,
    )
    decoded = _index.take_along_axis(best, order, axis=-1)
    return _shape.expand_dims(decoded, 0), -_reduce.sum(scores, axis=1, keepdims=True)


def _ctc_beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    # Prefix beam search is sequential and data-dependent: it runs on the host.
    logits = _to_numpy(inputs).astype(_numpy.float64)
    lengths = _to_numpy(sequence_lengths).astype(int)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - _numpy.log(_numpy.exp(shifted).sum(axis=-1, keepdims=True))
    batch, max_time, _ = log_probs.shape
    decoded = _numpy.full((top_paths, batch, max_time), -1, _numpy.int32)
    scores = _numpy.full((batch, top_paths), -_numpy.inf)
    for b in range(batch):
        beams = _prefix_beam_search(log_probs[b, : lengths[b]], beam_width, mask_index)
        for rank, (prefix, score) in enumerate(beams[:top_paths]):
            decoded[rank, b, : len(prefix)] = prefix
            scores[b, rank] = score
    return _tensor(decoded), _cast(_tensor(scores), _dtypes.to_float(_dtype(_tensor(inputs))))


def _prefix_beam_search(log_probs, beam_width, blank):
    """CTC prefix beam search: (prefix, log-probability) pairs, best first."""
    from math import inf, log

    def add(a, b):
        if a == -inf:
            return b
        if b == -inf:
            return a
        top = max(a, b)
        return top + log(_numpy.exp(a - top) + _numpy.exp(b - top))

    # prefix -> (log P(prefix, ending in blank), log P(prefix, ending in its last label))
    beams = {(): (0.0, -inf)}

    def extend(following, prefix, blank_score, label_score):
        old_blank, old_label = following.get(prefix, (-inf, -inf))
        following[prefix] = (add(old_blank, blank_score), add(old_label, label_score))

    for step in log_probs:
        following = {}
        for prefix, (p_blank, p_label) in beams.items():
            total = add(p_blank, p_label)
            extend(following, prefix, total + step[blank], -inf)
            for label, p in enumerate(step):
                if label == blank:
                    continue
                if prefix and prefix[-1] == label:
                    # Repeating the last label needs a blank in between to count twice.
                    extend(following, prefix + (label,), -inf, p_blank + p)
                    extend(following, prefix, -inf, p_label + p)
                else:
                    extend(following, prefix + (label,), -inf, total + p)
        ranked = sorted(following.items(), key=lambda item: -add(*item[1]))
        beams = dict(ranked[:beam_width])
    results = [(list(prefix), add(*scores)) for prefix, scores in beams.items()]
    return sorted(results, key=lambda item: -item[1])


@_composite
def psnr(x1, x2, max_val):
    """The peak signal-to-noise ratio between `x1` and `x2`, in dB:
    `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    Example:
        >>> kfn.ops.psnr(kfn.ops.convert_to_tensor([1.0, 0.0]), kfn.ops.convert_to_tensor([0.9, 0.1]), 1.0)  # 20.0
    """
    x1 = _tensor(x1)
    x2 = _tensor(x2)
    if tuple(x1.shape) != tuple(x2.shape):
        raise ValueError(
            f"kfn.ops.psnr: x1 and x2 must have the same shape, got {tuple(x1.shape)} and "
            f"{tuple(x2.shape)}"
        )
    x1, x2 = _float_pair(x1, x2)
    mse = _reduce.mean(_np.square(x1 - x2))
    return 20.0 * _np.log10(_cast(_tensor(max_val), _dtype(mse))) - 10.0 * _np.log10(mse)
