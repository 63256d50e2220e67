"""Bilingual fields: Spanish in the plain field, English in `<field>_en`."""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    """The English value when the active language is English and it is filled in, else the Spanish one."""
    if (get_language() or "es").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
