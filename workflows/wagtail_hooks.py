"""Wagtail admin registration of workflows' records: the Open311 integrators' keys (/cms/)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from workflows.models import IntegratorKey
from workflows.open311.services import integrator_key_assign_secret


class IntegratorKeyForm(WagtailAdminModelForm):
    """Gives a new key its secret when saved; `issued_key` holds it for the one message that shows it."""

    issued_key: str | None = None

    def save(self, commit=True):
        if self.instance._state.adding:
            self.issued_key = integrator_key_assign_secret(integrator=self.instance)
        return super().save(commit=commit)


class IntegratorKeyCreateView(CreateView):
    def get_success_message(self, instance):
        # Only the hash is stored: this message is the one time anybody sees the key.
        return _("Clave Open311 creada para «%(name)s». Cópiela ahora, no se volverá a mostrar: %(key)s") % {
            "name": instance.name,
            "key": self.form.issued_key,
        }


class IntegratorKeyViewSet(SnippetViewSet):
    """Issue keys (shown once on creation) and revoke them (untick "activa"); `open311_key` does the same."""

    model = IntegratorKey
    icon = "key"
    menu_label = gettext_lazy("Claves Open311")
    menu_order = 290
    add_to_admin_menu = True
    add_view_class = IntegratorKeyCreateView
    copy_view_enabled = False  # a copy would share nothing useful and confuse which key is which
    list_display = ["name", "prefix", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix"]
    search_backend_name = None  # a plain database search: the keys are not in Wagtail's search index
    ordering = ["-created_at"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("active")], base_form_class=IntegratorKeyForm)


register_snippet(IntegratorKeyViewSet)
