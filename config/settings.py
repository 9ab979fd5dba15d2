"""Settings for the mystery-shopping and QA toolkit.

Every setting that differs between a laptop and a server comes from the
environment, with a default that runs a checkout at once (SQLite file, console
e-mail, DEBUG on). `DJANGO_ENV=production` turns the defaults strict.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a true/false variable; anything else is a configuration error, not a silent False."""
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number") from exc


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION and not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = envbool("DEBUG", "false" if PRODUCTION else "true")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The site's address as people reach it, for links in e-mails (which have no request to ask);
# in production the first of ALLOWED_HOSTS over https unless set.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION and ALLOWED_HOSTS and ALLOWED_HOSTS[0] != "*"
    else "http://127.0.0.1:8000")
if not SITE_URL.startswith(("http://", "https://")) or "/" in SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(f"SITE_URL must be a scheme and host such as https://qa.example.com, not {SITE_URL!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "qa",
    "shops",
    "scorecards",
    "reports",
    "config",
]

MIDDLEWARE = [
    "config.proxies.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qa.middleware.UserTimezoneMiddleware",
    "qa.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.security.SecurityHeadersMiddleware",
]

# Reverse proxies in front of gunicorn (config/proxies.py). PROXY_COUNT=0: clients reach gunicorn
# directly and every forwarded header is ignored; N: N proxies, and X-Forwarded-For/-Proto are
# believed only from TRUSTED_PROXIES. Production refuses to start without an explicit PROXY_COUNT:
# guessed wrong, every client shares the proxy's address (one lockout for all) or any client can
# claim any address.
if PRODUCTION and "PROXY_COUNT" not in os.environ:
    raise ImproperlyConfigured(
        "PROXY_COUNT must be set when DJANGO_ENV=production: 0 when clients reach gunicorn directly, or the "
        "number of reverse proxies in front of it (1 for one nginx), with TRUSTED_PROXIES naming their addresses")
PROXY_COUNT = envint("PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more")
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
try:
    [ipaddress.ip_network(net) for net in TRUSTED_PROXIES]  # strict, as gunicorn reads them
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must list addresses or networks: {exc}") from exc

# Failed sign-ins (django-axes, config/lockout.py): AXES_FAILURE_LIMIT failures lock one
# username-and-address pair, AXES_ADDRESS_FAILURE_LIMIT failures across usernames lock the address,
# each for AXES_COOLOFF_MINUTES. Nobody can lock another person out from elsewhere.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "config.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_ip"
# Password change and reset (django-ratelimit, config/accounts.py), counted in the default cache:
# set CACHE_URL when several processes serve, or each counts on its own.
PASSWORD_CHANGE_RATE = os.environ.get("PASSWORD_CHANGE_RATE", "5/15m")  # per account
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "3/h")  # per e-mail address typed
PASSWORD_RESET_ADDRESS_RATE = os.environ.get("PASSWORD_RESET_ADDRESS_RATE", "10/h")  # per client address
# The Django admin's own pages carry inline script; they are for administrators only.
ADMIN_CSP_EXEMPT_PREFIX = "/admin/"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.navigation",
            ],
            # Dates and times in one format per kind, in the viewer's time zone (qa.formats).
            "builtins": ["qa.templatetags.when"],
        },
    },
]

# SQLite unless DATABASE_URL says otherwise. SQLite gets a busy timeout so that
# a web request and the task worker writing at once wait instead of failing.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "qa.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads (evidence, recordings, exports) are private: MEDIA_ROOT is never served
# by URL; views that check access stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence, recordings and export files: never given a URL (base_url is unset on purpose).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "private", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qa-toolkit@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    if PROXY_COUNT:  # only a trusted proxy's header survives config.proxies.ForwardedHeadersMiddleware
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Mystery-shopping rules (issue: shopper on a phone).
VISIT_MIN_MINUTES = envint("VISIT_MIN_MINUTES", 5)
CHECKIN_MAX_DISTANCE_M = envint("CHECKIN_MAX_DISTANCE_M", 500)
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_PIXELS = envint("EVIDENCE_MAX_PIXELS", 40_000_000)
REVISION_DAYS = envint("REVISION_DAYS", 3)
CURRENCY_SYMBOL = os.environ.get("CURRENCY_SYMBOL", "£")

# Call recordings (issue: QA reviewers and call recordings).
RECORDING_MAX_BYTES = envint("RECORDING_MAX_BYTES", 100 * 1024 * 1024)
RECORDING_RETENTION_DAYS = envint("RECORDING_RETENTION_DAYS", 0)  # 0 keeps recordings
# Bulk import of interactions: a sheet of at most IMPORT_MAX_ROWS rows and a zip of recordings.
# Up to IMPORT_SYNC_ROWS rows are imported during the upload; more go to the task worker.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20_000)
IMPORT_SYNC_ROWS = envint("IMPORT_SYNC_ROWS", 100)
IMPORT_SHEET_MAX_BYTES = envint("IMPORT_SHEET_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_ZIP_MAX_BYTES = envint("IMPORT_ZIP_MAX_BYTES", 2 * 1024 * 1024 * 1024)
# What the zip's recordings add up to once unpacked (a zip of silence is tiny and huge).
IMPORT_ZIP_MAX_EXTRACTED_BYTES = envint("IMPORT_ZIP_MAX_EXTRACTED_BYTES", 4 * 1024 * 1024 * 1024)
# A running import whose worker has not touched it for this long is taken to have died:
# it is marked failed, what it wrote is removed, and it can be retried from its page.
IMPORT_STALE_SECONDS = envint("IMPORT_STALE_SECONDS", 300)

# Disputes: how long after release, and how many may be open per employee at once.
DISPUTE_WINDOW_DAYS = envint("DISPUTE_WINDOW_DAYS", 14)
DISPUTE_MAX_OPEN = envint("DISPUTE_MAX_OPEN", 3)

# Reports (issue: reports and exports).
REPORT_MIN_SAMPLE = envint("REPORT_MIN_SAMPLE", 5)
EXPORT_SYNC_LIMIT = envint("EXPORT_SYNC_LIMIT", 2000)
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", 7)
# Report figures are cached this many seconds per reach and filters (0 turns it off).
REPORT_CACHE_SECONDS = envint("REPORT_CACHE_SECONDS", 60)
# A report's independent queries run on this many threads, each with its own
# database connection (reports.parallel); 1 runs them one after the other.
REPORT_QUERY_THREADS = envint("REPORT_QUERY_THREADS", 2)

# One process: memory. Several processes or machines: CACHE_URL=redis://... (Django's Redis backend).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DATA_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads (recordings) go to a temporary file

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
