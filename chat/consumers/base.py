"""The strict JSON base of every consumer: bad frames get an error frame, never a traceback.

Every error frame carries a stable `code` for programs and a `detail` for people, in the language of the
person's site (language cookie, else the browser's Accept-Language, else Spanish).
"""

import json
import math

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

MAX_FRAME_CHARS = 4096

ERROR_DETAILS = {
    "binary_not_supported": _("Solo se aceptan mensajes de texto."),
    "frame_too_large": _("El mensaje es demasiado grande."),
    "invalid_json": _("El mensaje no se pudo leer: no es JSON válido."),
    "invalid_frame": _("El mensaje no tiene la forma esperada."),
    "unknown_type": _("Tipo de mensaje desconocido."),
    "not_found": _("Lo que busca ya no existe."),
}


def socket_language(scope) -> str:
    """The language of the person behind a socket, chosen as LocaleMiddleware chooses it for pages."""
    candidates = [(scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            header = value.decode("latin-1")
            candidates += [lang for lang, _q in translation.trans_real.parse_accept_lang_header(header)]
    for candidate in candidates:
        if not candidate or candidate == "*":
            continue
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class StrictJsonDecodeError(ValueError):
    pass


def _reject_constant(name):
    raise StrictJsonDecodeError(name)


def strict_json_loads(text: str):
    """json.loads refusing NaN/Infinity and numbers that overflow to infinity (1e309)."""

    def parse_float(value):
        number = float(value)
        if not math.isfinite(number):
            raise StrictJsonDecodeError(value)
        return number

    return json.loads(text, parse_constant=_reject_constant, parse_float=parse_float)


class StrictJsonConsumer(AsyncJsonWebsocketConsumer):
    """JSON consumer that answers bad frames with an error frame instead of closing with a traceback."""

    max_frame_chars = MAX_FRAME_CHARS
    error_details = ERROR_DETAILS

    @property
    def language(self) -> str:
        if not hasattr(self, "_language"):
            self._language = socket_language(self.scope)
        return self._language

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Texts made while answering this frame (services' refusals too) are in the person's language.
        with translation.override(self.language):
            await self._receive_checked(text_data, bytes_data, **kwargs)

    async def _receive_checked(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error("binary_not_supported")
            return
        if len(text_data) > self.max_frame_chars:
            await self.send_error("frame_too_large")
            return
        try:
            content = strict_json_loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error("invalid_json")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("invalid_frame")
            return
        await self.receive_json(content, **kwargs)

    async def send_error(self, code: str, detail=None, **extra):
        """An error frame; the socket stays open. `extra` repeats what identifies the refused frame."""
        with translation.override(self.language):
            text = str(detail if detail is not None else self.error_details.get(code, ""))
        await self.send_json({"type": "error", "code": code, "detail": text, **extra})
