"""The URL map. Contract paths (DESIGN.md §5): /, /cms/, /api/v2/, /api/, /open311/v2/, /health/, /ws/."""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cooperanet.health import health
from cooperanet.wagtail_api import api_router
from cooperanet.workflow_ui import task_site

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("cooperanet.api_urls")),
    path("open311/v2/", include("workflows.open311.urls")),
    path("tareas/", task_site.urls),
    path("chat/", include("chat.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves its pages (help, workshops…) under the site root; Django's own paths above win.
urlpatterns.append(path("", include(wagtail_urls)))
