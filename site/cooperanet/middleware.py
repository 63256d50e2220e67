"""Middleware of the project wiring."""

import copy

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from viewflow.middleware import SiteMiddleware

from workflows.task_conflicts import task_conflict_response


class TaskSiteMiddleware(SiteMiddleware):
    """viewflow's SiteMiddleware, but anonymous visitors of the task UI are sent to log in (not a 403),
    and a task that someone else completed or took first answers 409 in plain Spanish (not a 403/500)."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        match = request.resolver_match
        extra = getattr(match.url_name, "extra", {}) if match else {}
        if extra.get("site") is not None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def process_exception(self, request, exception):
        return task_conflict_response(request=request, exception=exception)


def keep_csrf_cookie(get_response):
    """Do not send back the csrf cookie the request already carried.

    Django re-sends the cookie on every page with a form, only to renew its one-year expiry. A slow
    answer (the service worker warming its pages while the person logs in, a second tab) then puts back
    the token that the login replaced, and the next form fails with "CSRF verification failed" (403).
    A new or rotated token is still sent: its value differs from the request's.
    """

    def middleware(request):
        response = get_response(request)
        name = settings.CSRF_COOKIE_NAME
        sent = response.cookies.get(name)
        if sent is not None and sent.value and sent.value == request.COOKIES.get(name):
            del response.cookies[name]
        return response

    return middleware


RELAXED_SCRIPT_SOURCES = ["'self'", "'unsafe-inline'"]


def relaxed_policy() -> dict:
    """The project's policy with inline scripts allowed: Wagtail's admin, viewflow's UI and Swagger
    write inline <script> and on* handlers we do not control. Everything else stays as strict."""
    directives = copy.deepcopy(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["script-src"] = list(RELAXED_SCRIPT_SOURCES)
    return directives


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with a per-path policy: strict on citizen pages, relaxed on admin paths.

    The relaxed paths are settings.CSP_RELAXED_PATHS; a view's own @csp_override still wins.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        relaxed = tuple(getattr(settings, "CSP_RELAXED_PATHS", ()))
        if not report_only and parts.config is None and relaxed and request.path_info.startswith(relaxed):
            parts.config = relaxed_policy()
        return parts
