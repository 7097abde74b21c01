"""`kfn.models`: Model, Sequential and the Functional model class."""

from kfn.stateful.cloning import clone_model, model_from_json
from kfn.stateful.functional import Functional
from kfn.stateful.model import Model
from kfn.stateful.sequential import Sequential
