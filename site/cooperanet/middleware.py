"""Middleware of the project wiring."""

from django.contrib.auth.views import redirect_to_login
from viewflow.middleware import SiteMiddleware


class TaskSiteMiddleware(SiteMiddleware):
    """viewflow's SiteMiddleware, but anonymous visitors of the task UI are sent to log in (not a 403)."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        match = request.resolver_match
        extra = getattr(match.url_name, "extra", {}) if match else {}
        if extra.get("site") is not None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().process_view(request, callback, callback_args, callback_kwargs)
