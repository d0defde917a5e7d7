"""Settings for OST Safe.

One module for every environment; the environment decides. `settings_production` turns on what a live service
must have (two-factor sign-in, secure cookies). Defaults give a zero-set-up SQLite database under var/.
"""

import logging
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# Off unless asked for (DJANGO_DEBUG=1): Django's debug page shows settings and data to whoever hits an error.
DEBUG = env_flag("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-ostsafe")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

# Two-factor sign-in for every role. Off for local demo use; settings_production turns it on.
OSTSAFE_REQUIRE_2FA = env_flag("OSTSAFE_REQUIRE_2FA", False)
OSTSAFE_SERVICE_NAME = os.environ.get("OSTSAFE_SERVICE_NAME", "OST Safe")
# `manage.py seed_demo` loads synthetic families and users who all share the README's password: development and
# demonstration only. settings_production turns it off unless OSTSAFE_ALLOW_DEMO=1 is set on purpose.
OSTSAFE_ALLOW_DEMO = env_flag("OSTSAFE_ALLOW_DEMO", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # OST Safe: foundation first, then one app per concept of the guide.
    "ostsafe.core",
    "ostsafe.accounts",
    "ostsafe.audit",
    "ostsafe.directory",
    "ostsafe.families",
    "ostsafe.prescribing",
    "ostsafe.tasks",
    "ostsafe.assessments",
    "ostsafe.visits",
    "ostsafe.storage",
    "ostsafe.plans",
    "ostsafe.pharmacy",
    "ostsafe.carers",
    "ostsafe.monitoring",
    "ostsafe.sharing",
    "ostsafe.curiosity",
    "ostsafe.management",
    "ostsafe.interop",
    "ostsafe.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ostsafe.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ostsafe.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ostsafe.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ostsafe.config.urls"
WSGI_APPLICATION = "ostsafe.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with links to record ids built without the URL resolver each time (ostsafe.core.links).
            "builtins": ["ostsafe.core.templatetags.links"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ostsafe.core.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "ostsafe.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ostsafe.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is tested before a request uses it: a database restarted overnight is not an error page.
        conn_health_checks=True,
    )
}
# Two people saving at once on SQLite: each write transaction takes the write lock when it begins (IMMEDIATE) and
# waits up to 20 seconds for it, instead of failing with "database is locked" when a read turns into a write halfway
# through; readers do not block the writer (WAL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading timestamps with psycopg's compiled loader (why: ostsafe/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "ostsafe.core.postgresql"
    # PostgreSQL's JIT compiles a page's query when its estimated cost is high (a whole service's caseload, sorted by
    # what needs attention first): 30 ms of compiling for a 40 ms query. Pages are short queries: no JIT.
    # random_page_cost: PostgreSQL's default (4) prices reading a row by index as if from a spinning disk, so for a
    # keyworker's 40 rows it scans and hashes a whole region's households and children instead (6 ms against 0.8 ms
    # for the caseload's page on the 10,000 region). 1.1 is the usual value for SSDs and data held in memory.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DATABASE_OPTIONS", "-c jit=off -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The unit of risk: core's household page base and access gate find it by this label, so core imports no app.
OSTSAFE_HOUSEHOLD_MODEL = "families.Household"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out users before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions end after 30 minutes: use pushes the expiry forward, written at most once a minute rather than on
# every request. However busy, a session ends 12 hours after sign-in (ostsafe.accounts.middleware).
SESSION_COOKIE_AGE = 30 * 60
OSTSAFE_SESSION_MAX_AGE = 12 * 60 * 60
OSTSAFE_SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Five failed sign-ins lock the account (from every address) for one hour. One address that fails 20 times in an hour,
# across any accounts, is refused too (password spraying; a higher bar, because a whole office may share an address).
# The same page answers whether or not the email address exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
OSTSAFE_SIGN_IN_FAILURES_PER_ADDRESS = 20
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same address rule as the access log (trusted proxies only), so a forged header cannot dodge a lockout.
AXES_CLIENT_IP_CALLABLE = "ostsafe.audit.services.client_ip"
# django-axes warns when its lockout is not keyed on the address (axes.W006). The address rule is ours instead
# (ostsafe.accounts.services.address_is_spraying, OSTSAFE_SIGN_IN_FAILURES_PER_ADDRESS): axes' own would lock a whole
# office out after five failures. `check --deploy` otherwise passes with no warnings.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A routine notification or update not acknowledged by its recipient after this many working days becomes a task for
# the keyworker (`manage.py chase_notifications`, daily).
OSTSAFE_ACKNOWLEDGE_WORKING_DAYS = int(os.environ.get("OSTSAFE_ACKNOWLEDGE_WORKING_DAYS", "5"))

# Break-glass: how long emergency access to a family beyond one's reach lasts.
OSTSAFE_BREAK_GLASS_HOURS = int(os.environ.get("OSTSAFE_BREAK_GLASS_HOURS", "4"))
# The commissioner's report: hide counts under 5 (empty) or round every count to the nearest N (docs/rules.md).
OSTSAFE_DISCLOSURE_ROUND_TO = int(os.environ.get("OSTSAFE_DISCLOSURE_ROUND_TO") or 0) or None

# How many reverse proxies (load balancer, nginx) stand in front of the service and append to X-Forwarded-For.
# 0: the connection's own address is the client's. Set it to exactly the number of proxies you run: a larger number
# lets clients forge the address written to the access log.
OSTSAFE_TRUSTED_PROXY_HOPS = int(os.environ.get("OSTSAFE_TRUSTED_PROXY_HOPS", "0"))

OTP_TOTP_ISSUER = OSTSAFE_SERVICE_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/assets/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
# `make setup` copies the compiled GOV.UK Frontend, MOJ Frontend and htmx files here from node_modules.
# GOV.UK Frontend's stylesheet asks for fonts and images at /assets/fonts and /assets/images, so their assets
# folders sit at the root of STATIC_URL.
STATICFILES_DIRS = [VAR_DIR / "frontend"]
# Uploaded files (scans of signed agreements) are kept in the database (core.storage.DatabaseStorage): nothing on
# the app server's disk, so many app servers can run behind a load balancer, and the database backup holds them. No
# URL serves them: they are streamed only by views that ask the access check. MEDIA_ROOT is read once, by the
# migration that moved files an earlier version kept on disk into the database.
MEDIA_ROOT = Path(os.environ.get("OSTSAFE_UPLOADS_DIR", VAR_DIR / "uploads"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "ostsafe.core.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ost-safe@example.org")
# GOV.UK Notify (DJANGO_EMAIL_BACKEND=ostsafe.tasks.notify.NotifyEmailBackend).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a refused token is a 401 with a WWW-Authenticate header.
        "ostsafe.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's HTML forms listed every record a related field could name, unaudited. People
    # explore the API in the Swagger UI at /api/docs/, which reads the schema.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "ostsafe.core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ostsafe.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OST Safe API",
    "DESCRIPTION": (
        "Safeguarding case records for children whose parents or carers are prescribed opioid substitution "
        "treatment. Every call is checked against the same access rules as the web pages and audited."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs need a signed-in (and, in production, two-factor) session or an API token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the risk level wherever it appears (suggested, practitioner's, a plan's).
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "ostsafe.assessments.models.RiskLevel",
        "DiscussionOutcomeEnum": "ostsafe.sharing.models.DiscussionOutcome",
        "ReferralOutcomeEnum": "ostsafe.sharing.models.ReferralOutcome",
        "DisagreementDecisionEnum": "ostsafe.plans.models.Decision",
        "DecisionEnum": "ostsafe.sharing.models.Decision",
    },
    # Swagger UI served from this site, not a CDN: the docs work on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# DJANGO_LOG_FORMAT=json (the container image's default): one JSON object a line (ostsafe.core.logs), Python's
# warnings included.
logging.captureWarnings(os.environ.get("DJANGO_LOG_FORMAT", "plain") == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ostsafe.core.logs.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if os.environ.get("DJANGO_LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per problem, once: Django's own console handler would print each record a second time.
        "django": {"handlers": [], "propagate": True},
        # Refusals (403) and unknown pages (404) are expected, and refusals are in the access log already: only
        # server errors go to the log, each with its traceback once.
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        # The scheduler says when it enqueues the daily jobs (a few lines a day).
        "ostsafe.schedule": {"level": "INFO"},
    },
}

# The service's own address, for links in emails sent by the scheduled jobs (core.schedule: the reminder digest).
OSTSAFE_SITE_URL = os.environ.get("OSTSAFE_SITE_URL", "")

# Background work (emails, the daily jobs) through Django's Tasks API (the django-tasks backport). Production: the
# database backend, run by `manage.py db_worker` (docs/architecture.md). Without a worker (make run), each task runs
# in the web process once its transaction commits.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("OSTSAFE_TASKS_BACKEND", "ostsafe.core.task_backends.AfterCommitBackend"),
    }
}
