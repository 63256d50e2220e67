"""Forms of the emergency and protected-case task screens; each validates, then calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms_content.validators import no_control_characters
from workflows.models import IncidentProcess, ResolutionCode
from workflows.services import coordination, flow_kinds


class _TaskForm(forms.ModelForm):
    """A task form on the process (viewflow's UpdateProcessView) that saves nothing of it."""

    class Meta:
        model = IncidentProcess
        fields: list[str] = []


def _note_field(label):
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )


class AcknowledgeForm(_TaskForm):
    """Our institution received the dispatch and is on its way."""

    confirm = forms.BooleanField(label=_("Confirmo que mi institución recibió el aviso y va en camino."))

    def apply(self, *, by, subtask):
        coordination.subtask_acknowledge(subtask_id=subtask.pk, by=by)


class ReportPartForm(_TaskForm):
    """What our institution did; when every institution has reported, the case closes jointly."""

    note = _note_field(_("¿Qué hizo su institución?"))

    def apply(self, *, by, subtask):
        coordination.subtask_complete(subtask_id=subtask.pk, by=by, note=self.cleaned_data["note"])


class ProtectionCareForm(_TaskForm):
    """The protection actor records the care given to the person (internal, never public)."""

    note = _note_field(_("Atención y protección dadas (nota interna)"))

    def apply(self, *, by, subtask):
        coordination.subtask_complete(subtask_id=subtask.pk, by=by, note=self.cleaned_data["note"])


class ProtectedResolveForm(_TaskForm):
    """The responsible actor closes its part of a protected case (no photos: see protected_resolve)."""

    code = forms.ChoiceField(label=_("¿Cómo se resolvió?"), choices=ResolutionCode.choices)
    note = _note_field(_("Qué se hizo (nota interna)"))

    def apply(self, *, by, subtask=None):
        flow_kinds.protected_resolve(
            incident_id=self.instance.artifact_object_id,
            by=by,
            code=self.cleaned_data["code"],
            note=self.cleaned_data["note"],
        )
