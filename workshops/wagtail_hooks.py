"""Wagtail admin: the editors' list of workshop suggestions and their review screen."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from workshops import admin_views
from workshops.models import Suggestion


class ReviewColumn(Column):
    def get_value(self, instance):
        url = reverse("workshops_suggestion_review", args=[instance.pk])
        label = _("Revisar") if instance.status == "pending" else _("Ver decisión")
        return format_html('<a href="{}">{}</a>', url, label)


class SuggestionViewSet(SnippetViewSet):
    model = Suggestion
    icon = "help"
    menu_label = _("Sugerencias de talleres")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "name",
        "kind",
        "workshop",
        "status",
        "created_at",
        ReviewColumn("review", label=_("Revisión")),
    ]
    list_filter = ["kind", "status"]
    search_fields = ["name", "description"]
    # Editors may polish the wording before accepting; the decision itself is taken on the review screen.
    panels = [FieldPanel("name"), FieldPanel("description")]


register_snippet(SuggestionViewSet)


@hooks.register("register_admin_urls")
def suggestion_review_urls():
    return [path("talleres/sugerencias/<int:pk>/", admin_views.review, name="workshops_suggestion_review")]
