"""Forms of the coordination screens (sub-tasks); each validates its fields, the services the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms_content.models import Actor, DeadlineUnit
from cms_content.validators import no_control_characters


def _text(label, rows=3):
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[no_control_characters],
    )


class SubtaskAddForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Institución"), queryset=Actor.objects.filter(active=True).order_by("name")
    )
    instructions = _text(_("¿Qué debe hacer?"))
    deadline_amount = forms.IntegerField(label=_("Plazo"), min_value=1, max_value=720, initial=2)
    deadline_unit = forms.ChoiceField(
        label=_("Unidad del plazo"), choices=DeadlineUnit.choices, initial=DeadlineUnit.BUSINESS_DAYS
    )


class SubtaskCompleteForm(forms.Form):
    note = _text(_("¿Qué hizo su institución?"))


class SubtaskReferForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Derivar a"), queryset=Actor.objects.filter(active=True).order_by("name")
    )
    note = _text(_("¿Por qué corresponde a esa institución?"), rows=2)
