"""Incident photos, streamed from private storage after the viewer's access is checked."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from workflows.selectors import incident_photo_for_viewer, incident_photo_is_public


def _photo_response(request, uid, field: str) -> FileResponse:
    photo = incident_photo_for_viewer(
        uid=uid, user=request.user, tracking_secret=request.GET.get("s") or None
    )
    if photo is None:
        # Same answer for "does not exist" and "not yours": a 404 never confirms a sensitive case's photo.
        raise Http404
    stored = getattr(photo, field)
    try:
        handle = stored.storage.open(stored.name, "rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg", filename=f"{photo.uid}.jpg")
    response["X-Content-Type-Options"] = "nosniff"
    if incident_photo_is_public(photo=photo):
        response["Cache-Control"] = "public, max-age=3600"
    else:
        # Never in a shared cache, nor on the disk of a shared computer.
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def incident_photo(request, uid):
    """The photo of an incident (at most 2048 px), for whoever may see it."""
    return _photo_response(request, uid, "image")


@require_safe
def incident_photo_thumbnail(request, uid):
    """The thumbnail (at most 400 px) of an incident photo, for whoever may see it."""
    return _photo_response(request, uid, "thumbnail")
