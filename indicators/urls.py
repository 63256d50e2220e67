"""Public dashboard, internal dashboards, the auditor's views and exports (under /indicadores/)."""

from django.urls import path, re_path

from indicators.views import audit, dashboards, exports

app_name = "indicators"

urlpatterns = [
    path("", dashboards.public_dashboard, name="public_dashboard"),
    path("interno/", dashboards.internal_dashboard, name="internal_dashboard"),
    path("auditoria/", audit.audit_list, name="audit_list"),
    path("auditoria/cuenta-publica/", audit.accountability, name="accountability"),
    path("auditoria/caso/<str:folio>/", audit.audit_detail, name="audit_detail"),
    path("exportar/", exports.export_start, name="export_start"),
    path("exportar/<str:uid>/", exports.export_job, name="export_job"),
    path("exportar/<str:uid>/estado/", exports.export_job_status, name="export_job_status"),
    path("exportar/<str:uid>/descargar/", exports.export_download, name="export_download"),
    path("datos-abiertos/", exports.open_data_doc, name="open_data_doc"),
    re_path(r"^datos-abiertos/incidentes\.(?P<fmt>csv|geojson)$", exports.open_data, name="open_data"),
]
