"""Settings from environment variables, with safe defaults for the embedded deployment.

Every value a deployment may change is read from the environment (12-factor). The defaults give a
working embedded platform: SQLite under ``var/``, Huey on SQLite, in-process caches.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from yigongti.config.secrets import load_secrets


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YIGONGTI_VAR_DIR", Path.cwd() / "var")).resolve()

_secrets, SECRETS_GENERATED = load_secrets(VAR_DIR)
SECRET_KEY = _secrets["SECRET_KEY"]
YIGONGTI_SM4_KEY = _secrets["YIGONGTI_SM4_KEY"]
YIGONGTI_BLIND_INDEX_KEY = _secrets["YIGONGTI_BLIND_INDEX_KEY"]

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "yigongti.core",
    "yigongti.core.audit",
    "yigongti.core.workflow",
    "yigongti.core.numbering",
    "yigongti.core.outbox",
    "yigongti.platform.org",
    "yigongti.platform.accounts",
    "yigongti.platform.codes",
    "yigongti.platform.registry",
    "yigongti.platform.files",
    "yigongti.platform.notify",
    "yigongti.platform.integration",
    "yigongti.centers.referral",
    "yigongti.centers.referral.config",
    "yigongti.centers.prescription_review",
    "yigongti.centers.prescription_review.knowledge",
    "yigongti.centers.prescription_review.engine",
    "yigongti.centers.prescription_review.comment",
    "yigongti.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yigongti.platform.accounts.middleware.SessionSecurityMiddleware",
    "yigongti.platform.accounts.middleware.PasswordChangeRequiredMiddleware",
    "yigongti.core.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yigongti.config.urls"
WSGI_APPLICATION = "yigongti.config.wsgi.application"
ASGI_APPLICATION = "yigongti.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yigongti.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if env_bool("YIGONGTI_FAST_HASHER", False):  # tests and demo generation only
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yigongti.platform.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "yigongti.platform.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "yigongti.platform.accounts.passwords.NotContainingUsernameValidator"},
    {"NAME": "yigongti.platform.accounts.passwords.HistoryValidator", "OPTIONS": {"history": 5}},
]

# Login security (SEC-03): django-axes lockout, idle timeout, password expiry.
AXES_FAILURE_LIMIT = env_int("YIGONGTI_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("YIGONGTI_LOCKOUT_MINUTES", 15) / 60  # hours
# Lock the account, not the address: a whole township centre often shares one NAT address, and
# 等保 asks for account lockout after repeated failures.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_IPWARE_PROXY_COUNT = env_int("YIGONGTI_PROXY_COUNT", 0)
# The lock lasts AXES_COOLOFF_TIME from the failure that caused it; attempts while locked are
# refused without checking the password and do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "yigongti.platform.accounts.policy.lockout_response"  # {code, message, fields}
# Password validity in days (0 = never expires); read through accounts.policy.password_max_age_days.
YIGONGTI_PASSWORD_MAX_AGE_DAYS = env_int("YIGONGTI_PASSWORD_MAX_AGE_DAYS", 90)
SESSION_IDLE_TIMEOUT_SECONDS = env_int("YIGONGTI_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CSRF_COOKIE_HTTPONLY = False  # the console reads it to send X-CSRFToken
OTP_TOTP_ISSUER = "医共体协同平台"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
CONSOLE_DIR = PACKAGE_DIR / "web"  # built console (generated from ../../web by `make console`)
STATICFILES_DIRS = [d for d in [CONSOLE_DIR / "assets"] if d.exists()]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yigongti.core.api.authentication.ConsoleSessionAuthentication",
        # Hospital systems: OAuth2 bearer tokens (client credentials), see platform/integration.
        "yigongti.platform.integration.authentication.ClientTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "yigongti.core.api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "yigongti.core.api.export.XLSXRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yigongti.core.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "PAGE_SIZE": 20,
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "医共体协同平台 API",
    "DESCRIPTION": "县域医共体协同平台的接口。所有错误返回 {code, message, fields}。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    "DISABLE_ERRORS_AND_WARNINGS": True,
}

# Background work: Huey on SQLite by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "yigongti",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Bearer tokens of hospital systems verified within this many seconds are not looked up again (per process;
# disabling a client or rotating its secret clears the entry at once in the process that does it).
INTEGRATION_TOKEN_CACHE_TTL = env_int("YIGONGTI_TOKEN_CACHE_TTL", 60)

# Audit log (PLAT-06): number of independent SM3 hash chains (more chains = less lock contention).
AUDIT_CHAINS = env_int("YIGONGTI_AUDIT_CHAINS", 4)
EXPORT_MAX_ROWS = env_int("YIGONGTI_EXPORT_MAX_ROWS", 50000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---- Background work, outbox and outbound HTTP (core.jobs / core.outbox / core.http) ----------
# Hosts the outbound HTTP client may call (exact names/addresses, "*.example.com" for sub-domains).
OUTBOUND_ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("YIGONGTI_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1,localhost,::1").split(",")
    if h.strip()
]
OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("YIGONGTI_OUTBOUND_TIMEOUT_SECONDS", "10"))
OUTBOUND_PROXY = os.environ.get("YIGONGTI_OUTBOUND_PROXY", "")  # environment proxies are ignored
# Outbox dispatcher: messages per run, the lease margin added to a destination's timeout, and the
# backoff between failed attempts (base × 2^(attempt-1), capped).
OUTBOX_BATCH = env_int("YIGONGTI_OUTBOX_BATCH", 100)
OUTBOX_LEASE_SECONDS = float(os.environ.get("YIGONGTI_OUTBOX_LEASE_SECONDS", "30"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("YIGONGTI_OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("YIGONGTI_OUTBOX_RETRY_MAX_SECONDS", "3600"))

# ---- Integration (platform/integration, PLAT-10): OAuth2 for hospital systems, HL7, FHIR, regional sync ----
# Hospital systems get bearer tokens with the client-credentials grant at /oauth/token/ and call the
# API as a ClientPrincipal bound to their institution (platform/integration/authentication.py).
INSTALLED_APPS += ["oauth2_provider"]
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named so ApiClient can reference it
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("YIGONGTI_OAUTH_TOKEN_SECONDS", 3600),
    "OAUTH2_VALIDATOR_CLASS": "yigongti.platform.integration.oauth.ClientCredentialsValidator",
    "SCOPES_BACKEND_CLASS": "yigongti.platform.integration.oauth.ClientScopes",
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only a SHA-256 checksum of each token is stored
    "REFRESH_TOKEN_EXPIRE_SECONDS": 3600,
}
# Regional platform (全民健康信息平台) FHIR pull; the host must also be in OUTBOUND_ALLOWED_HOSTS.
REGIONAL_SYNC = {
    "BASE_URL": os.environ.get("YIGONGTI_REGIONAL_FHIR_URL", ""),  # empty: the scheduled pull does nothing
    "TOKEN": os.environ.get("YIGONGTI_REGIONAL_FHIR_TOKEN", ""),  # bearer token sent to the platform, if any
    "COMMUNITY": os.environ.get("YIGONGTI_REGIONAL_COMMUNITY", ""),  # community code new institutions join
    "SCHEDULE": os.environ.get("YIGONGTI_REGIONAL_SYNC_CRON", "30 2 * * *"),  # minute hour day month weekday
    "PAGE_SIZE": env_int("YIGONGTI_REGIONAL_PAGE_SIZE", 100),
    "MAX_PAGES": env_int("YIGONGTI_REGIONAL_MAX_PAGES", 1000),
}
# Inbound messages that failed for a transient reason are retried by a periodic task.
INBOUND_RETRY_MAX_ATTEMPTS = env_int("YIGONGTI_INBOUND_RETRY_MAX_ATTEMPTS", 5)
INBOUND_RETRY_BASE_SECONDS = float(os.environ.get("YIGONGTI_INBOUND_RETRY_BASE_SECONDS", "60"))
# ---- end integration ----------------------------------------------------------------------------

# ---- Notifications (platform/notify, PLAT-05/PLAT-07): realtime push over Channels, SMS gateway ----
# Sockets at /ws/notify/ (config/asgi.py). The in-memory layer reaches only sockets of the same
# process; with a separate worker (run_huey) or several web processes set REDIS_URL.
INSTALLED_APPS += ["channels"]
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 closes sockets idle for 5 s by default, which kills idle websockets
            # (django/channels_redis#422): wait on the connection without a read timeout.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}], "prefix": "yigongti:ws:"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# SMS: "logging" (demo: logged, reported sent), "aliyun" (Alibaba Cloud SMS) or a dotted class path.
# For aliyun also add dysmsapi.aliyuncs.com to YIGONGTI_OUTBOUND_ALLOWED_HOSTS.
NOTIFY_SMS_BACKEND = os.environ.get("YIGONGTI_SMS_BACKEND", "logging")
NOTIFY_SMS_ALIYUN = {
    "endpoint": os.environ.get("YIGONGTI_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "access_key_id": os.environ.get("YIGONGTI_SMS_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("YIGONGTI_SMS_ALIYUN_ACCESS_KEY_SECRET", ""),
    "sign_name": os.environ.get("YIGONGTI_SMS_SIGN_NAME", ""),
    "region_id": os.environ.get("YIGONGTI_SMS_ALIYUN_REGION", "cn-hangzhou"),
}
NOTIFY_SMS_MAX_ATTEMPTS = env_int("YIGONGTI_SMS_MAX_ATTEMPTS", 3)
NOTIFY_SMS_RETRY_SECONDS = float(os.environ.get("YIGONGTI_SMS_RETRY_SECONDS", "60"))
NOTIFY_SMS_LEASE_SECONDS = float(os.environ.get("YIGONGTI_SMS_LEASE_SECONDS", "300"))
# ---- end notifications --------------------------------------------------------------------------
