"""Sign-ups, the waiting list, cancellations and check-in. Every write locks the workshop's row first.

Locking order is always workshop, then registration: two cancellations, a sign-up and a check-in of the
same workshop queue on the workshop row, so the count of confirmed seats read inside the lock is the
truth and no two sign-ups can take the last seat (on SQLite the whole write is serialised anyway).
"""

import logging
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.models import Neighbourhood
from cms_content.validators import PLAIN_TEXT
from workshops.codes import normalise_code
from workshops.models import Registration, RegistrationStatus, WorkshopPage
from workshops.services.errors import WorkshopError

logger = logging.getLogger(__name__)

_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")


def _locked_workshop(workshop_id: int) -> WorkshopPage:
    try:
        # of=("self",): lock only the workshop's own row, not Wagtail's shared page row.
        return WorkshopPage.objects.select_for_update(of=("self",)).get(pk=workshop_id)
    except (WorkshopPage.DoesNotExist, ValueError, TypeError):
        raise WorkshopError(_("No encontramos ese taller."), code="not_found") from None


def _clean_text(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    # Only invisible characters (zero-width spaces, joiners, BOM) is no name either.
    if required and all(unicodedata.category(ch) in ("Cf", "Zs") for ch in text):
        raise WorkshopError(_("Falta el dato «%(field)s».") % {"field": field})
    if len(text) > max_length:
        raise WorkshopError(_("«%(field)s» es demasiado largo.") % {"field": field})
    try:
        for validator in PLAIN_TEXT:
            validator(text)
    except ValidationError:
        raise WorkshopError(_("«%(field)s» tiene caracteres no válidos.") % {"field": field}) from None
    return text


def _contact(*, name, phone, email, organisation) -> dict:
    data = {
        "name": _clean_text(name, field=_("nombre"), max_length=120, required=True),
        "phone": _clean_text(phone, field=_("teléfono"), max_length=30),
        "email": _clean_text(email, field=_("correo"), max_length=254).lower(),
        "organisation": _clean_text(organisation, field=_("organización"), max_length=150),
    }
    if data["phone"] and not _PHONE.match(data["phone"]):
        raise WorkshopError(_("Escriba el teléfono solo con números, por ejemplo +56 9 1234 5678."))
    if data["email"] and ("@" not in data["email"] or " " in data["email"]):
        raise WorkshopError(_("El correo no parece válido."))
    return data


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-9:]


def _already_registered(workshop: WorkshopPage, *, phone: str, email: str) -> bool:
    active = Registration.objects.filter(workshop=workshop).exclude(status=RegistrationStatus.CANCELLED)
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if phone:
        wanted = _digits(phone)
        ids = [
            pk
            for pk, other in active.exclude(phone="").values_list("pk", "phone")
            if _digits(other) == wanted
        ]
        match |= Q(pk__in=ids)
    return active.filter(match).exists()


def _confirmed_count(workshop: WorkshopPage) -> int:
    return Registration.objects.filter(workshop=workshop, status=RegistrationStatus.CONFIRMED).count()


def registration_create(
    *,
    workshop_id: int,
    name: str,
    phone: str = "",
    email: str = "",
    neighbourhood: Neighbourhood | None = None,
    organisation: str = "",
    user=None,
) -> Registration:
    """Sign a person up: a confirmed seat while there is room, else the end of the waiting list."""
    data = _contact(name=name, phone=phone, email=email, organisation=organisation)
    if not data["phone"] and not data["email"]:
        raise WorkshopError(_("Deje un teléfono o un correo para poder avisarle."))
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if not workshop.live:
            raise WorkshopError(_("Este taller no está publicado."), code="not_found")
        if workshop.date < timezone.localdate():
            raise WorkshopError(_("Este taller ya se realizó: no recibe inscripciones."), code="past")
        if _already_registered(workshop, phone=data["phone"], email=data["email"]):
            raise WorkshopError(
                _("Ya hay una inscripción con ese teléfono o correo para este taller."), code="duplicate"
            )
        has_room = _confirmed_count(workshop) < workshop.capacity
        status = RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING
        registration = Registration.objects.create(
            workshop=workshop,
            user=user if user is not None and user.is_authenticated else None,
            neighbourhood=neighbourhood,
            status=status,
            **data,
        )
    return registration


def waiting_list_promote(*, workshop: WorkshopPage) -> list[Registration]:
    """Give free seats to the first people waiting (call with the workshop row locked)."""
    free = workshop.capacity - _confirmed_count(workshop)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.select_for_update()
        .filter(workshop=workshop, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        if registration.email:
            transaction.on_commit(lambda r=registration: _mail_promoted(r, workshop))
    return promoted


def waiting_list_refill(*, workshop_id: int) -> list[Registration]:
    """After an editor raises the capacity, give the new seats to the people waiting (on publish)."""
    with transaction.atomic():
        return waiting_list_promote(workshop=_locked_workshop(workshop_id))


def _mail_promoted(registration: Registration, workshop: WorkshopPage) -> None:
    subject = _("Se liberó un cupo: ya está inscrita/o en «%(title)s»") % {"title": workshop.title}
    body = _("Hola %(name)s: se liberó un cupo y ya tiene su lugar. Su código es %(code)s.") % {
        "name": registration.name,
        "code": registration.code,
    }
    try:
        send_mail(subject, body, None, [registration.email])
    except Exception:  # the seat is already given; a mail server down must not undo it
        logger.warning("could not e-mail promoted registration %s", registration.pk, exc_info=True)


def registration_cancel(*, secret: str) -> tuple[Registration, list[Registration]]:
    """Cancel with the link's secret; a freed seat goes to the first one waiting. Returns (row, promoted)."""
    found = Registration.objects.filter(secret=str(secret or "")[:64]).only("pk", "workshop_id").first()
    if found is None:
        raise WorkshopError(_("Ese enlace de anulación no es válido."), code="not_found")
    with transaction.atomic():
        workshop = _locked_workshop(found.workshop_id)
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise WorkshopError(_("Esta inscripción ya estaba anulada."), code="cancelled")
        if registration.checked_in_at is not None:
            raise WorkshopError(_("Ya se registró su asistencia: no se puede anular."), code="attended")
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = waiting_list_promote(workshop=workshop)
    return registration, promoted


def _check_in(workshop: WorkshopPage, registration: Registration, user) -> tuple[Registration, bool]:
    if registration.status == RegistrationStatus.CANCELLED:
        raise WorkshopError(_("Esa inscripción está anulada."), code="cancelled")
    if registration.checked_in_at is not None:
        return registration, False
    # Someone from the waiting list who comes anyway is in the room: the trainer lets them in.
    registration.status = RegistrationStatus.CONFIRMED
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = user
    registration.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    return registration, True


def check_in_by_code(*, workshop_id: int, code: str, user) -> tuple[Registration, bool]:
    """Mark arrival by the person's code (typed or from the QR). Returns (row, newly checked in)."""
    wanted = normalise_code(code)
    if not wanted:
        raise WorkshopError(_("Escriba el código de la inscripción."), code="empty")
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        registration = Registration.objects.select_for_update().filter(workshop=workshop, code=wanted).first()
        if registration is None:
            raise WorkshopError(_("No hay una inscripción con ese código en este taller."), code="not_found")
        return _check_in(workshop, registration, user)


def check_in_registration(*, workshop_id: int, registration_id: int, user) -> tuple[Registration, bool]:
    """Mark arrival from the trainer's list."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        registration = (
            Registration.objects.select_for_update().filter(workshop=workshop, pk=registration_id).first()
        )
        if registration is None:
            raise WorkshopError(_("Esa inscripción no es de este taller."), code="not_found")
        return _check_in(workshop, registration, user)


def walk_in_add(
    *,
    workshop_id: int,
    name: str,
    phone: str = "",
    email: str = "",
    neighbourhood: Neighbourhood | None = None,
    organisation: str = "",
    user,
) -> Registration:
    """Someone who came without signing up: in the room, so confirmed and checked in at once."""
    data = _contact(name=name, phone=phone, email=email, organisation=organisation)
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        now = timezone.now()
        return Registration.objects.create(
            workshop=workshop,
            neighbourhood=neighbourhood,
            status=RegistrationStatus.CONFIRMED,
            walk_in=True,
            checked_in_at=now,
            checked_in_by=user,
            **data,
        )
