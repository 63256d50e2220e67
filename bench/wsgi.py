"""WSGI entry for the gunicorn side of the side-by-side (HTTP only; websockets stay on daphne)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
