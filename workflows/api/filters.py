"""Filters of the public incident list (query parameters of GET /api/incidents/)."""

from datetime import UTC

import django_filters
from django.utils.translation import gettext_lazy as _

from workflows.models import Incident, IncidentStatus


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 filter compared in UTC: PostgreSQL refuses offsets beyond ±15:59 (a 500 otherwise)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except (OverflowError, ValueError):
                return qs.none()  # a date so far out no incident can match it
        return super().filter(qs, value)


class IncidentPublicFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        field_name="category__slug", max_length=80, label=_("Sub-sección (identificador)")
    )
    section = django_filters.CharFilter(
        field_name="category__parent__slug", max_length=80, label=_("Sección (identificador)")
    )
    neighbourhood = django_filters.CharFilter(
        field_name="neighbourhood__slug", max_length=80, label=_("Barrio (identificador)")
    )
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("Estado"))
    created_after = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=_("Creado desde (ISO 8601, incluido)")
    )
    created_before = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", label=_("Creado antes de (ISO 8601, excluido)")
    )

    class Meta:
        model = Incident
        fields = ["category", "section", "neighbourhood", "status", "created_after", "created_before"]
