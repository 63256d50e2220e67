"""Open311 GeoReport v2 URLs (namespace "open311"), mounted at /open311/v2/ by cooperanet.urls.

Every resource takes its format as a suffix: `services.xml` or `services.json`.
"""

from django.urls import re_path

from workflows.open311 import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}$", views.service_list, name="service_list"),
    re_path(
        rf"^services/(?P<service_code>[-\w]+){FORMAT}$", views.service_definition, name="service_definition"
    ),
    re_path(rf"^requests{FORMAT}$", views.service_requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[-\w]+){FORMAT}$", views.request_detail, name="request_detail"
    ),
    re_path(rf"^tokens/(?P<token>[-\w]+){FORMAT}$", views.token_detail, name="token_detail"),
    # Last: any other path here gets the spec's 404, not the citizen site's HTML page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
