""" "This affects me too": neighbours backing a public, open incident, one per person or browser."""

from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from workflows.models import (
    OPEN_STATUSES,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentSupporter,
)


class SupportRefused(Exception):
    """The incident cannot be supported; `code` is stable for clients: not_public, closed, no_identity."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class SupportResult(NamedTuple):
    supporters_count: int
    created: bool


@transaction.atomic
def incident_support(*, incident_id: int, user=None, session_key: str = "") -> SupportResult:
    """Count one more supporter of a public, open incident; a second call by the same person changes nothing.

    A signed-in `user` counts once per incident whatever browser they use; an anonymous visitor counts
    once per `session_key`. The incident row is locked, so the counter and the supporter rows agree
    under concurrent clicks.
    """
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("category", "category__parent")
        .get(pk=incident_id)
    )
    if incident.held_for_review or not incident.category.is_publicly_visible:
        raise SupportRefused("not_public", _("Este incidente no es público."))
    if incident.status not in OPEN_STATUSES:
        raise SupportRefused("closed", _("Este incidente ya está cerrado: no se puede apoyar."))

    signed_in = user is not None and user.is_authenticated
    if not signed_in and not session_key:
        raise SupportRefused("no_identity", _("No se pudo identificar su sesión: active las cookies."))
    supporter = IncidentSupporter(
        incident=incident,
        user=user if signed_in else None,
        session_key="" if signed_in else session_key,
    )
    try:
        # A savepoint: the unique constraints decide "already counted" without spoiling the transaction.
        with transaction.atomic():
            supporter.save()
    except IntegrityError:
        return SupportResult(supporters_count=incident.supporters_count, created=False)

    Incident.objects.filter(pk=incident.pk).update(supporters_count=F("supporters_count") + 1)
    incident.refresh_from_db(fields=["supporters_count"])
    # In the acta for staff; not on the public timeline (the count is public already).
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.SUPPORTED,
        by=user if signed_in else None,
        public=False,
    )
    return SupportResult(supporters_count=incident.supporters_count, created=True)
