"""One payload, two formats: the spec's XML layout (text/xml) and its JSON (application/json).

Payloads are plain dicts and lists built by `serializers`; this module only knows how the spec names the
elements of each list (`<services><service>…`), and how to write values as XML text.
"""

import json
import re
import xml.etree.ElementTree as ET

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

JSON = "json"
XML = "xml"
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}
# What the discovery document announces (media types without parameters).
MEDIA_TYPES = ["text/xml", "application/json"]

# The element of each item of a list, by the list's own element (as in the spec's examples).
LIST_ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry even escaped; older rows may hold them, the document must still parse.
_NOT_XML_CHARACTERS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str | None:
    """A scalar as XML text: booleans as true/false, None as an empty element."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the same digits json.dumps writes
    return _NOT_XML_CHARACTERS.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for tag, child_value in value.items():
            _fill(ET.SubElement(element, tag), child_value)
    elif isinstance(value, list | tuple):
        item_tag = LIST_ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_tag), item)
    else:
        element.text = xml_text(value)


def to_xml(payload, *, root: str) -> bytes:
    """The payload under `root`, UTF-8, with the XML declaration the spec asks for."""
    element = ET.Element(root)
    _fill(element, payload)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode("utf-8")


def to_json(payload) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def render(payload, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """An HTTP response in the requested format; JSON leaves out the root (a list or an object)."""
    body = to_xml(payload, root=root) if fmt == XML else to_json(payload)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["X-Content-Type-Options"] = "nosniff"
    return response


def render_errors(descriptions: list[str], *, fmt: str, status: int) -> HttpResponse:
    """The spec's error list: each error's code is the HTTP status, its description a translated text."""
    errors = [{"code": status, "description": str(description)} for description in descriptions]
    return render(errors, fmt=fmt, root="errors", status=status)
