"""drf-spectacular hooks."""


def only_project_api(endpoints):
    """Keep only the project's REST paths (/api/…, /open311/…), not Wagtail's API v2 views."""
    return [
        endpoint
        for endpoint in endpoints
        if (endpoint[0].startswith("/api/") and not endpoint[0].startswith("/api/v2/"))
        or endpoint[0].startswith("/open311/")
    ]
