# Each target documents itself: `make help`.
.PHONY: help install test test-rust lint compat dashboard baseline bench dependents clean

PY ?= python3

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install:  ## build the Rust core and install edgequake, the harness and the test tools (editable)
	$(PY) -m pip install -e ".[dev,compat]"

test: install  ## the README's test command: install, then run every test suite
	$(PY) -m pytest

test-rust:  ## the pure Rust core's tests (no Python needed)
	cargo test -p edgequake-core

lint:  ## clippy (deny unwrap/expect/panic), ruff
	cargo clippy -p edgequake-core --all-targets --features python -- -D warnings
	$(PY) -m ruff check edgequake edgequake_harness tests bench tools dependents

compat:  ## the main job: replay the bundled cassettes through litellm and edgequake, write reports/latest/
	$(PY) -m pip install -e ".[compat]"
	$(PY) -m edgequake_harness run cassettes --exit-zero

REPORT ?= reports/latest/compat.json
HISTORY ?=
dashboard:  ## re-render the HTML dashboard beside $(REPORT) (trend over the reports under HISTORY=dir, if given)
	$(PY) -m edgequake_harness report --from $(REPORT) --html $(if $(HISTORY),--history $(HISTORY))

baseline:  ## accept reports/latest/ as the committed baseline: reports/baseline.json, reports/compat.md, reports/badges/, README table and badges
	cp reports/latest/compat.json reports/baseline.json
	$(PY) -m edgequake_harness report --from reports/baseline.json --readme README.md --badges reports/badges

bench:  ## edgequake vs litellm vs the openai SDK vs raw httpx on one loopback server
	$(PY) -m bench --quick

DEP_VENV ?= .venv-dependents
DEP_CREWAI_VENV ?= .venv-dependents-crewai
DEP_DSPY_VENV ?= .venv-dependents-dspy

dependents:  ## dspy, instructor, langchain-litellm, smolagents, crewai on litellm and on edgequake: dependents/report.md
	test -x $(DEP_VENV)/bin/python || $(PY) -m venv $(DEP_VENV)
	test -x $(DEP_CREWAI_VENV)/bin/python || $(PY) -m venv $(DEP_CREWAI_VENV)
	test -x $(DEP_DSPY_VENV)/bin/python || $(PY) -m venv $(DEP_DSPY_VENV)
	$(DEP_VENV)/bin/python -m pip install -q -r dependents/requirements.txt
	$(DEP_CREWAI_VENV)/bin/python -m pip install -q -r dependents/requirements-crewai.txt
	$(DEP_DSPY_VENV)/bin/python -m pip install -q -r dependents/requirements-dspy.txt
	$(DEP_VENV)/bin/python -m pip install -q --no-deps -e .
	$(DEP_CREWAI_VENV)/bin/python -m pip install -q --no-deps -e .
	$(DEP_DSPY_VENV)/bin/python -m pip install -q --no-deps -e .
	LITELLM_LOCAL_MODEL_COST_MAP=True $(DEP_VENV)/bin/python -m dependents.runner
	LITELLM_LOCAL_MODEL_COST_MAP=True $(DEP_VENV)/bin/python -m dependents.unit_tests

clean:  ## remove build outputs
	cargo clean
	rm -rf .venv build dist *.egg-info edgequake/_core*.so
