"""Filter forms of the dashboards, the audit list, the exports and the accountability report."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms_content.models import Actor, IncidentCategory, Neighbourhood
from indicators.models import ExportJob
from indicators.selectors.common import Window
from workflows.models import IncidentStatus, ReportChannel

MAX_DAYS = 3660
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodMixin:
    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("desde"), data.get("hasta")
        if date_from and date_to:
            if date_from > date_to:
                raise forms.ValidationError(_("La fecha «desde» debe ser anterior a la fecha «hasta»."))
            if (date_to - date_from).days >= MAX_DAYS:
                raise forms.ValidationError(_("El período no puede ser mayor a diez años."))
        return data

    def window(self, default_days: int = 84) -> Window:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("hasta") or today
        date_from = data.get("desde") or date_to - timedelta(days=default_days - 1)
        return Window(date_from, date_to)


class InternalFilterForm(PeriodMixin, forms.Form):
    desde = forms.DateField(label=_("Desde"), required=False, widget=DATE_INPUT)
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=DATE_INPUT)
    categoria = forms.ModelChoiceField(
        label=_("Categoría"), queryset=IncidentCategory.objects.none(), required=False, empty_label=_("Todas")
    )
    actor = forms.ModelChoiceField(
        label=_("Actor"), queryset=Actor.objects.none(), required=False, empty_label=_("Todos")
    )
    barrio = forms.ModelChoiceField(
        label=_("Barrio"), queryset=Neighbourhood.objects.none(), required=False, empty_label=_("Todos")
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Todos")), *ReportChannel.choices], required=False
    )

    def __init__(self, *args, actor_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categoria"].queryset = IncidentCategory.objects.select_related("parent").order_by(
            "parent__sort_order", "parent__name", "sort_order", "name"
        )
        actors = Actor.objects.order_by("name")
        if actor_ids is not None:
            actors = actors.filter(pk__in=actor_ids)
        self.fields["actor"].queryset = actors
        self.fields["barrio"].queryset = Neighbourhood.objects.order_by("name")


class AuditFilterForm(forms.Form):
    folio = forms.CharField(label=_("Folio"), required=False, max_length=20)
    actor = forms.ModelChoiceField(
        label=_("Actor"), queryset=Actor.objects.order_by("name"), required=False, empty_label=_("Todos")
    )
    estado = forms.ChoiceField(
        label=_("Estado"), choices=[("", _("Todos")), *IncidentStatus.choices], required=False
    )
    atrasados = forms.BooleanField(label=_("Solo fuera de plazo"), required=False)
    reclamados = forms.BooleanField(label=_("Solo con reclamo de la solución"), required=False)


class ExportForm(PeriodMixin, forms.Form):
    formato = forms.ChoiceField(label=_("Formato"), choices=ExportJob.Format.choices, initial="csv")
    alcance = forms.ChoiceField(label=_("Datos"), choices=ExportJob.Scope.choices, initial="public")
    desde = forms.DateField(label=_("Desde"), required=False, widget=DATE_INPUT)
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            self.fields["alcance"].choices = [ExportJob.Scope.choices[0]]


class AccountabilityForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=Actor.objects.order_by("name"))
    anio = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100)
    formato = forms.ChoiceField(label=_("Formato"), choices=[("pdf", "PDF"), ("csv", "CSV")])
