"""Settings from the environment (twelve-factor).

SOCLOCAL_MODE      demo (default) or production
SOCLOCAL_DATA_DIR  where the database, the secret key and files live (default ./var)
DATABASE_URL       any dj-database-url URL; default SQLite (WAL) in the data directory
SECRET_KEY         required in production; generated into the data directory for the demo
ALLOWED_HOSTS      comma-separated; default localhost names in demo mode
SOCLOCAL_MAP_TILES optional tile URL template for maps (e.g. a partnership's own tile server)
EVALUATION_KEY     optional secret for the outcome evaluation's pseudonymous keys (keyed hash);
                   default: derived from SECRET_KEY
SOCLOCAL_ANALYTICS_ENGINE  duckdb (default) or spark: what runs profiles' SQL and matching
SOCLOCAL_SPARK_MASTER      the Spark master for the spark engine (default local[2])
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from soclocal.config.paths import data_dir

MODE = os.environ.get("SOCLOCAL_MODE", "demo").strip().lower()
if MODE not in {"demo", "production"}:
    raise ImproperlyConfigured("SOCLOCAL_MODE must be 'demo' or 'production'.")
PRODUCTION = MODE == "production"

DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production mode.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Old keys still accepted for signatures while a rotation settles (operations guide).
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",")
                        if k.strip()]
DEBUG = os.environ.get("SOCLOCAL_DEBUG", "") == "1" and not PRODUCTION

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "soclocal.core",
    "soclocal.accounts",
    "soclocal.areas",
    "soclocal.crime",
    "soclocal.profiles",
    "soclocal.cases",
    "soclocal.engagement",
    "soclocal.budgeting",
    "soclocal.intelligence",
    "soclocal.priorities",
    "soclocal.responses",
    "soclocal.safeguarding",
    "soclocal.partnership",
    "soclocal.dashboards",
    "soclocal.evaluation",
    "django_tasks",
    "django_tasks_db",
]

# Background work (imports, analyses) runs in `soclocal worker`, off the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the resident's choice (a cookie), else their browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "soclocal.core.middleware.RequestContextMiddleware",
    "soclocal.accounts.middleware.AccountSafetyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "soclocal.config.urls"
WSGI_APPLICATION = "soclocal.config.wsgi.application"

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
                "soclocal.core.context_processors.site",
                "soclocal.core.context_processors.language",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'soclocal.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
    # lock at the start of a transaction so two writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")} if os.environ.get(
        "SOCLOCAL_TEST_FILE_DB"
    ) else {}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account (per username) after five failures in a row; an admin can unlock.
AXES_FAILURE_LIMIT = int(os.environ.get("SOCLOCAL_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Not also per IP address: a partnership office signs in from one address, and one person's
# mistakes must not lock out the whole office.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SOCLOCAL_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Two-factor: required in production for every role that can see personal data.
SOCLOCAL_REQUIRE_2FA = PRODUCTION or os.environ.get("SOCLOCAL_REQUIRE_2FA") == "1"
OTP_TOTP_ISSUER = "soclocal"

# The outcome evaluation keeps young people as keyed hashes (evaluation/pseudonyms.py).
EVALUATION_KEY = os.environ.get("EVALUATION_KEY", "")

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Limits on how often one address may send the sign-in and public forms (core/ratelimit.py);
# behind a proxy, its X-Forwarded-For names the visitor.
BEHIND_PROXY = os.environ.get("SOCLOCAL_BEHIND_PROXY", "") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

MAP_TILES = os.environ.get("SOCLOCAL_MAP_TILES", "")

# What runs the analytics SQL over the crime store and the matching of people
# (core/engines.py, decision 0057).
ANALYTICS_ENGINE = os.environ.get("SOCLOCAL_ANALYTICS_ENGINE", "duckdb").strip().lower()
if ANALYTICS_ENGINE not in ("duckdb", "spark"):
    raise ImproperlyConfigured("SOCLOCAL_ANALYTICS_ENGINE must be 'duckdb' or 'spark'.")
SPARK_MASTER = os.environ.get("SOCLOCAL_SPARK_MASTER", "local[2]")
_img_src = [SELF, "data:"]
if MAP_TILES:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILES.replace("{s}", "a"))
    _img_src.append(f"{_tiles.scheme}://{_tiles.netloc.replace('a.', '*.', 1)}")

# A strict policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _img_src,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
# English and Welsh: public bodies in Wales offer their services in both (core/language.py).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
# The choice is remembered for a year, like GOV.UK's own language links.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [Path(__file__).resolve().parent.parent / "static_vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(DATA_DIR / "files")}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "files"  # uploads are served only through access-checked views
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Email: printed to the console in the demo; SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend")
# Text messages (participatory budgeting bidders' codes and decisions): console, locmem or
# notify. The GOV.UK Notify key comes only from the environment.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notify" if PRODUCTION else "console")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "soclocal@localhost")

DEMO_PASSWORD = os.environ.get("SOCLOCAL_DEMO_PASSWORD", "soclocal-demo-2026")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
