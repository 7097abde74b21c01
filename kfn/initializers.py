"""`kfn.initializers`: Keras's initializers, by Keras's names (defined in
kfn/pure/initializers.py)."""

from kfn.pure.initializers import (
    STFT,
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Identity,
    IdentityInitializer,
    Initializer,
    LecunNormal,
    LecunUniform,
    Ones,
    Orthogonal,
    OrthogonalInitializer,
    RandomNormal,
    RandomUniform,
    STFTInitializer,
    TruncatedNormal,
    VarianceScaling,
    Zeros,
    deserialize,
    get,
    serialize,
)
from kfn.pure.initializers import STFT as stft
from kfn.pure.initializers import Constant as constant
from kfn.pure.initializers import GlorotNormal as glorot_normal
from kfn.pure.initializers import GlorotUniform as glorot_uniform
from kfn.pure.initializers import HeNormal as he_normal
from kfn.pure.initializers import HeUniform as he_uniform
from kfn.pure.initializers import Identity as identity
from kfn.pure.initializers import LecunNormal as lecun_normal
from kfn.pure.initializers import LecunUniform as lecun_uniform
from kfn.pure.initializers import Ones as ones
from kfn.pure.initializers import Orthogonal as orthogonal
from kfn.pure.initializers import RandomNormal as random_normal
from kfn.pure.initializers import RandomUniform as random_uniform
from kfn.pure.initializers import TruncatedNormal as truncated_normal
from kfn.pure.initializers import VarianceScaling as variance_scaling
from kfn.pure.initializers import Zeros as zeros
