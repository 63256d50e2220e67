"""Citizen photos: only still JPEG/PNG/WebP within limits, rebuilt from pixels, nothing of the upload kept."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils.functional import empty
from PIL import ExifTags, Image, ImageCms, ImageFile

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import IncidentPhoto
from workflows.storage import private_storage

pytestmark = pytest.mark.django_db

NOT_A_PHOTO = "El archivo no es una foto JPG, PNG o WebP."
BAD_DIMENSIONS = "La foto tiene dimensiones no permitidas."
ANIMATED = "Las imágenes animadas no se aceptan."
NAME = "Juan Pérez"


@pytest.fixture
def private_root(settings, tmp_path, monkeypatch):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    # The private storage reads its root once: forget it so this test's files land in tmp_path.
    monkeypatch.setattr(private_storage, "_wrapped", empty)
    return tmp_path


@pytest.fixture
def incident(citizen):
    return services.incident_report(
        category=SubSectionFactory(),
        description="Luminaria apagada",
        by=citizen,
        address="Plaza de Armas",
        start_flow=False,
    )


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_declaring(width: int, height: int) -> bytes:
    """A 1-bit greyscale PNG of zeros: a few KB on disk, `width × height` pixels once decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + (width + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


def jpeg_with_gps_and_comment() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = NAME
    exif[ExifTags.Base.Make] = "TelefonoMarca"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 34.0, 16.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (72.0, 4.0, 7.0)
    return encoded(Image.new("RGB", (120, 80), "green"), "JPEG", exif=exif, comment=NAME.encode())


def test_jpeg_with_gps_and_comment_is_stored_without_either(private_root, incident):
    original = jpeg_with_gps_and_comment()
    assert NAME.encode() in original and b"Exif" in original  # the sample really carries them

    photo = services.incident_photo_add(incident=incident, upload=upload(original))

    for stored in (photo.image, photo.thumbnail):
        data = private_root.joinpath(stored.name).read_bytes()
        assert NAME.encode() not in data
        assert b"Juan" not in data
        assert b"Exif" not in data
        assert b"TelefonoMarca" not in data
        reopened = Image.open(io.BytesIO(data))
        assert reopened.format == "JPEG"
        assert "comment" not in reopened.info
        assert "exif" not in reopened.info
        assert dict(reopened.getexif()) == {}


def test_icc_profile_is_not_kept(private_root):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = encoded(Image.new("RGB", (64, 64), "blue"), "JPEG", icc_profile=profile)
    assert b"ICC_PROFILE" in original

    rebuilt = services.photo_rebuild(upload=upload(original))

    assert b"ICC_PROFILE" not in rebuilt.image
    assert "icc_profile" not in Image.open(io.BytesIO(rebuilt.image)).info


@pytest.mark.parametrize(
    ("fmt", "mode", "name", "content_type"),
    [
        ("JPEG", "RGB", "foto.jpg", "image/jpeg"),
        ("PNG", "RGBA", "captura.png", "image/png"),
        ("PNG", "L", "gris.png", "image/png"),
        ("WEBP", "RGB", "foto.webp", "image/webp"),
    ],
)
def test_still_jpeg_png_and_webp_come_out_as_jpeg(fmt, mode, name, content_type):
    original = encoded(Image.new(mode, (300, 200)), fmt)

    rebuilt = services.photo_rebuild(upload=upload(original, name, content_type))

    reopened = Image.open(io.BytesIO(rebuilt.image))
    assert (reopened.format, reopened.mode, reopened.size) == ("JPEG", "RGB", (300, 200))
    assert (rebuilt.width, rebuilt.height) == (300, 200)


def test_transparent_areas_become_white_not_black():
    original = encoded(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), "PNG")

    rebuilt = services.photo_rebuild(upload=upload(original, "logo.png", "image/png"))

    assert min(Image.open(io.BytesIO(rebuilt.image)).getpixel((32, 32))) > 240


def test_exif_orientation_is_applied():
    # Stored landscape, left half red; orientation 6 means "turn 90° clockwise to view": red ends on top.
    picture = Image.new("RGB", (100, 50), "blue")
    picture.paste((255, 0, 0), (0, 0, 50, 50))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6

    rebuilt = services.photo_rebuild(upload=upload(encoded(picture, "JPEG", exif=exif)))

    turned = Image.open(io.BytesIO(rebuilt.image))
    assert turned.size == (50, 100)
    top_red, top_green, top_blue = turned.getpixel((25, 10))
    bottom_red, bottom_green, bottom_blue = turned.getpixel((25, 90))
    assert top_red > 200 and top_blue < 60
    assert bottom_blue > 200 and bottom_red < 60


def test_large_photo_is_scaled_to_2048_and_thumbnail_to_400():
    original = encoded(Image.new("RGB", (4000, 1000), "orange"), "PNG")

    rebuilt = services.photo_rebuild(upload=upload(original, "panorama.png", "image/png"))

    assert Image.open(io.BytesIO(rebuilt.image)).size == (2048, 512)
    assert (rebuilt.width, rebuilt.height) == (2048, 512)
    assert Image.open(io.BytesIO(rebuilt.thumbnail)).size == (400, 100)


def test_thumbnail_of_a_portrait_photo_is_at_most_400_px(private_root, incident):
    original = encoded(Image.new("RGB", (900, 1600), "gray"), "JPEG")

    photo = services.incident_photo_add(incident=incident, upload=upload(original))

    thumbnail = Image.open(private_root / photo.thumbnail.name)
    assert max(thumbnail.size) == 400
    assert thumbnail.size == (225, 400)
    assert (photo.width, photo.height) == (900, 1600)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (10000, 10000),  # 100 Mpx: past Pillow's own warning threshold
        (20000, 20000),  # past Pillow's error threshold
        (7000, 7000),  # 49 Mpx: under Pillow's limits, over ours
        (12001, 100),  # one side too long
        (20, 500),  # one side too short
    ],
)
def test_declared_dimensions_out_of_bounds_are_refused_before_decoding(monkeypatch, width, height):
    bomb = png_declaring(width, height)
    decoded = []
    original_load = ImageFile.ImageFile.load

    def spy_load(image):
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(bomb, "bomba.png", "image/png"))

    assert error.value.messages == [BAD_DIMENSIONS]
    assert decoded == []


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_png_and_webp_are_refused(fmt):
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue", "green")]
    animation = encoded(frames[0], fmt, save_all=True, append_images=frames[1:])

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(animation, f"animada.{fmt.lower()}", f"image/{fmt.lower()}"))

    assert error.value.messages == [ANIMATED]


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>alert(document.cookie)</script><rect width='100' height='100'/></svg>"
)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (SVG_WITH_SCRIPT, "foto.jpg", "image/jpeg"),
        (b"Hola, soy un archivo de texto.\n", "foto.png", "image/png"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "foto.webp", "image/webp"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "foto.jpg", "image/jpeg"),
        (b"", "vacia.jpg", "image/jpeg"),
    ],
    ids=["svg", "text", "html", "pdf", "empty"],
)
def test_files_that_are_not_photos_are_refused_whatever_their_name(data, name, content_type):
    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(data, name, content_type))

    assert error.value.messages == [NOT_A_PHOTO]


@pytest.mark.parametrize("animated", [False, True], ids=["still", "animated"])
def test_gif_is_refused(animated):
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    gif = encoded(frames[0], "GIF", save_all=animated, append_images=frames[1:] if animated else [])

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(gif, "foto.jpg", "image/jpeg"))

    assert error.value.messages == [NOT_A_PHOTO]


def test_damaged_jpeg_is_refused_with_a_clear_message():
    whole = encoded(Image.effect_noise((400, 400), 60).convert("RGB"), "JPEG")

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(whole[: len(whole) // 2]))

    assert error.value.messages == ["No se pudo leer la foto: el archivo parece dañado."]


def test_file_over_10_mb_is_refused():
    big = encoded(Image.new("RGB", (64, 64)), "JPEG") + b"\0" * (10 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(big))

    assert error.value.messages == ["La foto es demasiado grande (máximo 10 MB)."]


def test_size_limit_is_read_from_settings_at_call_time(settings):
    photo = encoded(Image.effect_noise((300, 300), 80).convert("RGB"), "JPEG")
    settings.PHOTO_MAX_BYTES = len(photo) - 1

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=upload(photo))

    assert error.value.code == "photo_too_big"


def test_upload_without_declared_size_is_still_bounded(settings):
    settings.PHOTO_MAX_BYTES = 1024
    stream = io.BytesIO(encoded(Image.effect_noise((300, 300), 80).convert("RGB"), "JPEG"))

    with pytest.raises(ValidationError) as error:
        services.photo_rebuild(upload=stream)

    assert error.value.code == "photo_too_big"


def test_added_photo_is_stored_privately_with_its_uploader(private_root, incident, citizen):
    photo = services.incident_photo_add(
        incident=incident, upload=upload(encoded(Image.new("RGB", (200, 100)), "PNG")), by=citizen
    )

    assert photo.incident == incident
    assert photo.uploaded_by == citizen
    assert not photo.is_evidence
    assert sorted(stored_files(private_root)) == sorted(
        [private_root / photo.image.name, private_root / photo.thumbnail.name]
    )
    assert photo.image.name.endswith(".jpg") and "foto" not in photo.image.name


def test_refused_photo_stores_nothing(private_root, incident):
    with pytest.raises(ValidationError):
        services.incident_photo_add(incident=incident, upload=upload(SVG_WITH_SCRIPT))

    assert IncidentPhoto.objects.count() == 0
    assert stored_files(private_root) == []


def test_files_are_removed_when_the_row_cannot_be_saved(private_root, incident, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise DatabaseError("disco lleno")

    monkeypatch.setattr(IncidentPhoto, "save", failing_save)

    with pytest.raises(DatabaseError):
        services.incident_photo_add(
            incident=incident, upload=upload(encoded(Image.new("RGB", (200, 100)), "JPEG"))
        )

    assert IncidentPhoto.objects.count() == 0
    assert stored_files(private_root) == []


def test_sixth_citizen_photo_on_a_report_is_refused(private_root, incident, settings):
    settings.PHOTO_MAX_PER_REPORT = 5
    data = encoded(Image.new("RGB", (64, 64)), "JPEG")
    for _ in range(5):
        services.incident_photo_add(incident=incident, upload=upload(data))

    with pytest.raises(ValidationError) as error:
        services.incident_photo_add(incident=incident, upload=upload(data))

    assert error.value.messages == ["Un reporte admite como máximo 5 fotos."]
    assert incident.photos.count() == 5
    assert len(stored_files(private_root)) == 10


def test_evidence_photos_do_not_count_towards_the_citizen_limit(
    private_root, incident, settings, agency_staff
):
    settings.PHOTO_MAX_PER_REPORT = 1
    data = encoded(Image.new("RGB", (64, 64)), "JPEG")
    services.incident_photo_add(incident=incident, upload=upload(data))

    evidence = services.incident_photo_add(
        incident=incident, upload=upload(data), by=agency_staff, is_evidence=True
    )

    assert evidence.is_evidence
    assert incident.photos.count() == 2


def test_a_photo_rebuilt_beforehand_is_stored_as_it_was_rebuilt(private_root, incident):
    rebuilt = services.photo_rebuild(upload=upload(jpeg_with_gps_and_comment()))

    photo = services.incident_photo_add(incident=incident, upload=rebuilt)

    assert (private_root / photo.image.name).read_bytes() == rebuilt.image
    assert (private_root / photo.thumbnail.name).read_bytes() == rebuilt.thumbnail
