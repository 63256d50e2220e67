"""Geometry in one place: the geo widget's point strings and GeoJSON neighbourhood boundaries.

The project runs without GeoDjango, so points are "SRID=4326;POINT(lng lat)" strings (what
wagtailgeowidget stores) and polygons are GeoJSON; shapely does the geometry.
"""

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

# The comuna of Coyhaique, generously: polygons and incident points must fall inside.
COMUNA_BOUNDS = {"min_lat": -46.2, "max_lat": -45.2, "min_lon": -72.8, "max_lon": -71.3}

_POINT_RE = re.compile(
    r"^\s*(?:SRID=4326;)?\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class LatLon:
    lat: float
    lon: float

    def as_geo_widget_value(self) -> str:
        return f"SRID=4326;POINT({self.lon} {self.lat})"


def parse_point(value: str) -> LatLon | None:
    """Read the geo widget's "SRID=4326;POINT(lng lat)"; None for empty or unreadable values."""
    match = _POINT_RE.match(value or "")
    if not match:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return LatLon(lat=lat, lon=lon)


def in_comuna(lat: float, lon: float) -> bool:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    b = COMUNA_BOUNDS
    return b["min_lat"] <= lat <= b["max_lat"] and b["min_lon"] <= lon <= b["max_lon"]


def validate_boundary(geojson) -> None:
    """Raise ValidationError (plain Spanish) unless `geojson` is a valid Polygon inside the comuna."""
    if not isinstance(geojson, dict) or geojson.get("type") != "Polygon":
        raise ValidationError(_("El límite debe ser un polígono GeoJSON (type «Polygon»)."))
    try:
        polygon = shape(geojson)
    except Exception as error:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("El polígono no se puede leer: revise las coordenadas.")) from error
    if polygon.is_empty:
        raise ValidationError(_("El polígono está vacío."))
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        # shapely explains in English; the editor reads Spanish.
        if reason.startswith(("Self-intersection", "Ring Self-intersection")):
            raise ValidationError(_("El polígono se cruza consigo mismo: dibuje un contorno sin cruces."))
        if reason.startswith("Too few points"):
            raise ValidationError(_("El polígono necesita al menos tres puntos distintos."))
        raise ValidationError(_("El polígono no es válido: revise sus puntos."))
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if not (in_comuna(min_lat, min_lon) and in_comuna(max_lat, max_lon)):
        raise ValidationError(_("El polígono debe quedar dentro de la comuna de Coyhaique."))


def boundary_contains(geojson, *, lat: float, lon: float) -> bool:
    return shape(geojson).covers(Point(lon, lat))


def boundary_centroid(geojson) -> LatLon:
    centre = shape(geojson).centroid
    return LatLon(lat=centre.y, lon=centre.x)
