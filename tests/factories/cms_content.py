"""Factories of reference data (small and self-contained; the real data is in fixtures/)."""

import factory
from factory.django import DjangoModelFactory

from cms_content.models import Actor, ActorGroup, CategoryWorkflowSettings, IncidentCategory, Neighbourhood


def square(lat: float, lon: float, half: float = 0.004) -> dict:
    """A GeoJSON square around a point (counter-clockwise)."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class NeighbourhoodFactory(DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"barrio-{n}")
    name = factory.Sequence(lambda n: f"Barrio {n}")
    boundary = factory.LazyFunction(lambda: square(-45.5712, -72.0685))

    class Meta:
        model = Neighbourhood


class ActorFactory(DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Sequence(lambda n: f"Actor {n}")
    group = ActorGroup.PUBLIC_SERVICES

    class Meta:
        model = Actor


class SectionFactory(DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"seccion-{n}")
    name = factory.Sequence(lambda n: f"Sección {n}")

    class Meta:
        model = IncidentCategory


class SubSectionFactory(DjangoModelFactory):
    parent = factory.SubFactory(SectionFactory)
    slug = factory.Sequence(lambda n: f"sub-seccion-{n}")
    name = factory.Sequence(lambda n: f"Sub-sección {n}")
    responsible_actor = factory.SubFactory(ActorFactory)

    class Meta:
        model = IncidentCategory


class CategoryWorkflowSettingsFactory(DjangoModelFactory):
    category = factory.SubFactory(SubSectionFactory)

    class Meta:
        model = CategoryWorkflowSettings
