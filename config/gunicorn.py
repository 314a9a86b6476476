"""Gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Each value can be overridden by the environment (GUNICORN_*), so that several machines share the
file. The app is synchronous (Django ORM, WeasyPrint in Celery, not in requests)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# On 2 cores: 5 processes of 2 threads, 10 requests at once. A page spends a good part of its time
# waiting for PostgreSQL (on the same machine or the next), so a little more than one process per
# core keeps both cores busy; more would only queue inside the processes and cost memory.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# Load the app (and warm it: config/warmup.py) once in the master, then fork the workers: they
# start ready instead of each paying 2-3 s of CPU on its first requests, which on 2 cores made the
# first logins wait behind the other workers' start. A new version of the code therefore needs a
# restart of gunicorn, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# A request that takes longer than this is killed (and logged): no page should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Behind the reverse proxy (TLS ends there); only it may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No request line with personal data in the logs: the path only, no query string.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def pre_fork(server, worker):
    """Before each fork, move the master's objects (the loaded and warmed app) out of the garbage
    collector's reach: the workers share those pages instead of copying them when a collection
    touches them, and their full collections no longer walk the whole app (Python's `gc.freeze`,
    meant for this)."""
    import gc

    gc.collect()
    gc.freeze()
