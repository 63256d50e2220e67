import pytest
from rest_framework.test import APIClient
from tests.factories.cms_content import SubSectionFactory
from workflows import services

@pytest.mark.django_db
def test_probe():
    c = APIClient()
    cat = SubSectionFactory()
    i = services.incident_report(category=cat, description="x", latitude=-45.5712, longitude=-72.0685, start_flow=False)
    for url in ["/api/incidents/", f"/api/incidents/{i.folio}/", "/api/docs/"]:
        r = c.get(url, HTTP_ACCEPT="text/html")
        print("PROBE", url, r.status_code, len(r.content))
