"""The incident taxonomy: sections and sub-sections, with routing and workflow settings per category."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin

from cms_content.validators import LONG_TEXT_MAX, PLAIN_TEXT

from .i18n import localized


class Priority(models.TextChoices):
    LOW = "low", _("Baja")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Alta")
    URGENT = "urgent", _("Urgente")


class FlowKind(models.TextChoices):
    """Which viewflow flow resolves incidents of a category (workflows.flows)."""

    STANDARD = "standard", _("Estándar")
    EMERGENCY = "emergency", _("Emergencia")
    PROTECTED = "protected", _("Caso protegido")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("horas")
    BUSINESS_DAYS = "business_days", _("días hábiles")


class CategoryIcon(models.TextChoices):
    """Icons drawn by the portal's own SVG sprite (no icon font from a CDN)."""

    FIRE = "fire", _("Fuego")
    ALERT = "alert", _("Alerta")
    SHIELD = "shield", _("Escudo")
    DRUG = "drug", _("Drogas")
    PLUG = "plug", _("Enchufe")
    ROAD = "road", _("Camino")
    TRASH = "trash", _("Basura")
    SPRAY = "spray", _("Grafiti")
    HEALTH = "health", _("Salud")
    CHILD = "child", _("Niñez")
    SCHOOL = "school", _("Escuela")
    ANIMAL = "animal", _("Animal")
    LIGHT = "light", _("Luz")
    OTHER = "other", _("Otro")


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use un color como #1a7f37."))


class IncidentCategoryQuerySet(models.QuerySet):
    def sections(self):
        return self.filter(parent__isnull=True)

    def reportable(self):
        """Sub-sections a citizen may choose: live, active, under a live and active section."""
        return self.filter(
            parent__isnull=False, live=True, active=True, parent__live=True, parent__active=True
        )

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class IncidentCategory(DraftStateMixin, RevisionMixin, ClusterableModel):
    """A section (no parent) or a sub-section (parent = a section) of what citizens can report.

    A snippet under "Categorías"; editors draft and publish changes. The report form offers live, active
    sub-sections; routing reads the responsible and supporting actors; the flows read the workflow settings.
    Deactivating keeps the category and its incidents (history) but hides it from the form.
    """

    parent = models.ForeignKey(
        "self",
        limit_choices_to={"parent__isnull": True},  # only sections can be parents
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("sección"),
        help_text=_("Vacío para una sección; elija la sección si es una sub-sección."),
    )
    slug = models.SlugField(
        _("identificador"),
        max_length=80,
        unique=True,
        help_text=_("Parte de la dirección web; minúsculas y guiones."),
    )
    name = models.CharField(
        _("nombre"),
        validators=PLAIN_TEXT,
        max_length=150,
        help_text=_("Nombre que ve la ciudadanía, en español."),
    )
    name_en = models.CharField(
        _("nombre en inglés"), validators=PLAIN_TEXT, max_length=150, blank=True, help_text=_("Opcional.")
    )
    icon = models.CharField(
        _("ícono"),
        max_length=20,
        choices=CategoryIcon.choices,
        default=CategoryIcon.OTHER,
        help_text=_("Dibujo que acompaña al nombre en el formulario."),
    )
    colour = models.CharField(
        _("color"),
        max_length=7,
        default="#1f5f99",
        validators=[colour_validator],
        help_text=_("Color de la categoría en mapas y gráficos, como #1a7f37."),
    )
    description = models.TextField(
        _("ayuda para la ciudadanía"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Una o dos frases que explican qué reportar aquí."),
    )
    description_en = models.TextField(
        _("ayuda en inglés"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Opcional."),
    )
    emergency_notice = models.TextField(
        _("aviso de emergencia"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Se muestra antes del formulario, por ejemplo «Si hay fuego ahora, llame al 132»."),
    )
    emergency_notice_en = models.TextField(
        _("aviso de emergencia en inglés"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Opcional."),
    )
    emergency_phone = models.CharField(
        _("número a llamar"),
        validators=PLAIN_TEXT,
        max_length=20,
        blank=True,
        help_text=_("Número de emergencia que se ofrece para llamar."),
    )
    blocks_form = models.BooleanField(
        _("detener el formulario"),
        default=False,
        help_text=_("Para emergencias en curso: se pide llamar en vez de reportar."),
    )
    sensitive = models.BooleanField(
        _("sensible"),
        default=False,
        help_text=_(
            "Nunca en mapas, listas ni estadísticas públicas; solo lo ven sus actores y la auditoría."
        ),
    )
    public = models.BooleanField(
        _("público"),
        default=True,
        help_text=_("Si los incidentes aparecen en el mapa y las listas públicas."),
    )
    active = models.BooleanField(
        _("activa"),
        default=True,
        help_text=_("Desactive para ocultarla del formulario sin perder su historia."),
    )
    default_priority = models.CharField(
        _("prioridad inicial"),
        max_length=10,
        choices=Priority.choices,
        default=Priority.NORMAL,
        help_text=_("Prioridad con que llega."),
    )
    requires_photo = models.BooleanField(_("foto obligatoria"), default=False, help_text=_("Pedir una foto."))
    requires_exact_location = models.BooleanField(
        _("ubicación exacta obligatoria"), default=False, help_text=_("Pedir un punto en el mapa.")
    )
    requires_contact = models.BooleanField(
        _("contacto obligatorio"),
        default=False,
        help_text=_("Pedir un teléfono o correo (no permite anónimos)."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("radio de duplicados (metros)"),
        default=100,
        validators=[MaxValueValidator(5000)],
        help_text=_(
            "Reportes abiertos de la misma sub-sección a esta distancia se muestran como posibles "
            "duplicados; 0 para no buscar."
        ),
    )
    responsible_actor = models.ForeignKey(
        "cms_content.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("actor responsable"),
        help_text=_("Quién recibe y resuelve estos incidentes."),
    )
    supporting_actors = ParentalManyToManyField(
        "cms_content.Actor",
        blank=True,
        related_name="supports",
        verbose_name=_("actores de apoyo"),
        help_text=_("Quiénes colaboran en estos incidentes."),
    )
    sort_order = models.PositiveIntegerField(_("orden"), default=0, help_text=_("Menor aparece primero."))

    objects = IncidentCategoryQuerySet.as_manager()

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def is_section(self) -> bool:
        return self.parent_id is None

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_emergency_notice(self) -> str:
        return localized(self, "emergency_notice")

    @property
    def is_publicly_visible(self) -> bool:
        return self.public and not self.sensitive and (self.parent is None or self.parent.is_publicly_visible)

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("Una categoría no puede ser su propia sección.")})
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("Una sub-sección no puede tener sub-secciones.")})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("Esta sección tiene sub-secciones: no puede pasar a ser sub-sección.")}
                )
        if self.sensitive and self.public:
            raise ValidationError({"public": _("Una categoría sensible no puede ser pública.")})
        if self.blocks_form and not self.emergency_phone:
            raise ValidationError(
                {"emergency_phone": _("Indique el número a llamar si detiene el formulario.")}
            )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("categoría de incidente")
        verbose_name_plural = _("categorías de incidentes")


class CategoryRouting(Orderable):
    """Who handles a category in one neighbourhood, when it differs from the category's default actors.

    Edited inline on the category ("Derivación por barrio"); read by `cms_content.selectors.category_route`.
    """

    category = ParentalKey(IncidentCategory, on_delete=models.CASCADE, related_name="routings")
    neighbourhood = models.ForeignKey(
        "cms_content.Neighbourhood",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("barrio"),
        help_text=_("Barrio en que se aplica esta derivación."),
    )
    responsible_actor = models.ForeignKey(
        "cms_content.Actor",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor responsable"),
        help_text=_("Quién recibe estos incidentes en ese barrio."),
    )
    supporting_actors = ParentalManyToManyField(
        "cms_content.Actor",
        blank=True,
        related_name="+",
        verbose_name=_("actores de apoyo"),
        help_text=_("Quiénes colaboran en ese barrio (vacío: los de la categoría)."),
    )

    def __str__(self):
        return f"{self.neighbourhood} → {self.responsible_actor}"

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["category", "neighbourhood"], name="unique_routing_per_neighbourhood"
            )
        ]
        verbose_name = _("derivación por barrio")
        verbose_name_plural = _("derivación por barrio")


class CategoryWorkflowSettings(models.Model):
    """How incidents of one category are resolved: flow kind, optional steps and deadlines.

    Edited inline on the category; read by the flows at their gates so that editors change behaviour
    without a deploy. A category without its own settings uses its section's.
    """

    category = ParentalKey(IncidentCategory, on_delete=models.CASCADE, related_name="workflow_settings")
    flow_kind = models.CharField(
        _("tipo de flujo"),
        max_length=20,
        choices=FlowKind.choices,
        default=FlowKind.STANDARD,
        help_text=_("Cómo se resuelve este tipo de caso."),
    )
    protection_actor = models.ForeignKey(
        "cms_content.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor de protección"),
        help_text=_(
            "Solo casos protegidos: institución a la que el caso se deriva siempre (por ejemplo, un "
            "centro de la mujer o la OPD). Vacío: el actor responsable."
        ),
    )
    inspection_on = models.BooleanField(
        _("con inspección"), default=False, help_text=_("Un paso de inspección en terreno con evidencia.")
    )
    authority_decision_on = models.BooleanField(
        _("con decisión de la autoridad"),
        default=False,
        help_text=_("Un paso de decisión de presupuesto o prioridad."),
    )
    citizen_confirmation_on = models.BooleanField(
        _("con confirmación ciudadana"),
        default=True,
        help_text=_("La persona puede confirmar o reclamar la solución."),
    )
    triage_deadline = models.PositiveIntegerField(
        _("plazo de revisión"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Plazo para revisar el reporte."),
    )
    triage_deadline_unit = models.CharField(
        _("unidad del plazo de revisión"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.BUSINESS_DAYS,
        help_text=_("Horas o días hábiles."),
    )
    resolution_deadline = models.PositiveIntegerField(
        _("plazo de solución"),
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_("Plazo legal para resolver."),
    )
    resolution_deadline_unit = models.CharField(
        _("unidad del plazo de solución"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.BUSINESS_DAYS,
        help_text=_("Horas o días hábiles."),
    )
    acknowledgement_minutes = models.PositiveIntegerField(
        _("acuse de recibo (minutos)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Solo emergencias: minutos para que el actor confirme que va."),
    )
    auto_close_days = models.PositiveIntegerField(
        _("días para cierre automático"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Días tras la solución para cerrar si nadie reclama."),
    )

    def __str__(self):
        return str(self.get_flow_kind_display())

    class Meta:
        verbose_name = _("configuración del flujo")
        verbose_name_plural = _("configuración del flujo")
