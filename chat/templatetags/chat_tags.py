"""Template helpers of the chat pages."""

from django import template

from chat import groups

register = template.Library()


@register.filter
def chat_author(user) -> str:
    """The display name members see (never an e-mail or phone)."""
    return groups.author_display_name(user)
