"""Forms of the public and trainer screens; services re-check every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms_content.models import Neighbourhood
from workshops.models import QuestionKind


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Su nombre"), max_length=120)
    phone = forms.CharField(
        label=_("Teléfono"), max_length=30, required=False, help_text=_("Para avisarle si hay cambios.")
    )
    email = forms.EmailField(
        label=_("Correo electrónico"), required=False, help_text=_("Opcional si dejó teléfono.")
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Su barrio"),
        queryset=Neighbourhood.objects.filter(active=True).order_by("name"),
        required=False,
    )
    organisation = forms.CharField(
        label=_("Organización (opcional)"),
        max_length=150,
        required=False,
        help_text=_("Por ejemplo: Junta de Vecinos Los Pinos."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Deje un teléfono o un correo para poder avisarle."))
        return cleaned


class WalkInForm(RegistrationForm):
    def clean(self):
        # At the door a name is enough: the person is already in the room.
        return forms.Form.clean(self)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Código"), max_length=32)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de pregunta"), choices=QuestionKind.choices)
    prompt = forms.CharField(label=_("Pregunta"), max_length=300)
    options = forms.CharField(
        label=_("Alternativas, una por línea"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Solo para «alternativas» y «ordenar las 5 más importantes»."),
    )


class OutcomesForm(forms.Form):
    outcomes = forms.CharField(
        label=_("Resultados y acuerdos"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )
