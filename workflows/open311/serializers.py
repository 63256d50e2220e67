"""Models as the spec's payloads (plain dicts and lists; `renderers` writes them as XML or JSON).

What a service request shows is listed here field by field: the reporter's name, RUT, phone and e-mail
are never read, so no format can leak them.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.models import IncidentCategory
from workflows.models import Incident
from workflows.open311.renderers import MEDIA_TYPES
from workflows.open311.selectors import open311_status

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"
# The changeset when no editor has published a category yet: the day this API was first offered.
API_SINCE = datetime(2026, 5, 1, tzinfo=UTC)


def w3c_datetime(value: datetime | None) -> str | None:
    """A date-time in the spec's W3C form, with the local offset (e.g. 2026-05-04T10:30:00-03:00)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def discovery(*, base_url: str, changed_at: datetime | None) -> dict:
    changeset = w3c_datetime(changed_at or API_SINCE)
    return {
        "changeset": changeset,
        "contact": getattr(settings, "OPEN311_CONTACT", "")
        or _(
            "CooperaNet, Gobierno Provincial de Coyhaique: pida ayuda a la mesa de soporte de la plataforma."
        ),
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
        or _(
            "Las claves (api_key) para crear solicitudes las entrega la administración de CooperaNet del "
            "Gobierno Provincial de Coyhaique; las consultas no necesitan clave."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION_URL,
                "url": base_url,
                "changeset": changeset,
                "type": "production",
                "formats": list(MEDIA_TYPES),
            }
        ],
    }


def _keywords(category: IncidentCategory) -> str:
    words = [category.name, category.name_en, category.parent.name, category.parent.name_en]
    return ", ".join(dict.fromkeys(word for word in words if word))


def service_attributes(category: IncidentCategory) -> list[dict]:
    """The category's extra requirements as spec attributes.

    Each one asks for a standard field of the POST (media_url, email or phone, lat and long), so they are
    notes (`variable` false) that are nonetheless `required`: the POST is refused without that field.
    """
    requirements = []
    if category.requires_photo:
        requirements.append(
            (
                "media_url",
                _("Dirección web (URL) pública de una foto, en el campo media_url."),
                _("Esta categoría requiere una foto: envíe su dirección en media_url."),
            )
        )
    if category.requires_contact:
        requirements.append(
            (
                "contact",
                _("Un correo en email o un teléfono en phone."),
                _("Esta categoría requiere un contacto: envíe email o phone (nunca se publican)."),
            )
        )
    if category.requires_exact_location:
        requirements.append(
            (
                "exact_location",
                _("Latitud y longitud WGS84 en lat y long."),
                _("Esta categoría requiere el punto exacto: envíe lat y long (no basta address_string)."),
            )
        )
    return [
        {
            "variable": False,
            "code": code,
            "datatype": "string",
            "required": True,
            "datatype_description": datatype_description,
            "order": order,
            "description": description,
            "values": [],
        }
        for order, (code, datatype_description, description) in enumerate(requirements, start=1)
    ]


def service(category: IncidentCategory) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.display_name,
        "description": category.display_description,
        "metadata": bool(service_attributes(category)),
        "type": "realtime",
        "keywords": _keywords(category),
        "group": category.parent.display_name,
    }


def service_definition(category: IncidentCategory) -> dict:
    return {"service_code": category.slug, "attributes": service_attributes(category)}


def service_notice(incident: Incident) -> str:
    if incident.responsible_actor is not None:
        return _("Reporte %(folio)s recibido; lo atiende %(actor)s.") % {
            "folio": incident.folio,
            "actor": incident.responsible_actor.display_name,
        }
    return _("Reporte %(folio)s recibido.") % {"folio": incident.folio}


def request_created(incident: Incident) -> dict:
    return {
        "service_request_id": incident.folio,
        "service_notice": service_notice(incident),
        "account_id": None,
    }


def _photo_url(incident: Incident, *, request) -> str:
    photos = getattr(incident, "citizen_photos", None)
    if not photos:
        return ""
    try:
        path = reverse("portal:incident_photo", kwargs={"uid": photos[0].uid})
    except NoReverseMatch:
        return ""
    return request.build_absolute_uri(path)


def service_request(incident: Incident, *, request) -> dict:
    """A public service request. Only these fields: never the reporter's identity or contact."""
    actor = incident.responsible_actor
    return {
        "service_request_id": incident.folio,
        "status": open311_status(incident.status),
        "status_notes": getattr(incident, "open311_status_notes", None) or "",
        "service_name": incident.category.display_name,
        "service_code": incident.category.slug,
        "description": incident.description,
        "agency_responsible": actor.display_name if actor is not None else "",
        "service_notice": "",
        "requested_datetime": w3c_datetime(incident.created_at),
        "updated_datetime": w3c_datetime(incident.updated_at),
        "expected_datetime": w3c_datetime(incident.due_at),
        "address": incident.address,
        "address_id": "",
        "zipcode": "",
        "lat": incident.latitude,
        "long": incident.longitude,
        "media_url": _photo_url(incident, request=request),
    }


def token(incident: Incident) -> dict:
    return {"service_request_id": incident.folio, "token": incident.folio}
