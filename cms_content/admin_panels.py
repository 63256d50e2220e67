"""The "Pendientes de la plataforma" panel on the Wagtail dashboard: gaps an editor should fill."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from cms_content.selectors import reference_data_gaps


class PlatformGapsPanel(Component):
    """Lists categories without responsible actor or workflow settings, actors without contact,
    overlapping neighbourhoods, so editors see what breaks routing before a citizen does."""

    name = "platform_gaps"
    order = 50
    template_name = "cms_content/admin/platform_gaps_panel.html"

    def get_context_data(self, parent_context=None):
        gaps = reference_data_gaps()
        return {"gaps": gaps, "total": sum(len(items) for items in gaps.values()), "titles": GAP_TITLES}


GAP_TITLES = {
    "categories_without_actor": _("Sub-secciones sin actor responsable"),
    "categories_without_settings": _("Categorías sin configuración de flujo"),
    "actors_without_contact": _("Actores sin teléfono ni correo"),
    "overlapping_neighbourhoods": _("Barrios que se superponen"),
}
