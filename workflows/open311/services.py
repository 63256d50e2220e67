"""Writes behind Open311: issuing and revoking integrators' keys, and taking in a service request."""

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms_content.models import IncidentCategory
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IntegratorKey, ReportChannel
from workflows.open311.selectors import KEY_PREFIX_LENGTH, integrator_key_hash
from workflows.services import incident_report

# Letters and digits only: a key never starts with "-", which a shell command would read as an option.
_KEY_ALPHABET = string.ascii_letters + string.digits
_KEY_LENGTH = 40  # about 238 bits


def integrator_key_assign_secret(*, integrator: IntegratorKey) -> str:
    """Give an unsaved key a new secret: store its SHA-256 and prefix, return the secret (shown once)."""
    key = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(_KEY_LENGTH))
    integrator.key_hash = integrator_key_hash(key)
    integrator.prefix = key[:KEY_PREFIX_LENGTH]
    return key


@transaction.atomic
def integrator_key_issue(*, name: str) -> tuple[IntegratorKey, str]:
    """Create an active key for the integrator `name`; returns it and its secret, which is stored nowhere."""
    integrator = IntegratorKey(name=name.strip())
    key = integrator_key_assign_secret(integrator=integrator)
    integrator.full_clean()
    integrator.save()
    return integrator, key


@transaction.atomic
def integrator_key_revoke(*, prefix: str) -> IntegratorKey:
    """Deactivate the one active key starting with `prefix`; refuses none or several matches."""
    matches = list(IntegratorKey.objects.select_for_update().filter(prefix=prefix.strip(), active=True))
    if not matches:
        raise ValidationError(_("No hay una clave activa que empiece con «%(prefix)s».") % {"prefix": prefix})
    if len(matches) > 1:
        raise ValidationError(
            _(
                "Hay %(count)s claves activas que empiezan con «%(prefix)s»: "
                "revóquelas desde el administrador."
            )
            % {"count": len(matches), "prefix": prefix}
        )
    integrator = matches[0]
    integrator.active = False
    integrator.save(update_fields=["active"])
    return integrator


@transaction.atomic
def open311_request_create(
    *,
    category: IncidentCategory,
    integrator: IntegratorKey,
    description: str,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    media_url: str = "",
) -> Incident:
    """Report an incident received through Open311, and note which integrator sent it.

    The media URL is recorded as given and never fetched (the server has no internet, and fetching a URL
    an outsider chose would let them make us call anywhere); it stays in the acta, not in public answers.
    """
    incident = incident_report(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        channel=ReportChannel.OPEN311,
        contact_name=" ".join(part for part in (first_name.strip(), last_name.strip()) if part),
        contact_email=email,
        contact_phone=phone,
    )
    data = {"channel": ReportChannel.OPEN311, "integrator": integrator.name, "key_prefix": integrator.prefix}
    if media_url:
        data["media_url"] = media_url
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.NOTE,
        public=False,
        note=_("Recibido por Open311 desde %(integrator)s.") % {"integrator": integrator.name},
        data=data,
    )
    return incident
