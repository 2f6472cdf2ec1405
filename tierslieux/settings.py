"""One settings module, read from environment variables (see `.env.example`).

`DATABASE_URL` unset means an embedded SQLite database in `var/`; production sets it to
PostgreSQL and `TASKS_BACKEND=database` so that a worker process runs background tasks.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Our apps first, so that their templates (registration/…) win over the admin's.
    "tierslieux.core",
    "tierslieux.accounts",
    "tierslieux.places",
    "tierslieux.billing",
    "tierslieux.joining",
    "tierslieux.members",
    "tierslieux.bookings",
    "tierslieux.events",
    "tierslieux.activity",
    "tierslieux.observatory",
    "tierslieux.surveys",
    "tierslieux.impact",
    "tierslieux.economics",
    "tierslieux.privacy",
    "tierslieux.web",
    "tierslieux.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs page's own assets (swagger-ui), so that no CDN is needed
    "axes",  # login throttling (see Accounts below)
    "django_otp",  # the optional second factor: TOTP apps and backup codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tierslieux.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tierslieux.accounts.middleware.SessionRecordMiddleware",
    "tierslieux.accounts.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its 429 page
]

if not DEBUG:
    # Production serves static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "tierslieux.urls"
WSGI_APPLICATION = "tierslieux.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "tierslieux.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,  # a persistent connection lost (database restarted) is replaced
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers are serialised by IMMEDIATE transactions; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks -----------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "places:directory"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: new passwords and those of people logging in are (re)hashed with it; the
# others stay readable. (The test suite swaps in a fast hasher, see conftest.py.)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Guessing stopped: after AXES_FAILURE_LIMIT failures within the cool-off, an account and an
# address are each refused (429, whatever the password) until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "tierslieux.accounts.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The cache: per process by default; `CACHE_DIR` (a folder the web processes share) makes the
# per-visitor limits (surveys' answers) and the map's cached document one for all processes.
CACHE_DIR = os.environ.get("CACHE_DIR", "")
if CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
        }
    }
# How many reverse proxies stand in front of the app (each adds to X-Forwarded-For); 0 = none.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "tierslieux.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "tierslieux.accounts.throttle.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "otp_token"]
AXES_VERBOSE = False  # logs name the account and address only, never a password
# One password-reset e-mail per account per this many minutes; later requests get the same
# answer but no e-mail.
PASSWORD_RESET_INTERVAL = timedelta(minutes=int(os.environ.get("PASSWORD_RESET_MINUTES", "5")))
# Reset requests an hour from one visitor's address (whatever the accounts asked for).
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "10"))
# Network administrators must set up a second factor before anything else.
TL_REQUIRE_2FA_FOR_NETWORK_ADMINS = env_bool("TL_REQUIRE_2FA_FOR_NETWORK_ADMINS", False)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the Django admin never shows a TOTP key

# --- E-mail (console by default: password-reset links are printed by `make run`) -----------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tierslieux <noreply@localhost>")

# --- Anchors of the invoice and payment chains (`tierslieux anchor_chains`, nightly) --------
# A key of its own, not SECRET_KEY: only the timer needs it (billing/anchors.py says why).
CHAIN_ANCHOR_KEY = os.environ.get("CHAIN_ANCHOR_KEY", "")
CHAIN_ANCHOR_DIR = Path(os.environ.get("CHAIN_ANCHOR_DIR", VAR_DIR / "anchors"))

# --- Internationalisation: French first -----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tierslieux" / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = False  # grouping only through core.formatting: ids and years stay raw
FORMAT_MODULE_PATH = ["tierslieux.core.formats"]  # "1er mars 2027 à 14:30", 24-hour clocks
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Uploaded files (places' logos). Never served from MEDIA_URL by the app nor meant to be by the
# web server: the pages that show them check access and stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each rendering step at INFO, and fontTools each subset: noise.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "factur-x": {"level": "WARNING"},
    },
}

# --- Security headers and production hardening (see README, "Production") -----------------
# Content Security Policy (django-csp): everything from this site, except the map's
# OpenStreetMap tiles. No inline script and no style attribute anywhere; the calendar's
# computed positions come in a <style> element carrying the request's nonce.
# CSP_REPORT_ONLY=1 sends the policy as Content-Security-Policy-Report-Only (a trial run),
# CSP_REPORT_URI names where browsers report violations.
_CSP: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],  # the nonce only on the pages that use it
        "img-src": [csp.SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
        "base-uri": [csp.SELF],
        **(
            {"report-uri": [os.environ["CSP_REPORT_URI"]]}
            if os.environ.get("CSP_REPORT_URI")
            else {}
        ),
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# Browser features nobody here needs (the map's "near" search asks for a town, not the
# device's position): denied to this site and to any frame.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "tierslieux.web.middleware.PermissionsPolicyMiddleware",
]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and strip the client's):
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto lets Django know a request came over HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header = os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_header}", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
