"""{% staff_unread_count as n %}: unread in-app notifications of the signed-in staff member (header)."""

from django import template

from workflows.models import StaffNotification

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_unread_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return StaffNotification.objects.filter(user=user, read_at__isnull=True).count()
