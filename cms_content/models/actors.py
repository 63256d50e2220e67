"""The directory of actors: institutions that receive incidents, their service catalogue and staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin

from cms_content.validators import LONG_TEXT_MAX, PLAIN_TEXT, map_point_in_comuna

from .i18n import localized


class ActorGroup(models.TextChoices):
    """The actor groups of the needs-gathering workshop (seed 000)."""

    CITIZENS = "citizens", _("Ciudadanos")
    AUTHORITIES = "authorities", _("Autoridades")
    PUBLIC_SECURITY = "public_security", _("Seguridad Pública")
    EMERGENCIES = "emergencies", _("Emergencias")
    PUBLIC_SERVICES = "public_services", _("Servicios Públicos")
    OTHER = "other", _("Otros")


class ServiceMode(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    ONLINE = "online", _("En línea")
    BOTH = "both", _("Presencial y en línea")


class ActorManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Actor(RevisionMixin, ClusterableModel):
    """An institution (police, fire brigade, a municipal department…); a snippet under "Actores".

    Incidents are routed to actors; staff belong to actors through `ActorMembership`. Shown in the
    public directory and on each incident's tracking page as the responsible actor.
    """

    slug = models.SlugField(
        _("identificador"),
        max_length=80,
        unique=True,
        help_text=_("Parte de la dirección web; minúsculas y guiones."),
    )
    name = models.CharField(
        _("nombre"), validators=PLAIN_TEXT, max_length=200, help_text=_("Nombre oficial, en español.")
    )
    name_en = models.CharField(
        _("nombre en inglés"),
        validators=PLAIN_TEXT,
        max_length=200,
        blank=True,
        help_text=_("Opcional; si queda vacío se muestra el nombre en español."),
    )
    group = models.CharField(
        _("grupo"),
        max_length=20,
        choices=ActorGroup.choices,
        help_text=_("Grupo de actores al que pertenece."),
    )
    description = models.TextField(
        _("descripción"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Qué hace esta institución, en palabras simples."),
    )
    description_en = models.TextField(
        _("descripción en inglés"),
        validators=PLAIN_TEXT,
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("Opcional."),
    )
    phones = models.CharField(
        _("teléfonos"),
        validators=PLAIN_TEXT,
        max_length=200,
        blank=True,
        help_text=_("Teléfonos de contacto, separados por «/»."),
    )
    emergency_phone = models.CharField(
        _("número de emergencia"),
        validators=PLAIN_TEXT,
        max_length=20,
        blank=True,
        help_text=_("Número corto de emergencia, por ejemplo 133."),
    )
    email = models.EmailField(_("correo electrónico"), blank=True, help_text=_("Correo de contacto."))
    website = models.URLField(_("sitio web"), blank=True, help_text=_("Dirección del sitio oficial."))
    address = models.CharField(
        _("dirección"),
        validators=PLAIN_TEXT,
        max_length=250,
        blank=True,
        help_text=_("Calle y número de la oficina de atención."),
    )
    location = models.CharField(
        _("ubicación"),
        max_length=250,
        blank=True,
        validators=[map_point_in_comuna],
        help_text=_("Punto en el mapa de la oficina de atención."),
    )
    open_24_7 = models.BooleanField(
        _("atiende 24/7"), default=False, help_text=_("Marque si atiende todos los días a toda hora.")
    )
    opening_hours = models.CharField(
        _("horario de atención"),
        validators=PLAIN_TEXT,
        max_length=250,
        blank=True,
        help_text=_("Por ejemplo: lunes a viernes de 8:30 a 14:00."),
    )
    covers_whole_comuna = models.BooleanField(
        _("atiende toda la comuna"),
        default=True,
        help_text=_("Desmarque para elegir los barrios que atiende."),
    )
    coverage = models.ManyToManyField(
        "cms_content.Neighbourhood",
        blank=True,
        related_name="actors",
        verbose_name=_("cobertura"),
        help_text=_("Barrios que atiende, si no atiende toda la comuna."),
    )
    active = models.BooleanField(
        _("activo"), default=True, help_text=_("Los actores inactivos no reciben incidentes nuevos.")
    )

    objects = ActorManager()

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actores")


class ActorService(Orderable):
    """A procedure an actor offers (the service catalogue of the "Atención Nocturna" seed)."""

    actor = ParentalKey(Actor, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(
        _("nombre del trámite"),
        validators=PLAIN_TEXT,
        max_length=200,
        help_text=_("Nombre del trámite o servicio."),
    )
    name_en = models.CharField(
        _("nombre en inglés"), validators=PLAIN_TEXT, max_length=200, blank=True, help_text=_("Opcional.")
    )
    requirements = models.TextField(
        _("requisitos"), validators=PLAIN_TEXT, blank=True, help_text=_("Qué debe llevar o tener la persona.")
    )
    where_when = models.CharField(
        _("dónde y cuándo"),
        validators=PLAIN_TEXT,
        max_length=250,
        blank=True,
        help_text=_("Lugar y horario en que se realiza."),
    )
    mode = models.CharField(
        _("modalidad"),
        max_length=20,
        choices=ServiceMode.choices,
        default=ServiceMode.IN_PERSON,
        help_text=_("Presencial, en línea o ambas."),
    )
    url = models.URLField(_("enlace"), blank=True, help_text=_("Página del trámite en línea, si existe."))

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    class Meta(Orderable.Meta):
        verbose_name = _("trámite")
        verbose_name_plural = _("catálogo de trámites")


class ActorMembership(models.Model):
    """A staff member's membership in an actor; scopes what they see and may do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="actor_memberships",
        verbose_name=_("usuario"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("actor")
    )
    is_manager = models.BooleanField(
        _("es jefatura"), default=False, help_text=_("Puede clasificar, asignar y derivar dentro del actor.")
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    def __str__(self):
        return f"{self.user} · {self.actor}"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "actor"], name="unique_actor_membership")]
        verbose_name = _("integrante de actor")
        verbose_name_plural = _("integrantes de actores")
