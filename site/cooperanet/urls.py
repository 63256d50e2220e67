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
    path("seguridad/", include("cooperanet.two_factor_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("cooperanet.api_urls")),
    path("open311/v2/", include("workflows.open311.urls")),
    path("tareas/", task_site.urls),
    path("personal/", include("workflows.staff_urls")),
    path("coordinacion/", include("workflows.coordination_urls")),
    path("chat/", include("chat.urls")),
    path("talleres/", include("workshops.urls")),
    path("indicadores/", include("indicators.urls")),
    path("", include("portal.urls")),
]

# A database that cannot be reached answers 503 with Retry-After (cooperanet.errors), not a bare 500.
handler500 = "cooperanet.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves its pages (help, workshops…) under the site root; Django's own paths above win.
urlpatterns.append(path("", include(wagtail_urls)))
