"""Helpers shared by the workshop views."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from workshops.models import WorkshopPage
from workshops.selectors import can_run

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (a name like "=HYPERLINK(…)" stays text)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def workshop_for_trainer(request, workshop_id: int) -> WorkshopPage:
    """The workshop, if the signed-in user may run it; else a login redirect or 403."""
    if not request.user.is_authenticated:
        raise _LoginRequired(request)
    workshop = get_object_or_404(WorkshopPage, pk=workshop_id)
    if not can_run(user=request.user, workshop=workshop):
        raise PermissionDenied
    return workshop


class _LoginRequired(Exception):
    def __init__(self, request):
        super().__init__("login required")
        self.response = redirect_to_login(request.get_full_path())


def trainer_view(view):
    """Turn the login requirement of `workshop_for_trainer` into the login redirect."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired as needed:
            return needed.response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
