# The two README commands. Each creates .venv if absent and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench power

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/verify --claim gamp_rie

# One BLAS thread per test process: two pytest workers on two cores would otherwise
# oversubscribe them, and multi-threaded OpenBLAS stalls under contention.
test: $(VENV)/.installed-test
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

# Each check's power at the standard preset (about a minute per claim): writes docs/power.md.
power: $(VENV)/.installed-test
	$(BIN)/python -m compare.power
