"""The front-desk intake form: a report entered by an officer for a citizen who came in or called.

Unlike the citizen form, the category is a plain `<select>` (the officer knows the taxonomy), a place
may be an address only (a caller cannot drop a pin), photos are optional whatever the category says, and
the citizen's details are required unless the officer marks the report anonymous.
"""

import math
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms_content.geo import in_comuna
from cms_content.models import IncidentCategory
from cms_content.selectors import category_reportable_list
from cms_content.validators import is_blank, no_control_characters
from portal.report_forms import DESCRIPTION_MAX
from workflows import services
from workflows.forms import MultiplePhotoField, photos_rebuilt
from workflows.models import ReportChannel
from workflows.rut import RUT_INPUT_MAX_LENGTH, rut_clean, rut_is_valid
from workflows.services import IdempotencyKeyInvalid, idempotency_key_validate

INTAKE_CHANNELS = [
    (ReportChannel.FRONT_DESK, _("En persona")),
    (ReportChannel.PHONE, _("Por teléfono")),
]
# Digits a phone number may have: 8 (a local number without area code) to 15 (E.164's maximum).
PHONE_DIGITS_MIN = 8
PHONE_DIGITS_MAX = 15
_PHONE_CHARACTERS = re.compile(r"^[0-9+\s().\-]+$")


class ChannelRadioSelect(forms.RadioSelect):
    """Radio buttons whose checked option takes the page's autofocus (the first stop of the form)."""

    autofocus = False

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if self.autofocus and selected:
            option["attrs"]["autofocus"] = True
        return option


class CategorySelect(forms.Select):
    """A `<select>` whose options carry what the page shows when one is chosen (emergency notice...)."""

    def __init__(self, *args, option_data: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_data = option_data or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_data.get(str(value), {}))
        return option


def category_choices() -> tuple[list, dict[str, dict], dict[str, IncidentCategory]]:
    """Reportable sub-sections grouped by section: (choices with optgroups, data per option, by slug)."""
    groups: dict[int, tuple[str, list]] = {}
    option_data: dict[str, dict] = {}
    by_slug: dict[str, IncidentCategory] = {}
    for category in category_reportable_list():
        label, options = groups.setdefault(category.parent_id, (category.parent.display_name, []))
        options.append((category.slug, category.display_name))
        by_slug[category.slug] = category
        option_data[category.slug] = {
            "data-notice": category.display_emergency_notice,
            "data-phone": category.emergency_phone,
            "data-blocks": "1" if category.blocks_form else "",
            "data-requires-contact": "1" if category.requires_contact else "",
        }
    choices = [("", gettext("— Elija una categoría —")), *groups.values()]
    return choices, option_data, by_slug


class IntakeForm(forms.Form):
    """One page, in the order of the conversation: how they came, who they are, what, where, photos."""

    channel = forms.ChoiceField(
        label=_("¿Cómo llegó el reporte?"),
        choices=INTAKE_CHANNELS,
        initial=ReportChannel.FRONT_DESK,
        widget=ChannelRadioSelect,
        error_messages={"invalid_choice": _("Elija «En persona» o «Por teléfono».")},
    )
    is_anonymous = forms.BooleanField(
        label=_("Anónimo: la persona no quiere dar sus datos"),
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Nombre"),
        required=False,
        max_length=150,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_rut = forms.CharField(
        label=_("RUT"),
        required=False,
        max_length=RUT_INPUT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": "12.345.678-5", "autocomplete": "off"}),
    )
    contact_phone = forms.CharField(
        label=_("Teléfono"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        error_messages={"invalid": _("El correo no es válido. Revise que tenga la forma nombre@dominio.cl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        label=_("Categoría"),
        error_messages={
            "required": _("Elija una categoría."),
            "invalid_choice": _("Elija una categoría de la lista."),
        },
    )
    address = forms.CharField(
        label=_("Dirección o referencia del lugar"),
        required=False,
        max_length=300,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Obligatoria si no marca el punto en el mapa."),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("¿Qué pasa?"),
        max_length=DESCRIPTION_MAX,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Escriba qué pasa.")},
    )
    photos = MultiplePhotoField(
        label=_("Fotos o documentos escaneados (opcional, hasta 5)"),
        required=False,
    )
    # One key per rendered form: sending the same form twice gives the first report back, not a second one.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, initial_channel: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices, option_data, self._categories = category_choices()
        # The widget first: assigning choices passes them on to the field's current widget.
        self.fields["category"].widget = CategorySelect(option_data=option_data)
        self.fields["category"].choices = choices
        self.fields["submission_key"].initial = uuid.uuid4().hex
        if initial_channel in dict(INTAKE_CHANNELS):
            self.fields["channel"].initial = initial_channel
        # Autofocus only on a fresh form: after an error the page focuses the first field in error.
        self.fields["channel"].widget.autofocus = not self.is_bound

    def clean_category(self) -> IncidentCategory:
        category = self._categories.get(self.cleaned_data["category"])
        if category is None:
            raise ValidationError(gettext("Elija una categoría de la lista."), code="invalid_choice")
        return category

    def clean_contact_name(self) -> str:
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_contact_rut(self) -> str:
        value = self.cleaned_data["contact_rut"].strip()
        if not value:
            return ""
        if not rut_is_valid(value):
            raise ValidationError(
                gettext("El RUT no es válido. Revise el número y el dígito verificador."), code="rut"
            )
        return rut_clean(value)

    def clean_contact_phone(self) -> str:
        value = " ".join(self.cleaned_data["contact_phone"].split())
        if not value:
            return ""
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE_CHARACTERS.match(value) or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX:
            raise ValidationError(
                gettext("El teléfono no es válido: use solo números (entre 8 y 15), espacios o +."),
                code="phone",
            )
        return value

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if is_blank(description):  # zero-width characters only are no description either
            raise ValidationError(gettext("Escriba qué pasa."), code="required")
        return description

    def clean_photos(self) -> list[services.RebuiltPhoto]:
        return photos_rebuilt(self.cleaned_data["photos"])

    def clean_submission_key(self) -> str:
        try:
            return idempotency_key_validate(self.cleaned_data["submission_key"])
        except IdempotencyKeyInvalid as error:
            raise ValidationError(
                gettext("El formulario no es válido. Recargue la página e ingrese el reporte de nuevo."),
                code="submission_key",
            ) from error

    def clean(self):
        cleaned = super().clean()
        if "submission_key" in self.errors:
            # A hidden field's error would show nowhere: say it at the top of the form.
            self.add_error(None, self.errors.pop("submission_key"))
        self._clean_contact(cleaned)
        self._clean_location(cleaned)
        return cleaned

    def _clean_contact(self, cleaned) -> None:
        category = cleaned.get("category")
        if cleaned.get("is_anonymous"):
            if category is not None and category.requires_contact:
                self.add_error(
                    "is_anonymous",
                    gettext("Esta categoría necesita los datos de contacto: no admite reportes anónimos."),
                )
                return
            # Whatever was typed before ticking "anonymous" is not kept.
            for name in ("contact_name", "contact_rut", "contact_phone", "contact_email"):
                cleaned[name] = ""
            return
        if not cleaned.get("contact_name") and "contact_name" not in self.errors:
            self.add_error("contact_name", gettext("Escriba el nombre de la persona, o marque «Anónimo»."))
        contact_errors = {"contact_rut", "contact_phone", "contact_email"} & set(self.errors)
        if contact_errors:
            return
        if category is not None and category.requires_contact:
            if not (cleaned.get("contact_phone") or cleaned.get("contact_email")):
                self.add_error(
                    "contact_phone",
                    gettext("Esta categoría necesita un teléfono o un correo para contactar a la persona."),
                )
        elif not (cleaned.get("contact_rut") or cleaned.get("contact_phone") or cleaned.get("contact_email")):
            self.add_error(
                "contact_phone",
                gettext("Indique al menos un RUT, un teléfono o un correo, o marque «Anónimo»."),
            )

    def _clean_location(self, cleaned) -> None:
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            # Hidden fields: move their errors next to the visible address field.
            self.errors.pop("latitude", None)
            self.errors.pop("longitude", None)
            self.add_error("address", gettext("La ubicación del mapa no es válida. Márquela de nuevo."))
            return
        if (lat is None) != (lon is None) or (
            lat is not None and not (math.isfinite(lat) and math.isfinite(lon))
        ):
            self.add_error("address", gettext("La ubicación del mapa no es válida. Márquela de nuevo."))
            return
        if lat is not None and not in_comuna(lat, lon):
            self.add_error("address", gettext("El punto marcado está fuera de la comuna de Coyhaique."))
            return
        if lat is None and not cleaned.get("address", "").strip() and "address" not in self.errors:
            self.add_error("address", gettext("Escriba la dirección o marque el lugar en el mapa."))
