"""The workshops' part of the demo set-up: the "Talleres" index under the home page, and one example."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from workshops.models import WorkshopIndexPage, WorkshopKind, WorkshopPage

INDEX_SLUG = "talleres-comunitarios"


def workshop_index_ensure():
    """Create the workshop list under the home page once (found by type: editors' changes survive).

    The slug is not "talleres" because /talleres/ belongs to the app's own screens (sign-up, live).
    Returns None when there is no home page yet (load_reference_data makes it).
    """
    from cms_content.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return None
    index = WorkshopIndexPage.objects.child_of(home).first()
    if index is None:
        index = WorkshopIndexPage(
            title="Talleres",
            slug=INDEX_SLUG,
            intro=(
                "Encuentros en su barrio para conocer la plataforma, contar qué problemas les preocupan "
                "y capacitar a las organizaciones vecinales. Son gratuitos."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def workshops_demo_setup() -> int:
    """Idempotent: the index and, if empty, one upcoming needs-gathering workshop; returns pages made."""
    index = workshop_index_ensure()
    if index is None or WorkshopPage.objects.child_of(index).exists():
        return 0
    trainer = get_user_model().objects.filter(username="capacitador").first()
    workshop = WorkshopPage(
        title="Taller de necesidades del barrio",
        slug="taller-necesidades-del-barrio",
        kind=WorkshopKind.NEEDS,
        date=timezone.localdate() + timedelta(days=14),
        start_time=time(18, 30),
        end_time=time(20, 30),
        place_name="Sede Junta de Vecinos",
        address="Coyhaique",
        trainer=trainer,
        capacity=30,
        intro=(
            "Conversemos sobre los problemas de seguridad y emergencias del barrio "
            "y ordenemos los más importantes."
        ),
        wheelchair_access=True,
        easy_reading=True,
    )
    index.add_child(instance=workshop)
    workshop.save_revision().publish()
    return 1
