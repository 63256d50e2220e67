"""Map widgets with Leaflet served by the project itself: the geo widget (points) and a polygon editor.

The stock geo widget loads Leaflet from a CDN and only takes points; the platform runs offline.
"""

import json

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's Leaflet field, with Leaflet from django-js-lib-leaflet's static files."""

    @cached_property
    def media(self):
        return forms.Media(
            css={"all": ("js_lib_leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                "js_lib_leaflet/leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    """LeafletPanel rendering `LocalLeafletField`."""

    def widget_overrides(self):
        field = self.model._meta.get_field(self.field_name)
        return {
            self.field_name: LocalLeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom,
                srid=getattr(field, "srid", 4326),
                id_prefix="id_",
            )
        }


GEOMAN = "cms_content/vendor/leaflet-geoman-free-2.20.2"

# How much of an undecodable value is shown back to the editor with the error.
_MAX_RAW_PREFIX = 200


def _decodes_without_crashing(raw: str) -> bool:
    """False when json.loads would raise something other than JSONDecodeError.

    Django's JSON form field only turns JSONDecodeError into a field error; a deeply nested value
    (RecursionError) or an integer of thousands of digits (ValueError) would escape as a 500.
    """
    try:
        json.loads(raw)
    except json.JSONDecodeError:
        return True
    except (RecursionError, ValueError):
        return False
    return True


class PolygonMapWidget(forms.Textarea):
    """A GeoJSON Polygon textarea with a Leaflet map to draw it on; used for `Neighbourhood.boundary`.

    The map (Leaflet + leaflet-geoman, both served by the project) draws, edits and removes one
    polygon and writes it back to the textarea as GeoJSON (lon, lat). The textarea stays visible and
    labelled so keyboard and screen-reader users can edit the GeoJSON by hand. `outlines` is an
    optional queryset of objects whose `outline_field` polygon is drawn faintly for reference (the
    other neighbourhoods); it is read at each render, never at import.
    """

    default_attrs = {"rows": 4, "cols": 60, "spellcheck": "false", "class": "polygon-field__geojson"}

    def __init__(self, attrs=None, *, outlines=None, outline_field: str = "boundary", zoom: int = 14):
        super().__init__(attrs={**self.default_attrs, **(attrs or {})})
        self.outlines = outlines
        self.outline_field = outline_field
        self.zoom = zoom

    class Media:
        css = {
            "all": (
                "js_lib_leaflet/leaflet.css",
                f"{GEOMAN}/leaflet-geoman.css",
                "cms_content/css/polygon-field.css",
            )
        }
        js = (
            "js_lib_leaflet/leaflet.js",
            f"{GEOMAN}/leaflet-geoman.min.js",
            "cms_content/js/polygon-field.js",
        )

    def value_from_datadict(self, data, files, name):
        raw = super().value_from_datadict(data, files, name)
        if isinstance(raw, str) and not _decodes_without_crashing(raw):
            # The ellipsis keeps the shortened text invalid JSON, so the field reports it as such.
            return raw[:_MAX_RAW_PREFIX] + " …"
        return raw

    def format_value(self, value):
        # Django's JSON form field shows an empty value as "null": an empty box is clearer to editors.
        if value == "null":
            return None
        return super().format_value(value)

    def _outline_data(self, current) -> list[dict]:
        if self.outlines is None:
            return []
        outlines = []
        for obj in self.outlines.all():
            geometry = getattr(obj, self.outline_field, None)
            # The polygon being edited is drawn by the editor itself, not as a reference outline.
            if isinstance(geometry, dict) and geometry.get("type") == "Polygon" and geometry != current:
                outlines.append({"name": str(obj), "geometry": geometry})
        return outlines

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        field_id = attrs.get("id") or f"id_{name}"
        attrs["id"] = field_id
        hint_id = f"{field_id}_hint"
        attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), hint_id]))
        try:
            current = json.loads(value) if isinstance(value, str) and value else None
        except (RecursionError, ValueError):
            current = None
        centre = settings.GEO_WIDGET_DEFAULT_LOCATION
        prefix = "data-polygon-field"
        attrs.update(
            {
                "data-controller": "polygon-field",
                f"{prefix}-tile-url-value": settings.MAP_TILE_URL,
                f"{prefix}-tile-attribution-value": settings.MAP_TILE_ATTRIBUTION,
                f"{prefix}-centre-value": json.dumps([centre["lat"], centre["lng"]]),
                f"{prefix}-zoom-value": self.zoom,
                f"{prefix}-outlines-value": json.dumps(self._outline_data(current)),
                f"{prefix}-messages-value": json.dumps(
                    {
                        "invalid": gettext(
                            "El texto no es un polígono GeoJSON válido; el mapa muestra el último "
                            "polígono válido."
                        ),
                        "drawn": gettext("Polígono actualizado desde el mapa."),
                        "removed": gettext("Polígono eliminado: dibuje uno nuevo o escriba el GeoJSON."),
                    }
                ),
            }
        )
        textarea = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="polygon-field">'
            '<div id="{map_id}" class="polygon-field__map" role="region" aria-label="{map_label}"></div>'
            '<p id="{status_id}" class="polygon-field__status" role="status" aria-live="polite"></p>'
            "{textarea}"
            '<p id="{hint_id}" class="polygon-field__hint">{hint}</p>'
            "</div>",
            map_id=f"{field_id}_map",
            map_label=gettext("Mapa para dibujar el límite"),
            status_id=f"{field_id}_status",
            textarea=textarea,
            hint_id=hint_id,
            hint=gettext(
                "Dibuje un solo polígono en el mapa (uno nuevo reemplaza al anterior) o escriba aquí el "
                'GeoJSON: {"type": "Polygon", "coordinates": [[[longitud, latitud], …]]}.'
            ),
        )
