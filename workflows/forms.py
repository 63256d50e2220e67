"""Forms of the staff task screens; each validates, then calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms_content.models import Priority
from workflows import services
from workflows.models import IncidentProcess, IncidentStatus


class TriageForm(forms.ModelForm):
    """Review a new report: set its priority and move it to "in review"."""

    priority = forms.ChoiceField(label=_("Prioridad"), choices=Priority.choices)
    note = forms.CharField(label=_("Nota interna"), required=False, max_length=2000, widget=forms.Textarea)

    class Meta:
        model = IncidentProcess
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.instance.artifact
        if incident is not None:
            self.fields["priority"].initial = incident.priority

    def apply(self, *, by):
        incident = self.instance.artifact
        services.incident_set_priority(
            incident_id=incident.pk,
            priority=self.cleaned_data["priority"],
            by=by,
            note=self.cleaned_data["note"],
        )
        services.incident_change_status(incident_id=incident.pk, status=IncidentStatus.IN_REVIEW, by=by)
