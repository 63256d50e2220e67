"""JSON shapes of the incidents API. Public shapes never carry the reporter or their contact details."""

import re
from collections.abc import Mapping

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cms_content.geo import in_comuna
from cms_content.models import IncidentCategory
from cms_content.validators import is_blank, no_control_characters
from workflows.api.selectors import phone_normalize
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentStatus
from workflows.rut import rut_clean, rut_is_valid

DESCRIPTION_MAX_LENGTH = 4000
# Public coordinates: 5 decimals (~1 m) is what a phone's GPS gives anyway; more only adds noise.
PUBLIC_COORDINATE_DECIMALS = 5
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-]+$")


class StrictCharField(serializers.CharField):
    """Text only: a number or a list is a client error, not something to turn into "123"."""

    default_error_messages = {"invalid": gettext_lazy("Debe ser texto.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Debe ser true o false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class CoordinateField(serializers.FloatField):
    """A finite number (JSON number or numeric text); true/false are not coordinates."""

    default_error_messages = {"invalid": gettext_lazy("Debe ser un número.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


def _text(max_length: int, **kwargs) -> StrictCharField:
    # HTML is kept as text (the portal escapes it); control characters and NUL are refused.
    return StrictCharField(max_length=max_length, validators=[no_control_characters], **kwargs)


class IncidentCreateSerializer(serializers.Serializer):
    """What a citizen sends to report an incident (POST /api/incidents/)."""

    category = StrictCharField(
        max_length=80, help_text=gettext_lazy("Identificador (slug) de una sub-sección activa.")
    )
    description = _text(DESCRIPTION_MAX_LENGTH, help_text=gettext_lazy("Qué ocurre, en texto simple."))
    latitude = CoordinateField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = CoordinateField(required=False, allow_null=True, min_value=-180, max_value=180)
    address = _text(
        300,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Dónde ocurre, si no se marca un punto en el mapa."),
    )
    is_anonymous = StrictBooleanField(required=False, default=False)
    contact_name = _text(150, required=False, allow_blank=True, default="")
    contact_rut = StrictCharField(max_length=20, required=False, allow_blank=True, default="")
    contact_phone = StrictCharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": gettext_lazy("Ingrese un correo electrónico válido.")},
    )

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: [_("Campo desconocido.")] for name in unknown})
        return super().to_internal_value(data)

    def validate_category(self, slug: str) -> IncidentCategory:
        # One query: the category, its section and actor (read again by the report), and whether it
        # takes reports.
        category = (
            IncidentCategory.objects.select_related("parent", "responsible_actor")
            .annotate(takes_reports=Exists(IncidentCategory.objects.reportable().filter(pk=OuterRef("pk"))))
            .filter(slug=slug)
            .first()
        )
        if category is None:
            raise serializers.ValidationError(_("Categoría desconocida."))
        if category.is_section:
            raise serializers.ValidationError(_("Elija una sub-categoría, no una sección."))
        if not category.takes_reports:
            raise serializers.ValidationError(_("Esta categoría no recibe reportes."))
        if category.blocks_form:
            raise serializers.ValidationError(
                _("Esto es una emergencia: llame al %(phone)s en vez de reportar aquí.")
                % {"phone": category.emergency_phone}
            )
        return category

    def validate_description(self, value: str) -> str:
        # Only invisible characters (zero-width spaces, joiners, BOM) is no description either.
        if is_blank(value):
            raise serializers.ValidationError(_("Describa qué ocurre."))
        return value

    def validate_contact_rut(self, value: str) -> str:
        if not value:
            return ""
        if not rut_is_valid(value):
            raise serializers.ValidationError(_("RUT no válido: revise el número y el dígito verificador."))
        return rut_clean(value)

    def validate_contact_phone(self, value: str) -> str:
        if not value:
            return ""
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE_SHAPE.fullmatch(value) or not 8 <= digits <= 15:
            raise serializers.ValidationError(_("Teléfono no válido: use solo dígitos, espacios y +."))
        return phone_normalize(value)

    def validate(self, attrs):
        category: IncidentCategory = attrs["category"]
        latitude, longitude = attrs.get("latitude"), attrs.get("longitude")
        if (latitude is None) != (longitude is None):
            raise serializers.ValidationError({"latitude": [_("Indique latitud y longitud, o ninguna.")]})
        if latitude is not None and not in_comuna(latitude, longitude):
            raise serializers.ValidationError(
                {"latitude": [_("El punto está fuera de la comuna de Coyhaique.")]}
            )
        if latitude is None and category.requires_exact_location:
            raise serializers.ValidationError(
                {"latitude": [_("Esta categoría necesita el punto exacto en el mapa.")]}
            )
        if latitude is None and not attrs.get("address", "").strip():
            raise serializers.ValidationError(
                {"address": [_("Marque el lugar en el mapa o describa dónde ocurre.")]}
            )
        if category.requires_contact:
            if attrs.get("is_anonymous"):
                raise serializers.ValidationError(
                    {"is_anonymous": [_("Esta categoría no acepta reportes anónimos.")]}
                )
            if not (attrs.get("contact_phone") or attrs.get("contact_email")):
                raise serializers.ValidationError(
                    {"contact_phone": [_("Indique un teléfono o un correo de contacto.")]}
                )
        return attrs


class IncidentCreatedSerializer(serializers.Serializer):
    """The answer to a new report: its folio and where to follow it. No contact data is echoed."""

    folio = serializers.CharField()
    status = serializers.ChoiceField(choices=IncidentStatus.choices)
    tracking_url = serializers.URLField(
        help_text=gettext_lazy("Enlace de seguimiento; incluye la clave secreta: guárdelo.")
    )
    created_at = serializers.DateTimeField()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_COORDINATE_DECIMALS)


class IncidentPublicSerializer(serializers.ModelSerializer):
    """An incident in public lists and maps."""

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.display_name", read_only=True)
    section = serializers.CharField(source="category.parent.slug", read_only=True, default=None)
    section_name = serializers.CharField(source="category.parent.display_name", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    neighbourhood = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    neighbourhood_name = serializers.CharField(source="neighbourhood.name", read_only=True, default=None)
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    responsible_actor = serializers.CharField(
        source="responsible_actor.display_name", read_only=True, default=None
    )

    class Meta:
        model = Incident
        fields = [
            "folio",
            "category",
            "category_name",
            "section",
            "section_name",
            "status",
            "status_label",
            "neighbourhood",
            "neighbourhood_name",
            "latitude",
            "longitude",
            "created_at",
            "supporters_count",
            "responsible_actor",
        ]
        read_only_fields = fields

    def get_latitude(self, incident) -> float | None:
        return _rounded(incident.latitude)

    def get_longitude(self, incident) -> float | None:
        return _rounded(incident.longitude)


class IncidentEventPublicSerializer(serializers.ModelSerializer):
    """One line of the public timeline: what happened and when, never who."""

    label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = IncidentEvent
        fields = ["kind", "label", "created_at", "note", "status", "status_label"]
        read_only_fields = fields

    def get_status(self, event) -> str | None:
        if event.kind != IncidentEventKind.STATUS_CHANGED:
            return None
        value = (event.data or {}).get("to")
        return value if value in IncidentStatus.values else None

    def get_status_label(self, event) -> str | None:
        value = self.get_status(event)
        return str(IncidentStatus(value).label) if value else None


class IncidentPublicDetailSerializer(IncidentPublicSerializer):
    """An incident's public page: the list fields, what was reported, and the public timeline."""

    timeline = serializers.SerializerMethodField()

    class Meta(IncidentPublicSerializer.Meta):
        fields = [*IncidentPublicSerializer.Meta.fields, "description", "address", "timeline"]
        read_only_fields = fields

    @extend_schema_field(IncidentEventPublicSerializer(many=True))
    def get_timeline(self, incident) -> list[dict]:
        events = self.context["timeline"]
        return IncidentEventPublicSerializer(events, many=True).data


class IncidentSupportResultSerializer(serializers.Serializer):
    folio = serializers.CharField()
    supporters_count = serializers.IntegerField()
    created = serializers.BooleanField(
        help_text=gettext_lazy("false si esta persona o sesión ya lo había apoyado.")
    )
