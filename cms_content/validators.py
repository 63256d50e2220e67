"""Validators of editor input, with messages in plain Spanish."""

import re

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


PLAIN_TEXT = [no_html, no_control_characters]
