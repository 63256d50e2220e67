"""The embedded default: SQLite file, in-memory channel layer, local cache, console e-mail.

Nothing to install or start besides this project. Never used in production: the key is public.
"""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, VAR_DIR, env

SETTINGS_KIND = "dev"
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
# Static files straight from the apps (no collectstatic needed while developing).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
VAR_DIR.mkdir(exist_ok=True)
# The demo's staff accounts share a published password: a second factor would only make trying the
# platform harder. Production keeps it on; `COOPERANET_REQUIRE_2FA=true make run` shows the enrolment.
COOPERANET_REQUIRE_2FA = env.bool("COOPERANET_REQUIRE_2FA", default=False)
