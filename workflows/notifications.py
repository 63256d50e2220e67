"""Telling citizens what happened to their report (e-mail; the live page uses chat.groups)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflows.models import Incident


def incident_contact_email(incident: Incident) -> str:
    """Where to write: the contact e-mail given with the report, else the reporter's account e-mail."""
    if incident.is_anonymous:
        return ""
    if incident.contact_email:
        return incident.contact_email
    return incident.reporter.email if incident.reporter_id and incident.reporter.email else ""


def status_email_send(*, incident_id: int) -> bool:
    """E-mail the citizen the status of their report and the tracking link; False if nobody to tell."""
    incident = Incident.objects.select_related("category", "reporter").filter(pk=incident_id).first()
    if incident is None:
        return False
    recipient = incident_contact_email(incident)
    if not recipient:
        return False
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "portal:incident_detail", args=[incident.folio]
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Su reporte %(folio)s: %(status)s") % {
            "folio": incident.folio,
            "status": incident.get_status_display(),
        }
        body = _(
            "Hola:\n\nSu reporte %(folio)s (%(category)s) cambió de estado: %(status)s.\n\n"
            "Puede ver cómo avanza aquí:\n%(link)s?s=%(secret)s\n\n"
            "Este enlace es personal: no lo comparta.\n\nCooperaNet Coyhaique"
        ) % {
            "folio": incident.folio,
            "category": incident.category.name,
            "status": incident.get_status_display(),
            "link": link,
            "secret": incident.tracking_secret,
        }
    send_mail(subject, body, None, [recipient])
    return True


def deadline_email_send(*, incident_id: int, level: str) -> int:
    """E-mail the managers of the incident's actor about a deadline warning or escalation; how many."""
    from cms_content.models import ActorMembership
    from workflows.models import DeadlineAlert

    incident = Incident.objects.select_related("category").filter(pk=incident_id).first()
    if incident is None or incident.responsible_actor_id is None:
        return 0
    recipients = list(
        ActorMembership.objects.filter(actor_id=incident.responsible_actor_id, is_manager=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    path = reverse("portal:incident_detail", args=[incident.folio])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Plazo del caso %(folio)s: %(level)s") % {
            "folio": incident.folio,
            "level": DeadlineAlert.Level(level).label,
        }
        body = _("El caso %(folio)s (%(category)s) vence el %(due)s.\n\n%(link)s") % {
            "folio": incident.folio,
            "category": incident.category.name,
            "due": timezone.localtime(incident.due_at).strftime("%d-%m-%Y %H:%M"),
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
        }
    send_mail(subject, body, None, recipients)
    return len(recipients)
