# Two commands from a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The PostgreSQL server the second test pass runs against (a fresh database is created per run).
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# pytest-xdist options for both passes, e.g. TEST_XDIST="-n 3 --dist loadgroup" to spread each pass over
# 3 processes, the timing tests kept in one serial group (see CONTRIBUTING.md); empty: one process per pass.
TEST_XDIST ?=
PYTEST := $(BIN)/python -m pytest $(TEST_XDIST)

.PHONY: install demo test test-sqlite test-postgres pg-ready lint bench bench-large lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/tmf demo

# The two passes run at the same time (they share nothing: SQLite files in temporary folders, a
# fresh PostgreSQL database, Redis counters under their own client addresses). The SQLite pass
# streams; the PostgreSQL pass is kept in test-artifacts/postgres.log and shown when both end.
test: install pg-ready
	@mkdir -p test-artifacts
	@$(MAKE) --no-print-directory test-postgres > test-artifacts/postgres.log 2>&1 & pg=$$!; \
	$(MAKE) --no-print-directory test-sqlite; sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	cat test-artifacts/postgres.log; \
	echo "== SQLite pass exit $$sqlite, PostgreSQL pass exit $$postgres =="; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

pg-ready: install
	@$(BIN)/python scripts/pg_ready.py "$(TEST_PG_URL)" || \
		{ echo "No PostgreSQL answers at $(TEST_PG_URL): start it, set TEST_PG_URL, or run make test-sqlite"; exit 1; }

test-sqlite: install
	@echo "== test pass 1/2: SQLite =="
	$(PYTEST)

test-postgres: install pg-ready
	@echo "== test pass 2/2: PostgreSQL ($(TEST_PG_URL)) =="
	TMF_TEST_DATABASE_URL="$(TEST_PG_URL)" $(PYTEST) -m "not browser"

# ruff: pyflakes, isort, bugbear and pyupgrade over the code, tests, benchmarks and scripts; mypy over
# the package (strict on kit/ and spc/, settings in pyproject.toml). The import contract is a test
# (tests/test_layers.py), so it runs with the suite.
lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

# By hand only (not in bench or CI): BENCH_LARGE_VALUES measurements (default 50 million, 15-25 GB of
# disk) on PostgreSQL at BENCH_PG_URL; see bench/large.py.
bench-large: install
	$(BIN)/python -m bench.large

# Re-pin every transitive dependency after changing pyproject.toml.
lock: install
	$(BIN)/pip freeze --exclude-editable --exclude tiemeasureflow > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
