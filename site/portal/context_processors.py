"""Template context shared by every citizen page."""

from django.conf import settings

from cms_content.selectors import emergency_number_list


def portal(request):
    """Emergency numbers (reachable from every page) and map settings."""
    return {
        "emergency_numbers": emergency_number_list,  # callable: evaluated only by templates that show it
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
