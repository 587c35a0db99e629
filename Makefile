# Newsroom: `make run` serves the site locally with the seed loaded; `make test` runs the tests.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

.PHONY: run serve test lint format browser axe admin-password benchmark-import bench clean

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed --if-empty
	$(BIN)/python manage.py ensure_local_admin
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, gunicorn, compressed and fingerprinted static files. Over plain
# HTTP on this machine, so the HTTPS redirect and secure cookies are off unless set.
SERVE_ENV = DEBUG=false \
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"

serve: $(VENV)/.installed .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py load_seed --if-empty
	@echo "Serving with gunicorn on http://127.0.0.1:$(PORT)/"
	$(SERVE_ENV) PORT=$(PORT) $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

.secret-key:
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: $(VENV)/.installed browser $(AXE)
	$(BIN)/pytest

# Precision and recall of reading copy (quotes, speakers, people) against fixtures/gold/.
benchmark-import: $(VENV)/.installed
	$(BIN)/python manage.py benchmark_import

# Pages under load (README, "Performance"): gunicorn on PostgreSQL with a 100,000-article synthetic
# archive (built once, about two minutes), cold and with Redis, loaded by wrk (from Debian's
# packages if missing). Prints the table and writes bench/results.json. BENCH_ARTICLES=… for
# another size; BENCH_DATABASE_URL, BENCH_REDIS_URL for other servers (bench/run.py --help).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { \
		echo "Installing wrk from Debian's packages for the benchmark…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; \
	}
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive the system Chromium (Debian's package); nothing is downloaded by Playwright.
browser:
	@test -x $(CHROMIUM) || { \
		echo "Installing Chromium from Debian's packages for the browser tests…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; \
	}

# axe-core, the browser tests' accessibility checker, from the npm registry at the version
# package-lock.json pins (installs Node.js and npm from Debian's packages if they are missing).
axe: $(AXE)

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { \
		echo "Installing npm from Debian's packages for the accessibility check…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm; \
	}
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

admin-password: $(VENV)/.installed
	$(BIN)/python manage.py changepassword admin

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .ruff_cache node_modules .cache
