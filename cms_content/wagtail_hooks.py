"""Wagtail admin registration: the snippets editors use to run the platform (/cms/)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms_content.admin_panels import PlatformGapsPanel
from cms_content.forms import ActorAdminForm
from cms_content.models import Actor, ActorMembership, IncidentCategory, Neighbourhood
from cms_content.widgets import LocalLeafletPanel, PolygonMapWidget


class IncidentCategoryViewSet(SnippetViewSet):
    model = IncidentCategory
    icon = "folder-open-inverse"
    menu_label = _("Categorías")
    list_display = ["name", "parent", "responsible_actor", "sensitive", "active"]
    list_filter = ["parent", "sensitive", "public", "active", "default_priority"]
    search_fields = ["name", "name_en", "slug", "description"]
    ordering = ["parent__sort_order", "sort_order", "name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    # A plain list of sections reads better for editors than a chooser modal.
                    FieldPanel("parent", widget=forms.Select),
                    FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
                    FieldPanel("slug"),
                    FieldRowPanel([FieldPanel("icon"), FieldPanel("colour"), FieldPanel("sort_order")]),
                    FieldPanel("description"),
                    FieldPanel("description_en"),
                    MultiFieldPanel(
                        [
                            FieldPanel("emergency_notice"),
                            FieldPanel("emergency_notice_en"),
                            FieldRowPanel([FieldPanel("emergency_phone"), FieldPanel("blocks_form")]),
                        ],
                        heading=_("Aviso de emergencia"),
                    ),
                ],
                heading=_("Categoría"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("sensitive"), FieldPanel("public"), FieldPanel("active")]),
                    FieldPanel("default_priority"),
                    FieldRowPanel(
                        [
                            FieldPanel("requires_photo"),
                            FieldPanel("requires_exact_location"),
                            FieldPanel("requires_contact"),
                        ]
                    ),
                    FieldPanel("duplicate_radius_m"),
                    FieldPanel("responsible_actor"),
                    FieldPanel("supporting_actors"),
                    InlinePanel("routings", label=_("Derivación por barrio")),
                ],
                heading=_("Reporte y derivación"),
            ),
            ObjectList([InlinePanel("workflow_settings", max_num=1, label=_("Flujo"))], heading=_("Flujo")),
        ]
    )


class ActorViewSet(SnippetViewSet):
    model = Actor
    icon = "group"
    menu_label = _("Actores")
    list_display = ["name", "group", "emergency_phone", "open_24_7", "active"]
    list_filter = ["group", "open_24_7", "active"]
    search_fields = ["name", "name_en", "slug", "description"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
                    FieldPanel("slug"),
                    FieldPanel("group"),
                    FieldPanel("description"),
                    FieldPanel("description_en"),
                    FieldPanel("active"),
                ],
                heading=_("Actor"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("phones"), FieldPanel("emergency_phone")]),
                    FieldRowPanel([FieldPanel("email"), FieldPanel("website")]),
                    FieldRowPanel([FieldPanel("open_24_7"), FieldPanel("opening_hours")]),
                    FieldPanel("address"),
                    LocalLeafletPanel("location", address_field="address"),
                    FieldPanel("covers_whole_comuna"),
                    FieldPanel("coverage"),
                ],
                heading=_("Contacto y ubicación"),
            ),
            ObjectList([InlinePanel("services", label=_("Trámites"))], heading=_("Catálogo de trámites")),
        ],
        base_form_class=ActorAdminForm,
    )


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "site"
    menu_label = _("Barrios")
    list_display = ["name", "slug", "active"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("boundary", widget=PolygonMapWidget(outlines=Neighbourhood.objects.filter(active=True))),
        FieldPanel("active"),
    ]


class ActorMembershipViewSet(SnippetViewSet):
    model = ActorMembership
    icon = "user"
    menu_label = _("Integrantes de actores")
    list_display = ["user", "actor", "is_manager"]
    list_filter = ["actor", "is_manager"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "actor__name"]
    panels = [FieldPanel("user"), FieldPanel("actor"), FieldPanel("is_manager")]


class PlatformViewSetGroup(SnippetViewSetGroup):
    """The "Plataforma" menu of the admin: everything that describes the platform's world."""

    items = (IncidentCategoryViewSet, ActorViewSet, NeighbourhoodViewSet, ActorMembershipViewSet)
    menu_icon = "cog"
    menu_label = _("Plataforma")
    menu_name = "platform"
    menu_order = 200


register_snippet(PlatformViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_platform_gaps_panel(request, panels):
    if request.user.has_perm("cms_content.change_incidentcategory"):
        panels.append(PlatformGapsPanel())
