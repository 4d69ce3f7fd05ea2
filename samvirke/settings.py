"""Settings for Samvirke, read from environment variables.

Every setting has a safe demo default so that a fresh clone runs with `make demo` (SQLite under var/).
Production sets DATABASE_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS; Samvirke refuses to start with
DEBUG off and the demo secret key, because that key is public (it is in this file).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAMVIRKE_VAR_DIR", PROJECT_DIR / "var"))

DEMO_SECRET_KEY = "samvirke-demo-secret-key-do-not-use-in-production"


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}")


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# DEBUG is on by default only for the demo: a fresh checkout (no SECRET_KEY in the environment) runs `make demo`
# with the error pages a developer needs. A deployment sets SECRET_KEY, and then DEBUG is off unless it says DEBUG=1:
# forgetting DEBUG=0 must not put tracebacks with local variables in front of the public.
DEBUG = envbool("DEBUG", not os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public demo key while DEBUG is off. Set SECRET_KEY to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
# The shared secret the telephony platform signs its events with (HMAC-SHA256 over the request body).
DEMO_TELEPHONY_SECRET = "samvirke-demo-telephony-secret"
TELEPHONY_SECRET = os.environ.get("TELEPHONY_SECRET", DEMO_TELEPHONY_SECRET)
if not DEBUG and TELEPHONY_SECRET == DEMO_TELEPHONY_SECRET:
    raise ImproperlyConfigured("TELEPHONY_SECRET is the public demo secret while DEBUG is off. Set TELEPHONY_SECRET.")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "samvirke.audit",
    "samvirke.directory",
    "samvirke.training",
    "samvirke.economy",
    "samvirke.knowledge",
    "samvirke.assistant",
    "samvirke.preparedness",
    "samvirke.contact",
    "samvirke.onboarding",
    "samvirke.staffing",
    "samvirke.telecare",
    "samvirke.consent",
    "samvirke.kits",
    "samvirke.telesupport",
    "samvirke.reports",
    "django_htmx",
    "ninja",  # django-ninja serves /api/docs with its own copy of Swagger UI (static files), not from a CDN
    "django_tasks",
    "django_tasks_db",
    "samvirke.demo",
]

MIDDLEWARE = [
    # First: the telephony platform's signed events skip the browser middleware below (see the module).
    "samvirke.contact.middleware.TelephonyEventsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samvirke.core.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "samvirke.core.not_found.CitizenNotFoundMiddleware",  # citizens' pages: a Danish 404, also with DEBUG on
]

ROOT_URLCONF = "samvirke.urls"
WSGI_APPLICATION = "samvirke.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samvirke.navigation.navigation",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'samvirke.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite: wait for a lock instead of failing at once when the dev server and a command both write; take the
    # write lock when a transaction starts (IMMEDIATE), so two writers queue instead of one failing half-way; WAL
    # lets the desk and wallboard read while the telephony events are written, and commits without a sync each.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A request waits at most this long for the write lock; then it gets a 503 with "try again" (see
    # samvirke/middleware.py), never a 500. Writers hold the lock for milliseconds: heavy work (a rota build, a
    # retrain) computes outside any transaction and writes in one short one.
    sqlite_options["timeout"] = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "10"))
    sqlite_options["transaction_mode"] = "IMMEDIATE"
    sqlite_options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    # The test database is a file too, not Django's default shared in-memory database: that one locks whole
    # tables between connections and ignores the busy timeout, so the browser tests' live server (a thread per
    # request) met "database table is locked" where the real file database would have waited a moment.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-samvirke.sqlite3")}

# Background work (retraining the assistant, building a rota) leaves the request as django-tasks tasks, stored in the
# database, so the SQLite demo and PostgreSQL production work alike; `samvirke db_worker` runs them (make demo starts
# one beside the web server). TASKS_BACKEND=immediate runs a task inside the call that enqueues it (tests).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "database")
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {_tasks_backend!r}")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend], "QUEUES": ["default"]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and the dev server serve static files straight from the apps, with no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Unit tests hash demo passwords many times; a fast hasher keeps the suite quick. Never in production.
if "pytest" in sys.modules:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Issue 12, hostile input (sec-input): refused before any view sees it (samvirke/middleware.py). ---
# Control characters (NUL first: PostgreSQL text cannot hold it) in the path, query, cookies, form fields or a JSON
# body → 400. First of all, so the telephony platform's events (answered by the next middleware) are checked too.
MIDDLEWARE.insert(0, "samvirke.core.middleware.ControlCharacterMiddleware")
# A citizen's POST (/chat/…) larger than this → 413 before the body is read: the largest citizen form (a message of
# 1,000 characters, percent-encoded, plus its other fields) is well under 32 KiB.
CITIZEN_MAX_REQUEST_BYTES = int(os.environ.get("CITIZEN_MAX_REQUEST_BYTES", str(32 * 1024)))
MIDDLEWARE.insert(0, "samvirke.core.middleware.CitizenRequestSizeMiddleware")

# --- Rate limits and login lockout (issue 12, finding 7) ---
# Every anonymous endpoint (the citizens' chat, the login forms) is limited per client address, and a hand-over
# to a person per browser session too; counters live in the database so the limits hold across all web workers
# (samvirke/limits). A limit is "<requests>/<seconds>", sized for a real person; RATE_LIMIT_<SCOPE> overrides it.
RATE_LIMITS_ENABLED = envbool("RATE_LIMITS_ENABLED", True)
from samvirke.limits.lib.rates import DEFAULT_RATE_LIMITS  # noqa: E402  (pure data: the scopes and their limits)

RATE_LIMITS = {
    scope: os.environ.get(f"RATE_LIMIT_{scope.upper()}", rate) for scope, rate in DEFAULT_RATE_LIMITS.items()
}
# Behind N proxies that each append to X-Forwarded-For (docs/nginx.conf.example: one), the client's address is the
# N-th entry from the right. 0: no proxy, REMOTE_ADDR (a client could write X-Forwarded-For itself).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))


def _check_rate_limits() -> None:
    from samvirke.limits.lib.rates import RateError, parse_rate

    for scope, rate in RATE_LIMITS.items():
        try:
            parse_rate(rate)
        except RateError as error:
            raise ImproperlyConfigured(f"RATE_LIMIT_{scope.upper()}: {error}") from error
    if TRUSTED_PROXY_COUNT < 0:
        raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")


_check_rate_limits()
INSTALLED_APPS += ["samvirke.limits", "axes"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"), "samvirke.limits.middleware.RateLimitMiddleware"
)
# django-axes: a username is locked for the address it failed from after LOGIN_FAILURE_LIMIT wrong passwords, for
# LOGIN_LOCKOUT_MINUTES; a successful login resets the count. `samvirke axes_reset` lifts every lockout
# (axes_reset_username <brugernavn> one). Its middleware must come last; its backend first.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "samvirke.limits.middleware.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "samvirke.limits.responses.login_locked_out"
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login (who logged in from where): failures are enough
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # type: ignore[index]  # failures and lockouts, not every check

# --- Content-Security-Policy and the deployment checks (issue 12, finding 14) ---
# A strict policy on every response (django-csp): scripts, styles, images, fonts and fetches from Samvirke itself
# only; no inline script, no eval (htmx's allowEval is off in base.html and citizen_base.html), no framing, forms
# post only to Samvirke. One exception, for style *attributes* only (style-src-attr): the charts and the rota's
# week grid place their bars and blocks with computed widths and grid positions in style="…". An attribute cannot
# run script or load anything beyond img-src; <style> elements stay forbidden (style-src-elem 'self').
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# TLS ends at the proxy (README, "Drift bag en proxy"; docs/nginx.conf.example). Behind it, Django learns that a
# request came over HTTPS from X-Forwarded-Proto, which the proxy overwrites; never trust it without a proxy.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# TLS_AT_PROXY=1 says the proxy sends HSTS and redirects HTTP to HTTPS (as docs/nginx.conf.example does), so
# `samvirke check --deploy` does not warn that Django does neither (security.W004, security.W008).
if envbool("TLS_AT_PROXY", False):
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]

# --- Telephony input (issue 12, sec-telephony) ---------------------------------------------------------------------
# A telephony event's `occurred_at` must lie within this window around now: a clock gone wrong, a replay from long
# ago or a date in 2100 (which retention would never reach) is refused with a 400 instead of being stored.
TELEPHONY_EVENT_MAX_AGE = timedelta(days=int(os.environ.get("TELEPHONY_EVENT_MAX_AGE_DAYS", "30")))
TELEPHONY_EVENT_MAX_AHEAD = timedelta(hours=int(os.environ.get("TELEPHONY_EVENT_MAX_AHEAD_HOURS", "24")))
# --- Training and overflow (issue 14) -------------------------------------------------------------------------------
# A contact that has waited past its queue's overflow goes only to agents trained for its line (training app, seed
# 000 p. 8). ROUTING_OVERFLOW_TO_UNQUALIFIED=1 lets it go to any ready agent, as before; the contact centre's report
# then counts the contacts that reached an agent not trained for their line.
ROUTING_OVERFLOW_TO_UNQUALIFIED = envbool("ROUTING_OVERFLOW_TO_UNQUALIFIED", False)
# Contacts go only to agents trained for their line (e-learning, course day, med-lyt; the health-app line also its
# module). ROUTING_REQUIRES_TRAINING=0 turns the rule off for the lines' own routing (not for overflow), e.g. while
# an installation that had no training records enters them.
ROUTING_REQUIRES_TRAINING = envbool("ROUTING_REQUIRES_TRAINING", True)
# Variables marked @sensitive_variables (the telephony secret in the signature check) are starred on error pages also
# while DEBUG is on: Django's own filter hides them only with DEBUG off (see samvirke/debug.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "samvirke.core.debug.AlwaysSafeExceptionReporterFilter"

# Crisis drills (preparedness): calls to this test number get the open drill's phone reply and never reach the live
# queues. Empty: no drill line.
PREPAREDNESS_DRILL_NUMBER = os.environ.get("PREPAREDNESS_DRILL_NUMBER", "70109999")
