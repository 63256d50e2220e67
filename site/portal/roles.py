"""The role groups of DESIGN.md §1 and the permissions each one holds, kept in sync idempotently.

The permission scaffold: later issues add permissions to these lists; `roles_sync()` makes the database
match (adds missing, removes ones no longer listed) and is run after every migrate and by `sync_roles`.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class Role:
    CITIZEN = "citizen"
    NEIGHBOURHOOD_LEADER = "neighbourhood_leader"
    FRONT_DESK = "front_desk"
    AGENCY_STAFF = "agency_staff"
    AGENCY_MANAGER = "agency_manager"
    AUTHORITY = "authority"
    AUDITOR = "auditor"
    EDITOR = "editor"
    TRAINER = "trainer"


ROLE_LABELS = {
    Role.CITIZEN: _("Vecino o vecina"),
    Role.NEIGHBOURHOOD_LEADER: _("Dirigente vecinal"),
    Role.FRONT_DESK: _("Oficina de atención"),
    Role.AGENCY_STAFF: _("Personal de actor"),
    Role.AGENCY_MANAGER: _("Jefatura de actor"),
    Role.AUTHORITY: _("Autoridad"),
    Role.AUDITOR: _("Auditoría"),
    Role.EDITOR: _("Edición de contenidos"),
    Role.TRAINER: _("Capacitación"),
}

_WAGTAIL_EDITOR = ["wagtailadmin.access_admin"]
_SNIPPETS = [
    f"cms_content.{action}_{model}"
    for model in (
        "incidentcategory",
        "actor",
        "neighbourhood",
        "actorservice",
        "actormembership",
        "categoryworkflowsettings",
        "categoryrouting",
    )
    for action in ("add", "change", "delete", "view")
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: [],
    Role.NEIGHBOURHOOD_LEADER: [],
    Role.FRONT_DESK: ["workflows.intake_incident", "workflows.view_incident"],
    Role.AGENCY_STAFF: [
        "workflows.work_incident",
        "workflows.view_incident",
        "workflows.view_incidentprocess",
        "chat.send_alert",
    ],
    Role.AGENCY_MANAGER: [
        "workflows.work_incident",
        "workflows.triage_incident",
        "workflows.view_incident",
        "workflows.view_incidentprocess",
        "workflows.view_sensitive_incident",
        "workflows.manage_incidentprocess",
        "chat.send_alert",
    ],
    Role.AUTHORITY: [
        "workflows.decide_incident",
        "workflows.view_incident",
        "workflows.view_incidentprocess",
        "chat.send_alert",
        "chat.oversee_rooms",
    ],
    Role.AUDITOR: [
        "workflows.audit_incident",
        "workflows.view_incident",
        "workflows.view_sensitive_incident",
    ],
    Role.EDITOR: [
        *_WAGTAIL_EDITOR,
        *_SNIPPETS,
        "cms_content.publish_incidentcategory",
        "workshops.view_suggestion",
        "workshops.change_suggestion",
    ],
    Role.TRAINER: [*_WAGTAIL_EDITOR, "workshops.run_workshop", "workshops.view_registration"],
}

# Roles whose members work from staff screens (intake, task lists, audit).
STAFF_ROLES = {
    Role.FRONT_DESK,
    Role.AGENCY_STAFF,
    Role.AGENCY_MANAGER,
    Role.AUTHORITY,
    Role.AUDITOR,
    Role.EDITOR,
    Role.TRAINER,
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


# Roles that edit Wagtail pages (help, workshops…), images and documents, from the root down.
PAGE_EDITING_ROLES = {
    Role.EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    Role.TRAINER: ["add_page", "change_page", "publish_page"],
}
COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]


def _sync_wagtail_tree_permissions(group: Group, page_codenames: list[str]) -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page is None or root_collection is None:
        return
    for codename in page_codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    for codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create every role group and set its permissions; returns permissions per role. Idempotent."""
    counts = {}
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [p for p in (_permission(name) for name in dotted_names) if p is not None]
        group.permissions.set(wanted)
        counts[role] = len(wanted)
        if role in PAGE_EDITING_ROLES:
            _sync_wagtail_tree_permissions(group, PAGE_EDITING_ROLES[role])
    return counts


def sync_roles_after_migrate(sender, app_config=None, **kwargs):
    # post_migrate fires once per app with models; every app's permissions exist only at the last one.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and app_config is with_models[-1]:
        roles_sync()
