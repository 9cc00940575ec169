"""Settings for niangjia, read from the environment.

A bare checkout runs with development defaults (SQLite, inline tasks, local-memory cache). A
deployment sets SECRET_KEY, FIELD_ENCRYPTION_KEY, DATABASE_URL, REDIS_URL and DEBUG=0; with DEBUG
off the development secrets are refused, so a forgotten variable cannot reach production.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (docker/k8s secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused when DEBUG is off
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtISE="  # noqa: S105

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
# Fernet keys, comma-separated: the first encrypts, all decrypt (key rotation).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", DEV_FIELD_ENCRYPTION_KEY)
# The blind index (keyed hash) has its own key so that rotating encryption keys keeps lookups.
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY", "") or f"hash:{FIELD_ENCRYPTION_KEYS[-1]}"

if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    if DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",  # login lockout (#11 §2)
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens, stored hashed (#11 §2)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "auditlog",
    "niangjia.core",
    "niangjia.orgs",
    "niangjia.rights",
    "niangjia.stations",
    "niangjia.care",
    "niangjia.hotline",
    "niangjia.intake",
    "niangjia.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # #11 §5: a NUL in the query string is a 400, before any view or database sees it
    "niangjia.core.middleware.RefuseUnsafeQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "niangjia.core.middleware.AuditlogMiddleware",  # client address: niangjia.core.clientip
    "niangjia.core.middleware.ActiveRoleMiddleware",
    "niangjia.core.middleware.LoginThrottleMiddleware",  # login posts per address (#11 §2)
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Chinese 429 page/JSON
]

ROOT_URLCONF = "niangjia.urls"
WSGI_APPLICATION = "niangjia.wsgi.application"

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
                "django.template.context_processors.i18n",
                "niangjia.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A new PostgreSQL connection per request measured 13x slower here: keep them open.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "PG_PREPARED_STATEMENTS", True
):
    # Django's cursors bind client-side and never prepare; this threshold only lets code that asks
    # for it (the stations nearby search) keep a server-side prepared statement, whose generic plan
    # saves the re-planning that was most of that query's time. PG_PREPARED_STATEMENTS=0 turns it off
    # behind a transaction-mode pooler that cannot keep prepared statements (PgBouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000_000
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue on the busy timeout instead of failing with "database is locked" on lock upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # covering indexes (INCLUDE) are a PostgreSQL feature; on SQLite they are plain indexes
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Mutation testing (`make mutation`, #12 §7) ---------------------------------------------------
# mutmut runs a fresh pytest session per mutant; migrating an in-memory test database each time
# costs more than the tests. MUTATION_TEST_DB names a file-backed SQLite test database that
# `pytest --reuse-db` keeps between sessions. Unset (the default): the usual in-memory one.
if env_str("MUTATION_TEST_DB") and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": env_str("MUTATION_TEST_DB")}

# --- Connection pool, spreadsheet imports, import jobs (issue #11 §5) ----------------------------
# PostgreSQL connections are taken from psycopg's pool (per process), so a burst of requests waits
# for a free connection instead of opening one per thread until the server refuses ("too many
# clients"). Size it so that  processes (gunicorn workers, celery workers) × DB_POOL_MAX + a few
# for psql/cron  ≤  the server's max_connections. DB_POOL_MAX=0 turns the pool off (behind
# PgBouncer); CONN_MAX_AGE then applies as before. The prepared-statement threshold above is a
# connection option, so pooled connections keep it (and keep their prepared statements).
DB_POOL_MAX = env_int("DB_POOL_MAX", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool requires it; the pool keeps them open
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env_int("DB_POOL_MIN", 2), DB_POOL_MAX),
        "max_size": DB_POOL_MAX,
        # seconds a request waits for a free connection before failing (instead of piling up)
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
# Uploaded spreadsheets: checked before any parsing (size, a real .xlsx zip, its unpacked size),
# then read streaming. Parsing cost follows the unpacked XML, not the upload: a 240 KB file can
# unpack to 50 MB of cells, so the unpacked size and the packing ratio are bounded too.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_PACKING_RATIO = env_int("IMPORT_MAX_PACKING_RATIO", 40)  # Excel's own files: ~5-15
# A running import writes a heartbeat; one silent for this long is marked failed (its process
# died: nothing was saved, since the save is one transaction) and can be run again.
IMPORT_HEARTBEAT_SECONDS = env_int("IMPORT_HEARTBEAT_SECONDS", 15)
IMPORT_STALE_AFTER_SECONDS = env_int("IMPORT_STALE_AFTER_SECONDS", 300)

# --- Cache, tasks -------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# With no broker the tasks run inline, so the zero-setup default behaves like production.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "deadline-reminders": {
        "task": "niangjia.rights.tasks.send_deadline_reminders",
        "schedule": 24 * 60 * 60,  # daily; run beat with the Asia/Shanghai timezone above
    },
    "callback-reminders": {
        "task": "niangjia.hotline.tasks.send_callback_reminders",
        "schedule": 10 * 60,  # hotline callbacks are due at a time of day: every ten minutes
    },
    "stale-imports": {  # issue #11 §5: imports whose process died are marked failed
        "task": "niangjia.care.tasks.expire_stale_imports",
        "schedule": 5 * 60,
    },
}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "public:home"

# --- Authentication, lockout, client address, API tokens (#11 §2) ------------------------------
# X-Forwarded-For is believed only from these proxies (addresses or CIDR networks, comma-separated);
# empty: the socket address is the client. One function reads it: niangjia.core.clientip.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from _exc

# Lockout (django-axes) on every login path: after AXES_FAILURE_LIMIT failures for one username,
# whatever the address, further tries (even with the right password) are refused for
# AXES_COOLOFF_MINUTES. Unlock: /admin/axes/accessattempt/ or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]  # not the address: rotating addresses does not help
# axes.W006 asks for the address among the lockout keys; by username is the point here (one
# address must not lock out everyone behind it), and the login throttle limits each address.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout ends when it says it will
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, with address and path, in the admin
AXES_CLIENT_IP_CALLABLE = "niangjia.core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "niangjia.core.lockout.lockout_response"
# masked in axes' records of failed tries (the password always is)
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "phone", "code", "id_number", "number"]

# API tokens (django-rest-knox, niangjia.core.tokens): stored as a digest; a token dies after
# API_TOKEN_IDLE_TTL_DAYS without use and API_TOKEN_MAX_TTL_DAYS after issue, however used.
API_TOKEN_IDLE_TTL = datetime.timedelta(days=env_int("API_TOKEN_IDLE_TTL_DAYS", 7))
API_TOKEN_MAX_TTL = datetime.timedelta(days=env_int("API_TOKEN_MAX_TTL_DAYS", 30))
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 20)
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_IDLE_TTL,
    "AUTO_REFRESH": True,  # each use pushes the expiry to now + the idle lifetime…
    "AUTO_REFRESH_MAX_TTL": API_TOKEN_MAX_TTL,  # …but never past issue + the maximum
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}

# --- i18n, time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"  # what users see; the database stores UTC because USE_TZ is on

# --- Static, media ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Evidence and other case files: outside MEDIA_ROOT, never served directly; a scoped, audited
# view streams them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True  # secure cookies follow HTTPS: see the production block below
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # `Authorization: Token …`, see niangjia.core.tokens
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "niangjia.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's AutoSchema, with the real constraints of some field types (#11 §5)
    "DEFAULT_SCHEMA_CLASS": "niangjia.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "niangjia.api.errors.exception_handler",
    # JSON bodies: depth, lone surrogates and NUL refused with a 400 (niangjia.api.parsers)
    "DEFAULT_PARSER_CLASSES": [
        "niangjia.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "120/minute"),
        "user": env_str("THROTTLE_USER", "2000/minute"),
        "login": env_str("THROTTLE_LOGIN", "20/minute"),
        "lookup": env_str("THROTTLE_LOOKUP", "30/minute"),
        "complaint": env_str("THROTTLE_COMPLAINT", "10/hour"),
        # #11 §2: every anonymous write and lookup has a scope (niangjia.core.ratelimit)
        "aid_apply": env_str("THROTTLE_AID_APPLY", "10/hour"),
        "station_feedback": env_str("THROTTLE_STATION_FEEDBACK", "20/hour"),
        "checkin": env_str("THROTTLE_CHECKIN", "60/hour"),
        "sms": env_str("THROTTLE_SMS", "20/hour"),
    },
}
# --- Hostile input (#11 §5): refused with a 400, never a 500 --------------------------------------
# JSON bodies nested deeper than this are refused ("请求内容嵌套过深"); real bodies nest 3-4 levels.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 64)

SPECTACULAR_SETTINGS = {
    "TITLE": "职工娘家 niangjia API",
    "DESCRIPTION": "工会职工服务平台接口：维权、驿站、送温暖、劳模工匠、职工之家、组织与统计。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the sidecar package: no CDN on intranets.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # stable names for choice sets that share a field name across apps ("kind", "category",
    # "outcome"): without them clients generate types like Kind487Enum that change with the hash
    "ENUM_NAME_OVERRIDES": {
        "CaseCategoryEnum": "niangjia.rights.models.Case.Category",
        "CaseOutcomeEnum": "niangjia.rights.models.Case.Outcome",
        "ClaimKindEnum": "niangjia.rights.models.ClaimItem.Kind",
        "RecoveryKindEnum": "niangjia.rights.models.Recovery.Kind",
        "CaseDocumentKindEnum": "niangjia.rights.models.CaseDocument.Kind",
        "ConsultationCategoryEnum": "niangjia.hotline.models.CATEGORY_CHOICES",
        "ConsultationOutcomeEnum": "niangjia.hotline.models.Consultation.Outcome",
        "CareTargetGroupEnum": "niangjia.care.models.TargetGroup",
    },
}

# --- Rights: partner agencies (#11 §3, sec-agencies) -------------------------------------------
# A case is shared only with an agency of its own jurisdiction (an agency attached inside the
# handling union's district, or city for a city-level case); True lets a union share with any
# agency it can name (e.g. a provincial pilot with a city-level court).
RIGHTS_SHARE_ANY_JURISDICTION = env_bool("RIGHTS_SHARE_ANY_JURISDICTION", False)

# --- Audit --------------------------------------------------------------------------------------
# Encrypted columns are never copied into the change log (see orgs.apps for per-model excludes).
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Notifications ------------------------------------------------------------------------------
SMS_BACKEND = env_str("SMS_BACKEND", "niangjia.core.notify.ConsoleSMSBackend")
# send-warmth receipt codes: six digits, so short-lived and few tries
CARE_SMS_CODE_TTL_MINUTES = env_int("CARE_SMS_CODE_TTL_MINUTES", 10)
CARE_SMS_CODE_MAX_ATTEMPTS = env_int("CARE_SMS_CODE_MAX_ATTEMPTS", 5)
CARE_SMS_RESEND_SECONDS = env_int("CARE_SMS_RESEND_SECONDS", 60)  # #11 §2: one live code a minute

# --- Identity binding and consent (#11 §1, §4) --------------------------------------------------
# The privacy notice shown on public forms that collect sensitive data; its version is stored
# with each consent, so change it whenever templates/_privacy_notice.html changes in substance.
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-12-v1")
# How long a closed case or application is kept, as the notice tells the person.
PRIVACY_RETENTION_YEARS = env_int("PRIVACY_RETENTION_YEARS", 10)
# "Bind my file" code requests (web and API) per client address; codes use CARE_SMS_CODE_*.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["bind"] = env_str("THROTTLE_BIND", "10/hour")
# Code requests per account and day for "bind my file" (each code allows CARE_SMS_CODE_MAX_ATTEMPTS).
BIND_MAX_REQUESTS_PER_DAY = env_int("BIND_MAX_REQUESTS_PER_DAY", 5)

# --- Logging ------------------------------------------------------------------------------------
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - only load_demo uses it, and it refuses DEBUG off

# --- Data protection (#11 §4: 个人信息保护法) ----------------------------------------------------
# Application logs never hold ID numbers or mobiles: every handler masks them (core.redact).
LOGGING["filters"] = {"redact_pii": {"()": "niangjia.core.redact.RedactingFilter"}}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("redact_pii")
# Django's own loggers (request errors, runserver's request lines with their query strings) go
# through the same filtered handler instead of Django's default unfiltered console handler.
LOGGING["loggers"].setdefault("django", {"handlers": ["console"], "propagate": False})
LOGGING["loggers"].setdefault("django.server", {"handlers": ["console"], "propagate": False})

# With DEBUG off a short or published SECRET_KEY is refused (it signs sessions and reset links).
# The SMS console backend is refused at start (core.apps): production names a provider class.
KNOWN_DEVELOPMENT_SECRET_KEYS = {
    DEV_SECRET_KEY,
    "x",
    "secret",
    "changeme",
    "change-me",
    "django-insecure",
}
SECRET_KEY_MIN_LENGTH = 50
if not DEBUG and (
    SECRET_KEY in KNOWN_DEVELOPMENT_SECRET_KEYS
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters and not a known "
        'development key when DEBUG is off; make one with: python -c "from '
        'django.core.management.utils import get_random_secret_key as k; print(k())"'
    )

# Map tiles (Leaflet) come from a configurable tile server; its origin is allowed in img-src.
STATIONS_TILE_URL = env_str("STATIONS_TILE_URL", "")
STATIONS_TILE_ATTRIBUTION = env_str("STATIONS_TILE_ATTRIBUTION", "")
STATIONS_TILE_COORD = env_str("STATIONS_TILE_COORD", "wgs84")


def tile_origin(url: str) -> str | None:
    """The CSP source of a tile URL template: `https://{s}.tile.example/{z}/{x}/{y}.png` →
    `https://*.tile.example` (a placeholder in the host becomes a leftmost wildcard)."""
    from urllib.parse import urlsplit

    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "s").replace("{", "").replace("}", ""))
    host = parts.netloc
    if "{" in url.split("//", 1)[-1].split("/", 1)[0]:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}" if parts.scheme and host else None


# Content-Security-Policy (django-csp 4): scripts and everything else from this site only, no
# inline script or on*= handler (templates use static files, data- attributes and json_script).
# Styles allow inline style attributes (chart heights, progress bars, the libraries' own).
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC", "")
_TILE_ORIGIN = tile_origin(STATIONS_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])]
        + CSP_EXTRA_IMG_SRC,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)

# Behind HTTPS (HTTPS=1, the default with DEBUG off): HSTS, secure cookies, redirect to https.
# A TLS-terminating proxy must set X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER below).
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if HTTPS and env_bool("BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy: the station finder asks for the position on this site only; nothing else.
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "niangjia.core.security.PermissionsPolicyMiddleware",
)
