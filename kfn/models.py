"""`kfn.models`: Model, Sequential and the Functional model class."""

from kfn.stateful.functional import Functional
from kfn.stateful.model import Model
from kfn.stateful.sequential import Sequential
