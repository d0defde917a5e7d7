"""Production settings: everything in settings.py, with the protections a live service must have."""

import os

from .settings import *  # noqa: F403
from .settings import env_flag

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
OSTSAFE_REQUIRE_2FA = True
OSTSAFE_ALLOW_DEMO = env_flag("OSTSAFE_ALLOW_DEMO", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
# The service's own host name and anything under it are HTTPS only. Turn these off (0) only if a subdomain of the
# service's host must still be reached over plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer's health check reaches the app server over plain HTTP inside the network: not redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
STORAGES = {
    "default": {"BACKEND": "ostsafe.core.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Keep each worker's PostgreSQL connection for a minute (checked before use) instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
# Background work queued in PostgreSQL and run by `manage.py db_worker` (the compose file's worker).
TASKS = {"default": {"BACKEND": os.environ.get("OSTSAFE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
