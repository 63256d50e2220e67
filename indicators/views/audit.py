"""The auditor's read-only views: every incident, its record, late and contested lists, accountability."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators.forms import AccountabilityForm, AuditFilterForm
from indicators.permissions import require_auditor
from indicators.reports import accountability_csv, accountability_pdf
from indicators.selectors.audit import accountability_report, audit_incident_detail, audit_incident_list


def audit_list(request):
    require_auditor(user=request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incidents = audit_incident_list(
        user=request.user,
        folio=filters.get("folio", ""),
        actor_id=filters["actor"].pk if filters.get("actor") else None,
        status=filters.get("estado", ""),
        late=filters.get("atrasados", False),
        contested=filters.get("reclamados", False),
    )
    page = Paginator(incidents, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request, "indicators/audit_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def audit_detail(request, folio: str):
    require_auditor(user=request.user)
    record = audit_incident_detail(user=request.user, folio=folio)
    if record is None:
        raise Http404
    return render(request, "indicators/audit_detail.html", {"record": record, "incident": record.incident})


def accountability(request):
    require_auditor(user=request.user)
    form = AccountabilityForm(
        request.GET or None, initial={"anio": timezone.localdate().year - 1, "formato": "pdf"}
    )
    if request.GET and form.is_valid():
        actor, year = form.cleaned_data["actor"], form.cleaned_data["anio"]
        report = accountability_report(actor=actor, year=year)
        name = f"cuenta-publica-{actor.slug}-{year}"
        if form.cleaned_data["formato"] == "csv":
            response = HttpResponse(accountability_csv(report), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(accountability_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(request, "indicators/accountability.html", {"form": form})
