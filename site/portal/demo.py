"""Demo data: one user of every role and a few hundred incidents, reproducible from a random seed.

Used by `load_demo_data` (make run). Refused under production settings: the passwords are public.
"""

import random
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cms_content.geo import boundary_centroid
from cms_content.models import Actor, ActorMembership, IncidentCategory, Neighbourhood
from portal.roles import Role
from workflows import services as incident_services
from workflows.models import Incident, IncidentStatus, ReportChannel

DEMO_PASSWORD = "cooperanet-demo"  # documented in the README; never valid in production
DEMO_USERS = [
    # username, role, first name, last name, actor slug (staff) or None
    ("vecina", Role.CITIZEN, "Rosa", "Millán", None),
    ("dirigente", Role.NEIGHBOURHOOD_LEADER, "Juan", "Catalán", None),
    ("oficina", Role.FRONT_DESK, "Paula", "Soto", "municipalidad-coyhaique"),
    ("funcionario", Role.AGENCY_STAFF, "Pedro", "Vargas", "muni-aseo-ornato"),
    ("jefatura", Role.AGENCY_MANAGER, "Carla", "Navarro", "muni-aseo-ornato"),
    ("autoridad", Role.AUTHORITY, "Marcos", "Uribe", "delegacion-provincial-coyhaique"),
    ("auditoria", Role.AUDITOR, "Elena", "Paredes", None),
    ("editora", Role.EDITOR, "Lucía", "Toledo", None),
    ("capacitador", Role.TRAINER, "Tomás", "Aguilar", None),
]
DESCRIPTIONS = [
    "Lo vimos esta mañana, sigue igual.",
    "Ocurre hace varios días y nadie ha venido.",
    "Los vecinos estamos preocupados, hay niños cerca.",
    "Pasa todas las noches a la misma hora.",
    "Es peligroso para las personas mayores que caminan por aquí.",
]
STAFF_STATUSES = [
    IncidentStatus.IN_REVIEW,
    IncidentStatus.ASSIGNED,
    IncidentStatus.IN_PROGRESS,
    IncidentStatus.RESOLVED,
    IncidentStatus.CLOSED,
]


def demo_users_create() -> list:
    """Create (or reset) one user per role with the demo password; staff join their actor."""
    User = get_user_model()
    users = []
    for username, role, first, last, actor_slug in DEMO_USERS:
        user, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.cooperanet.localhost"
        user.is_staff = role in (Role.EDITOR, Role.TRAINER)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        actor = Actor.objects.filter(slug=actor_slug).first() if actor_slug else None
        if actor is not None:
            ActorMembership.objects.update_or_create(
                user=user, actor=actor, defaults={"is_manager": role == Role.AGENCY_MANAGER}
            )
        users.append(user)
    return users


def _random_point(rng: random.Random, neighbourhoods: list) -> tuple[float, float]:
    centre = boundary_centroid(rng.choice(neighbourhoods).boundary)
    return centre.lat + rng.uniform(-0.002, 0.002), centre.lon + rng.uniform(-0.002, 0.002)


def demo_incidents_create(
    *, count: int, seed: int, progress: Callable[[int, int], None] | None = None
) -> int:
    """Create `count` demo incidents spread over the last 90 days; returns how many were created."""
    rng = random.Random(seed)
    categories = list(IncidentCategory.objects.reportable().exclude(blocks_form=True))
    neighbourhoods = list(Neighbourhood.objects.filter(active=True))
    User = get_user_model()
    citizen = User.objects.get(username="vecina")
    officer = User.objects.get(username="oficina")
    manager = User.objects.get(username="jefatura")
    now = timezone.now()
    for number in range(1, count + 1):
        category = rng.choice(categories)
        lat, lon = _random_point(rng, neighbourhoods)
        channel = rng.choice(
            [ReportChannel.WEB, ReportChannel.WEB, ReportChannel.FRONT_DESK, ReportChannel.PHONE]
        )
        with transaction.atomic():
            incident = incident_services.incident_report(
                category=category,
                description=f"{category.name}: {rng.choice(DESCRIPTIONS)}",
                by=citizen if channel == ReportChannel.WEB else officer,
                latitude=lat,
                longitude=lon,
                channel=channel,
                is_anonymous=rng.random() < 0.2,
                contact_name="" if channel == ReportChannel.WEB else "Vecino de prueba",
                contact_phone="" if channel == ReportChannel.WEB else f"+5699{rng.randint(1000000, 9999999)}",
            )
            # Spread the reports over time so that indicators have something to show.
            Incident.objects.filter(pk=incident.pk).update(
                created_at=now - timedelta(minutes=rng.randint(0, 90 * 1440))
            )
            if rng.random() < 0.6:
                incident_services.incident_change_status(
                    incident_id=incident.pk, status=rng.choice(STAFF_STATUSES), by=manager
                )
        if progress:
            progress(number, count)
    return count
