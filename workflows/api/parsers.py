"""A JSON parser that refuses what PostgreSQL or the services cannot take, with messages in Spanish.

DRF's JSONParser rejects the NaN/Infinity literals, but lets through 1e309 (read as infinity), lone
surrogates ("\\ud800": psycopg2 cannot encode them), deep nesting (RecursionError: a 500) and bodies of
any size, and answers in English. This one answers 400 in plain Spanish for all of them.
"""

import json
import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer

# A report is a few short fields and a description of at most 4000 characters.
MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 8


class _Refused(ValueError):
    pass


def _refuse_constant(name: str):
    raise _Refused(name)


class _Repeated(ValueError):
    pass


def _object_without_repeats(pairs: list) -> dict:
    # {"category": "a", "category": "b"}: which one did the client mean? Ask instead of guessing.
    data: dict = {}
    for key, value in pairs:
        if key in data:
            raise _Repeated(key)
        data[key] = value
    return data


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(text)
    return value


def _printable(name: str) -> str:
    # Echoed in the error: short, and no lone surrogate (the JSON renderer cannot encode one).
    return name[:50].encode("utf-8", "replace").decode("utf-8")


def _has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _check_structure(data) -> None:
    """Walk the parsed value without recursion: bounded depth, no lone surrogates in keys or strings."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(_("El JSON tiene demasiados niveles anidados."))
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                raise ParseError(_("El JSON tiene caracteres no válidos."))
        elif isinstance(value, dict):
            for key, item in value.items():
                if _has_lone_surrogate(key):
                    raise ParseError(_("El JSON tiene caracteres no válidos."))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class StrictJSONParser(BaseParser):
    """application/json, UTF-8, at most 64 KiB, finite numbers only, no lone surrogates, shallow."""

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            raise ParseError(_("El cuerpo de la solicitud está vacío: envíe un objeto JSON."))
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise ParseError(_("La solicitud es demasiado grande."))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(_("El cuerpo debe estar codificado en UTF-8.")) from error
        try:
            data = json.loads(
                text,
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
                object_pairs_hook=_object_without_repeats,
            )
        except _Repeated as error:
            raise ParseError(
                _("El JSON repite el campo «%(name)s».") % {"name": _printable(error.args[0])}
            ) from error
        except _Refused as error:
            raise ParseError(
                _("El JSON tiene un número no válido (NaN, Infinity o fuera de rango).")
            ) from error
        except (ValueError, RecursionError) as error:
            raise ParseError(_("El cuerpo no es JSON válido.")) from error
        _check_structure(data)
        return data
