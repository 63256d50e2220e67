"""Forms of the chat pages: sending without JavaScript, moderation, reports (plain text)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import CLIENT_ID_MAX_CHARS, MESSAGE_MAX_CHARS
from chat.services.moderation import REASON_MAX_CHARS
from cms_content.validators import no_control_characters

MUTE_HOURS = [
    (1, _("1 hora")),
    (6, _("6 horas")),
    (24, _("1 día")),
    (72, _("3 días")),
    (168, _("1 semana")),
]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Mensaje"),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
    )
    client_id = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]+$", max_length=CLIENT_ID_MAX_CHARS, required=False, widget=forms.HiddenInput
    )


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
