"""Message photos, streamed from private storage after the viewer's membership is checked."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from chat import selectors


def _photo_response(request, uid, field: str) -> FileResponse:
    photo = selectors.message_photo_for_viewer(uid=uid, user=request.user)
    if photo is None:
        # Same answer for "does not exist" and "not for you".
        raise Http404
    stored = getattr(photo, field)
    try:
        handle = stored.storage.open(stored.name, "rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg", filename=f"{photo.uid}.jpg")
    response["X-Content-Type-Options"] = "nosniff"
    # Members only, and a moderator may hide it later: never in a shared cache.
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_safe
def message_photo(request, uid):
    """A message's photo (at most 2048 px), for the room's members."""
    return _photo_response(request, uid, "image")


@login_required
@require_safe
def message_photo_thumbnail(request, uid):
    """A message photo's thumbnail (at most 400 px), for the room's members."""
    return _photo_response(request, uid, "thumbnail")
