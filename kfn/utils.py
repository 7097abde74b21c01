"""`kfn.utils`: Keras's utilities for arrays, sequences, seeds and configs.

    >>> kfn.utils.to_categorical([0, 2, 1], num_classes=3)      # one-hot rows, float64 NumPy
    >>> kfn.utils.pad_sequences([[1, 2], [3]], maxlen=3)       # [[0, 1, 2], [0, 0, 3]]
    >>> kfn.utils.set_random_seed(42)                           # Python, NumPy, kfn, framework

The dataset helpers (`PyDataset`, `timeseries_dataset_from_array`, ...) and `Progbar` come
with training.
"""

from kfn import saving
from kfn.backends.common.dtypes import standardize_dtype
from kfn.ops.symbolic import get_source_inputs, is_keras_tensor
from kfn.saving import *  # noqa: F403  (Keras offers them in both namespaces)
from kfn.stateful.data import (
    normalize,
    pack_x_y_sample_weight,
    pad_sequences,
    to_categorical,
    unpack_x_y_sample_weight,
)
from kfn.stateful.session import clear_session, set_random_seed

__all__ = [
    *saving.__all__,
    "clear_session",
    "get_source_inputs",
    "is_keras_tensor",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "set_random_seed",
    "standardize_dtype",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
