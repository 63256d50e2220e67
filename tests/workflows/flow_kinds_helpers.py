"""Shared set-up of the flow-kind and coordination tests: categories, members and task helpers."""

from django.contrib.auth.models import Group
from django.urls import reverse
from viewflow.workflow.models import Task

from cms_content.models import ActorMembership
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import ActorFactory, CategoryWorkflowSettingsFactory, SubSectionFactory
from workflows import services
from workflows.models import IncidentProcess


def member(actor, role="agency_staff", *, is_manager=None):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    manager = (role == "agency_manager") if is_manager is None else is_manager
    ActorMembership.objects.create(user=user, actor=actor, is_manager=manager)
    return user


def emergency_category(*, supporting=1, acknowledgement_minutes=10, resolution_hours=6, **category_kwargs):
    responsible = ActorFactory(name="Bomberos de prueba")
    helpers = [ActorFactory(name=f"Apoyo {n}") for n in range(supporting)]
    category = SubSectionFactory(responsible_actor=responsible, **category_kwargs)
    category.supporting_actors.set(helpers)
    category.save()  # ParentalManyToManyField: kept in memory until the category is saved
    CategoryWorkflowSettingsFactory(
        category=category,
        flow_kind="emergency",
        acknowledgement_minutes=acknowledgement_minutes,
        resolution_deadline=resolution_hours,
        resolution_deadline_unit="business_days",  # emergencies count hours whatever the unit says
    )
    return category, responsible, helpers


def protected_category(*, protection_actor=None):
    responsible = ActorFactory(name="Carabineros de prueba")
    protection = protection_actor or ActorFactory(name="Centro de la Mujer de prueba")
    category = SubSectionFactory(responsible_actor=responsible, sensitive=True, public=False)
    CategoryWorkflowSettingsFactory(category=category, flow_kind="protected", protection_actor=protection)
    return category, responsible, protection


def report(category, **kwargs):
    values = {"description": "Humo saliendo de una casa", "address": "Baquedano 100"}
    values.update(kwargs)
    return services.incident_report(category=category, **values)


def process_of(incident):
    return IncidentProcess.objects.filter(artifact_object_id=incident.pk).order_by("-pk").first()


def open_tasks(incident, name=None):
    tasks = Task.objects.filter(process__artifact_object_id=incident.pk).exclude(
        status__in=["DONE", "CANCELED"]
    )
    if name:
        tasks = tasks.filter(flow_task__endswith=f".{name}")
    return list(tasks.order_by("pk"))


def task_for_subtask(incident, name, subtask_id):
    return next(t for t in open_tasks(incident, name) if (t.data or {}).get("subtask_id") == subtask_id)


def task_url(task, action):
    namespace = task.process.flow_class.__name__.removesuffix(
        "Flow"
    ).lower()  # standard, emergency, protected
    return reverse(f"{namespace}:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])


def assign_and_post(client, task, data):
    client.post(task_url(task, "assign"))
    return client.post(task_url(task, "execute"), data)
