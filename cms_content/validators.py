"""Validators of editor input, with messages in plain Spanish."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def no_html(value: str) -> None:
    """Plain-text fields take no HTML: it would show as code to citizens (and is a script risk)."""
    if value and _TAG.search(value):
        raise ValidationError(_("Escriba solo texto, sin etiquetas HTML como <b> o <script>."), code="html")


def no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters (PostgreSQL refuses NUL) and lone surrogates."""
    if not value:
        return
    if any((ord(ch) < 32 and ch not in "\t\n\r") or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValidationError(_("El texto tiene caracteres no válidos."), code="control_characters")


def is_blank(value: str) -> bool:
    """Nothing a person can read: empty, spaces, or only invisible characters (zero-width spaces and
    joiners, BOM, direction marks: Unicode categories Cf and Z*)."""
    return all(
        unicodedata.category(ch) == "Cf" or unicodedata.category(ch).startswith("Z") or ch.isspace()
        for ch in value or ""
    )


def visible_text(value: str) -> None:
    """Refuse a text with nothing visible in it (a description made of zero-width characters)."""
    if value and is_blank(value):
        raise ValidationError(_("Escriba un texto que se pueda leer."), code="blank")


PLAIN_TEXT = [no_html, no_control_characters, visible_text]
LONG_TEXT_MAX = 2000  # help texts and notices citizens read on a phone


def map_point_in_comuna(value: str) -> None:
    """The geo widget's "SRID=4326;POINT(lng lat)": readable, and inside the comuna (empty is allowed)."""
    if not value:
        return
    from cms_content.geo import in_comuna, parse_point

    point = parse_point(value)
    if point is None:
        raise ValidationError(_("La ubicación no se puede leer: marque el punto en el mapa."), code="point")
    if not in_comuna(point.lat, point.lon):
        raise ValidationError(_("La ubicación está fuera de la comuna de Coyhaique."), code="point_outside")
