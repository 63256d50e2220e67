"""Hostile input on the public workshop sign-up: a clear Spanish 4xx, nothing stored, never a 500."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories.cms_content import NeighbourhoodFactory
from tests.hostile.helpers import ONE_MB, RTL_OVERRIDE, SCRIPT, SQL, ZERO_WIDTH_ONLY
from tests.workshops.helpers import make_workshop
from workshops.models import Registration

pytestmark = pytest.mark.django_db

GOOD = {"name": "Rosa Millar", "phone": "+56 9 1234 5678", "email": "", "organisation": ""}

REFUSED = {
    "empty name": ({"name": ""}, ""),
    "only spaces": ({"name": "   "}, ""),
    "NUL in the name": ({"name": "Rosa\x00Millar"}, ""),
    "bell character in the name": ({"name": "Rosa\x07"}, ""),
    "zero-width name": ({"name": ZERO_WIDTH_ONLY}, ""),
    "1 MB name": ({"name": ONE_MB}, ""),
    "no phone and no e-mail": ({"phone": "", "email": ""}, "teléfono o un correo"),
    "letters as phone": ({"phone": "llámeme"}, ""),
    "SQL as phone": ({"phone": SQL}, ""),
    "100-digit phone": ({"phone": "9" * 100}, ""),
    "NUL in the phone": ({"phone": "+56 9\x00 1234"}, ""),
    "not an e-mail": ({"phone": "", "email": "rosa-en-gmail"}, ""),
    "script as e-mail": ({"phone": "", "email": SCRIPT}, ""),
    "1 MB organisation": ({"organisation": ONE_MB}, ""),
    "HTML as the name": ({"name": SCRIPT}, ""),
    "neighbourhood that does not exist": ({"neighbourhood": "999999"}, ""),
    "neighbourhood as text": ({"neighbourhood": "Los Pinos"}, ""),
    "negative neighbourhood": ({"neighbourhood": "-1"}, ""),
}


@pytest.fixture
def workshop(trainer):
    return make_workshop(capacity=3, trainer=trainer)


def post(client, workshop, **changes):
    return client.post(reverse("workshops:register", args=[workshop.pk]), {**GOOD, **changes})


@pytest.mark.parametrize("changes, words", REFUSED.values(), ids=list(REFUSED))
def test_hostile_sign_up_is_refused_clearly_and_stores_nothing(client, workshop, changes, words):
    response = post(client, workshop, **changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="form-error"' in page  # the reason, next to the field or above the form
    if words:
        assert words in page
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("workshop_id", [0, 999999])
def test_sign_up_to_a_workshop_that_does_not_exist_is_404(client, workshop_id):
    response = client.post(reverse("workshops:register", args=[workshop_id]), GOOD)
    assert response.status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "name", [SQL, RTL_OVERRIDE, "مرحبا وداعا", "Ñuñoa & O'Higgins"], ids=["sql", "rtl", "arabic", "amp"]
)
def test_odd_but_harmless_names_are_stored_as_typed_and_shown_escaped(client, workshop, name):
    NeighbourhoodFactory()
    response = post(client, workshop, name=name)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == name
    client.force_login(workshop.trainer)
    page = client.get(reverse("workshops:manage", args=[workshop.pk])).content.decode()
    assert escape(name) in page
