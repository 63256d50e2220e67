"""Settings shared by every environment; values that differ come from the environment.

DEBUG is off here; dev.py turns it on. Nothing secret lives in this file.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parents[2]  # site/ (the source root)
BASE_DIR = SITE_DIR.parent  # the repository
VAR_DIR = BASE_DIR / "var"  # SQLite file, uploaded media and exports of the embedded default

env = environ.Env()

SETTINGS_KIND = "base"
DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and websockets from one process.
    "daphne",
    # The project wiring itself: deploy checks, two-factor screens, error handlers.
    "cooperanet.apps.CooperanetConfig",
    "portal",
    "indicators",
    "workflows",
    "chat",
    "workshops",
    "cms_content",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtailgeowidget",
    "modelcluster",
    "taggit",
    "js_lib_leaflet",
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "channels",
    "django_tasks",
    "django_tasks_db",
    # Security: failed-login lockout, TOTP two-factor, Content-Security-Policy header.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # staticfiles with node_modules ignored: viewflow's wheel carries stray copies
    # that break the manifest storage of collectstatic.
    "cooperanet.apps.CooperanetStaticFilesConfig",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the csrf middleware so that it sees the cookie that one sets (see its docstring).
    "cooperanet.middleware.keep_csrf_cookie",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), then the two-factor requirement of staff screens (COOPERANET_REQUIRE_2FA).
    "django_otp.middleware.OTPMiddleware",
    "cooperanet.two_factor.RequireTwoFactorMiddleware",
    # viewflow's task UI reads its site/app from here (its Turbo middleware is left out on purpose).
    "cooperanet.middleware.TaskSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW (429 with Retry-After).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Content-Security-Policy: strict on citizen pages, relaxed on the admin paths (CSP_RELAXED_PATHS).
    "cooperanet.middleware.PathCSPMiddleware",
    # django-axes: the locked-out answer of every login (portal, /cms/); last, as its docs ask.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperanet.urls"
ASGI_APPLICATION = "cooperanet.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our own templates dir wins over viewflow's 404/500/registration templates.
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Databases: SQLite file by default, DATABASE_URL (postgres://…) in CI and production.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cooperanet.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", 5)
    # Flow locks wait on the process row (SELECT … FOR UPDATE): bound any row-lock wait so a stuck holder
    # turns into a clear "try again" instead of a hung request.
    DATABASES["default"]["OPTIONS"]["options"] = f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', 10000)}"
    # Kept for a minute: daphne runs requests on HTTP_KEPT_THREADS reused threads
    # (cooperanet.request_threads), so a kept connection serves the next requests instead of leaking with a
    # thread that served one request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several daphne threads write; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Threads each daphne process keeps for HTTP requests, each with its database connection (at most this many
# idle connections per process; busier moments use extra threads that end with their request). 0: one new
# thread, and connection, per request (Django's default under ASGI).
HTTP_KEPT_THREADS = env.int("HTTP_KEPT_THREADS", 8)
# Seconds the one database thread Channels uses per process (every websocket's queries) keeps its
# connection, even with CONN_MAX_AGE=0: that thread lives as long as the process, so it is one kept
# connection per daphne, not one per request (chat/consumer_thread.py). 0 turns it off.
CONSUMER_CONN_MAX_AGE = env.int("CONSUMER_CONN_MAX_AGE", 300)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer and cache: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env.str("CHANNEL_PREFIX", "cooperanet")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "cooperanet.cache.ProcessRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_PREFIX", "cooperanet"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A chat room hears how many people have it open at most once per this many seconds per process
# (chat/presence.py): joins cost one frame per member per interval instead of one per join.
CHAT_PRESENCE_INTERVAL = env.float("CHAT_PRESENCE_INTERVAL", 1.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked (needs `request` in authenticate()).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # "May triage *this* incident": the global permission, inside the user's actors only.
    "workflows.permissions.ActorScopedBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Spanish first, English second.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Coyhaique"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Citizen photos and evidence: outside MEDIA_ROOT, served only through views that check access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PER_REPORT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Background work (e-mails, exports, Wagtail's reference index): django-tasks. The embedded default runs
# tasks at once in the request's process; production queues them in the database for `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "CooperaNet <no-responder@cooperanet.localhost>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# Wagtail: nothing may call an outside host (the platform runs without internet).
WAGTAIL_SITE_NAME = "CooperaNet Coyhaique"
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILEMBEDS_FINDERS: list[dict] = []
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Maps: tiles from a configurable (local in production) tile server; no geocoder unless configured.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap")
GEO_WIDGET_LEAFLET_TILE_LAYER = MAP_TILE_URL
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {"attribution": MAP_TILE_ATTRIBUTION}
GEO_WIDGET_DEFAULT_LOCATION = {"lat": -45.5712, "lng": -72.0685}  # Plaza de Armas, Coyhaique
GEO_WIDGET_ZOOM = 14

# viewflow: no auto-added middleware (its Turbo middleware rewrites some 200 answers).
VIEWFLOW = {"AUTOREGISTER": False}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Per client address (per user when signed in); 429 with Retry-After beyond them.
    "DEFAULT_THROTTLE_RATES": {
        "incident_create": env.str("API_INCIDENT_CREATE_RATE", default="20/hour"),
        "incident_support": env.str("API_INCIDENT_SUPPORT_RATE", default="60/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CooperaNet API",
    "DESCRIPTION": "API REST de CooperaNet (Coyhaique): taxonomía, actores, barrios e incidentes.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only our own /api/ paths: Wagtail's API views are not DRF-spectacular friendly.
    "PREPROCESSING_HOOKS": ["cooperanet.api_schema.only_project_api"],
    # Swagger UI served from drf-spectacular-sidecar (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Flood limits of the web forms (django-ratelimit; the REST API uses DRF throttles above).
REPORT_FORM_RATE = env.str("REPORT_FORM_RATE", default="20/h")
RATELIMIT_VIEW = "portal.views.rate_limited"
# Behind the reverse proxy the client's address is in X-Real-IP (deploy/nginx), not REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# Uploads: a report carries at most PHOTO_MAX_PER_REPORT photos of PHOTO_MAX_BYTES; text fields stay small.
# Bigger bodies are refused with 400 before any view runs (nginx has its own client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file part of a body (Django's default, set on purpose)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files spill to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# django-axes: 5 failed logins for one user name from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "cooperanet/locked_out.html"
# The same client address as the flood limits (X-Real-IP behind nginx, see RATELIMIT_IP_META_KEY).
AXES_CLIENT_IP_CALLABLE = "cooperanet.security.client_ip"

# Two-factor (TOTP, django-otp) for staff and editors when they reach the staff screens below.
COOPERANET_REQUIRE_2FA = env.bool("COOPERANET_REQUIRE_2FA", default=True)
COOPERANET_2FA_PATHS = ["/cms/", "/tareas/"]
OTP_TOTP_ISSUER = "CooperaNet Coyhaique"

# Content-Security-Policy (django-csp 4). Citizen pages: scripts only from our origin, no inline code.
# Inline style attributes stay allowed (a few templates colour tiles with a CSS variable).
# Wagtail's admin, viewflow's task UI and the Swagger page carry inline scripts of their own: on those
# paths the policy allows inline scripts (cooperanet.middleware.PathCSPMiddleware).
_TILE_ORIGIN = re.match(r"^(https?://[^/{}]+)", MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_TILE_ORIGIN.group(1)] if _TILE_ORIGIN else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
CSP_RELAXED_PATHS = ["/cms/", "/tareas/", "/api/docs/"]

# Websockets: small frames (chat text is short); daphne enforces its own limit too.
WEBSOCKET_MAX_FRAME_BYTES = 16 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Wagtail runs its reference-index task through django-tasks and logs every run at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
