"""A small world of incidents with known numbers: two actors, two neighbourhoods, a public and a
sensitive section. Incidents are written directly (the reporting service is tested in workflows)."""

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory, SectionFactory, SubSectionFactory
from workflows.models import Incident

_numbers = itertools.count(1)
# Yesterday (local calendar, noon incidents): windows end here, so view tests with default periods agree.
TODAY = date.today() - timedelta(days=1)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class World:
    actor_a: object
    actor_b: object
    north: object
    south: object
    potholes: object  # public sub-section of actor A
    lights: object  # public sub-section of actor B
    abuse: object  # sensitive sub-section of actor A
    public_section: object
    sensitive_section: object

    def incident(self, category=None, *, created: datetime | None = None, **fields) -> Incident:
        category = category or self.potholes
        number = next(_numbers)
        defaults = {
            "folio": f"CN-T-{number}",
            "category": category,
            "description": "Hay un problema en la calle.",
            "responsible_actor": category.responsible_actor,
            "neighbourhood": self.north,
            "latitude": -45.5712,
            "longitude": -72.0685,
        }
        defaults.update(fields)
        incident = Incident.objects.create(**defaults)
        created = created or at(TODAY - timedelta(days=3))
        Incident.objects.filter(pk=incident.pk).update(created_at=created)
        incident.refresh_from_db()
        return incident


@pytest.fixture
def world(db):
    actor_a, actor_b = ActorFactory(name="Aseo Municipal"), ActorFactory(name="Alumbrado")
    public_section = SectionFactory(name="Calles")
    sensitive_section = SectionFactory(name="Violencia", sensitive=True, public=False)
    return World(
        actor_a=actor_a,
        actor_b=actor_b,
        north=NeighbourhoodFactory(name="Norte"),
        south=NeighbourhoodFactory(name="Sur"),
        potholes=SubSectionFactory(parent=public_section, name="Baches", responsible_actor=actor_a),
        lights=SubSectionFactory(parent=public_section, name="Luminarias", responsible_actor=actor_b),
        abuse=SubSectionFactory(
            parent=sensitive_section, name="Maltrato", responsible_actor=actor_a, sensitive=True, public=False
        ),
        public_section=public_section,
        sensitive_section=sensitive_section,
    )


@pytest.fixture
def window():
    from indicators.selectors.common import Window

    return Window(TODAY - timedelta(days=27), TODAY)
