"""gunicorn's settings for Newsroom: `gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Synchronous workers: the pages are short database reads, served from the cache when warm. A sync
# worker waits on its client, so none may face clients: nginx reads each request whole first
# (docs/operators.md, "Deploying"; `make serve` starts one). gevent would not wait, but gives every
# connection its own database connection and its own page cache client, copies included.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The scheme comes from X-Forwarded-Proto alone, which the proxy always overwrites: gunicorn's other
# default headers (X-Forwarded-Ssl, X-Forwarded-Protocol) would pass through from the client.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# gunicorn's control socket (for gunicornc) is one path per user by default, which every instance
# on the machine would share, each removing it as it stops: only where asked for, at its own path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def on_starting(server):
    """A missing or malformed setting stops the server with one line, not a traceback per worker."""
    from newsroom.configuration import load_or_exit

    load_or_exit()
