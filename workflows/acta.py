"""The case record (acta) as a PDF, built with reportlab: everything that happened, who, when, what.

Only staff of the actors working the case and auditors get it (`acta_for_user`); citizens never.
Reading a sensitive case's acta is logged like any other read of it.
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workflows.models import DeadlineAlert, Incident, IncidentEvent, IncidentPhoto
from workflows.selectors import incident_read_log_if_sensitive, subtask_list_for_incident
from workflows.task_selectors import staff_incidents_for_user

THUMBNAIL_WIDTH = 3 * cm


@dataclass
class ActaData:
    incident: Incident
    events: list[IncidentEvent] = field(default_factory=list)
    photos: list[IncidentPhoto] = field(default_factory=list)
    alerts: list[DeadlineAlert] = field(default_factory=list)
    subtasks: list = field(default_factory=list)


def acta_for_user(*, folio: str, user) -> ActaData | None:
    """The record of the case `folio` if this user may read it (staff involved, auditors), else None.

    A sensitive case's read is logged (what="acta_pdf").
    """
    if not user.is_authenticated:
        return None
    may_read = (
        user.has_perm("workflows.audit_incident")
        or user.has_perm("workflows.work_incident")
        or (user.has_perm("workflows.triage_incident"))
    )
    if not may_read:
        return None
    incident = (
        staff_incidents_for_user(user=user)
        .select_related("category", "category__parent", "responsible_actor", "neighbourhood")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    incident_read_log_if_sensitive(incident=incident, user=user, what="acta_pdf")
    return ActaData(
        incident=incident,
        events=list(incident.events.select_related("by").order_by("created_at", "id")),
        photos=list(incident.photos.order_by("created_at", "id")),
        alerts=list(incident.deadline_alerts.order_by("created_at")),
        subtasks=subtask_list_for_incident(incident_id=incident.pk),
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else "—"


def _who(user) -> str:
    if user is None:
        return _("Sistema o ciudadanía")
    return user.get_full_name() or user.username


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _thumbnail(photo: IncidentPhoto):
    """The photo's thumbnail as a flowable, or its name when the file cannot be read."""
    source = photo.thumbnail if photo.thumbnail else photo.image
    try:
        with source.open("rb") as handle:
            data = io.BytesIO(handle.read())
        image = Image(data)
        ratio = THUMBNAIL_WIDTH / image.imageWidth
        image.drawWidth, image.drawHeight = THUMBNAIL_WIDTH, image.imageHeight * ratio
        return image
    except (OSError, ValueError):
        return _("(archivo no disponible)")


def _event_what(event: IncidentEvent) -> str:
    parts = [event.get_kind_display()]
    data = event.data or {}
    if "from" in data and "to" in data:
        parts.append(f"{data['from']} → {data['to']}")
    if data.get("code"):
        parts.append(_("código: %(code)s") % {"code": data["code"]})
    if data.get("level"):
        parts.append(str(data["level"]))
    return " · ".join(parts)


def acta_pdf(*, acta: ActaData, by) -> bytes:
    """The PDF bytes of the acta, in Spanish, with the date and the person who downloaded it."""
    with translation.override("es"):
        return _build(acta, by)


def _build(acta: ActaData, by) -> bytes:
    incident = acta.incident
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Acta del caso %(folio)s") % {"folio": incident.folio},
        author="CooperaNet Coyhaique",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef6")),
        ]
    )
    story = [
        Paragraph(escape(_("Acta del caso %(folio)s") % {"folio": incident.folio}), styles["Title"]),
        _p(
            _("Generada el %(when)s por %(who)s. Documento interno: no entregar a la ciudadanía.")
            % {"when": _when(timezone.now()), "who": _who(by)},
            small,
        ),
        Spacer(1, 0.3 * cm),
    ]
    summary = [
        (_("Categoría"), str(incident.category)),
        (
            _("Institución responsable"),
            incident.responsible_actor.name if incident.responsible_actor else "—",
        ),
        (_("Barrio"), incident.neighbourhood.name if incident.neighbourhood else "—"),
        (_("Lugar"), incident.address or "—"),
        (_("Canal"), incident.get_channel_display()),
        (_("Estado"), incident.get_status_display()),
        (_("Prioridad"), incident.get_priority_display()),
        (_("Recibido"), _when(incident.created_at)),
        (_("Plazo legal"), _when(incident.due_at)),
        (_("Resuelto"), _when(incident.resolved_at)),
        (_("Cerrado"), _when(incident.closed_at)),
        (_("Tipo de solución"), incident.get_resolution_code_display() or "—"),
        (_("Nota de solución (pública)"), incident.resolution_note or "—"),
        (_("Reclamos de la solución"), str(incident.contested_count)),
    ]
    if incident.rejection_reason:
        summary.append((_("Motivo de rechazo"), incident.get_rejection_reason_display()))
    summary_table = Table(
        [[_p(label, body), _p(value, body)] for label, value in summary], colWidths=[5 * cm, 13 * cm]
    )
    summary_table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story += [Paragraph(escape(_("Resumen")), styles["Heading2"]), summary_table]

    story.append(Paragraph(escape(_("Descripción del reporte")), styles["Heading2"]))
    story.append(_p(incident.description, body))

    story.append(Paragraph(escape(_("Plazos y avisos")), styles["Heading2"]))
    alert_rows = [[_p(_("Fecha"), small), _p(_("Aviso"), small)]]
    alert_rows += [
        [_p(_when(alert.created_at), small), _p(alert.get_level_display(), small)] for alert in acta.alerts
    ]
    if len(alert_rows) == 1:
        story.append(_p(_("Sin avisos de plazo."), body))
    else:
        story.append(Table(alert_rows, colWidths=[4 * cm, 14 * cm], style=grid, repeatRows=1))

    if acta.subtasks:
        story.append(Paragraph(escape(_("Tareas de otras instituciones")), styles["Heading2"]))
        rows = [[_p(h, small) for h in (_("Institución"), _("Qué hacer"), _("Estado"), _("Vence"))]]
        for subtask in acta.subtasks:
            rows.append(
                [
                    _p(subtask.actor.name, small),
                    _p(subtask.instructions, small),
                    _p(subtask.get_status_display(), small),
                    _p(_when(subtask.due_at), small),
                ]
            )
        story.append(Table(rows, colWidths=[4 * cm, 8 * cm, 3 * cm, 3 * cm], style=grid, repeatRows=1))

    story.append(Paragraph(escape(_("Historia del caso")), styles["Heading2"]))
    rows = [[_p(h, small) for h in (_("Cuándo"), _("Quién"), _("Qué"), _("Visibilidad"), _("Nota"))]]
    for event in acta.events:
        rows.append(
            [
                _p(_when(event.created_at), small),
                _p(_who(event.by), small),
                _p(_event_what(event), small),
                _p(_("Pública") if event.public else _("Interna"), small),
                _p(event.note or "", small),
            ]
        )
    story.append(
        Table(rows, colWidths=[2.6 * cm, 3.2 * cm, 4.4 * cm, 1.8 * cm, 6 * cm], style=grid, repeatRows=1)
    )

    story.append(Paragraph(escape(_("Fotos y evidencia")), styles["Heading2"]))
    if not acta.photos:
        story.append(_p(_("Sin fotos."), body))
    else:
        rows = [[_p(h, small) for h in (_("Miniatura"), _("Archivo"), _("Tipo"), _("Subida"))]]
        for photo in acta.photos:
            rows.append(
                [
                    _thumbnail(photo),
                    _p(str(photo.uid), small),
                    _p(_("Evidencia del personal") if photo.is_evidence else _("Foto del reporte"), small),
                    _p(f"{_when(photo.created_at)} · {_who(photo.uploaded_by)}", small),
                ]
            )
        story.append(Table(rows, colWidths=[3.4 * cm, 6.6 * cm, 4 * cm, 4 * cm], style=grid, repeatRows=1))
    document.build(story)
    return buffer.getvalue()
