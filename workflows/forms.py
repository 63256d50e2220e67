"""Forms of the staff task screens; each validates, then calls one service."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms_content.models import Actor, IncidentCategory, Priority
from cms_content.validators import no_control_characters
from workflows import services
from workflows.models import IncidentProcess, ResolutionCode
from workflows.services.clock_pause import incident_ask_citizen


class TriageDecision:
    ACCEPT = "accept"
    RECATEGORISE = "recategorise"
    DUPLICATE = "duplicate"
    FALSE_REPORT = "false_report"
    HAND_OVER = "hand_over"
    ASK_INFO = "ask_info"

    CHOICES = [
        (ACCEPT, _("Es válido: asignar y trabajar")),
        (ASK_INFO, _("Pedir más información a la persona (el plazo se detiene hasta que responda)")),
        (RECATEGORISE, _("Cambiar la categoría (se deriva según la nueva)")),
        (DUPLICATE, _("Es un duplicado de otro reporte")),
        (HAND_OVER, _("No es de nuestra competencia: derivar a otra institución")),
        (FALSE_REPORT, _("Es un reporte falso")),
    ]


class TriageForm(forms.ModelForm):
    """Review a new report and decide what happens to it (workflows.services.triage)."""

    decision = forms.ChoiceField(
        label=_("Decisión"), choices=TriageDecision.CHOICES, widget=forms.RadioSelect
    )
    priority = forms.ChoiceField(label=_("Prioridad"), choices=Priority.choices, required=False)
    category = forms.ModelChoiceField(
        label=_("Nueva categoría"),
        required=False,
        queryset=IncidentCategory.objects.reportable()
        .select_related("parent")
        .order_by("parent__name", "name"),
    )
    original_folio = forms.CharField(label=_("Folio del reporte original"), required=False, max_length=20)
    actor = forms.ModelChoiceField(
        label=_("Institución competente"), required=False, queryset=Actor.objects.filter(active=True)
    )
    note = forms.CharField(
        label=_("Nota"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )

    class Meta:
        model = IncidentProcess
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.instance.artifact
        if incident is not None:
            self.fields["priority"].initial = incident.priority

    def clean(self):
        cleaned = super().clean()
        needed = {
            TriageDecision.ACCEPT: ("priority", _("Elija la prioridad.")),
            TriageDecision.RECATEGORISE: ("category", _("Elija la nueva categoría.")),
            TriageDecision.DUPLICATE: ("original_folio", _("Indique el folio del reporte original.")),
            TriageDecision.HAND_OVER: ("actor", _("Elija la institución que corresponde.")),
            TriageDecision.FALSE_REPORT: ("note", _("Explique por qué es falso.")),
            TriageDecision.ASK_INFO: ("note", _("Escriba en la nota la pregunta para la persona.")),
        }.get(cleaned.get("decision"))
        if needed and not cleaned.get(needed[0]):
            self.add_error(needed[0], needed[1])
        if cleaned.get("decision") == TriageDecision.HAND_OVER and not cleaned.get("note"):
            self.add_error("note", _("Explique por qué corresponde a otra institución."))
        return cleaned

    def apply(self, *, by) -> str:
        """Run the decision's service; returns the decision for the flow's gate."""
        data, incident_id = self.cleaned_data, self.instance.artifact.pk
        decision = data["decision"]
        try:
            if decision == TriageDecision.ACCEPT:
                services.incident_accept(
                    incident_id=incident_id, by=by, priority=data["priority"], note=data["note"]
                )
            elif decision == TriageDecision.RECATEGORISE:
                services.incident_recategorise(
                    incident_id=incident_id, category=data["category"], by=by, note=data["note"]
                )
            elif decision == TriageDecision.DUPLICATE:
                services.incident_merge_duplicate(
                    incident_id=incident_id, original_folio=data["original_folio"], by=by, note=data["note"]
                )
            elif decision == TriageDecision.HAND_OVER:
                services.incident_hand_over(
                    incident_id=incident_id, actor=data["actor"], by=by, note=data["note"]
                )
            elif decision == TriageDecision.ASK_INFO:
                incident_ask_citizen(incident_id=incident_id, by=by, question=data["note"])
            else:
                services.incident_reject(
                    incident_id=incident_id, reason="false_report", by=by, note=data["note"]
                )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            raise
        return decision


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to PHOTO_MAX_PER_REPORT photos in one input (citizen reports, front desk, evidence).

    Each file is then rebuilt by the photo pipeline (workflows.services.photos) in the form's clean.
    """

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        limit = self.max_files or settings.PHOTO_MAX_PER_REPORT
        if len(files) > limit:
            raise ValidationError(_("Puede adjuntar hasta %(max)s fotos.") % {"max": limit}, code="too_many")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def photos_rebuilt(uploads) -> list:
    """Rebuild every uploaded photo now, in a form's clean: a bad one is refused on its field before
    anything is stored, and each reason names the photo ("Foto 2: …"). Returns the RebuiltPhotos."""
    rebuilt, errors = [], []
    for number, upload in enumerate(uploads or [], start=1):
        try:
            rebuilt.append(services.photo_rebuild(upload=upload))
        except ValidationError as error:
            errors += [
                ValidationError(
                    _("Foto %(number)s: %(reason)s") % {"number": number, "reason": message}, code="photo"
                )
                for message in error.messages
            ]
    if errors:
        raise ValidationError(errors)
    return rebuilt


class ResolveForm(forms.ModelForm):
    """Record the solution: how (code), what the citizen reads (note), and evidence photos."""

    code = forms.ChoiceField(label=_("¿Cómo se resolvió?"), choices=ResolutionCode.choices)
    public_note = forms.CharField(
        label=_("Nota para la ciudadanía"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )
    evidence = MultiplePhotoField(label=_("Fotos de evidencia"), required=False)

    class Meta:
        model = IncidentProcess
        fields: list[str] = []

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if not files:
            raise ValidationError(_("Adjunte al menos una foto de evidencia de la solución."))
        return photos_rebuilt(files)

    def apply(self, *, by) -> None:
        data = self.cleaned_data
        services.incident_resolve(
            incident_id=self.instance.artifact.pk,
            by=by,
            code=data["code"],
            public_note=data["public_note"],
            evidence=data["evidence"],
        )


class InspectionForm(forms.ModelForm):
    """Field inspection: findings (internal) and evidence photos."""

    findings = forms.CharField(
        label=_("Lo que se encontró en terreno"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )
    evidence = MultiplePhotoField(label=_("Fotos de la inspección"), required=False)

    class Meta:
        model = IncidentProcess
        fields: list[str] = []

    clean_evidence = ResolveForm.clean_evidence

    def apply(self, *, by) -> None:
        services.incident_inspect(
            incident_id=self.instance.artifact.pk,
            by=by,
            findings=self.cleaned_data["findings"],
            evidence=self.cleaned_data["evidence"],
        )


class AuthorityDecisionForm(forms.ModelForm):
    """The authority's decision on budget or priority."""

    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[("approved", _("Aprobar: se ejecuta el trabajo")), ("postponed", _("Postergar por ahora"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Fundamento (visible para la ciudadanía)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )

    class Meta:
        model = IncidentProcess
        fields: list[str] = []

    def apply(self, *, by) -> None:
        services.incident_authority_decide(
            incident_id=self.instance.artifact.pk,
            by=by,
            decision=self.cleaned_data["decision"],
            note=self.cleaned_data["note"],
        )
