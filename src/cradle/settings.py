"""Cradle settings: one module, driven by environment variables.

CRADLE_DEBUG=1           development mode (never in production)
CRADLE_SECRET_KEY        required unless CRADLE_DEBUG=1
DATABASE_URL             e.g. postgres://user@host:5432/cradle; default is embedded SQLite
CRADLE_VAR_DIR           where the SQLite database and development secrets live (default ./var)
CRADLE_ALLOWED_HOSTS     comma-separated host names (production)
CRADLE_PSEUDONYM_KEY     the NHS-number pseudonym key (required in production; a per-checkout
                         one is made in CRADLE_VAR_DIR when CRADLE_DEBUG=1)
CRADLE_AUDIT_KEY         the audit chain's HMAC key (required in production; a per-checkout one
                         is made in CRADLE_VAR_DIR when CRADLE_DEBUG=1; never change it)
CRADLE_SECOND_FACTOR_KEY the key that encrypts authenticator-app secrets and keys the recovery
                         codes' hashes (required in production, at least 32 bytes; a per-checkout
                         one is made in CRADLE_VAR_DIR when CRADLE_DEBUG=1)
CRADLE_SECOND_FACTOR_KEY_FALLBACKS  comma-separated earlier keys, still read while rotating
CRADLE_SIGN_IN_ATTEMPTS  failed sign-ins of one account before each further try must wait
CRADLE_DEMO=1            the pooled reports show the synthetic teams of `cradle synth` (labelled)
                         instead of the real ones (`make demo`)
CRADLE_BEHIND_PROXY=1    the app runs behind a reverse proxy that sets X-Forwarded-Proto (and
                         strips it from clients); only then is the header trusted for HTTPS
CRADLE_SQLITE_TIMEOUT    seconds an embedded-SQLite write waits for another writer (default 20)
CRADLE_CONTACT_EMAIL     the address on the contact, privacy and accessibility pages
CRADLE_TASKS             where background jobs run: "database" (default; the queue is a table
                         of this database, `cradle db_worker` runs it) or "immediate" (in the
                         request that starts them: the tests)
CRADLE_CACHE_URL         the cache: locmem:// (default, one per process) or redis://127.0.0.1:
                         6379/0 (production: shared by every worker); dummy:// for none
CRADLE_CACHE_KEY_PREFIX  prefix of every cache key (default cradle), to share one Redis
CRADLE_PUBLIC_MAX_AGE    seconds a browser or CDN may keep a public page (default 60)
CRADLE_QUALITY_EVIDENCE_MAX_MB  the largest evidence file a self-review accepts (default 10)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

from cradle.core.cache_url import cache_settings

PACKAGE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("CRADLE_DEBUG")
# Pooled reports read synthetic teams only in demo mode, and real teams only otherwise.
CRADLE_DEMO = env_flag("CRADLE_DEMO")
# Northern Ireland (BT) postcodes in the finder: their data is free for non-commercial use
# only (Land & Property Services); anyone else running Cradle turns this off (ADR 0019).
CRADLE_POSTCODE_LOOKUP_NI = env_flag("CRADLE_POSTCODE_LOOKUP_NI", True)
# Shown on the contact, privacy and accessibility pages; empty: "ask your network coordinator".
CRADLE_CONTACT_EMAIL = os.environ.get("CRADLE_CONTACT_EMAIL", "")
VAR_DIR = Path(os.environ.get("CRADLE_VAR_DIR", "var")).resolve()


def _development_secret_key(name: str = "development-secret-key") -> str:
    """A per-checkout random key, so development never runs on a published default."""
    key_file = VAR_DIR / name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("CRADLE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CRADLE_SECRET_KEY is not set. Production needs a long random secret in the "
            "environment (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For local development set CRADLE_DEBUG=1 instead (make run does this)."
        )
    SECRET_KEY = _development_secret_key()

# The NHS-number pseudonym key is read from the environment where it is used
# (outcomes.validation.pseudonym_key); development gets a per-checkout one like the secret key.
if DEBUG and not os.environ.get("CRADLE_PSEUDONYM_KEY"):
    os.environ["CRADLE_PSEUDONYM_KEY"] = _development_secret_key("development-pseudonym-key")
# Likewise the audit chain's key (cradle.audit.key.audit_key).
if DEBUG and not os.environ.get("CRADLE_AUDIT_KEY"):
    os.environ["CRADLE_AUDIT_KEY"] = _development_secret_key("development-audit-key")

# The second factor's secrets are encrypted (app keys) and hashed (recovery codes) under this
# key (accounts/second_factor_keys.py); `cradle check --deploy` fails without it
# (cradle.accounts.E001), and development gets a per-checkout one like the secret key.
SECOND_FACTOR_KEYS = [os.environ.get("CRADLE_SECOND_FACTOR_KEY", "")
                      or (_development_secret_key("development-second-factor-key") if DEBUG
                          else ""),
                      *env_list("CRADLE_SECOND_FACTOR_KEY_FALLBACKS")]

# Old keys still accepted for signatures while a new key is rolled out (docs/security.md).
SECRET_KEY_FALLBACKS = env_list("CRADLE_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("CRADLE_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "cradle.accounts.admin_app.CradleAdminConfig",  # django.contrib.admin on Cradle's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background work (ADR 0020): Django's tasks framework (django.tasks on Django 6; the
    # django-tasks backport app on 5.2), its database backend, and the jobs people see.
    *(["django_tasks"] if django.VERSION < (6, 0) else []),
    "django_tasks_db",
    "cradle.jobs",
    "cradle.accounts",
    "cradle.core",
    "cradle.geography",
    "cradle.directory",
    "cradle.foi",
    "cradle.audit",
    "cradle.outcomes",
    "cradle.planning",
    "cradle.pooled",
    "cradle.finder",
    "cradle.census",
    "cradle.surveys",
    "cradle.oruk",
    "cradle.opendata",
    # The open data API (ADR 0035): Django REST framework, described by drf-spectacular.
    "rest_framework",
    "drf_spectacular",
    "cradle.api",
    "cradle.quality",
]

MIDDLEWARE = [
    # First, so that their headers are on every response, including the 400 that
    # CommonMiddleware or SecurityMiddleware returns for a bad Host header. Django 6's built-in
    # CSP (absent from Django 5.2 LTS, see ADR 0001 and 0005).
    *(["django.middleware.csp.ContentSecurityPolicyMiddleware"] if django.VERSION >= (6, 0)
      else []),
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages for anonymous visitors, before sessions, CSRF and authentication, so
    # a hit costs little more than a static file; gzip inside it, so the compressed copy is
    # what gets cached (both in core; ADR 0021).
    "cradle.core.public_cache.PublicPageCacheMiddleware",
    "cradle.core.middleware.SafeGZipMiddleware",
    # Inside the page cache (a no-store page is never kept) and outside everything that can
    # answer a token's address itself (CommonMiddleware's redirect, CSRF's 403).
    "cradle.core.middleware.CapabilityLinkHeadersMiddleware",
    # Any origin may read the open data API (/api/ only; no credentials; ADR 0035).
    "cradle.api.middleware.OpenApiCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cradle.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cradle.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "cradle.urls"
WSGI_APPLICATION = "cradle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cradle.accounts.context_processors.permissions",
            ],
        },
    },
]

def private_sqlite_file(path: Path) -> None:
    """The embedded database holds case records: only its owner may open it or list its folder.

    SQLite gives its -wal and -shm files the database file's mode, so they are private too.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    path.chmod(0o600)


EMBEDDED_DATABASE = VAR_DIR / "cradle.sqlite3"
if not os.environ.get("DATABASE_URL"):
    private_sqlite_file(EMBEDDED_DATABASE)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{EMBEDDED_DATABASE}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many clients at once: readers never wait for writers (WAL), a writer waits its turn
    # instead of failing with "database is locked" (timeout), and a transaction takes the
    # write lock when it begins (IMMEDIATE), so it can never fail to upgrade a read lock
    # half-way through. Tests' in-memory database ignores the journal mode.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("CRADLE_SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: sign-in by email; argon2 hashes; a progressive delay per account after repeated
# failures (accounts/sign_in_throttle.py); a second factor (TOTP through django-otp, with
# Cradle's own encrypted devices) for every role that reaches case-level data, and the admin.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"  # each role lands on its work (accounts/landing.py)
LOGOUT_REDIRECT_URL = "core:home"
TWO_FACTOR_URL = "/account/two-factor/"
OTP_TOTP_ISSUER = "Cradle"
# Failed sign-ins are counted per account, from any address; after this many, each further
# try must wait longer (1, 2, 4 ... minutes, at most 15).
SIGN_IN_FREE_FAILURES = int(os.environ.get("CRADLE_SIGN_IN_ATTEMPTS", "5"))
# Sessions end after 30 minutes without a request, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("CRADLE_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
USE_STATIC_MANIFEST = env_flag("CRADLE_STATIC_MANIFEST", not DEBUG)
# Without collected files (development, tests) WhiteNoise serves straight from the finders.
STATIC_ROOT = VAR_DIR / "staticfiles" if USE_STATIC_MANIFEST else None
WHITENOISE_USE_FINDERS = not USE_STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `cradle collectstatic`; development and tests
        # (CRADLE_STATIC_MANIFEST=0) serve the source files as they are.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if USE_STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Production hardening; `cradle check --deploy` must report nothing with CRADLE_DEBUG unset.
SECURE_SSL_REDIRECT = env_flag("CRADLE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# A client can send X-Forwarded-Proto itself: trust it only behind a proxy that sets it.
BEHIND_PROXY = env_flag("CRADLE_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy: only this site's own scripts, styles, images and data;
# no inline script or style anywhere (a test scans the templates for them).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Every record passes the capability-token filter (core/log_redaction.py, ADR 0027) on the
# way out: Django's loggers write request paths, and some paths are personal links.
_LOG_LEVEL = os.environ.get("CRADLE_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "capability_tokens": {"()": "cradle.core.log_redaction.RedactCapabilityTokens"},
    },
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter",
                          "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["capability_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                          "filters": ["capability_tokens"]},
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    "loggers": {
        # Django's default handlers on these loggers would write before the root's filter
        # runs; replaced by the root's (django) and a filtered copy of runserver's own. (No
        # ADMINS are set, so Django's mail_admins handler had nothing to send.)
        "django": {"handlers": [], "level": _LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    # Request bodies and personal data are never logged; Django's request logger only
    # records paths (tokens redacted) and status codes.
}

# Computed reports and whole public pages, keyed by the data version (so never stale).
# CRADLE_CACHE=dummy turns it off (the tests do, as rolled-back data can reuse ids).
try:
    CACHES = {"default": cache_settings(
        "dummy://" if os.environ.get("CRADLE_CACHE") == "dummy"
        else os.environ.get("CRADLE_CACHE_URL", ""),
        os.environ.get("CRADLE_CACHE_KEY_PREFIX", "cradle"))}
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
# Public pages for anonymous visitors (core/public_cache.py, ADR 0021): how long a browser or
# CDN may keep one, how long it may serve it stale while asking again, and how long the
# server keeps a rendered page at most (a data change replaces it sooner).
# Development (CRADLE_DEBUG=1) keeps no pages and lets browsers keep none without asking, so
# an edited template shows on the next reload; 0 turns the server's copies off anywhere.
CRADLE_PUBLIC_MAX_AGE = int(os.environ.get("CRADLE_PUBLIC_MAX_AGE", "0" if DEBUG else "60"))
CRADLE_PUBLIC_STALE_SECONDS = int(os.environ.get("CRADLE_PUBLIC_STALE_SECONDS", "120"))
CRADLE_PAGE_CACHE_SECONDS = int(os.environ.get("CRADLE_PAGE_CACHE_SECONDS",
                                               "0" if DEBUG else "600"))
# Each worker also keeps the pages it served last in its own memory, unpickled, up to this
# (core/page_store.py): they are keyed by data version, so a copy is never stale.
CRADLE_PAGE_MEMORY_MB = int(os.environ.get("CRADLE_PAGE_MEMORY_MB", "64"))

# FOI letters go out through Django's mail backend; the console backend prints them instead
# of sending until a real backend (e.g. django.core.mail.backends.smtp.EmailBackend) is set.
_EMAIL_BACKEND = os.environ.get("CRADLE_EMAIL_BACKEND",
                                "django.core.mail.backends.console.EmailBackend")
_EMAIL_HOST = os.environ.get("CRADLE_EMAIL_HOST", "localhost")
_EMAIL_PORT = int(os.environ.get("CRADLE_EMAIL_PORT", "25"))
if django.VERSION >= (6, 1):
    MAILERS = {"default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {"host": _EMAIL_HOST, "port": _EMAIL_PORT} if "smtp" in _EMAIL_BACKEND
        else {},
    }}
else:  # Django 5.2 LTS, on Python 3.11 (ADR 0001)
    EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT = _EMAIL_BACKEND, _EMAIL_HOST, _EMAIL_PORT
DEFAULT_FROM_EMAIL = os.environ.get("CRADLE_FROM_EMAIL", "cradle@localhost")

# Replies to FOI requests (ADR 0029): each request's letters ask for replies at
# <local>+<token>@<domain>; `cradle foi receive-mail` is the SMTP server an MTA delivers that
# domain's mail to. With no domain, letters keep the campaign's own reply-to address.
FOI_REPLY_DOMAIN = os.environ.get("CRADLE_FOI_REPLY_DOMAIN", "").strip().lower()
FOI_REPLY_LOCAL = os.environ.get("CRADLE_FOI_REPLY_LOCAL", "foi").strip().lower()
FOI_RECEIVE_HOST = os.environ.get("CRADLE_FOI_RECEIVE_HOST", "127.0.0.1")
FOI_RECEIVE_PORT = int(os.environ.get("CRADLE_FOI_RECEIVE_PORT", "8025"))
FOI_ATTACHMENT_MAX_BYTES = int(float(os.environ.get("CRADLE_FOI_ATTACHMENT_MAX_MB", "10"))
                               * 1024 * 1024)
FOI_MESSAGE_MAX_BYTES = int(float(os.environ.get("CRADLE_FOI_MESSAGE_MAX_MB", "25"))
                            * 1024 * 1024)

# Evidence files of quality self-reviews (ADR 0038): PDF, DOCX, XLSX, PNG or JPEG, each at most
# this size, kept encrypted in the database and never served at a public URL.
QUALITY_EVIDENCE_MAX_BYTES = int(float(os.environ.get("CRADLE_QUALITY_EVIDENCE_MAX_MB", "10"))
                                 * 1024 * 1024)

# --- Background tasks (ADR 0020) -------------------------------------------------------------
# Long work (large imports, FOI letters, PDFs) runs as tasks of Django's tasks framework
# (django.tasks; the django-tasks backport on Django 5.2: cradle/jobs/compat.py). The
# queue is a table in this database (django-tasks-db), so nothing else is needed to run it and
# more `cradle db_worker` processes, on any machine that reaches the database, scale it out.
# CRADLE_TASKS=immediate runs each task inside the request that starts it (the tests do; a
# test that is about the queue runs the real worker).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": ("django.tasks.backends.immediate.ImmediateBackend" if django.VERSION >= (6, 0)
                  else "django_tasks.backends.immediate.ImmediateBackend"),
}
_TASKS_MODE = os.environ.get("CRADLE_TASKS", "database")
if _TASKS_MODE not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"CRADLE_TASKS must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASKS_MODE], "QUEUES": ["default"]}}
# ----------------------------------------------------------------------------------------------

# --- The open data API (ADR 0035) -------------------------------------------------------------
# Read-only and open: no authentication runs (the API never reads who is asking), and each
# endpoint says its own formats and parameters (cradle/api/base.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cradle open data API",
    "DESCRIPTION": "Read-only public figures of Cradle: areas, services, coverage on a date, "
                   "planning profiles, checked FOI results, the pooled public summary and "
                   "published team counts. Human documentation: /api/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["cradle.api.schema_hooks.only_open_data_api"],
    "ENUM_NAME_OVERRIDES": {},
}
# Each API request's database time on PostgreSQL (statement_timeout); 0 turns it off.
CRADLE_API_STATEMENT_TIMEOUT_MS = int(os.environ.get("CRADLE_API_STATEMENT_TIMEOUT_MS", "5000"))

CRADLE_SOURCE_DATA_DIR = os.environ.get("CRADLE_SOURCE_DATA_DIR", "")

# The dated bulk-download snapshots (`cradle opendata snapshot`, /downloads/; ADR 0037): one
# directory per date, never written over. Keep it with the database's backups.
CRADLE_OPENDATA_DIR = Path(os.environ.get("CRADLE_OPENDATA_DIR", VAR_DIR / "opendata")).resolve()
