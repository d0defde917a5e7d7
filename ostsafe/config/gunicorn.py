"""gunicorn's configuration for OST Safe (`gunicorn -c ostsafe/config/gunicorn.py`; the container image and
`make serve` use it). Every value can be set from the environment; docs/operations.md explains each."""

import multiprocessing
import os

wsgi_app = "ostsafe.config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: each request is short and database-bound. Two per core and one more is gunicorn's own advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a PDF of a family's record takes a few seconds
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so slow growth in memory never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# gunicorn's own advice: its heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs: one JSON object a line on stdout, like the application's (ostsafe.core.logs.JsonFormatter); the access log's
# fields are named in access_log_format's place by the formatter's `extra` (gunicorn passes them as record.args).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "true") == "true" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '{"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ostsafe.core.logs.JsonFormatter"},
        "access": {"()": "ostsafe.core.logs.AccessFormatter"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "access"},
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        # Access lines are INFO: off (GUNICORN_ACCESS_LOG=false) is a level above them.
        "gunicorn.access": {"handlers": ["access"], "level": "INFO" if accesslog else "WARNING", "propagate": False},
    },
}
