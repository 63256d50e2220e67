"""Production settings: every secret and address comes from the environment.

SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL have no default: a missing one stops
the start with ImproperlyConfigured. See .env.example and the README.
"""

from .base import *  # noqa: F403
from .base import env

SETTINGS_KIND = "production"
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
env.str("DATABASE_URL")  # required: base.py already parsed it, this refuses its absence
env.str("REDIS_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's page preview shows the page in a frame of its own origin, so frames stay SAMEORIGIN (not DENY).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is the municipality's decision (SECURE_HSTS_PRELOAD=true).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Background work queued in PostgreSQL and run by `manage.py db_worker` (deploy/systemd).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# nginx (deploy/nginx/cooperanet.conf) puts the client's address in X-Real-IP and X-Forwarded-For.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="HTTP_X_REAL_IP")
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env.int("NUM_PROXIES", default=1)}  # noqa: F405
