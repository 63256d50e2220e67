"""The project's own deploy checks, run by `manage.py check --deploy` next to Django's.

cooperanet.E001 no Content-Security-Policy (middleware or policy missing, or inline scripts allowed)
cooperanet.E002 upload limits not set explicitly
cooperanet.E003 in-memory channel layer (chat between daphne processes would silently split)
cooperanet.E004 a viewflow flow without select_for_update locking (two agents could complete one task)
cooperanet.W001 two-factor authentication for staff switched off
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

UPLOAD_SETTINGS = (
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "DATA_UPLOAD_MAX_NUMBER_FIELDS",
    "DATA_UPLOAD_MAX_NUMBER_FILES",
)


def _csp_middleware_installed() -> bool:
    from csp.middleware import CSPMiddleware

    for path in settings.MIDDLEWARE:
        try:
            cls = import_string(path)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, CSPMiddleware):
            return True
    return False


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs=None, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    scripts = directives.get("script-src") or directives.get("default-src") or []
    if not _csp_middleware_installed() or not directives:
        return [
            Error(
                "No Content-Security-Policy header is sent.",
                hint="Add cooperanet.middleware.PathCSPMiddleware and CONTENT_SECURITY_POLICY.",
                id="cooperanet.E001",
            )
        ]
    if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
        return [
            Error(
                "The Content-Security-Policy of citizen pages allows inline scripts.",
                hint="Keep script-src to 'self'; relaxed paths are listed in CSP_RELAXED_PATHS.",
                id="cooperanet.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_upload_limits(app_configs=None, **kwargs):
    missing = [
        name
        for name in UPLOAD_SETTINGS
        if getattr(settings, name, None) is None or not settings.is_overridden(name)
    ]
    if not getattr(settings, "PHOTO_MAX_BYTES", None):
        missing.append("PHOTO_MAX_BYTES")
    if missing:
        return [
            Error(
                f"Upload limits are not set: {', '.join(missing)}.",
                hint="Set every one explicitly (settings/base.py), so no body or file is unbounded.",
                id="cooperanet.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_channel_layer(app_configs=None, **kwargs):
    backend = (getattr(settings, "CHANNEL_LAYERS", {}).get("default") or {}).get("BACKEND", "")
    if not backend or backend.endswith("InMemoryChannelLayer"):
        return [
            Error(
                "The channel layer is in memory: chat messages would not cross daphne processes.",
                hint="Set REDIS_URL (channels_redis.core.RedisChannelLayer).",
                id="cooperanet.E003",
            )
        ]
    return []


def _flow_classes():
    from viewflow.workflow.base import Flow

    pending = list(Flow.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        module = cls.__module__
        if any(module == app.name or module.startswith(f"{app.name}.") for app in apps.get_app_configs()):
            if not module.startswith("viewflow."):
                yield cls


@register(Tags.security, deploy=True)
def check_flow_locks(app_configs=None, **kwargs):
    from viewflow.workflow.lock import SelectForUpdateLock

    errors = []
    for flow_class in _flow_classes():
        if not isinstance(flow_class.lock_impl, SelectForUpdateLock):
            errors.append(
                Error(
                    f"{flow_class.__module__}.{flow_class.__name__} does not lock its process rows.",
                    hint="Set lock_impl = viewflow.workflow.lock.select_for_update_lock on the flow.",
                    id="cooperanet.E004",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_two_factor(app_configs=None, **kwargs):
    if not getattr(settings, "COOPERANET_REQUIRE_2FA", False):
        return [
            Warning(
                "Two-factor authentication for staff and editors is switched off.",
                hint="Leave COOPERANET_REQUIRE_2FA unset (True) in production.",
                id="cooperanet.W001",
            )
        ]
    return []
