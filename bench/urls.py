"""The project's URLs plus the bare baseline view (no database, no template)."""

from django.http import JsonResponse
from django.urls import path

from cooperanet.urls import urlpatterns as project_urlpatterns


def bare(request):
    """The floor of any Django view on this set-up: the middleware stack and a small JSON answer."""
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
