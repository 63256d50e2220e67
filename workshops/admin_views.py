"""The editors' review of a workshop suggestion in /cms/: accept (creates a draft) or reject with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from cms_content.models import IncidentCategory
from workshops import services
from workshops.models import Suggestion, SuggestionKind, SuggestionStatus


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[("accept", _("Aceptar (se crea un borrador)")), ("reject", _("Rechazar"))],
        widget=forms.RadioSelect,
    )
    section = forms.ModelChoiceField(
        label=_("Sección de la nueva categoría"),
        queryset=IncidentCategory.objects.filter(parent__isnull=True).order_by("sort_order", "name"),
        required=False,
        help_text=_("Solo para tipos de problema. Vacío: queda como sección."),
    )
    reason = forms.CharField(
        label=_("Motivo del rechazo"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def review(request, pk: int):
    if not request.user.has_perm("workshops.change_suggestion"):
        raise PermissionDenied
    suggestion = get_object_or_404(Suggestion.objects.select_related("workshop"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and suggestion.status == SuggestionStatus.PENDING and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.suggestion_accept(
                    suggestion_id=suggestion.pk, user=request.user, section=form.cleaned_data["section"]
                )
                messages.success(request, _("Sugerencia aceptada: complete y publique el borrador creado."))
            else:
                services.suggestion_reject(
                    suggestion_id=suggestion.pk, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Sugerencia rechazada."))
        except services.WorkshopError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("workshops_suggestion_review", pk=suggestion.pk)
    context = {
        "suggestion": suggestion,
        "form": form,
        "is_category": suggestion.kind == SuggestionKind.CATEGORY,
        "page_title": _("Revisar sugerencia"),
        "header_title": suggestion.name,
    }
    return TemplateResponse(request, "workshops/admin/review.html", context)
