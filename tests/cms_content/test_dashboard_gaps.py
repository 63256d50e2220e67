"""The admin dashboard lists gaps in the reference data for editors."""

import pytest

from cms_content.selectors import reference_data_gaps
from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory, SubSectionFactory, square

pytestmark = pytest.mark.django_db


def test_sub_section_without_actor_or_settings_is_a_gap():
    category = SubSectionFactory(responsible_actor=None)
    gaps = reference_data_gaps()
    assert str(category) in [g["label"] for g in gaps["categories_without_actor"]]
    assert str(category) in [g["label"] for g in gaps["categories_without_settings"]]


def test_actor_without_any_contact_is_a_gap_and_one_with_a_phone_is_not():
    silent, reachable = ActorFactory(), ActorFactory(phones="+56 67 2 123 456")
    labels = [g["label"] for g in reference_data_gaps()["actors_without_contact"]]
    assert silent.name in labels
    assert reachable.name not in labels


def test_overlapping_neighbourhoods_are_a_gap_but_touching_ones_are_not():
    a = NeighbourhoodFactory(boundary=square(-45.57, -72.07, 0.004))
    b = NeighbourhoodFactory(boundary=square(-45.57, -72.062, 0.004))  # shares an edge with a
    c = NeighbourhoodFactory(boundary=square(-45.571, -72.071, 0.004))  # overlaps a
    labels = [g["label"] for g in reference_data_gaps()["overlapping_neighbourhoods"]]
    assert f"{a.name} / {c.name}" in labels
    assert f"{a.name} / {b.name}" not in labels


def test_editor_sees_the_gaps_panel_on_the_dashboard(client, editor):
    SubSectionFactory(responsible_actor=None)
    client.force_login(editor)
    html = client.get("/cms/").content.decode()
    assert "Pendientes de la plataforma" in html
    assert "Sub-secciones sin actor responsable" in html
