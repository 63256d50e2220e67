"""Writes on reference data: the idempotent loader of fixtures/ (taxonomy, actors, neighbourhoods, help).

Every record is matched on its natural key (slug) and saved only when a value differs, so a second run
changes nothing and reports zero created and zero updated.
"""

import json
from collections import Counter
from pathlib import Path

from django.db import models, transaction
from wagtail.models import Page, Site

from cms_content.geo import LatLon
from cms_content.models import (
    Actor,
    ActorService,
    AttentionSessionIndexPage,
    CategoryWorkflowSettings,
    HelpIndexPage,
    HelpPage,
    HomePage,
    IncidentCategory,
    Neighbourhood,
)

CATEGORY_FIELDS = [
    "name",
    "name_en",
    "icon",
    "colour",
    "description",
    "description_en",
    "emergency_notice",
    "emergency_notice_en",
    "emergency_phone",
    "blocks_form",
    "sensitive",
    "public",
    "default_priority",
    "requires_photo",
    "requires_exact_location",
    "requires_contact",
    "duplicate_radius_m",
]
ACTOR_FIELDS = [
    "name",
    "name_en",
    "group",
    "description",
    "description_en",
    "phones",
    "emergency_phone",
    "email",
    "website",
    "address",
    "open_24_7",
    "opening_hours",
]
SERVICE_FIELDS = ["name", "name_en", "requirements", "where_when", "mode", "url"]


def _read(fixtures_dir: Path, name: str) -> list[dict]:
    with open(fixtures_dir / name, encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model: type[models.Model], lookup: dict, values: dict, stats: Counter) -> models.Model:
    """Create, or update only the fields whose value differs; count what happened."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        stats[f"{model._meta.model_name}.created"] += 1
        return obj
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.full_clean()
        obj.save(update_fields=changed)
        stats[f"{model._meta.model_name}.updated"] += 1
    return obj


def _set_m2m(obj: models.Model, field: str, wanted: list, stats: Counter) -> None:
    manager = getattr(obj, field)
    if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
        manager.set(wanted)
        obj.save()  # a ParentalManyToManyField is only written when its owner is saved
        stats[f"{obj._meta.model_name}.{field}.updated"] += 1


def _without_ids(data):
    """StreamField JSON without the random block ids, to compare content."""
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _load_neighbourhoods(rows: list[dict], stats: Counter) -> None:
    for row in rows:
        _upsert(
            Neighbourhood, {"slug": row["slug"]}, {"name": row["name"], "boundary": row["boundary"]}, stats
        )


def _load_actors(rows: list[dict], stats: Counter) -> None:
    for row in rows:
        values = {field: row.get(field, "") for field in ACTOR_FIELDS}
        values["open_24_7"] = bool(row.get("open_24_7", False))
        values["covers_whole_comuna"] = not row.get("coverage")
        values["location"] = (
            LatLon(lat=row["lat"], lon=row["lon"]).as_geo_widget_value() if row.get("lat") is not None else ""
        )
        actor = _upsert(Actor, {"slug": row["slug"]}, values, stats)
        _set_m2m(
            actor, "coverage", list(Neighbourhood.objects.filter(slug__in=row.get("coverage", []))), stats
        )
        for order, service in enumerate(row.get("services", [])):
            service_values = {field: service.get(field, "") for field in SERVICE_FIELDS}
            service_values["sort_order"] = order
            _upsert(
                ActorService,
                {"actor": actor, "name": service["name"]},
                {k: v for k, v in service_values.items() if k != "name"},
                stats,
            )


def _category_values(row: dict, parent: IncidentCategory | None, order: int) -> dict:
    values = {field: row[field] for field in CATEGORY_FIELDS if field in row}
    values["parent"] = parent
    values["sort_order"] = order
    values["responsible_actor"] = Actor.objects.filter(slug=row.get("responsible_actor") or "").first()
    return values


def _load_category(
    row: dict, parent: IncidentCategory | None, order: int, stats: Counter
) -> IncidentCategory:
    category = _upsert(IncidentCategory, {"slug": row["slug"]}, _category_values(row, parent, order), stats)
    _set_m2m(
        category,
        "supporting_actors",
        list(Actor.objects.filter(slug__in=row.get("supporting_actors", []))),
        stats,
    )
    flow_kind = row.get("flow_kind") or (parent and parent.workflow_settings.first().flow_kind) or "standard"
    settings_values = {"flow_kind": flow_kind}
    if row.get("protection_actor"):
        # Protected cases are always referred to this actor (workflows.flows.ProtectedFlow).
        settings_values["protection_actor"] = Actor.objects.get(slug=row["protection_actor"])
    _upsert(CategoryWorkflowSettings, {"category": category}, settings_values, stats)
    return category


def _load_taxonomy(rows: list[dict], stats: Counter) -> None:
    for section_order, section_row in enumerate(rows):
        section = _load_category(section_row, None, section_order, stats)
        for child_order, child_row in enumerate(section_row.get("children", [])):
            _load_category(child_row, section, child_order, stats)


def _help_body(row: dict) -> list[dict]:
    body = []
    for section in row.get("sections", []):
        body.append({"type": "heading", "value": section["heading"]})
        body.append({"type": "paragraph", "value": f"<p>{_escape(section['text'])}</p>"})
    if row.get("steps"):
        body.append(
            {
                "type": "steps",
                "value": [
                    {"title": step["title"], "text": step["text"], "image": None} for step in row["steps"]
                ],
            }
        )
    if row.get("faq"):
        body.append(
            {
                "type": "faq",
                "value": [
                    {"question": item["question"], "answer": f"<p>{_escape(item['answer'])}</p>"}
                    for item in row["faq"]
                ],
            }
        )
    body.append({"type": "emergency_numbers", "value": None})
    return body


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def _ensure_home() -> HomePage:
    """Make a HomePage the root of the default Wagtail site (replacing Wagtail's welcome page)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="CooperaNet Coyhaique", slug="cooperanet", intro="")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="CooperaNet Coyhaique",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome" placeholder page
    return home


def _load_help(rows: list[dict], stats: Counter) -> None:
    home = _ensure_home()
    index = HelpIndexPage.objects.child_of(home).filter(slug="ayuda").first()
    if index is None:
        index = HelpIndexPage(title="Ayuda", slug="ayuda", intro="Guías simples para usar CooperaNet.")
        home.add_child(instance=index)
        index.save_revision().publish()
        stats["helpindexpage.created"] += 1
    for row in rows:
        values = {"title": row["title"], "intro": row.get("intro", "")}
        body = _help_body(row)
        page = HelpPage.objects.child_of(index).filter(slug=row["slug"]).first()
        if page is None:
            page = HelpPage(slug=row["slug"], body=body, **values)
            index.add_child(instance=page)
            page.save_revision().publish()
            stats["helppage.created"] += 1
            continue
        new_body = HelpPage(body=body).body.get_prep_value()
        changed = any(getattr(page, k) != v for k, v in values.items()) or _without_ids(
            page.body.get_prep_value()
        ) != _without_ids(new_body)
        if changed:
            for key, value in values.items():
                setattr(page, key, value)
            page.body = body
            page.save_revision().publish()
            stats["helppage.updated"] += 1


def _ensure_attention_session_index(stats: Counter) -> AttentionSessionIndexPage:
    """Create the list of joint attention sessions (/jornadas/) once; editors own it afterwards.

    Only a missing page is created: title, slug and intro are never overwritten (found by type, not slug),
    so editors' changes survive and a second run changes nothing.
    """
    home = _ensure_home()
    index = AttentionSessionIndexPage.objects.child_of(home).first()
    if index is None:
        index = AttentionSessionIndexPage(
            title="Jornadas de atención",
            slug="jornadas",
            intro=(
                "Días en que varias instituciones atienden juntas en un mismo lugar, también fuera del "
                "horario de oficina, para hacer sus trámites sin perder el día de trabajo."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        stats["attentionsessionindexpage.created"] += 1
    return index


@transaction.atomic
def reference_data_load(*, fixtures_dir: Path) -> Counter:
    """Load every reference file of `fixtures_dir` in dependency order; returns created/updated counts."""
    stats: Counter = Counter()
    _load_neighbourhoods(_read(fixtures_dir, "neighbourhoods.json"), stats)
    _load_actors(_read(fixtures_dir, "actors.json"), stats)
    _load_taxonomy(_read(fixtures_dir, "taxonomy.json"), stats)
    _load_help(_read(fixtures_dir, "help.json"), stats)
    _ensure_attention_session_index(stats)
    return stats
