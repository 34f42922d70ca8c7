# Two entry points, both idempotent and offline (package registries only):
#   make run   - set up .venv, build the demo project once, open the workbench on it (127.0.0.1:8501)
#   make test  - set up .venv and run the whole test suite
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, from the CPU wheel, so nothing pulls a CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[st,ray,test]'
	touch $(STAMP)

DEMO := projects/demo.alignproject

# The demo project, built once: the bundled sample as a pair (en-ja), as three versions (en, ja, ru),
# and the parallel passages of a mixed Japanese news page.
$(DEMO): | $(STAMP)
	$(VENV)/bin/align project --dir projects create demo
	{ $(VENV)/bin/align project --dir projects import demo data/sample/welsh.en.txt data/sample/welsh.ja.txt \
	  && $(VENV)/bin/align project --dir projects import demo data/sample/welsh.en.txt data/sample/welsh.ja.txt \
	     data/sample/welsh.ru.txt \
	  && $(VENV)/bin/align project --dir projects import demo data/sample/news-page.txt; } || { rm -f $@; exit 1; }

run: | $(DEMO)
	$(VENV)/bin/align workbench --dir projects --project demo

test: $(STAMP)
	$(PY) -m pytest -q

# The edit-test loop: everything but the tests that load a model or drive a browser.
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not browser"

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'  # matplotlib, for the reliability plots
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
