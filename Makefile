PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BACKENDS := jax torch tensorflow numpy
# pytest-xdist workers per backend run; CI machines have 2 cores.
WORKERS ?= 2

.PHONY: setup test demo lint format bench clean

# Setup is re-run only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[all,dev]"
	@touch $@

setup: $(VENV)/.installed

# One pytest process per backend; every backend runs even if an earlier one fails.
test: setup
	@failed=""; \
	for b in $(BACKENDS); do \
		echo "=== KFN_BACKEND=$$b ==="; \
		KFN_BACKEND=$$b $(PY) -m pytest -n $(WORKERS) tests || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED backends:$$failed"; exit 1; fi; \
	echo "all backends passed"

demo: setup
	$(PY) examples/demo.py

lint: setup
	$(VENV)/bin/ruff check kfn tests benchmarks examples
	$(VENV)/bin/ruff format --check kfn tests benchmarks examples

format: setup
	$(VENV)/bin/ruff format kfn tests benchmarks examples
	$(VENV)/bin/ruff check --fix kfn tests benchmarks examples

bench: setup
	@for b in $(BACKENDS); do KFN_BACKEND=$$b $(PY) benchmarks/ops_overhead.py; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
