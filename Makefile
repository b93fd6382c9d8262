# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install tools browser-tools debian-tools run seed test test-unit test-integration soak bench lint permissions problems \
	translations asyncapi clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# Debian tools the tests use: kubectl renders deploy/k8s, promtool checks the alert rules, DejaVu fonts
# print PDFs in Latin and Cyrillic, Redis holds the shared rate-limit windows, Chromium (with its driver) and Node.js run the console's browser tests.
# Installed once when missing (sudo unless root); then the browser tests' npm packages (`browser-tools`).
tools: browser-tools
browser-tools: debian-tools
	@[ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ] || \
		(cd tests/browser && npm ci --no-audit --no-fund >&2)

debian-tools:
	@missing=""; \
	command -v kubectl >/dev/null 2>&1 || missing="$$missing kubernetes-client"; \
	command -v promtool >/dev/null 2>&1 || missing="$$missing prometheus"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf ] || missing="$$missing fonts-dejavu-extra"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "make: installing Debian packages:$$missing" >&2; \
		$$SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >&2; fi

run: install
	$(BIN)/chancery run

# Demo data, through the APIs of the suite that `make run` started (run it from another terminal).
seed: install
	$(BIN)/chancery seed

# Two pytest processes, each taking whole modules (a module shares its running services), and tests/security
# whole (its services are the package's; decision 0150): the suite is mostly waiting on its services, so two
# halves its time on two cores.
test: install tools
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=30

test-unit: install tools
	$(BIN)/python -m pytest -q -m "not integration"

test-integration: install tools
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "integration and not soak"

# The soak (not part of `make test`): CHANCERY_SOAK_SECONDS (default 1800) of steady load on all five services,
# every broker and database connection reset every 5 s; prints its figures as a SOAK_RESULT JSON line.
soak: install
	$(BIN)/python -m pytest -q -s -m soak tests/faults

# Benchmarks (not part of `make test`): one JSON document on stdout and in var/bench/latest.json.
# The HTTP figures drive load with Debian's wrk; install it if it is missing (sudo unless root).
bench: install
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq >&2 && $$SUDO apt-get install -y -qq wrk >&2; }
	@$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# Style; decision 0100's import contracts and the types of shared/, domains and operations (both configured in
# pyproject.toml, also run by `make test` in tests/test_architecture.py); then security: bandit fails on a
# high-severity finding, pip-audit on a known vulnerability in what we install unless .pip-audit-ignore lists
# it with its reason (decision 0008).
lint: install
	$(BIN)/ruff check shared services tests examples
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r shared services examples --severity-level high
	@if curl -sf -m 10 -o /dev/null https://pypi.org/pypi/pip/24.0/json; then \
		$(BIN)/pip-audit --strict --skip-editable --progress-spinner off \
			$$(sed -e 's/#.*//' .pip-audit-ignore | xargs -r printf -- '--ignore-vuln %s '); \
	else echo "lint: NOT AUDITED: PyPI's vulnerability data (pypi.org/pypi/<name>/<version>/json) is unreachable from here" >&2; fi

permissions: install
	$(BIN)/chancery permissions > docs/permissions.md

problems: install
	$(BIN)/chancery problems > docs/problems.md

# The console's catalogs: extract the English texts, merge them into the Russian and Bulgarian .po files (translate
# what is new there), compile the .mo files; both are committed, so a fresh clone needs no build step.
CONSOLE := services/console
translations: install
	cd $(CONSOLE) && ../../$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --no-location --omit-header \
		-o translations/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -i $(CONSOLE)/translations/messages.pot -d $(CONSOLE)/translations
	$(BIN)/pybabel compile --statistics -d $(CONSOLE)/translations

# docs/asyncapi.yaml from the event catalogs, the handlers' subscriptions and the topology (after a new event type).
asyncapi: install
	$(BIN)/chancery asyncapi

clean:
	rm -rf var .pytest_cache
