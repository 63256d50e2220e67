"""Shared data of the task list, acta and staff notification tests."""

from django.contrib.auth.models import Group
from django.urls import reverse
from viewflow.workflow.models import Task

from cms_content.models import ActorMembership
from portal.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import IncidentProcess

POINT = (-45.5712, -72.0685)  # inside NeighbourhoodFactory's default square, in Coyhaique


def member(actor, role=Role.AGENCY_STAFF, *, is_manager=False, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    ActorMembership.objects.create(user=user, actor=actor, is_manager=is_manager)
    return user


def report(actor, *, category=None, point=None, address="Prat 200", **kwargs):
    category = category or SubSectionFactory(responsible_actor=actor)
    lat, lon = point or (None, None)
    return services.incident_report(
        category=category, description="Basural", address=address, latitude=lat, longitude=lon, **kwargs
    )


def open_task(incident, name):
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    return Task.objects.filter(process=process, flow_task__endswith=name).exclude(status="DONE").get()


def task_url(task, action):
    return reverse(f"standard:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])
