"""Constants, helpers and fixtures shared by the incidents API modules (test_api_incidents_*.py)."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories.cms_content import SubSectionFactory
from workflows import services

PLAZA = {"latitude": -45.5712, "longitude": -72.0685}
LIST_URL = "/api/incidents/"
NO_LIMITS = {"incident_create": None, "incident_support": None}


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    # The throttle counts in the shared cache; only the throttling test turns it on, with its own rate.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_LIMITS}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def category(db):
    return SubSectionFactory()


def _post(client, body, **headers):
    return client.post(LIST_URL, data=json.dumps(body), content_type="application/json", headers=headers)


def _report(category, **extra):
    return {"category": category.slug, "description": "Basura acumulada en la esquina", **PLAZA, **extra}


def _detail_url(folio: str) -> str:
    return reverse("api-incident-detail", kwargs={"folio": folio})


def _supporters_url(folio: str) -> str:
    return reverse("api-incident-supporters", kwargs={"folio": folio})


def _incident(category, **extra):
    return services.incident_report(
        category=category, description="Algo pasa", **{**PLAZA, **extra}, start_flow=False
    )
