"""The project's URLs plus Open311 at /open311/v2/, for tests written before cooperanet.urls mounts it.

Once cooperanet.urls includes "workflows.open311.urls" this adds nothing and the project's own map is used.
"""

from django.urls import include, path

from cooperanet.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "open311" for pattern in project_urlpatterns)

urlpatterns = [
    *([] if _mounted else [path("open311/v2/", include("workflows.open311.urls"))]),
    *project_urlpatterns,
]
