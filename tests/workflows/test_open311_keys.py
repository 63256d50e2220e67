"""Open311 GeoReport v2: integrator keys, issued and revoked by command and in the admin."""

import hashlib
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.workflows import open311_helpers
from tests.workflows.open311_helpers import PLAZA, assert_error, post_request
from workflows.models import IntegratorKey

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.open311_urls")]

# The shared fixtures, bound in this module so that pytest finds them.
api_key = open311_helpers.api_key
category = open311_helpers.category
hidden_categories = open311_helpers.hidden_categories


# --- keys: command and admin -------------------------------------------------------------------------


def _issue_with_command(name: str) -> str:
    out = io.StringIO()
    call_command("open311_key", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_command_prints_a_key_once_and_stores_only_its_hash_and_prefix(client, category):
    key = _issue_with_command("Municipalidad digital")
    integrator = IntegratorKey.objects.get(name="Municipalidad digital")
    assert integrator.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert integrator.prefix == key[:8]
    assert key not in {integrator.name, integrator.key_hash, integrator.prefix}
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert post_request(client, "json", **fields).status_code == 200


def test_command_revoke_makes_the_key_403(client, category):
    key = _issue_with_command("Integrador que se va")
    call_command("open311_key", "--revoke", key[:8], stdout=io.StringIO())
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert_error(post_request(client, "json", **fields), "json", 403)


def test_command_revoke_of_an_unknown_prefix_fails_and_changes_nothing(api_key):
    with pytest.raises(CommandError):
        call_command("open311_key", "--revoke", "zzzzzzzz", stdout=io.StringIO())
    assert IntegratorKey.objects.get().active is True


def test_admin_creates_a_key_and_shows_it_once_in_a_message(client, category):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    add_url = reverse("wagtailsnippets_workflows_integratorkey:add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, {"name": "Junta de vecinos", "active": "on"})
    assert response.status_code == 302
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    # Wagtail appends an "Editar" button to the message: the key is the word after the colon.
    key = re.search(r"mostrar: ([A-Za-z0-9]+)", message).group(1)
    integrator = IntegratorKey.objects.get(name="Junta de vecinos")
    assert integrator.key_hash == hashlib.sha256(key.encode()).hexdigest()
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert post_request(client, "json", **fields).status_code == 200


def test_admin_revokes_a_key_by_unticking_active(client, category, api_key):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    integrator = IntegratorKey.objects.get()
    response = client.post(
        reverse("wagtailsnippets_workflows_integratorkey:edit", args=[integrator.pk]),
        {"name": integrator.name},
    )
    assert response.status_code == 302
    fields = {"api_key": api_key, "service_code": category.slug, "description": "x", **PLAZA}
    assert_error(post_request(client, "json", **fields), "json", 403)


def test_admin_lists_keys_by_name_and_prefix_never_by_hash(client, api_key):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_workflows_integratorkey:list"))
    integrator = IntegratorKey.objects.get()
    assert response.status_code == 200
    assert integrator.prefix in response.content.decode()
    assert integrator.key_hash not in response.content.decode()
    assert api_key not in response.content.decode()
