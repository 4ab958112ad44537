"""Django settings. Every knob is a FICARCHIVE_* environment variable: see config.py and the README."""

from pathlib import Path

from ficarchive import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("FICARCHIVE_DEBUG", False)
ALLOWED_HOSTS = config.env_list("FICARCHIVE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
MAX_IMPORT_BYTES = int(config.env_number("FICARCHIVE_MAX_FILE_MB", 20) * 1024 * 1024)
# Browser imports (ficarchive.importing): uploads are kept under the data directory, never served.
IMPORT_JOBS_DIR = DATA_DIR / "imports"
MAX_UPLOAD_BYTES = int(config.env_number("FICARCHIVE_MAX_UPLOAD_MB", 500) * 1024 * 1024)
MAX_UNPACKED_BYTES = int(config.env_number("FICARCHIVE_MAX_UNPACKED_MB", 2000) * 1024 * 1024)
MAX_UNPACKED_FILES = int(config.env_number("FICARCHIVE_MAX_UNPACKED_FILES", 50_000))
# Background jobs: a queue in the database (SQLite or PostgreSQL alike), run by a thread of
# `ficarchive serve` (FICARCHIVE_WORKER=inprocess) or by `ficarchive worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_WORKER = config.worker_mode()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ficarchive.archive",
    "ficarchive.search",
    "ninja",  # the API's documentation page, served from its own static files
    "ficarchive.api",
    "ficarchive.feeds",
    "ficarchive.accounts",
    "ficarchive.posting",
    "ficarchive.community",
    "ficarchive.importing",
    "ficarchive.claims",
    "ficarchive.moderation",
    "ficarchive.wrangling",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ficarchive.accounts.middleware.content_security_policy",
    "ficarchive.accounts.middleware.permissions_per_page",
]

ROOT_URLCONF = "ficarchive.urls"
WSGI_APPLICATION = "ficarchive.wsgi.application"

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
                "ficarchive.community.context.inbox",
                "ficarchive.moderation.context.open_reports",
            ],
        },
    },
]

DATABASES = {"default": config.database(DATA_DIR)}
# Per process: the visitors each hit counter has seen (community.actions) and failed log-ins
# (accounts.throttle).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
SEARCH_BACKEND = config.search_backend()
SEARCH_INDEX_DIR = DATA_DIR / "search-index"  # the tantivy index

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "archive:home"
LOGOUT_REDIRECT_URL = "archive:home"
# Mail (password resets, notifications): console by default, file or SMTP by FICARCHIVE_EMAIL.
_mail = config.email(DATA_DIR)
globals().update(_mail)
# Subscribers are mailed only when mail really leaves the server (or lands in files).
NOTIFY_BY_EMAIL = not _mail["EMAIL_BACKEND"].endswith("console.EmailBackend")
GUEST_COMMENTS = config.env_bool("FICARCHIVE_GUEST_COMMENTS", False)
SIGNUP = config.env_choice("FICARCHIVE_SIGNUP", "open", ("open", "invite", "closed"))
CONFIRM_EMAIL = config.env_bool("FICARCHIVE_CONFIRM_EMAIL", True)
SITE_URL = config.site_url()  # for links in mail sent outside a request
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it; files come from the app finders
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Server errors go to the console (the `serve` terminal or the service log); without this a
# self-hosted archive with DEBUG off would drop tracebacks silently (there are no ADMINS to mail).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "ficarchive": {"handlers": ["console"], "level": "INFO"},
    },
}
