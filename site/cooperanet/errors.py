"""Server error answers: a database that cannot be reached is a 503 with Retry-After, not a 500.

PostgreSQL restarting (or SQLite's write lock held too long) raises OperationalError wherever the
request happens to be: in a view, in DRF, or in the session middleware's save. Django turns every
uncaught exception into the 500 handler inside its `except` block, so the handler can still see which
exception it was and answer "come back in a moment" instead. Clients that retry with the same
Idempotency-Key then get exactly one incident.
"""

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_CODE = "service_unavailable"
_JSON_PATH_PREFIXES = ("/api/", "/open311/")


# SQLite reports programming errors (a missing table or column) as OperationalError too: those stay 500s.
_NOT_TRANSIENT = ("no such table", "no such column", "has no column", "syntax error")


def database_unavailable(exc: BaseException | None) -> bool:
    """The database cannot be reached or is busy right now (a retry may succeed)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    return not any(marker in str(exc) for marker in _NOT_TRANSIENT)


def _wants_json(request) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return request.path.startswith(_JSON_PATH_PREFIXES) or "application/json" in accept


def unavailable_response(request) -> HttpResponse:
    """503 + Retry-After; rendered without the database (no context processors, no session)."""
    message = _("El servicio no está disponible en este momento. Intente de nuevo en unos segundos.")
    if _wants_json(request):
        body = json.dumps({"detail": message, "code": UNAVAILABLE_CODE}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json; charset=utf-8")
    else:
        html = loader.get_template("cooperanet/503.html").render({"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: the database is down → 503 with Retry-After; anything else → the usual 500 page."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.warning("database unavailable while answering %s %s: %s", request.method, request.path, exc)
        return unavailable_response(request)
    return django_server_error(request, template_name=template_name)
