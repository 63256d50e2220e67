"""Template helpers of staff incident screens: the live coordination room's address, when chat has one."""

from django import template

from workflows.selectors import coordination_room_url

register = template.Library()


@register.simple_tag
def incident_room_url(incident_id):
    """`{% incident_room_url incident.pk as url %}`: the room's URL, or None (chat not wired yet)."""
    return coordination_room_url(incident_id=incident_id)
