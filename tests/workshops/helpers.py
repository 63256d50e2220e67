"""Builders of workshop pages for the tests (a home page as the default site's root, the index, workshops)."""

from datetime import time, timedelta

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms_content.models import HomePage
from workshops.models import WorkshopIndexPage, WorkshopKind, WorkshopPage


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            # A transactional test flushed the tables Wagtail's migrations had filled.
            Locale.objects.get_or_create(language_code="es")
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = HomePage(title="Inicio", slug="inicio-pruebas")
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def workshop_index() -> WorkshopIndexPage:
    home = home_page()
    index = WorkshopIndexPage.objects.child_of(home).first()
    if index is None:
        index = WorkshopIndexPage(title="Talleres", slug="talleres-comunitarios")
        home.add_child(instance=index)
    return index


def make_workshop(*, capacity: int = 2, days_ahead: int = 7, trainer=None, **fields) -> WorkshopPage:
    index = workshop_index()
    n = WorkshopPage.objects.count() + 1
    values = {
        "title": f"Taller {n}",
        "slug": f"taller-{n}",
        "kind": WorkshopKind.NEEDS,
        "date": timezone.localdate() + timedelta(days=days_ahead),
        "start_time": time(18, 30),
        "end_time": time(20, 0),
        "place_name": "Sede vecinal",
        "capacity": capacity,
        "trainer": trainer,
    }
    values.update(fields)
    workshop = WorkshopPage(**values)
    index.add_child(instance=workshop)
    return workshop


def sign_up(workshop, name: str, *, phone: str = "", email: str = "", **extra):
    from workshops import services

    if not phone and not email:
        email = f"{name.lower().replace(' ', '.')}@example.cl"
    return services.registration_create(workshop_id=workshop.pk, name=name, phone=phone, email=email, **extra)
