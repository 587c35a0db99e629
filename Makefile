# Newsroom: `make run` serves the site locally with the seed loaded; `make test` runs the tests.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

.PHONY: run serve serve-site nginx varnish test lint format browser axe admin-password benchmark-import bench clean

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed --if-empty
	$(BIN)/python manage.py ensure_local_admin
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, gunicorn behind nginx, compressed and fingerprinted static files.
# Over plain HTTP on this machine, so the HTTPS redirect and secure cookies are off unless set.
SERVE_ENV = DEBUG=false \
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"
NGINX ?= /usr/sbin/nginx
# gunicorn's socket, nginx's configuration, pid and temporary files: one folder per port.
SERVE_RUN ?= .cache/serve-$(PORT)
RUN_DIR = $(abspath $(SERVE_RUN))
# Uploaded images (settings.MEDIA_ROOT), which nginx serves at /media/.
MEDIA_DIR = $(abspath $(or $(MEDIA_ROOT),media))

# Sync workers serve one request at a time, and a client sending its request slowly would hold
# one until gunicorn's timeout killed it: nginx reads every request whole first, and gunicorn
# listens only on a socket that nginx passes requests to. nginx runs in the foreground, so a port
# already in use stops `make serve`; when it stops, gunicorn does too. Run as root, nginx's workers
# are root as well: as nobody, they could not reach the socket in a private folder.
serve: $(VENV)/.installed .secret-key nginx serve-site
	@mkdir -p $(RUN_DIR)
	@mkdir -p $(MEDIA_DIR)
	@sed -e 's|@PORT@|$(PORT)|g' -e 's|@RUN@|$(RUN_DIR)|g' -e 's|@MEDIA@|$(MEDIA_DIR)|g' \
		newsroom/serve-nginx.conf > $(RUN_DIR)/nginx.conf
	@echo "Serving with nginx in front of gunicorn on http://127.0.0.1:$(PORT)/"
	@$(SERVE_ENV) BIND=unix:$(RUN_DIR)/gunicorn.sock PROXY_COUNT=1 GUNICORN_ACCESS_LOG= \
		$(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi & gunicorn=$$!; \
	trap 'kill $$gunicorn 2>/dev/null' EXIT INT TERM; \
	$(NGINX) -p $(RUN_DIR) -c nginx.conf -e stderr \
		-g "daemon off; $$( [ "$$(id -u)" = 0 ] && echo 'user root;' )"

# What `make serve` serves: static files collected, the database migrated, the seed if it is empty.
serve-site: $(VENV)/.installed .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py load_seed --if-empty

# nginx for `make serve`, from Debian's packages. (On a machine with systemd the package also starts
# the system's own nginx on port 80: `sudo systemctl disable --now nginx` if that is not wanted.)
nginx:
	@test -x $(NGINX) || { \
		echo "Installing nginx from Debian's packages for make serve…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx; \
	}

# Varnish with its xkey module, from Debian's packages: the HTTP cache in front that the site purges
# by key (newsroom/varnish.vcl; docs/operators.md, "Varnish or a CDN in front"), and its tests. (On
# a machine with systemd the package also starts the system's own varnishd on port 6081:
# `sudo systemctl disable --now varnish` if that is not wanted.)
VARNISHD ?= /usr/sbin/varnishd
varnish:
	@test -x $(VARNISHD) && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
		echo "Installing Varnish and its modules from Debian's packages…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq varnish varnish-modules; \
	}

.secret-key:
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: $(VENV)/.installed-dev browser varnish $(AXE)
	$(BIN)/pytest

# Precision and recall of reading copy (quotes, speakers, people) against fixtures/gold/.
benchmark-import: $(VENV)/.installed
	$(BIN)/python manage.py benchmark_import

# Pages under load (docs/performance.md): gunicorn on PostgreSQL with a 100,000-article synthetic
# archive (built once, about two minutes), cold and with Redis, loaded by wrk (from Debian's
# packages if missing); then the traffic mix, readers while editors save, through nginx as
# `make serve` runs it and through Varnish. Prints the tables and writes bench/results.json.
# BENCH_ARTICLES=… for another size; BENCH_DATABASE_URL, BENCH_REDIS_URL for other servers;
# `.venv/bin/python bench/run.py --only traffic` for the mix alone (bench/run.py --help).
bench: $(VENV)/.installed nginx varnish
	@command -v wrk >/dev/null || { \
		echo "Installing wrk from Debian's packages for the benchmark…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; \
	}
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
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

# Running needs requirements.txt only; the tests, the linter and the browser driver come with
# `make test` and `make lint`.
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .ruff_cache node_modules .cache
