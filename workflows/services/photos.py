"""Citizen and evidence photos: refuse what is not a plain still photo, rebuild the rest from its pixels.

A photo from a phone carries the place it was taken (GPS), the device, sometimes a name (EXIF Artist,
the JPEG comment, an ICC profile's text). Nothing of the upload is kept: only its pixels, re-encoded as a
new JPEG, in private storage (`workflows.storage`), served by `portal:incident_photo` after an access check.
"""

import io
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

from workflows.models import Incident, IncidentPhoto

logger = logging.getLogger(__name__)

# Formats are told apart by their content (Pillow's own signature checks), never by name or content type.
# A camera JPEG with a second picture (depth map, preview) opens as MPO: its first frame is the photo.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MIN_SIDE = 32
MAX_LONG_SIDE = 2048
THUMBNAIL_LONG_SIDE = 400
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class RebuiltPhoto:
    """A photo rebuilt in memory: JPEG bytes of the image and its thumbnail, nothing of the upload."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _not_a_photo() -> ValidationError:
    return ValidationError(_("El archivo no es una foto JPG, PNG o WebP."), code="photo_format")


def _bad_dimensions() -> ValidationError:
    return ValidationError(_("La foto tiene dimensiones no permitidas."), code="photo_dimensions")


def _read_bounded(upload, limit: int) -> bytes:
    """The upload's bytes, refusing more than `limit` without reading past it."""
    too_big = ValidationError(
        _("La foto es demasiado grande (máximo %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
        code="photo_too_big",
    )
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise too_big
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise _not_a_photo()
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Open the upload lazily and check what its header declares, before any pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        raise _bad_dimensions() from error
    except Image.DecompressionBombWarning as error:  # raised as an error by the caller's filter
        raise _bad_dimensions() from error
    except Exception as error:  # Pillow raises many kinds on garbage; all mean "not one of ours"
        raise _not_a_photo() from error
    if image.format not in (*ACCEPTED_FORMATS, "MPO"):
        raise _not_a_photo()
    # `.size` comes from the header: a 12 KB PNG may declare 10000×10000 and need ~300 MB once decoded.
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
        raise _bad_dimensions()
    if image.format != "MPO" and (getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1):
        raise ValidationError(_("Las imágenes animadas no se aceptan."), code="photo_animated")
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Plain RGB pixels; colours mapped to sRGB when the photo brings its own profile (wide-gamut phones)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas would turn black in JPEG: lay the picture on white.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    elif image.mode.startswith("I"):
        # 16/32-bit greyscale PNG: scale to 8 bits instead of clipping everything to white.
        image = image.point(lambda value: value / 256).convert("L")
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, source, target, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile only costs colour accuracy
    return image.convert("RGB")


def _rebuilt_jpeg(image: Image.Image, *, quality: int) -> bytes:
    # A new image made from the raw pixels has an empty `info`: Pillow re-saves a JPEG's comment
    # (`info["comment"]`), and EXIF or ICC from the source, when it is handed the decoded image itself.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def photo_rebuild(*, upload) -> RebuiltPhoto:
    """Check an uploaded photo and rebuild it from its pixels as a JPEG plus a thumbnail, in memory.

    Raises ValidationError (Spanish message) for anything but a still JPEG, PNG or WebP within the size
    limits. Nothing is written anywhere.
    """
    data = _read_bounded(upload, settings.PHOTO_MAX_BYTES)
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; here any bomb warning is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(data)
        try:
            if image.format in ("JPEG", "MPO"):
                # Let the JPEG decoder scale down while decoding (DCT scaling): less memory, same result.
                image.draft("RGB", (MAX_LONG_SIDE, MAX_LONG_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
            image = _to_srgb(image)
            image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
            thumbnail = image.copy()
            thumbnail.thumbnail((THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE), Image.Resampling.LANCZOS)
            rebuilt = RebuiltPhoto(
                image=_rebuilt_jpeg(image, quality=JPEG_QUALITY),
                thumbnail=_rebuilt_jpeg(thumbnail, quality=THUMBNAIL_QUALITY),
                width=image.width,
                height=image.height,
            )
        except ValidationError:
            raise
        except Exception as error:  # truncated or corrupt data surfaces here, in many exception types
            raise ValidationError(
                _("No se pudo leer la foto: el archivo parece dañado."), code="photo_damaged"
            ) from error
    return rebuilt


def photo_files_write(photo, rebuilt: RebuiltPhoto, written: list) -> None:
    """Put a rebuilt photo's image and thumbnail on `photo` (a model with `image`, `thumbnail`, `width` and
    `height`: an incident photo, a chat message photo) without saving the row; each file written is added
    to `written`, so the caller can remove them with `photo_files_remove` if the row is not saved."""
    photo.image.save("foto.jpg", ContentFile(rebuilt.image), save=False)
    written.append((photo.image.storage, photo.image.name))
    photo.thumbnail.save("miniatura.jpg", ContentFile(rebuilt.thumbnail), save=False)
    written.append((photo.thumbnail.storage, photo.thumbnail.name))
    # After the files: saving an ImageField resets its width/height fields.
    photo.width, photo.height = rebuilt.width, rebuilt.height


def photo_files_remove(written: list) -> None:
    """Remove files written for a row that was not saved (best effort: a leftover is logged)."""
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove orphan photo file %s", name)


def incident_photo_add(*, incident: Incident, upload, by=None, is_evidence: bool = False) -> IncidentPhoto:
    """Rebuild an uploaded photo and attach it to `incident` (citizen photo, or staff evidence).

    `upload` may also be a RebuiltPhoto from `photo_rebuild`, so a form can check every photo before the
    incident exists. Citizen photos are limited to PHOTO_MAX_PER_REPORT per incident; evidence is not.
    Both files are built in memory first; if the row cannot be saved, the files already written are removed.
    """
    # Rebuilt outside the transaction: CPU work must not hold the incident's row lock.
    rebuilt = upload if isinstance(upload, RebuiltPhoto) else photo_rebuild(upload=upload)
    written: list[tuple] = []
    try:
        with transaction.atomic():
            # Lock the incident so two uploads at once cannot both pass the per-report limit.
            locked = Incident.objects.select_for_update().get(pk=incident.pk)
            if not is_evidence:
                limit = settings.PHOTO_MAX_PER_REPORT
                if locked.photos.filter(is_evidence=False).count() >= limit:
                    raise ValidationError(
                        _("Un reporte admite como máximo %(max)s fotos.") % {"max": limit},
                        code="photo_limit",
                    )
            photo = IncidentPhoto(
                incident=locked,
                uploaded_by=by if (by is not None and by.is_authenticated) else None,
                is_evidence=is_evidence,
            )
            photo_files_write(photo, rebuilt, written)
            photo.save()
    except BaseException:
        photo_files_remove(written)
        raise
    return photo
