"""Workshop pages in Wagtail: the list (/talleres-comunitarios/ by default) and one page per workshop."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms_content.geo import parse_point
from cms_content.models import Neighbourhood
from cms_content.validators import PLAIN_TEXT
from cms_content.widgets import LocalLeafletPanel
from workshops.codes import WORKSHOP_CODE_LENGTH, workshop_code


class WorkshopKind(models.TextChoices):
    NEEDS = "needs", _("Levantamiento de necesidades")
    TRAINING = "training", _("Capacitación para organizaciones")
    INFORMATION = "information", _("Sesión informativa")


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(label=_("hora"), max_length=20, required=False, help_text=_("Por ejemplo 18:30."))
    activity = blocks.CharBlock(label=_("actividad"), max_length=200)

    class Meta:
        icon = "time"
        label = _("punto del programa")


class WorkshopIndexPage(Page):
    """The list of workshops: upcoming ones first, then past ones; with a calendar file of all of them."""

    intro = models.TextField(
        _("introducción"),
        validators=PLAIN_TEXT,
        blank=True,
        help_text=_("Qué son los talleres y para quién."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms_content.HomePage"]
    subpage_types = ["workshops.WorkshopPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from workshops.selectors import workshop_lists

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_workshops"], context["past_workshops"] = workshop_lists(index=self)
        return context

    class Meta:
        verbose_name = _("índice de talleres")


class WorkshopPage(Page):
    """One community workshop: when, where, who leads it, how many fit, programme and materials.

    Sign-ups, attendance, live questions and the minute hang off this page (by its id) in the
    workshops models; the trainer runs them from /talleres/<id>/gestion/.
    """

    kind = models.CharField(_("tipo de taller"), max_length=20, choices=WorkshopKind.choices)
    date = models.DateField(_("fecha"))
    start_time = models.TimeField(_("hora de inicio"), help_text=_("Por ejemplo 18:30."))
    end_time = models.TimeField(_("hora de término"), help_text=_("Por ejemplo 20:30."))
    place_name = models.CharField(_("lugar"), validators=PLAIN_TEXT, max_length=200)
    address = models.CharField(_("dirección"), validators=PLAIN_TEXT, max_length=250, blank=True)
    location = models.CharField(_("ubicación"), max_length=250, blank=True, help_text=_("Punto en el mapa."))
    neighbourhoods = ParentalManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="workshops",
        verbose_name=_("barrios convocados"),
        help_text=_("Barrios a los que está dirigido el taller."),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops_led",
        limit_choices_to={"is_staff": True},
        verbose_name=_("capacitador o capacitadora"),
        help_text=_("Quien dirige el taller: ve las inscripciones y maneja la pantalla en vivo."),
    )
    capacity = models.PositiveIntegerField(
        _("cupos"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("Cuántas personas caben; las siguientes quedan en lista de espera."),
    )
    intro = models.TextField(
        _("presentación"), validators=PLAIN_TEXT, blank=True, help_text=_("Para quién es y qué se hará.")
    )
    agenda = StreamField([("item", AgendaItemBlock())], blank=True, verbose_name=_("programa"))
    sign_language = models.BooleanField(_("intérprete de lengua de señas"), default=False)
    wheelchair_access = models.BooleanField(_("acceso para silla de ruedas"), default=False)
    easy_reading = models.BooleanField(_("materiales en lectura fácil"), default=False)
    childcare = models.BooleanField(_("cuidado de niños y niñas"), default=False)
    hearing_loop = models.BooleanField(_("bucle magnético para audífonos"), default=False)
    # Typed by participants on their phones to join the live questions; made on first save.
    live_code = models.CharField(
        _("código del taller"), max_length=WORKSHOP_CODE_LENGTH, unique=True, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")])],
            heading=_("Cuándo"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                LocalLeafletPanel("location", address_field="address"),
                FieldPanel("neighbourhoods"),
            ],
            heading=_("Dónde"),
        ),
        FieldRowPanel([FieldPanel("trainer"), FieldPanel("capacity")]),
        FieldPanel("intro"),
        FieldPanel("agenda"),
        InlinePanel("materials", label=_("Material")),
        MultiFieldPanel(
            [
                FieldPanel("sign_language"),
                FieldPanel("wheelchair_access"),
                FieldPanel("easy_reading"),
                FieldPanel("childcare"),
                FieldPanel("hearing_loop"),
            ],
            heading=_("Accesibilidad"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("place_name"), index.SearchField("intro")]
    api_fields = [
        APIField("kind"),
        APIField("date"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("place_name"),
        APIField("address"),
        APIField("coordinates"),
        APIField("capacity"),
        APIField("intro"),
        APIField("agenda"),
        APIField("accessibility"),
    ]
    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types: list[str] = []
    # A copied page gets a code of its own on save.
    exclude_fields_in_copy = ["live_code"]

    def save(self, *args, **kwargs):
        if not self.live_code:
            code = workshop_code()
            while WorkshopPage.objects.filter(live_code=code).exists():
                code = workshop_code()
            self.live_code = code
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": gettext("La hora de término debe ser después de la hora de inicio.")}
            )

    def get_context(self, request, *args, **kwargs):
        from django.utils import timezone

        from workshops.forms import RegistrationForm
        from workshops.selectors import can_run, seats_left

        context = super().get_context(request, *args, **kwargs)
        context["is_past"] = bool(self.date and self.date < timezone.localdate())
        context["can_run"] = bool(self.pk) and can_run(user=getattr(request, "user", None), workshop=self)
        context["seats_left"] = seats_left(workshop=self) if self.pk else self.capacity
        context["registration_form"] = RegistrationForm()
        context["materials"] = self.materials.select_related("document")
        point = self.coordinates
        context["map_points"] = (
            [{"name": self.place_name, "address": self.address, "lat": point["lat"], "lon": point["lon"]}]
            if point
            else []
        )
        return context

    @property
    def coordinates(self) -> dict | None:
        point = parse_point(self.location)
        return {"lat": point.lat, "lon": point.lon} if point else None

    @property
    def accessibility(self) -> list[str]:
        """The accessibility services offered, as labels (for the page, the API and the calendar)."""
        names = ["sign_language", "wheelchair_access", "easy_reading", "childcare", "hearing_loop"]
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]

    class Meta:
        verbose_name = _("taller")
        verbose_name_plural = _("talleres")


class WorkshopMaterial(Orderable):
    """A document handed out or used in the workshop (presentation, guide, form)."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("título"), validators=PLAIN_TEXT, max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("documento")
    )

    panels = [FieldPanel("title"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materiales")
