"""Admin forms with cross-field rules that the model alone cannot check (many-to-many fields)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ActorAdminForm(WagtailAdminModelForm):
    """An actor either covers the whole comuna or names the neighbourhoods it covers."""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("covers_whole_comuna") and not cleaned.get("coverage"):
            self.add_error(
                "coverage", ValidationError(_("Elija al menos un barrio o marque «atiende toda la comuna»."))
            )
        return cleaned
