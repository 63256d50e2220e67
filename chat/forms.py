"""Forms of the chat pages: sending without JavaScript, moderation, reports (plain text)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import CLIENT_ID_MAX_CHARS, MESSAGE_MAX_CHARS, MESSAGE_MAX_PHOTOS, AlertAnswer, AlertKind
from chat.services.moderation import REASON_MAX_CHARS
from cms_content.models import Neighbourhood
from cms_content.validators import no_control_characters
from workflows.forms import MultiplePhotoField, photos_rebuilt

MUTE_HOURS = [
    (1, _("1 hora")),
    (6, _("6 horas")),
    (24, _("1 día")),
    (72, _("3 días")),
    (168, _("1 semana")),
]


class MessageForm(forms.Form):
    """A message sent over HTTP: without JavaScript, or with photos (too big for a socket frame)."""

    body = forms.CharField(
        label=_("Mensaje"),
        max_length=MESSAGE_MAX_CHARS,
        required=False,  # a photo may go alone; the service refuses a message with neither
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
    )
    client_id = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]+$", max_length=CLIENT_ID_MAX_CHARS, required=False, widget=forms.HiddenInput
    )
    photos = MultiplePhotoField(
        label=_("Fotos (opcional, hasta %(max)s)") % {"max": MESSAGE_MAX_PHOTOS},
        required=False,
        max_files=MESSAGE_MAX_PHOTOS,
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean_photos(self):
        return photos_rebuilt(self.cleaned_data.get("photos"))

    def clean(self):
        cleaned = super().clean()
        if "latitude" in self.errors or "longitude" in self.errors:
            self.errors.pop("latitude", None)
            self.errors.pop("longitude", None)
            self.add_error(None, _("La ubicación no es válida. Vuelva a agregarla."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
        help_text=_("Queda en el registro que revisa la municipalidad."),
    )


class MuteForm(ReasonForm):
    hours = forms.TypedChoiceField(label=_("Silenciar durante"), choices=MUTE_HOURS, coerce=int)


ALERT_HOURS = [
    (6, _("6 horas")),
    (12, _("12 horas")),
    (24, _("1 día")),
    (72, _("3 días")),
    (168, _("1 semana")),
]


class AlertForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de aviso"), choices=AlertKind.choices)
    title = forms.CharField(label=_("Título"), max_length=120, validators=[no_control_characters])
    body = forms.CharField(
        label=_("Detalle"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )
    whole_comuna = forms.BooleanField(label=_("Toda la comuna"), required=False)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Barrios afectados"),
        queryset=Neighbourhood.objects.filter(active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.TypedChoiceField(label=_("Vigente durante"), choices=ALERT_HOURS, coerce=int, initial=24)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("whole_comuna") and not cleaned.get("neighbourhoods"):
            raise forms.ValidationError(_("Elija los barrios afectados o toda la comuna."))
        return cleaned

    def neighbourhood_ids(self) -> list[int]:
        if self.cleaned_data["whole_comuna"]:
            return list(Neighbourhood.objects.filter(active=True).values_list("pk", flat=True))
        return [n.pk for n in self.cleaned_data["neighbourhoods"]]


class LeaderTermForm(forms.Form):
    term_ends = forms.DateField(
        label=_("Periodo hasta"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("¿Por qué pide revisar la medida?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )


class AppealDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Respuesta para quien apeló"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=AlertAnswer.choices)
