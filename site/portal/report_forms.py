"""The citizen report form: location, description, photos, identity; rules from the category."""

import math
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms_content.geo import in_comuna
from cms_content.models import IncidentCategory
from cms_content.validators import is_blank, no_control_characters
from workflows.forms import MultiplePhotoField, photos_rebuilt

DESCRIPTION_MAX = 4000


class Identity:
    ANONYMOUS = "anonymous"
    IDENTIFIED = "identified"


class ReportForm(forms.Form):
    """One page, in the order a person tells what happened: where, what, photos, who."""

    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("¿Dónde ocurre? (calle, número, referencia)"),
        required=False,
        max_length=300,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    description = forms.CharField(
        label=_("¿Qué pasa?"),
        max_length=DESCRIPTION_MAX,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Cuente qué ve, desde cuándo y si hay personas en riesgo."),
        error_messages={"required": _("Cuéntenos qué pasa.")},
    )
    photos = MultiplePhotoField(label=_("Fotos (opcional, hasta 5)"), required=False)
    identity = forms.ChoiceField(
        label=_("¿Quiere dar sus datos?"),
        choices=[
            (Identity.IDENTIFIED, _("Sí, para que me avisen y puedan contactarme")),
            (Identity.ANONYMOUS, _("No, quiero reportar de forma anónima")),
        ],
        initial=Identity.IDENTIFIED,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(
        label=_("Nombre"), required=False, max_length=150, validators=[no_control_characters]
    )
    contact_rut = forms.CharField(
        label=_("RUT (opcional)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"placeholder": "12.345.678-5"}),
    )
    contact_phone = forms.CharField(
        label=_("Teléfono"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, category: IncidentCategory, user=None, chat_photo_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.chat_photo_count = chat_photo_count
        if chat_photo_count:
            # "Turn this chat message into a report": the message's photos, attached unless unticked.
            self.fields["chat_photos"] = forms.BooleanField(
                label=_("Adjuntar las fotos del mensaje del chat (%(count)s)") % {"count": chat_photo_count},
                required=False,
                initial=True,
            )
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        if user is not None and user.is_authenticated:
            self.fields["contact_name"].initial = user.get_full_name()
            self.fields["contact_email"].initial = user.email
        if category.requires_photo:
            self.fields["photos"].label = _("Fotos (al menos una, hasta 5)")
        if category.requires_contact:
            self.fields["identity"].choices = self.fields["identity"].choices[:1]

    def clean_photos(self):
        return photos_rebuilt(self.cleaned_data.get("photos"))

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        # Only invisible characters (zero-width spaces, joiners, BOM) is no description either.
        if is_blank(description):
            raise ValidationError(_("Cuéntenos qué pasa."), code="required")
        return description

    def clean_contact_rut(self):
        value = self.cleaned_data["contact_rut"].strip()
        if not value:
            return ""
        from workflows.rut import rut_clean, rut_is_valid

        if not rut_is_valid(value):
            raise ValidationError(_("El RUT no es válido. Revise el número y el dígito verificador."))
        return rut_clean(value)

    def clean(self):
        cleaned = super().clean()
        if "identity" in self.errors or "idempotency_key" in self.errors:
            # Fields without a visible error of their own (radio group, hidden key): altered by hand.
            self.add_error(
                None, _("El formulario llegó alterado o incompleto. Recargue la página e intente de nuevo.")
            )
        self._clean_location(cleaned)
        chat_photos = self.chat_photo_count if cleaned.get("chat_photos") else 0
        photo_count = len(cleaned.get("photos") or []) + chat_photos
        if photo_count > settings.PHOTO_MAX_PER_REPORT and "photos" not in self.errors:
            self.add_error(
                "photos",
                _("Un reporte admite como máximo %(max)s fotos, contando las del mensaje del chat.")
                % {"max": settings.PHOTO_MAX_PER_REPORT},
            )
        if self.category.requires_photo and not photo_count and "photos" not in self.errors:
            self.add_error("photos", _("Para este tipo de reporte necesitamos al menos una foto."))
        if cleaned.get("identity") == Identity.IDENTIFIED or self.category.requires_contact:
            if not (cleaned.get("contact_phone") or cleaned.get("contact_email")) and not self.errors.get(
                "contact_email"
            ):
                self.add_error("contact_phone", _("Indique un teléfono o un correo para poder contactarle."))
        return cleaned

    def _clean_location(self, cleaned):
        if "latitude" in self.errors or "longitude" in self.errors:
            # Hidden fields show no error of their own: say it where the person can read it.
            self.add_error("address", _("La ubicación del mapa no es válida. Márquela de nuevo."))
            return
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None) or (
            lat is not None and not (math.isfinite(lat) and math.isfinite(lon))
        ):
            self.add_error("address", _("La ubicación del mapa no es válida. Márquela de nuevo."))
            return
        if lat is not None and not in_comuna(lat, lon):
            self.add_error("address", _("El punto marcado está fuera de la comuna de Coyhaique."))
            return
        if self.category.requires_exact_location and lat is None:
            self.add_error("address", _("Para este tipo de reporte marque el lugar exacto en el mapa."))
        elif lat is None and not cleaned.get("address", "").strip():
            self.add_error("address", _("Marque el lugar en el mapa o escriba dónde ocurre."))

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("identity") == Identity.ANONYMOUS and not self.category.requires_contact
