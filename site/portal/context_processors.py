"""Template context shared by every citizen page."""

from django.conf import settings

from cms_content.selectors import emergency_number_list

LARGE_TEXT_COOKIE = "cn_large_text"
HIGH_CONTRAST_COOKIE = "cn_high_contrast"


def portal(request):
    """Emergency numbers (reachable from every page), map settings and the reader's display choices."""
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "high_contrast": request.COOKIES.get(HIGH_CONTRAST_COOKIE) == "1",
        "emergency_numbers": emergency_number_list,  # callable: evaluated only by templates that show it
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
