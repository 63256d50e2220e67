"""Validation of what Open311 clients send: the POST of a service request and the filters of GET requests.

Bad input becomes an `Open311Error` carrying the HTTP status and one translated description per problem,
each naming the spec's parameter, so the client learns what to fix.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms_content.geo import in_comuna
from cms_content.models import IncidentCategory
from cms_content.validators import PLAIN_TEXT

# The spec: "may not span more than 90 days"; and the default window when no date is given.
DATE_WINDOW = timedelta(days=90)
MAX_IDS = 1000
_FOLIO = re.compile(r"^[A-Za-z0-9-]{1,20}$")
_SERVICE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
STATUS_VALUES = ("open", "closed")


class Open311Error(Exception):
    """A refusal to answer with the spec's error list: HTTP `status` and translated descriptions."""

    def __init__(self, status: int, descriptions: list[str]):
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = descriptions


def field_error(field: str, message) -> str:
    return _("%(field)s: %(message)s") % {"field": field, "message": message}


phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{6,25}$", gettext_lazy("Escriba un teléfono con dígitos, por ejemplo +56 9 1234 5678.")
)


class ServiceRequestForm(forms.Form):
    """The body of POST requests (form-encoded); `api_key` is checked before, `attribute[…]` ignored."""

    service_code = forms.CharField(max_length=80, validators=[RegexValidator(_SERVICE_CODE)])
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(required=False, max_length=300, validators=PLAIN_TEXT)
    address_id = forms.CharField(required=False, max_length=100, validators=PLAIN_TEXT)
    email = forms.EmailField(required=False, max_length=254)
    first_name = forms.CharField(required=False, max_length=70, validators=PLAIN_TEXT)
    last_name = forms.CharField(required=False, max_length=70, validators=PLAIN_TEXT)
    phone = forms.CharField(required=False, max_length=30, validators=[phone_validator])
    # The spec caps descriptions at 4,000 characters and forbids HTML.
    description = forms.CharField(max_length=4000, validators=PLAIN_TEXT)
    # Validated, stored in the acta, never fetched.
    media_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("long")
        if "lat" in self.errors or "long" in self.errors:
            return data
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("lat y long: envíe ambas coordenadas o ninguna."))
        if lat is not None and not in_comuna(lat, lon):
            raise forms.ValidationError(_("lat y long: el punto está fuera de la comuna de Coyhaique."))
        if lat is None and not (data.get("address_string") or data.get("address_id")):
            raise forms.ValidationError(_("Indique el lugar: lat y long, address_string o address_id."))
        return data

    def descriptions(self) -> list[str]:
        """One description per error, naming the parameter."""
        out = []
        for field, errors in self.errors.items():
            for message in errors:
                out.append(message if field == NON_FIELD_ERRORS else field_error(field, message))
        return out

    def requirement_errors(self, category: IncidentCategory) -> list[str]:
        """What the category's own requirements (its service definition's attributes) still miss."""
        data = self.cleaned_data
        errors = []
        if category.requires_photo and not data.get("media_url"):
            errors.append(field_error("media_url", _("esta categoría requiere una foto.")))
        if category.requires_contact and not (data.get("email") or data.get("phone")):
            errors.append(field_error("email", _("esta categoría requiere un correo o un teléfono (phone).")))
        if category.requires_exact_location and data.get("lat") is None:
            errors.append(field_error("lat", _("esta categoría requiere el punto exacto (lat y long).")))
        return errors


@dataclass(frozen=True)
class RequestQuery:
    """The filters of GET requests, checked; ids override everything else (as the spec says)."""

    service_request_ids: list[str]
    service_codes: list[str]
    start: datetime | None
    end: datetime | None
    statuses: list[str]


def _comma_list(params, name: str) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def parse_w3c_datetime(value: str, *, field: str) -> datetime:
    """A W3C date-time (or date); naive values are read in local time. Raises Open311Error (400)."""
    # An unencoded "+" in a query string arrives as a space: "…T08:00:00 04:00" means "+04:00".
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value.strip())
    parsed = None
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            if day is not None:
                parsed = datetime.combine(day, time.min)
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or not 2000 <= parsed.year <= 2100:
        raise Open311Error(
            400,
            [
                field_error(
                    field,
                    _("fecha no válida; use el formato W3C, por ejemplo 2026-05-04T08:00:00-03:00."),
                )
            ],
        )
    return parsed


def parse_request_query(params, *, now: datetime | None = None) -> RequestQuery:
    """Read and check the GET requests filters; raises Open311Error (400) on the first kind of problem."""
    ids = _comma_list(params, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS or not all(_FOLIO.match(value) for value in ids):
            raise Open311Error(400, [field_error("service_request_id", _("identificador no válido."))])
        return RequestQuery(service_request_ids=ids, service_codes=[], start=None, end=None, statuses=[])

    codes = _comma_list(params, "service_code")
    if not all(_SERVICE_CODE.match(code) for code in codes):
        raise Open311Error(400, [field_error("service_code", _("código de servicio no válido."))])
    statuses = [status.lower() for status in _comma_list(params, "status")]
    if any(status not in STATUS_VALUES for status in statuses):
        raise Open311Error(400, [field_error("status", _("use open o closed."))])

    start_text, end_text = params.get("start_date", "").strip(), params.get("end_date", "").strip()
    start = parse_w3c_datetime(start_text, field="start_date") if start_text else None
    end = parse_w3c_datetime(end_text, field="end_date") if end_text else None
    if start is None and end is None:
        end = now or timezone.now()
        start = end - DATE_WINDOW
    elif start is None:
        start = end - DATE_WINDOW
    elif end is None:
        end = start + DATE_WINDOW
    if end < start:
        raise Open311Error(400, [field_error("end_date", _("debe ser posterior a start_date."))])
    if end - start > DATE_WINDOW:
        raise Open311Error(400, [_("start_date y end_date no pueden abarcar más de 90 días.")])
    return RequestQuery(service_request_ids=[], service_codes=codes, start=start, end=end, statuses=statuses)
