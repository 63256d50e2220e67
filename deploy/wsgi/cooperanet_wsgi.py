"""WSGI entry for the optional gunicorn pool (deploy/systemd/cooperanet-gunicorn.service).

Plain HTTP pages and the API answer several times faster from a pool of synchronous workers than from
daphne on the same cores (docs/scaling.md); websockets always stay on daphne. DJANGO_SETTINGS_MODULE
comes from the environment file, as for daphne.
"""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
