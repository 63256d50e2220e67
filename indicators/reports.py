"""The annual accountability report of one actor as PDF (reportlab) and CSV."""

import csv
import io

from django.utils.translation import gettext as _


def _figure_rows(report: dict) -> list[tuple[str, str]]:
    totals, speed = report["totals"], report["speed"] or {}

    def show(value, suffix=""):
        return "—" if value is None else f"{value}{suffix}"

    return [
        (_("Reportes recibidos"), show(totals["received"])),
        (_("Resueltos"), show(totals["resolved"])),
        (_("Rechazados"), show(totals["rejected"])),
        (_("Abiertos hoy"), show(totals["open"])),
        (_("Fuera del plazo legal"), show(totals["late"])),
        (_("Escalados a la jefatura"), show(totals["escalated"])),
        (_("Soluciones reclamadas por la persona"), show(totals["contested"])),
        (_("Mediana de horas para resolver"), show(speed.get("median_hours"))),
        (_("Percentil 90 de horas para resolver"), show(speed.get("p90_hours"))),
        (_("Resueltos dentro del plazo"), show(speed.get("in_time_pct"), " %")),
    ]


def accountability_csv(report: dict) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("Cuenta pública anual"), report["actor"].name, report["year"]])
    writer.writerow([])
    writer.writerow([_("Indicador"), _("Valor")])
    writer.writerows(_figure_rows(report))
    writer.writerow([])
    writer.writerow([_("Mes"), _("Recibidos"), _("Resueltos")])
    writer.writerows((row["month"], row["received"], row["resolved"]) for row in report["months"])
    writer.writerow([])
    writer.writerow([_("Categoría"), _("Reportes")])
    writer.writerows((row["category"], row["n"]) for row in report["by_category"])
    return buffer.getvalue()


def accountability_pdf(report: dict) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    title = _("Cuenta pública anual %(year)s") % {"year": report["year"]}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} · {report['actor'].name}",
        author="CooperaNet Coyhaique",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    styles = getSampleStyleSheet()
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbe7f3")),
            ("FONTSIZE", (0, 0), (-1, -1), 10),
        ]
    )

    def table(header, rows):
        t = Table([header, *[[escape(str(c)) for c in row] for row in rows]], hAlign="LEFT")
        t.setStyle(grid)
        return t

    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(report["actor"].name), styles["Heading2"]),
        Paragraph(escape(_("Gobierno Provincial de Coyhaique · CooperaNet")), styles["Normal"]),
        Spacer(1, 0.5 * cm),
        table([_("Indicador"), _("Valor")], _figure_rows(report)),
        Spacer(1, 0.5 * cm),
        Paragraph(escape(_("Por mes")), styles["Heading3"]),
        table(
            [_("Mes"), _("Recibidos"), _("Resueltos")],
            [(r["month"], r["received"], r["resolved"]) for r in report["months"]],
        ),
        Spacer(1, 0.5 * cm),
        Paragraph(escape(_("Por categoría")), styles["Heading3"]),
        table([_("Categoría"), _("Reportes")], [(r["category"], r["n"]) for r in report["by_category"]]),
    ]
    document.build(story)
    return buffer.getvalue()
