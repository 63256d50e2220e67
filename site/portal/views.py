"""Citizen site views: thin, they call selectors and render."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cms_content.selectors import section_list
from portal.context_processors import HIGH_CONTRAST_COOKIE, LARGE_TEXT_COOKIE


def home(request):
    """The citizen home: big buttons to report, follow a report, get help; the emergency numbers."""
    return render(request, "portal/home.html", {"sections": section_list()})


PREFERENCE_COOKIES = {"large_text": LARGE_TEXT_COOKIE, "high_contrast": HIGH_CONTRAST_COOKIE}
ONE_YEAR = 365 * 24 * 3600


@require_POST
def display_preferences(request):
    """Turn large text or high contrast on/off; remembered in a cookie for a year (works without JS)."""
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    for field, cookie in PREFERENCE_COOKIES.items():
        if field in request.POST:
            response.set_cookie(
                cookie,
                "1" if request.POST[field] == "1" else "0",
                max_age=ONE_YEAR,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
    return response


RETRY_AFTER_SECONDS = 600


def rate_limited(request, exception=None):
    """429 for floods of a form: a plain message and when to try again (no data was stored)."""
    context = {"retry_minutes": RETRY_AFTER_SECONDS // 60}
    response = render(request, "portal/rate_limited.html", context, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
