"""The public dashboard (cached a few minutes) and the internal one (filters, scoped by actor)."""

from dataclasses import replace

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from indicators.forms import InternalFilterForm
from indicators.permissions import staff_actor_scope
from indicators.selectors.common import Filters, Window, category_with_children
from indicators.selectors.dashboards import dashboard_data

PUBLIC_WEEKS = (4, 12, 26, 52)
DEFAULT_WEEKS = 12
PUBLIC_CACHE_SECONDS = 300


def _weeks(request) -> int:
    try:
        weeks = int(request.GET.get("semanas", DEFAULT_WEEKS))
    except ValueError:
        return DEFAULT_WEEKS
    return weeks if weeks in PUBLIC_WEEKS else DEFAULT_WEEKS


def public_dashboard_data(*, weeks: int) -> dict:
    """The public figures, shared by every visitor for a few minutes (the same for all: no identity)."""
    today = timezone.localdate()
    key = f"indicators:public:v1:{weeks}:{today.isoformat()}:{get_language()}"

    def compute():
        return dashboard_data(Filters(window=Window.last_weeks(weeks, today=today), public=True))

    return cache.get_or_set(key, compute, PUBLIC_CACHE_SECONDS)


def public_dashboard(request):
    weeks = _weeks(request)
    data = public_dashboard_data(weeks=weeks)
    return render(
        request,
        "indicators/public_dashboard.html",
        {"data": data, "weeks": weeks, "week_choices": PUBLIC_WEEKS},
    )


def internal_dashboard(request):
    actor_ids = staff_actor_scope(user=request.user)
    form = InternalFilterForm(request.GET or None, actor_ids=actor_ids)
    window = form.window()
    filters = Filters(window=window, public=False, actor_ids=actor_ids)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("actor"):
            filters = replace(filters, actor_ids=(data["actor"].pk,))
        if data.get("categoria"):
            filters = replace(filters, category_ids=category_with_children(data["categoria"]))
        if data.get("barrio"):
            filters = replace(filters, neighbourhood_id=data["barrio"].pk)
        if data.get("canal"):
            filters = replace(filters, channel=data["canal"])
    return render(
        request,
        "indicators/internal_dashboard.html",
        {
            "form": form,
            "data": dashboard_data(filters, internal=True),
            "window": window,
            "all_actors": actor_ids is None,
        },
    )
