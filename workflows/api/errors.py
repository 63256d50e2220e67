"""Domain errors of the incidents API turned into HTTP answers, in one place.

Every answer is {"detail": message, "code": stable_code} (or DRF's {field: [messages]} for a
validation error), with messages in Spanish by default (the request's language otherwise).
"""

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail

from workflows.services import (
    IdempotencyInFlight,
    IdempotencyKeyInvalid,
    IdempotencyMismatch,
    SupportRefused,
)


class CodedError(exceptions.APIException):
    """An APIException whose body also carries its stable code."""

    def __init__(self, message: str, code: str, status_code: int, headers: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.extra_headers = headers or {}


class IncidentThrottled(exceptions.Throttled):
    """429 with a Spanish message; DRF's handler adds Retry-After from `wait`."""

    def __init__(self, wait: float | None):
        super().__init__(wait=wait)
        seconds = math.ceil(wait) if wait is not None else None
        if seconds is None:
            message = _("Demasiadas solicitudes. Intente de nuevo más tarde.")
        else:
            message = ngettext(
                "Demasiadas solicitudes. Intente de nuevo en %(seconds)d segundo.",
                "Demasiadas solicitudes. Intente de nuevo en %(seconds)d segundos.",
                seconds,
            ) % {"seconds": seconds}
        self.detail = exceptions.ErrorDetail(message, code="throttled")


def translate_exception(exc: Exception) -> Exception:
    """Map a domain error to its HTTP form; anything else is returned unchanged."""
    if isinstance(exc, IdempotencyKeyInvalid):
        return CodedError(exc.message, exc.code, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IdempotencyMismatch):
        return CodedError(exc.message, exc.code, status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, IdempotencyInFlight):
        return CodedError(exc.message, exc.code, status.HTTP_409_CONFLICT, headers={"Retry-After": "1"})
    if isinstance(exc, SupportRefused):
        http = {"not_public": status.HTTP_404_NOT_FOUND, "closed": status.HTTP_409_CONFLICT}
        return CodedError(exc.message, exc.code, http.get(exc.code, status.HTTP_400_BAD_REQUEST))
    if isinstance(exc, DjangoValidationError):
        # A rule checked by a service (after the serializer): still a 400 with field messages.
        detail = get_error_detail(exc)
        if not isinstance(detail, dict):
            detail = {"non_field_errors": detail}
        return exceptions.ValidationError(detail)
    return exc


class DomainErrorsMixin:
    """For APIViews: domain errors become 4xx answers with a code; throttling answers in Spanish."""

    def handle_exception(self, exc):
        exc = translate_exception(exc)
        response = super().handle_exception(exc)
        if isinstance(exc, CodedError):
            response.data = {"detail": exc.detail, "code": exc.code}
            for name, value in exc.extra_headers.items():
                response[name] = value
        return response

    def throttled(self, request, wait):
        raise IncidentThrottled(wait)
