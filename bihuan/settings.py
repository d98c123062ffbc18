"""Bihuan's one settings file: runs on SQLite with no configuration, every knob an env variable."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true or false")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: expected at least {minimum}")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int_list(name: str, default: str, *, minimum: int) -> list[int]:
    try:
        numbers = [int(item) for item in env_list(name, default)]
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected whole numbers separated by commas") from None
    if any(number < minimum for number in numbers):
        raise ImproperlyConfigured(f"{name}: expected numbers of at least {minimum}")
    return numbers


def _secret_key(data_dir: Path) -> str:
    """Generate the key once and keep it beside the data, so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("BIHUAN_DATA_DIR", "bihuan-data")).resolve()

SECRET_KEY = _secret_key(DATA_DIR)
# Production mode: the secure defaults (HTTPS, HSTS, secure cookies, TOTP for the three admins).
BIHUAN_PRODUCTION = env_bool("BIHUAN_PRODUCTION", False)
DEBUG = env_bool("BIHUAN_DEBUG", False)
if DEBUG and BIHUAN_PRODUCTION:
    raise ImproperlyConfigured("BIHUAN_DEBUG=true cannot be used with BIHUAN_PRODUCTION=true")
ALLOWED_HOSTS = env_list("BIHUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BIHUAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",  # its bundled Swagger UI serves /api/docs offline
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes (备用验证码)
    "bihuan.org",
    "bihuan.workflow",
    "bihuan.ledger",
    "bihuan.supervision",
    "bihuan.materials",
    "bihuan.reports",
    "bihuan.rankings",
    "bihuan.api",
    "bihuan.audit",
    "bihuan.notify",
    "bihuan.backup",
    "bihuan.duties",
    "bihuan.campaigns",
    "bihuan.fieldwork",
    "bihuan.streamlining",
]

MIDDLEWARE = [
    "bihuan.sqlite_stats.SQLiteStatisticsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "bihuan.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bihuan.audit.middleware.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bihuan.org.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bihuan.org.middleware.SecurityGateMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bihuan.urls"
WSGI_APPLICATION = "bihuan.wsgi.application"

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
                "bihuan.notify.context_processors.bell",
            ],
        },
    },
]

FORM_RENDERER = "bihuan.forms.QuickFormRenderer"

_sqlite_url = f"sqlite:///{DATA_DIR / 'bihuan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _sqlite_url), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests like PostgreSQL's (each server thread has its own): opening
    # one and running the pragmas below took 2.4 ms of every request.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE avoids "database is locked"
        # when two requests upgrade a read transaction to a write at the same moment.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Identity (身份鉴别, 等保三级), explained in docs/security.md. BIHUAN_PRODUCTION switches the
# defaults that would get in the way of trying Bihuan out (TOTP for the three admins).
BIHUAN_PASSWORD_MIN_LENGTH = env_int("BIHUAN_PASSWORD_MIN_LENGTH", 8, minimum=8)
BIHUAN_PASSWORD_MIN_CLASSES = env_int("BIHUAN_PASSWORD_MIN_CLASSES", 3, minimum=1)
BIHUAN_PASSWORD_HISTORY = env_int("BIHUAN_PASSWORD_HISTORY", 5, minimum=0)
BIHUAN_PASSWORD_MAX_AGE_DAYS = env_int("BIHUAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "bihuan.org.passwords.ComplexityValidator"},
    {"NAME": "bihuan.org.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "bihuan.org.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes) keyed on account and address together, so nobody elsewhere can lock a
# user out; the lock lasts its full time from the last failure and ends early only by an unlock.
AXES_FAILURE_LIMIT = env_int("BIHUAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("BIHUAN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "bihuan.org.lockout.keep_response"
AXES_CLIENT_IP_CALLABLE = "bihuan.org.lockout.client_ip"
# Request rates (bihuan.org.ratelimit; 0: no limit): login posts from one address, and calls
# with one API token, per minute; more get 429 with Retry-After.
BIHUAN_LOGIN_RATE_PER_MINUTE = env_int("BIHUAN_LOGIN_RATE_PER_MINUTE", 60, minimum=0)
BIHUAN_API_RATE_PER_MINUTE = env_int("BIHUAN_API_RATE_PER_MINUTE", 600, minimum=0)
# Reverse proxies in front of Bihuan that append to X-Forwarded-For (0: none, use REMOTE_ADDR).
BIHUAN_TRUSTED_PROXIES = env_int("BIHUAN_TRUSTED_PROXIES", 0, minimum=0)
# Idle timeout: activity moves the expiry on (bihuan.org.sessions); the cookie also ends with
# the browser.
SESSION_COOKIE_AGE = env_int("BIHUAN_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Who must log in with a TOTP code too: none, admins (the three 三员 roles), all, or role codes.
BIHUAN_TOTP_REQUIRED = env_list("BIHUAN_TOTP_REQUIRED", "admins" if BIHUAN_PRODUCTION else "none")
OTP_TOTP_ISSUER = "闭环"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only needed when a reverse proxy serves the files after `bihuan manage collectstatic`.
STATIC_ROOT = os.environ.get("BIHUAN_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Served straight from the package, so a fresh install needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"

# Evidence files (佐证材料) attached to progress updates.
BIHUAN_EVIDENCE_MAX_BYTES = env_int("BIHUAN_EVIDENCE_MAX_MB", 20) * 1024 * 1024
BIHUAN_EVIDENCE_MAX_FILES = env_int("BIHUAN_EVIDENCE_MAX_FILES", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Working days before a deadline at which the light turns yellow.
BIHUAN_DUE_SOON_WORKING_DAYS = env_int("BIHUAN_DUE_SOON_WORKING_DAYS", 3)
# An extension request (延期申请) is to be decided within this many working days of its filing.
BIHUAN_EXTENSION_DECIDE_WORKING_DAYS = env_int("BIHUAN_EXTENSION_DECIDE_WORKING_DAYS", 3, minimum=1)
BIHUAN_PAGE_SIZE = env_int("BIHUAN_PAGE_SIZE", 50)
# Measures one web export may hold; the command line exports any number.
BIHUAN_EXPORT_MAX_ROWS = env_int("BIHUAN_EXPORT_MAX_ROWS", 20000)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (docs/deploy.md). A proxy that terminates TLS must set X-Forwarded-Proto; one that
# redirects to HTTPS itself may take BIHUAN_SSL_REDIRECT=false.
if BIHUAN_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("BIHUAN_SSL_REDIRECT", BIHUAN_PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BIHUAN_PRODUCTION
SECURE_HSTS_SECONDS = env_int(
    "BIHUAN_HSTS_SECONDS", 31536000 if BIHUAN_PRODUCTION else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("BIHUAN_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # Preloading is a public domain's request to browser vendors; an intranet host has none.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # Said on purpose: the proxy in front redirects to HTTPS.
    *(["security.W008"] if BIHUAN_PRODUCTION and not SECURE_SSL_REDIRECT else []),
]
# Content-Security-Policy (bihuan.csp; the dict Django 6.0's SECURE_CSP takes): no inline script
# or style, nothing from another host.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BIHUAN_LOG_LEVEL", "WARNING")},
}

# Ledger files (整改台账) imported from Excel, .ods or .csv.
BIHUAN_IMPORT_MAX_BYTES = env_int("BIHUAN_IMPORT_MAX_MB", 20) * 1024 * 1024
# Materials (剖析材料 …) uploaded for extraction into the ledger.
BIHUAN_MATERIAL_MAX_BYTES = env_int("BIHUAN_MATERIAL_MAX_MB", 30) * 1024 * 1024
# 查重: the 复制比 (percent) from which supervisors see a material listed per campaign; a problem
# come back (年年提、年年改) resembles one of the same unit or person at least this much
# (percent) and was registered at least this many days after it (an earlier campaign).
BIHUAN_DUPCHECK_THRESHOLD_PERCENT = env_int("BIHUAN_DUPCHECK_THRESHOLD_PERCENT", 30, minimum=1)
BIHUAN_RECURRENCE_SIMILARITY_PERCENT = env_int(
    "BIHUAN_RECURRENCE_SIMILARITY_PERCENT", 60, minimum=1
)
BIHUAN_RECURRENCE_GAP_DAYS = env_int("BIHUAN_RECURRENCE_GAP_DAYS", 90, minimum=1)
# The 查重 index's files (materials/pool.py): rebuilt from the database when missing.
BIHUAN_DUPCHECK_INDEX_DIR = Path(
    env_str("BIHUAN_DUPCHECK_INDEX_DIR", str(DATA_DIR / "dupcheck"))
).resolve()

# The audit log (安全审计): its hash (sm3, the national standard, or sha256), and how many days
# an entry is kept at least before `bihuan audit prune` may remove it (等保 and 网络安全法: 180).
BIHUAN_AUDIT_HASH = env_str("BIHUAN_AUDIT_HASH", "sm3").lower()
BIHUAN_AUDIT_RETENTION_DAYS = env_int("BIHUAN_AUDIT_RETENTION_DAYS", 180, minimum=180)

# Notifications and 催办 (bihuan.notify; README and docs/deploy.md): links in messages, the
# scheduled reminders, the outbox's retries, and the mail server for the e-mail channel.
BIHUAN_BASE_URL = env_str("BIHUAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not BIHUAN_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"BIHUAN_BASE_URL={BIHUAN_BASE_URL!r}: expected http(s)://host")
BIHUAN_REMIND_BEFORE_WORKING_DAYS = env_int_list(
    "BIHUAN_REMIND_BEFORE_WORKING_DAYS", "3,1", minimum=1
)
BIHUAN_URGE_MAX_ITEMS = env_int("BIHUAN_URGE_MAX_ITEMS", 200, minimum=1)
BIHUAN_DELIVERY_MAX_ATTEMPTS = env_int("BIHUAN_DELIVERY_MAX_ATTEMPTS", 6, minimum=1)
BIHUAN_DELIVERY_RETRY_SECONDS = env_int("BIHUAN_DELIVERY_RETRY_SECONDS", 60, minimum=1)
BIHUAN_WEBHOOK_TIMEOUT_SECONDS = env_int("BIHUAN_WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
EMAIL_HOST = env_str("BIHUAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BIHUAN_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("BIHUAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("BIHUAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BIHUAN_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("BIHUAN_EMAIL_SSL", False)
EMAIL_TIMEOUT = BIHUAN_WEBHOOK_TIMEOUT_SECONDS * 2
DEFAULT_FROM_EMAIL = env_str("BIHUAN_EMAIL_FROM", "闭环 <bihuan@localhost>")

# Village duty lists (清单制, bihuan.duties): the role that approves a task outside every list
# before it reaches a village or community (准入审批): leader, supervisor, …
BIHUAN_DUTY_APPROVER_ROLE = env_str("BIHUAN_DUTY_APPROVER_ROLE", "leader")
if BIHUAN_DUTY_APPROVER_ROLE not in ("supervisor", "handler", "leader", "cadre"):
    raise ImproperlyConfigured(
        f"BIHUAN_DUTY_APPROVER_ROLE={BIHUAN_DUTY_APPROVER_ROLE!r}: expected a business role "
        "(supervisor, handler, leader or cadre)"
    )
