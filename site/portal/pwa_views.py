"""The installable, offline-capable site: web app manifest, service worker and the offline page.

The manifest and the worker are served from the site root (not /static/) because a service worker
only controls the pages under the path it is served from, and every citizen page must work offline.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SERVICE_WORKER_SOURCE = Path(__file__).resolve().parent / "static" / "portal" / "pwa" / "sw.js"
# The worker source carries this placeholder; the view puts the configuration (URLs, version) there.
CONFIG_PLACEHOLDER = "/* @cooperanet-config */ null"
THEME_COLOUR = "#0b4f8a"
ICON_SIZES = (192, 512)

# The app shell, fetched when the worker installs so a report form opens without a connection.
PRECACHED_STATIC = (
    "portal/site.css",
    "portal/js/offline-queue.js",
    "portal/js/report-form.js",
    "portal/js/tracking.js",
    "portal/js/actor_map.js",
    "js_lib_leaflet/leaflet.js",
    "js_lib_leaflet/leaflet.css",
    "js_lib_leaflet/images/marker-icon.png",
    "js_lib_leaflet/images/marker-icon-2x.png",
    "js_lib_leaflet/images/marker-shadow.png",
    "js_lib_leaflet/images/layers.png",
    "js_lib_leaflet/images/layers-2x.png",
    "portal/pwa/icon-192.png",
    "portal/pwa/icon-512.png",
)
# Static files under these folders are kept once fetched (other apps' assets, e.g. the CMS's, are not).
CACHED_STATIC_FOLDERS = ("portal/", "js_lib_leaflet/")
# Never cached, not even answered by the worker: staff screens, private photos, the API (bar the
# taxonomy), session and language switches, and the report confirmation (it holds the tracking secret).
UNCACHED_PREFIXES = (
    "/cms/",
    "/tareas/",
    "/oficina/",
    "/fotos/",
    "/api/",
    "/media/",
    "/documents/",
    "/ws/",
    "/i18n/",
    "/health/",
    "/ingresar/",
    "/salir/",
    "/preferencias/",
)


def _icon_url(size: int) -> str:
    return static(f"portal/pwa/icon-{size}.png")


def service_worker_config() -> dict:
    """Everything the worker needs to know about this deployment's URLs, all same-origin paths."""
    return {
        "staticUrl": settings.STATIC_URL,
        "shell": [static(path) for path in PRECACHED_STATIC],
        "cachedStatic": [static(folder) for folder in CACHED_STATIC_FOLDERS],
        "pages": [reverse("portal:home"), reverse("portal:report_start")],
        "offline": reverse("portal:offline"),
        "reportPrefix": reverse("portal:report_start"),
        # Pages under the report prefix that are answers, not forms: never kept.
        "reportUncached": [
            reverse("portal:report_done", args=["x"]).rsplit("x/", 1)[0],
            reverse("portal:report_nearby"),
        ],
        "taxonomy": reverse("api-taxonomy"),
        "uncached": list(UNCACHED_PREFIXES),
    }


def service_worker_body() -> str:
    """The worker source with its configuration; the cache version is a hash of both, so any change to
    the worker or to the static file names (hashed in production) makes browsers replace old caches."""
    source = SERVICE_WORKER_SOURCE.read_text(encoding="utf-8")
    config = service_worker_config()
    digest = hashlib.sha256()
    digest.update(source.encode("utf-8"))
    digest.update(json.dumps(config, sort_keys=True).encode("utf-8"))
    config["version"] = digest.hexdigest()[:16]
    return source.replace(CONFIG_PLACEHOLDER, json.dumps(config, sort_keys=True), 1)


@require_GET
def service_worker(request):
    """/sw.js: the service worker, never cached by HTTP so a deploy reaches phones on their next visit."""
    response = HttpResponse(service_worker_body(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """/manifest.webmanifest: name, colours and icons for "add to home screen"."""
    icons = [
        {"src": _icon_url(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ]
    # The letters sit inside the central safe zone, so launchers may crop the same files to a circle.
    icons += [
        {"src": _icon_url(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "maskable"}
        for size in ICON_SIZES
    ]
    data = {
        "id": reverse("portal:home"),
        "name": "CooperaNet Coyhaique",
        "short_name": "CooperaNet",
        "description": _("Reporte problemas de seguridad y emergencias en Coyhaique, también sin conexión."),
        "lang": (get_language() or "es").split("-")[0],
        "dir": "ltr",
        "start_url": reverse("portal:home"),
        "scope": reverse("portal:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "categories": ["government", "utilities"],
        "icons": icons,
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def offline(request):
    """/sin-conexion/: what the worker shows for a page it has not kept when there is no connection."""
    return render(request, "portal/offline.html")
