"""Every role of DESIGN.md §1 exists as a group with its permissions, kept in sync idempotently."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from portal.roles import ROLE_PERMISSIONS, Role, roles_sync

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate():
    assert set(ROLE_PERMISSIONS) <= set(Group.objects.values_list("name", flat=True))
    assert len(ROLE_PERMISSIONS) == 9


def test_each_listed_permission_exists_and_is_granted():
    counts = roles_sync()
    for role, names in ROLE_PERMISSIONS.items():
        assert counts[role] == len(names), role  # a typo in a permission name would lower the count


def test_sync_is_idempotent_and_repairs_a_removed_permission():
    group = Group.objects.get(name=Role.AUDITOR)
    before = set(group.permissions.values_list("codename", flat=True))
    group.permissions.clear()
    call_command("sync_roles", stdout=io.StringIO())
    call_command("sync_roles", stdout=io.StringIO())
    assert set(group.permissions.values_list("codename", flat=True)) == before
    assert Group.objects.filter(name=Role.AUDITOR).count() == 1


def test_auditor_reads_but_front_desk_cannot_triage(auditor, front_desk):
    assert auditor.has_perm("workflows.audit_incident")
    assert not auditor.has_perm("workflows.triage_incident")
    assert front_desk.has_perm("workflows.intake_incident")
    assert not front_desk.has_perm("workflows.triage_incident")


def test_editor_can_enter_the_wagtail_admin_and_a_citizen_cannot(client, editor, citizen):
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200
    client.force_login(citizen)
    assert client.get("/cms/").status_code == 302
