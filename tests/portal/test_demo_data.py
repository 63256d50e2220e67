"""The demo command: a user of every role, reproducible incidents, refused in production."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal.demo import DEMO_PASSWORD
from portal.roles import ROLE_PERMISSIONS
from workflows.models import Incident

pytestmark = pytest.mark.django_db


def run_demo(**options):
    out = io.StringIO()
    call_command("load_demo_data", stdout=out, **options)
    return out.getvalue()


def test_demo_creates_one_user_per_role_with_the_documented_password(reference_data):
    run_demo(incidents=5)
    User = get_user_model()
    for role in ROLE_PERMISSIONS:
        user = User.objects.filter(groups__name=role).get()
        assert user.check_password(DEMO_PASSWORD), role


def test_demo_incidents_are_reproducible_from_the_seed(reference_data):
    run_demo(incidents=12, seed=7)
    first = list(Incident.objects.order_by("pk").values_list("category__slug", "latitude", "status"))
    Incident.objects.all().delete()
    run_demo(incidents=12, seed=7)
    second = list(Incident.objects.order_by("pk").values_list("category__slug", "latitude", "status"))
    assert first == second
    assert len(first) == 12


def test_demo_shows_progress_and_if_empty_does_not_add_more(reference_data):
    output = run_demo(incidents=10)
    assert "10/10" in output
    run_demo(incidents=10, if_empty=True)
    assert Incident.objects.count() == 10


def test_demo_is_refused_under_production_settings(settings, reference_data):
    settings.SETTINGS_KIND = "production"
    with pytest.raises(CommandError):
        run_demo(incidents=1)
    assert not get_user_model().objects.filter(username="vecina").exists()
