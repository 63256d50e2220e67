"""Legal deadlines: business days of Chile (weekends and national holidays off) or plain hours."""

from datetime import datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from cms_content.models import CategoryWorkflowSettings, DeadlineUnit, IncidentCategory


@lru_cache(maxsize=16)
def _chile_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Chile(years=year)


def is_business_day(day) -> bool:
    return day.weekday() < 5 and day not in _chile_holidays(day.year)


def add_business_days(start: datetime, days: int) -> datetime:
    """The moment `days` business days after `start`, at the same local time of day."""
    local = timezone.localtime(start)
    moved = local
    remaining = days
    while remaining > 0:
        moved += timedelta(days=1)
        if is_business_day(moved.date()):
            remaining -= 1
    return moved


def add_deadline(start: datetime, amount: int, unit: str) -> datetime:
    if unit == DeadlineUnit.HOURS:
        return start + timedelta(hours=amount)
    return add_business_days(start, amount)


def workflow_settings_for(category: IncidentCategory) -> CategoryWorkflowSettings:
    """The category's own workflow settings, else its section's, else the defaults (one query)."""
    owners = [category.pk] + ([category.parent_id] if category.parent_id else [])
    found = {
        settings.category_id: settings
        for settings in CategoryWorkflowSettings.objects.filter(category_id__in=owners).order_by("-pk")
    }
    return found.get(category.pk) or found.get(category.parent_id) or CategoryWorkflowSettings()


def resolution_due_at(category: IncidentCategory, start: datetime) -> datetime:
    settings = workflow_settings_for(category)
    return add_deadline(start, settings.resolution_deadline, settings.resolution_deadline_unit)
