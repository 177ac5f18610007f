# envcheck: `make demo` to see it, `make test` to install everything and run all tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := oracles/node_modules/.installed
RUBY_STAMP := oracles/ruby-dotenv/VERSION
DEMO   := fixtures/demo
FUZZ_EXAMPLES ?= 100000
# A stale key "exported in the shell": it beats .env.local, which is what the demo shows.
DEMO_SHELL := OPENAI_API_KEY=sk-proj-STALExSTALExSTALExSTALExSTALExSTALExSTALE0ld1

.PHONY: install oracles demo test lint typecheck unit bench fuzz schema clean

install: $(STAMP)

$(STAMP): pyproject.toml setup.py envcheck/sources/_fastlines.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

oracles: $(NODE_STAMP) $(RUBY_STAMP)

$(NODE_STAMP): oracles/package.json oracles/package-lock.json
	# not `npm ci`: it rejects optional dependencies the registry no longer serves (vite lists one);
	# `npm install --no-save` still installs the locked versions.
	cd oracles && npm install --no-save --no-audit --no-fund --loglevel=error
	touch $@

# Ruby's dotenv 3.x (the Rails oracle) from Debian's registry, and a ruby to run it.
$(RUBY_STAMP): oracles/install-ruby.sh
	sh oracles/install-ruby.sh

# The demo needs envcheck and its runtime dependencies only, not the test tool chain.
DEMO_STAMP := $(VENV)/.demo-installed
$(DEMO_STAMP): pyproject.toml setup.py envcheck/sources/_fastlines.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e .
	touch $@

demo: $(DEMO_STAMP)
	@echo '$$ envcheck explain   # in $(DEMO), with a stale OPENAI_API_KEY exported in the shell'
	@cd $(DEMO) && env $(DEMO_SHELL) ../../$(BIN)/envcheck explain || true
	@echo
	@echo '$$ envcheck check'
	@cd $(DEMO) && env $(DEMO_SHELL) ../../$(BIN)/envcheck check || true
	@echo
	@echo '$$ envcheck diff   # development vs production'
	@cd $(DEMO) && ../../$(BIN)/envcheck diff || true
	@echo
	@$(BIN)/python $(DEMO)/probe_demo.py

lint: $(STAMP)
	$(BIN)/ruff check envcheck tests
	$(BIN)/ruff format --check envcheck tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(NODE_STAMP) $(RUBY_STAMP)
	$(BIN)/pytest -n auto

test: lint typecheck unit

bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python bench/run.py

# The JSON Schemas of envcheck.toml and [tool.envcheck], generated from the loader's tables
# (tests/schema/test_config_jsonschema.py fails when they are stale).
schema: $(STAMP)
	$(BIN)/python -m envcheck.schema.jsonschema > schema/envcheck.schema.json
	$(BIN)/python -m envcheck.schema.jsonschema --pyproject > schema/tool-envcheck.schema.json

fuzz: $(STAMP)
	ENVCHECK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -m fuzz -p no:cacheprovider tests

clean:
	rm -rf $(VENV) oracles/node_modules oracles/ruby-dotenv .pytest_cache .mypy_cache .ruff_cache build
	rm -f envcheck/sources/_fastlines.*.so
