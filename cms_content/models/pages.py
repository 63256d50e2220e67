"""Wagtail pages: the site root, help index and help pages (attention sessions live in sessions.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms_content.blocks import BodyBlock


class HomePage(Page):
    """Root of the site tree. The citizen home at / is a portal view; this page holds the tree below it."""

    intro = models.TextField(_("introducción"), blank=True, help_text=_("Texto de bienvenida del portal."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = [
        "cms_content.HelpIndexPage",
        "cms_content.AttentionSessionIndexPage",
        "workshops.WorkshopIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("inicio")


class HelpIndexPage(Page):
    """The list of help pages (/ayuda/)."""

    intro = models.TextField(_("introducción"), blank=True, help_text=_("Texto sobre la lista de ayudas."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms_content.HomePage"]
    subpage_types = ["cms_content.HelpPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["help_pages"] = HelpPage.objects.child_of(self).live().order_by("path")
        return context

    class Meta:
        verbose_name = _("índice de ayuda")


class HelpPage(Page):
    """A help page for citizens: text, FAQ, steps and the emergency numbers."""

    intro = models.TextField(_("resumen"), blank=True, help_text=_("Una frase que resume la página."))
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("contenido"),
        help_text=_("Textos, preguntas frecuentes, pasos y números de emergencia."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["cms_content.HelpIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("página de ayuda")
