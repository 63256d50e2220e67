"""The installable app: manifest, service worker served from the root, offline page."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from portal import pwa_views


def _static_file(url: str) -> str | None:
    assert url.startswith(settings.STATIC_URL), url
    return finders.find(url[len(settings.STATIC_URL) :])


def _worker_config(body: str) -> dict:
    match = re.search(r"^var CONFIG = (\{.*\});$", body, re.MULTILINE)
    assert match, "the configuration was not put into the worker"
    return json.loads(match.group(1))


@pytest.fixture
def worker(client):
    return client.get("/sw.js")


def test_manifest_names_the_app_in_spanish_with_the_brand_colour_and_standalone_display(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "CooperaNet Coyhaique"
    assert manifest["short_name"] == "CooperaNet"
    assert manifest["lang"] == "es"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b4f8a"
    assert "sin conexión" in manifest["description"]


@pytest.mark.parametrize("size", [192, 512])
def test_manifest_icon_is_a_png_of_its_declared_size(client, size):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    icons = [icon for icon in manifest["icons"] if icon["sizes"] == f"{size}x{size}"]
    assert icons and all(icon["type"] == "image/png" for icon in icons)
    path = _static_file(icons[0]["src"])
    assert path, icons[0]["src"]
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


def test_service_worker_is_served_from_the_root_as_javascript_never_cached(worker):
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert worker["Cache-Control"] == "no-cache"


def test_service_worker_references_only_same_origin_paths_and_no_cdn(worker):
    body = worker.content.decode()
    assert "http://" not in body and "https://" not in body
    assert "importScripts" not in body
    urls = [value for value in _iter_strings(_worker_config(body)) if "/" in value]
    assert urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls


def _iter_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _iter_strings(item)


def test_service_worker_precaches_the_app_shell_from_our_own_static_files(worker):
    config = _worker_config(worker.content.decode())
    for name in ("portal/site.css", "portal/js/report-form.js", "portal/js/offline-queue.js"):
        assert f"{settings.STATIC_URL}{name}" in config["shell"]
    assert any(url.startswith(f"{settings.STATIC_URL}js_lib_leaflet/") for url in config["shell"])
    missing = [url for url in config["shell"] if not _static_file(url)]
    assert missing == []
    assert config["pages"] == ["/", "/reportar/"]
    assert config["offline"] == "/sin-conexion/"


def test_service_worker_keeps_out_staff_pages_photos_and_the_api_but_the_taxonomy(worker):
    config = _worker_config(worker.content.decode())
    for prefix in ("/cms/", "/tareas/", "/oficina/", "/fotos/", "/api/"):
        assert prefix in config["uncached"]
    assert config["taxonomy"] == "/api/taxonomy/"
    # The confirmation page holds the tracking secret: never kept, though it is under /reportar/.
    assert "/reportar/listo/" in config["reportUncached"]


def test_cache_version_changes_when_the_worker_source_changes(monkeypatch, tmp_path):
    source = tmp_path / "sw.js"
    monkeypatch.setattr(pwa_views, "SERVICE_WORKER_SOURCE", source)
    source.write_text(f"var CONFIG = {pwa_views.CONFIG_PLACEHOLDER};\n// one\n", encoding="utf-8")
    first = _worker_config(pwa_views.service_worker_body())["version"]
    assert _worker_config(pwa_views.service_worker_body())["version"] == first
    source.write_text(f"var CONFIG = {pwa_views.CONFIG_PLACEHOLDER};\n// two\n", encoding="utf-8")
    assert _worker_config(pwa_views.service_worker_body())["version"] != first


@pytest.mark.django_db
def test_offline_page_explains_in_spanish_and_links_the_report_form(client):
    response = client.get("/sin-conexion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sin conexión" in html
    assert 'href="/reportar/"' in html


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_loads_the_offline_queue(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b4f8a">' in html
    assert re.search(r'<script defer src="/static/portal/js/offline-queue\.js" data-sw="/sw\.js"', html)
