"""Hostile inputs and the bookkeeping around them: images built in memory, row and file counts."""

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SQL = "'; DROP TABLE workflows_incident; --"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RTL_OVERRIDE = "Calle \u202egnp.exe\u202c Los Coigües"
ZERO_WIDTH_ONLY = "\u200b\u200c\u200d\u2060\ufeff"
ARABIC = "مرحبا — hay un poste caído"
ONE_MB = "a" * (1024 * 1024)


def snapshot() -> dict:
    """How many rows and private files exist now; a refused request must leave this unchanged."""
    from chat.models import Message
    from workflows.models import IdempotencyRecord, Incident, IncidentEvent, IncidentPhoto

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {
        "incidents": Incident.objects.count(),
        "events": IncidentEvent.objects.count(),
        "photos": IncidentPhoto.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
        "messages": Message.objects.count(),
        "files": sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0,
    }


def image_bytes(fmt: str = "JPEG", size=(64, 48), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims width×height (a decompression bomb by its header)."""
    data = bytearray(image_bytes("PNG", size=(32, 32)))
    ihdr_start = 8 + 4  # signature, then the IHDR chunk's length
    body = b"IHDR" + struct.pack(">II", width, height) + bytes(data[ihdr_start + 12 : ihdr_start + 17])
    data[ihdr_start : ihdr_start + 17] = body
    data[ihdr_start + 17 : ihdr_start + 21] = struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return bytes(data)


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = "Griselda Quintanilla"  # Artist
    gps = {1: "S", 2: (45.0, 34.0, 16.0), 3: "W", 4: (72.0, 4.0, 7.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b"<script>alert(document.cookie)</script><rect width='64' height='64'/></svg>"
)

# (id, filename, bytes or callable, content type, expected fragment of the Spanish error)
BAD_PHOTOS = [
    ("text-as-jpg", "foto.jpg", b"esto no es una foto", "image/jpeg", "no es una foto"),
    ("svg-script", "foto.svg", SVG_SCRIPT, "image/svg+xml", "no es una foto"),
    ("svg-as-jpg", "foto.jpg", SVG_SCRIPT, "image/jpeg", "no es una foto"),
    ("html-as-png", "foto.png", b"<html><script>alert(1)</script></html>", "image/png", "no es una foto"),
    (
        "pdf",
        "foto.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "application/pdf",
        "no es una foto",
    ),
    ("gif-animated", "foto.gif", lambda: animated("GIF"), "image/gif", "no es una foto"),
    ("png-animated", "foto.png", lambda: animated("PNG"), "image/png", "animadas"),
    ("webp-animated", "foto.webp", lambda: animated("WEBP"), "image/webp", "animadas"),
    ("bomb-30000", "foto.png", lambda: png_declaring(30000, 30000), "image/png", "dimensiones"),
    ("huge-side", "foto.png", lambda: png_declaring(12001, 64), "image/png", "dimensiones"),
    ("tiny", "foto.png", lambda: image_bytes("PNG", size=(8, 8)), "image/png", "dimensiones"),
    ("truncated-jpeg", "foto.jpg", lambda: image_bytes("JPEG", size=(400, 300))[:300], "image/jpeg", "foto"),
    ("bmp", "foto.bmp", lambda: image_bytes("BMP"), "image/bmp", "no es una foto"),
    ("tiff", "foto.tif", lambda: image_bytes("TIFF"), "image/tiff", "no es una foto"),
]


def bad_photo_bytes(spec) -> bytes:
    return spec() if callable(spec) else spec
