"""QR codes as inline SVG, drawn on the server with the pure-Python `qrcode` package.

Used by the front-desk receipt: the citizen scans the printed code to open the tracking page of their
report. No image file, no JavaScript, no outside service: the SVG goes straight into the HTML.
"""

import re

import qrcode
import qrcode.constants
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from qrcode.image.svg import SvgPathImage

# Medium error correction: a receipt may be folded or stamped on, but the URL (with its secret) is long
# and a higher level would make the modules too small to print well.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The four-module quiet zone the standard asks for; scanners fail more often without it.
BORDER = 4

_SVG_OPEN = re.compile(r"^<svg\b")
_PATH_ID = re.compile(r'\s+id="qr-path"')


def qr_code(data: str) -> qrcode.QRCode:
    """The QR code of `data` with the receipt's settings (the smallest version that fits)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, image_factory=SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, *, label: str = "", css_class: str = "qr") -> SafeString:
    """An `<svg>` element drawing the QR code of `data`, safe to put in a template as is.

    `label` becomes the image's accessible name (e.g. "Código QR del enlace de seguimiento").
    """
    svg = qr_code(data).make_image().to_string(encoding="unicode")
    # The library names its path id="qr-path": drop it so two codes on one page never clash.
    svg = _PATH_ID.sub("", svg)
    attributes = f'<svg class="{escape(css_class)}" role="img" aria-label="{escape(label)}"'
    return mark_safe(_SVG_OPEN.sub(attributes, svg, count=1))  # noqa: S308 - built here, label escaped
