"""Joint attention sessions: evenings when several institutions serve citizens together in one place.

Modelled on the "Atención Nocturna" seed (Puente Alto): once a month, after working hours, many agencies
set up desks in one building so people who work or study can do their procedures without losing a day.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms_content.geo import parse_point
from cms_content.validators import PLAIN_TEXT, map_point_in_comuna
from cms_content.widgets import LocalLeafletPanel

from .actors import Actor, ActorService


class ServicesByActorWidget(forms.CheckboxSelectMultiple):
    """Checkboxes of procedures grouped under their actor's name.

    The admin cannot narrow the list to the actor picked in the same row without JavaScript, so the
    grouping lets editors find the right ones and `AttentionSessionPageForm` refuses any mismatch.
    """

    def optgroups(self, name, value, attrs=None):
        choices = [(choice_value, label) for choice_value, label in self.choices]
        # ModelChoiceIteratorValue carries the primary key in `.value`.
        service_ids = [getattr(choice_value, "value", choice_value) for choice_value, _label in choices]
        actor_of = dict(
            ActorService.objects.filter(pk__in=service_ids).order_by().values_list("pk", "actor__name")
        )
        grouped: dict[str, list] = {}
        for choice_value, label in choices:
            actor_name = actor_of.get(getattr(choice_value, "value", choice_value), "")
            grouped.setdefault(actor_name, []).append((choice_value, label))
        original = self.choices
        self.choices = [(actor_name, grouped[actor_name]) for actor_name in sorted(grouped, key=str.casefold)]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


class AttentionSessionPageForm(WagtailAdminPageForm):
    """The session's admin form: each participant may only offer procedures of its own catalogue."""

    def clean(self):
        cleaned = super().clean()
        for participant_form in self.formsets["participants"].forms:
            # Validate the row first: its cleaned_data exists only after its own validation.
            if not participant_form.is_valid() or not participant_form.has_changed():
                continue
            if participant_form.cleaned_data.get("DELETE"):
                continue
            actor = participant_form.cleaned_data["actor"]
            services = participant_form.cleaned_data.get("services") or []
            foreign = [service for service in services if service.actor_id != actor.pk]
            if foreign:
                message = gettext(
                    "Estos trámites no son de %(actor)s: %(services)s. "
                    "Elija solo trámites de esa institución."
                ) % {"actor": actor.name, "services": ", ".join(service.name for service in foreign)}
                participant_form.add_error("services", ValidationError(message))
        return cleaned


class AttentionSessionIndexPage(Page):
    """The list of joint attention sessions (/jornadas/): upcoming ones first, then past ones.

    Created by the reference-data loader under the home page; linked from the home and the directory.
    """

    intro = models.TextField(
        _("introducción"),
        validators=PLAIN_TEXT,
        blank=True,
        help_text=_("Texto sobre la lista de jornadas: qué son y para quién."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms_content.HomePage"]
    subpage_types = ["cms_content.AttentionSessionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from cms_content.selectors import attention_session_lists

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_sessions"], context["past_sessions"] = attention_session_lists(index=self)
        return context

    class Meta:
        verbose_name = _("índice de jornadas de atención")


class AttentionSessionPage(Page):
    """One joint attention session: when, where, and which institutions offer which procedures.

    Edited under "Jornadas de atención" in the page tree; shown at /jornadas/<slug>/ and listed on the index.
    """

    date = models.DateField(_("fecha"), help_text=_("Día de la jornada."))
    start_time = models.TimeField(_("hora de inicio"), help_text=_("Por ejemplo 19:00."))
    end_time = models.TimeField(_("hora de término"), help_text=_("Por ejemplo 22:30."))
    place_name = models.CharField(
        _("lugar"),
        validators=PLAIN_TEXT,
        max_length=200,
        help_text=_("Nombre del lugar, por ejemplo «Gimnasio Municipal»."),
    )
    address = models.CharField(
        _("dirección"),
        validators=PLAIN_TEXT,
        max_length=250,
        blank=True,
        help_text=_("Calle y número del lugar."),
    )
    location = models.CharField(
        _("ubicación"),
        max_length=250,
        blank=True,
        validators=[map_point_in_comuna],
        help_text=_("Punto del lugar en el mapa."),
    )
    intro = models.TextField(
        _("presentación"),
        validators=PLAIN_TEXT,
        blank=True,
        help_text=_("Qué se podrá hacer y qué llevar, en palabras simples."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")])],
            heading=_("Cuándo"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                LocalLeafletPanel("location", address_field="address"),
            ],
            heading=_("Dónde"),
        ),
        FieldPanel("intro"),
        InlinePanel("participants", label=_("Institución participante")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("place_name"), index.SearchField("intro")]
    api_fields = [
        APIField("date"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("place_name"),
        APIField("address"),
        APIField("coordinates"),
        APIField("intro"),
        APIField("participants"),
    ]
    base_form_class = AttentionSessionPageForm
    parent_page_types = ["cms_content.AttentionSessionIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # In a preview the rows are in memory (modelcluster), where select_related is a harmless no-op.
        context["participants"] = self.participants.select_related("actor").prefetch_related("services")
        point = self.coordinates
        context["map_points"] = (
            [{"name": self.place_name, "address": self.address, "lat": point["lat"], "lon": point["lon"]}]
            if point
            else []
        )
        return context

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": gettext("La hora de término debe ser después de la hora de inicio.")}
            )

    @property
    def coordinates(self) -> dict | None:
        """{"lat", "lon"} of the place, or None; what the map and the API use."""
        point = parse_point(self.location)
        return {"lat": point.lat, "lon": point.lon} if point else None

    class Meta:
        verbose_name = _("jornada de atención")
        verbose_name_plural = _("jornadas de atención")


class AttentionSessionParticipant(Orderable, ClusterableModel):
    """An institution taking part in a session and the procedures it offers there (inline on the session)."""

    page = ParentalKey(AttentionSessionPage, on_delete=models.CASCADE, related_name="participants")
    # PROTECT: a past session keeps naming who attended; retire an actor with its "activo" switch instead.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="attention_sessions",
        verbose_name=_("institución"),
        help_text=_("Institución que atiende en la jornada."),
    )
    services = ParentalManyToManyField(
        ActorService,
        blank=True,
        related_name="attention_sessions",
        verbose_name=_("trámites que ofrece"),
        help_text=_("Marque solo trámites de la institución elegida (aparecen bajo su nombre)."),
    )

    panels = [FieldPanel("actor"), FieldPanel("services", widget=ServicesByActorWidget)]
    api_fields = [APIField("actor_name"), APIField("actor_slug"), APIField("offered_services")]

    def __str__(self):
        return self.actor.name

    @property
    def actor_name(self) -> str:
        return self.actor.display_name

    @property
    def actor_slug(self) -> str:
        return self.actor.slug

    @property
    def offered_services(self) -> list[dict]:
        return [
            {"name": service.display_name, "mode": service.mode, "url": service.url}
            for service in self.services.all()
        ]

    class Meta(Orderable.Meta):
        verbose_name = _("institución participante")
        verbose_name_plural = _("instituciones participantes")
