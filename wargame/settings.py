"""Settings for Cumbre.

Everything that differs between a laptop and production comes from environment variables.
The defaults are the embedded setup: an SQLite file and a Celery broker on the filesystem,
so the app, a worker and beat run with no server to install.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from wargame.lib.env import env_bool, env_float, env_int, env_list, env_str
from wargame.lib.logs import log_format, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CUMBRE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY)
# The web server and the worker refuse to start without a real key unless DEBUG is on
# (wargame/lib/startup.py); commands such as collectstatic or load_scenario still run.
SECRET_KEY_IS_SET = SECRET_KEY not in ("", _INSECURE_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Served over HTTPS (production): cookies only over HTTPS, plain HTTP redirected, and browsers
# told to come back over HTTPS only (HSTS). Behind a load balancer that ends TLS, it must set
# X-Forwarded-Proto, and CUMBRE_BEHIND_PROXY tells Django to trust that header.
CUMBRE_HTTPS = env_bool("CUMBRE_HTTPS", False)
SECURE_SSL_REDIRECT = CUMBRE_HTTPS
SESSION_COOKIE_SECURE = CUMBRE_HTTPS
CSRF_COOKIE_SECURE = CUMBRE_HTTPS
LANGUAGE_COOKIE_SECURE = CUMBRE_HTTPS
SECURE_HSTS_SECONDS = env_int("CUMBRE_HSTS_SECONDS", 31_536_000) if CUMBRE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CUMBRE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CUMBRE_HSTS_PRELOAD", True)
CUMBRE_BEHIND_PROXY = env_bool("CUMBRE_BEHIND_PROXY", False)
if CUMBRE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The admin at a path of the organisation's choosing, not where every scanner looks.
CUMBRE_ADMIN_PATH = env_str("CUMBRE_ADMIN_PATH", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "wargame.accounts",
    "wargame.scenarios",
    "wargame.exercises",
    "wargame.negotiation",
    "wargame.reports",
    "wargame.turns",
    "wargame.web",
    "axes",
]

MIDDLEWARE = [
    "wargame.web.middleware.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Headers only, on the way out: before the pulse, so that its answers carry them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "wargame.web.middleware.PulseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wargame.web.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "wargame.accounts.language.LanguageMiddleware",  # a person's own choice wins
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as it asks: refuses sign-ins from an account or an address that guessed too often.
    "axes.middleware.AxesMiddleware",
    # Too many join codes or invite links from one address: RATELIMIT_VIEW answers.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "wargame.urls"
WSGI_APPLICATION = "wargame.wsgi.application"
ASGI_APPLICATION = "wargame.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # Set but empty (DATABASE_URL= in a shell or .env) is the embedded default too.
        env_str("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'cumbre.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing,
    # and take the write lock at the start of a transaction so select_for_update-style
    # sections serialise instead of deadlocking.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests share their database with real Celery workers in other processes: a file, not
    # SQLite's private in-memory database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-cumbre.sqlite3")}
# The cache carries each exercise's version for the pulse, shared by the web server and the
# workers: a folder by default, Redis in production.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# Invite links stay valid this long unless revoked.
CUMBRE_INVITE_DAYS = 7
# Rendered report files, kept per exercise version; shared by every web instance and worker.
CUMBRE_REPORT_DIR = Path(env_str("CUMBRE_REPORT_DIR", str(VAR_DIR / "reports")))
# The Word document the report is filled into: an organisation's letterhead and banner.
CUMBRE_REPORT_DOCX_TEMPLATE = Path(
    env_str(
        "CUMBRE_REPORT_DOCX_TEMPLATE",
        str(BASE_DIR / "wargame" / "reports" / "templates_docx" / "report.docx"),
    )
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Guessing is slow and visible ---------------------------------------------------------------
# Failed sign-ins (the site's and the admin's) are counted per account and per address, in the
# database, so every web process sees the same count; after CUMBRE_SIGNIN_FAILURES the account,
# or the address, waits CUMBRE_SIGNIN_LOCK_MINUTES. An administrator lifts a lock in the admin
# (Access attempts) or with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CUMBRE_SIGNIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CUMBRE_SIGNIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "wargame.lib.clientip.client_ip"
AXES_VERBOSE = False
# Join codes typed on the home page and invite links opened, per address (in the cache, which
# every web process shares): beyond this rate the address is asked to wait a minute.
CUMBRE_JOIN_RATE = env_str("CUMBRE_JOIN_RATE", "20/m")
RATELIMIT_VIEW = "wargame.accounts.views.too_many"
RATELIMIT_IP_META_KEY = "wargame.lib.clientip.client_ip"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # two weeks: a player's seat survives a browser restart
# Django's form templates in Jinja2: the same HTML, rendered in half the time (a team room
# holds four forms, and 35 rooms are rendered at each turn change); the admin's own widget
# templates through the Django engine.
FORM_RENDERER = "wargame.lib.formrender.FormRenderer"

# The language of a browser that asks for none of ours, and of the management commands.
LANGUAGE_CODE = env_str("CUMBRE_LANGUAGE", "en")
# English, Latin American Spanish and Brazilian Portuguese: catalogues under wargame/locale/,
# compiled by `make install` and in the image. Each person's choice is kept with their account
# (wargame/accounts); otherwise the browser's language decides.
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt-br", _("Brazilian Portuguese"))]
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ValueError(f"CUMBRE_LANGUAGE must be one of en, es, pt-br, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "wargame" / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# The embedded default serves the files under static/ from where they are, with no
# collectstatic step. The production image collects them at build time under hashed names
# (CUMBRE_STATIC_MANIFEST), which browsers may cache for ever.
CUMBRE_STATIC_MANIFEST = env_bool("CUMBRE_STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not CUMBRE_STATIC_MANIFEST
# Only the hashed copies are kept and compressed: half the build's work and the image's files.
WHITENOISE_KEEP_ONLY_HASHED_FILES = CUMBRE_STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if CUMBRE_STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# No inline script or style, no nonce: every script is a file under static/.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Celery. The embedded default is kombu's filesystem transport: a real worker and beat, no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    (CELERY_BROKER_FOLDER / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
    }
# The queue the web sends to and workers take from: installations (or test runs) that share
# a Redis keep apart by their queue's name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CUMBRE_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat looks for turns whose deadline has passed, in seconds.
CUMBRE_TICK_SECONDS = env_float("CUMBRE_TICK_SECONDS", 2.0)
# Exercises that ended more than this many days ago are deleted with everything in them, once
# an hour by beat; 0 (the default) keeps them until a facilitator deletes them.
CUMBRE_DELETE_ENDED_AFTER_DAYS = env_int("CUMBRE_DELETE_ENDED_AFTER_DAYS", 0)

# Logs go to standard output: as text by default, as one JSON object per line in production
# (LOG_FORMAT=json), for the log collector to parse.
LOG_FORMAT = log_format()
# PDF rendering and fonts narrate every step at INFO; only their errors matter.
LOGGING = logging_config(
    {name: {"level": "ERROR"} for name in ("weasyprint", "fontTools", "matplotlib")}
)
