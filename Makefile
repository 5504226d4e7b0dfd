# PF-CRM: `make run` opens the app on the demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
DB ?= $(or $(PFCRM_DB),data/pfcrm.duckdb)
# Debian packages the browser tests need: the browser, and fonts so Chinese renders.
BROWSER_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv demo-db browser bench clean-db

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

demo-db: venv
	$(PY) -m pfcrm_core --db "$(DB)" demo --if-missing

run: venv demo-db
	$(PY) -m pfcrm_core.serve run app.py --server.address 127.0.0.1 --server.port 8501 \
		-- --db "$(DB)"

browser:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "chromium and CJK fonts are installed"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi

test: venv browser
	$(PY) -m pytest

bench: venv
	$(PY) benchmarks/run_all.py

clean-db:
	rm -f "$(DB)" "$(DB).wal"
