"""Appeals of moderation: the affected member's page and the municipality's review (thin views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chat import selectors, services
from chat.forms import AppealDecisionForm, AppealForm


def _id(value) -> int | None:
    value = value or ""
    return int(value) if value.isdigit() and len(value) < 18 else None


@login_required
@require_http_methods(["GET", "POST"])
def appeal_list(request):
    """The measures that fell on the person (their hidden messages, mutes, removals) and their appeals."""
    form = AppealForm(request.POST or None)
    action_id = _id(request.POST.get("action"))
    if request.method == "POST":
        if action_id is None:
            messages.error(request, _("La medida no existe."))
        elif form.is_valid():
            try:
                services.appeal_file(action_id=action_id, by=request.user, text=form.cleaned_data["text"])
            except services.ChatRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("Apelación enviada: la municipalidad la revisará."))
                return redirect("chat:appeal_list")
        else:
            messages.error(request, _("Cuente por qué pide revisar la medida."))
    return render(
        request,
        "chat/appeal_list.html",
        {"actions": selectors.moderation_affecting(user=request.user), "form": AppealForm(), "bad": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_review(request):
    """For the municipality: pending appeals, each upheld or reverted with a note; the last decisions."""
    appeals = selectors.appeals_for_review(user=request.user)
    if appeals is None:
        raise Http404
    if request.method == "POST":
        form = AppealDecisionForm(request.POST)
        appeal_id = _id(request.POST.get("appeal"))
        decision = request.POST.get("decision")
        if appeal_id is None or decision not in ("uphold", "revert"):
            messages.error(request, _("La apelación no existe."))
        elif not form.is_valid():
            messages.error(request, _("Escriba la respuesta: la recibe quien apeló."))
        else:
            try:
                services.appeal_decide(
                    appeal_id=appeal_id,
                    by=request.user,
                    revert=decision == "revert",
                    note=form.cleaned_data["note"],
                )
            except services.ChatRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request, _("Medida revertida.") if decision == "revert" else _("Medida confirmada.")
                )
        return redirect("chat:appeal_review")
    return render(request, "chat/appeal_review.html", {**appeals, "form": AppealDecisionForm()})
