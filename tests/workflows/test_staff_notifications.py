"""Staff in-app notifications: assignment, new task in the actor's queue, deadline warnings/escalation.

Written by the background worker after commit (django-tasks; the test settings run it at once on commit).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from portal.roles import Role
from tests.factories.cms_content import ActorFactory
from tests.workflows.task_list_helpers import member, open_task, report
from workflows import services
from workflows.models import Incident, StaffNotification
from workflows.services.task_assignment import tasks_assign_to

pytestmark = pytest.mark.django_db(transaction=True)

Kind = StaffNotification.Kind


def test_new_task_in_the_queue_tells_the_actors_staff_who_may_take_it(actor, agency_manager, agency_staff):
    outsider = member(ActorFactory(), Role.AGENCY_MANAGER)
    incident = report(actor)
    notified = set(
        StaffNotification.objects.filter(kind=Kind.NEW_TASK, incident=incident).values_list("user", flat=True)
    )
    # Triage needs the triage permission: the manager is told, plain staff and other actors are not.
    assert agency_manager.pk in notified
    assert agency_staff.pk not in notified and outsider.pk not in notified


def test_assignment_notifies_in_app_and_by_email(actor, agency_manager):
    worker = member(actor, Role.AGENCY_MANAGER, email="trabajo@example.cl")
    incident = report(actor)
    mail.outbox.clear()
    tasks_assign_to(task_ids=[open_task(incident, "triage").pk], assignee=worker, by=agency_manager)
    notice = StaffNotification.objects.get(user=worker, kind=Kind.ASSIGNED)
    assert incident.folio in notice.text and notice.read_at is None
    assert [m.to for m in mail.outbox] == [["trabajo@example.cl"]]


def test_nothing_is_sent_when_the_transaction_rolls_back(actor, agency_manager):
    worker = member(actor, Role.AGENCY_MANAGER)
    incident = report(actor)
    task = open_task(incident, "triage")
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks_assign_to(task_ids=[task.pk], assignee=worker, by=agency_manager)
        raise RuntimeError("falla después")
    assert not StaffNotification.objects.filter(user=worker, kind=Kind.ASSIGNED).exists()
    task.refresh_from_db()
    assert task.owner_id is None


def test_deadline_warnings_and_escalation_reach_the_managers_once(actor, agency_manager, agency_staff):
    incident = report(actor)
    Incident.objects.filter(pk=incident.pk).update(due_at=incident.created_at + timedelta(hours=1))
    later = incident.created_at + timedelta(hours=2)
    services.deadline_tick(now=later)
    services.deadline_tick(now=later)  # a second run fires nothing again
    kinds = list(
        StaffNotification.objects.filter(user=agency_manager, incident=incident).values_list(
            "kind", flat=True
        )
    )
    assert kinds.count(Kind.DEADLINE_WARNING) == 2 and kinds.count(Kind.ESCALATED) == 1
    assert not StaffNotification.objects.filter(user=agency_staff, kind=Kind.ESCALATED).exists()


def test_list_page_unread_count_in_header_and_mark_as_read(client, actor, agency_manager, agency_staff):
    incident = report(actor)
    own = StaffNotification.objects.create(
        user=agency_manager, kind=Kind.ASSIGNED, incident=incident, text="A"
    )
    other = StaffNotification.objects.create(
        user=agency_staff, kind=Kind.ASSIGNED, incident=incident, text="B"
    )
    client.force_login(agency_manager)
    unread = StaffNotification.objects.filter(user=agency_manager, read_at__isnull=True).count()
    page = client.get(reverse("workflows_staff:notifications")).content.decode()
    assert 'id="staff-notifications-link"' in page and f">{unread}</span>" in page
    # Marking someone else's notification does nothing to it.
    client.post(reverse("workflows_staff:notifications_mark_read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    client.post(reverse("workflows_staff:notifications_mark_read"), {"id": own.pk})
    own.refresh_from_db()
    assert own.read_at is not None
    client.post(reverse("workflows_staff:notifications_mark_read"))
    assert not StaffNotification.objects.filter(user=agency_manager, read_at__isnull=True).exists()


def test_citizens_have_no_notification_link(client, citizen):
    client.force_login(citizen)
    assert "staff-notifications-link" not in client.get(reverse("portal:home")).content.decode()
