"""Neighbourhoods of Coyhaique: named polygons every incident and chat room belongs to."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_content.validators import PLAIN_TEXT


class NeighbourhoodManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Neighbourhood(models.Model):
    """A named area of the comuna; edited as a snippet (Wagtail admin → Barrios), shown on maps and in chat.

    The boundary is a GeoJSON Polygon in WGS84 (lon, lat), kept as JSON because the project runs without
    GeoDjango; `cms_content.geo` parses and tests it in one place.
    """

    slug = models.SlugField(
        _("identificador"),
        max_length=80,
        unique=True,
        help_text=_("Parte de la dirección web; minúsculas y guiones."),
    )
    name = models.CharField(
        _("nombre"), validators=PLAIN_TEXT, max_length=120, help_text=_("Nombre del barrio o sector.")
    )
    boundary = models.JSONField(_("límite"), help_text=_("Polígono GeoJSON del barrio (longitud, latitud)."))
    active = models.BooleanField(
        _("activo"), default=True, help_text=_("Los barrios inactivos no se ofrecen al reportar.")
    )

    objects = NeighbourhoodManager()

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        from django.utils.translation import gettext
        from shapely.geometry import shape

        from cms_content.geo import validate_boundary
        from cms_content.selectors import OVERLAP_TOLERANCE

        if self.boundary is None:
            # Missing or unreadable: the field's own check (or the admin form's) already says so, once.
            return
        try:
            validate_boundary(self.boundary)
        except ValidationError as error:
            raise ValidationError({"boundary": error.messages}) from error
        if not self.active:
            # Inactive areas are never offered, so a replacement may be drafted over the current one;
            # the check runs again when it is switched on.
            return
        polygon = shape(self.boundary)
        overlaps = []
        for other in Neighbourhood.objects.filter(active=True).exclude(pk=self.pk):
            try:
                other_polygon = shape(other.boundary)
            except Exception:  # a broken stored row must not block saving this one
                continue
            # Shared edges intersect with no area; the same tolerance as the dashboard's overlap list.
            if other_polygon.is_valid and polygon.intersection(other_polygon).area > OVERLAP_TOLERANCE:
                overlaps.append(
                    gettext("El polígono se superpone con el barrio «%(name)s».") % {"name": other.name}
                )
        if overlaps:
            raise ValidationError({"boundary": overlaps})

    class Meta:
        ordering = ["name"]
        verbose_name = _("barrio")
        verbose_name_plural = _("barrios")
