"""Small security helpers shared by the settings: which address a request comes from."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address as the flood limits see it (X-Real-IP behind nginx, REMOTE_ADDR otherwise).

    django-axes calls this (AXES_CLIENT_IP_CALLABLE), so a lockout and a rate limit count the same person.
    """
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
    value = request.META.get(meta_key) or request.META.get("REMOTE_ADDR")
    if not value:
        return None
    # X-Forwarded-For style lists: the first address is the client's.
    return str(value).split(",")[0].strip()[:45] or None
