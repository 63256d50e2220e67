"""Who may open an incident's tracking socket (/ws/incidents/<folio>/), decided from the shared cache when it
can be, so that a handshake does not queue for Channels' single database thread.

`workflows.selectors.incident_for_tracking` stays the rule: the cache only holds what that rule reads
and can be decided without identity, and every case it cannot decide that way goes to the selector
exactly as before:

- an unknown folio is refused;
- an incident whose category is publicly visible and that is not held for review is open to everyone;
- the right tracking secret opens a public-category incident held for review;
- anonymous viewers without the right secret are refused for every other incident;
- everything else (a signed-in viewer who may be the reporter or staff, and any accepted read of a
  non-public category, which the selector records in the sensitive-read log) asks the selector.

What is cached (Django's cache: Redis in production, shared by every daphne process):
- per folio: the incident id, its category id, whether it is held for review and a keyed hash
  (HMAC with SECRET_KEY) of its tracking secret; never the secret, the reporter or any contact;
- one map of category id → `IncidentCategory.is_publicly_visible`, so that an editor making a category
  sensitive (or its section private) changes the answer for all its incidents at once.

Invalidation: a save or delete of an incident (of the fields above) or of any category replaces the entry
by a short-lived DIRTY marker when the transaction commits. Entries are only ever written with `add`,
which fails while a marker is there, so a handshake that read the database just before the change
committed cannot put the old answer back. Entries also expire (ENTRY_TTL) as a safety net for changes
made with queryset.update() or raw SQL, which send no signal (none of the project's code does that to
these fields). A cache that is down is never needed: every handshake then asks the selector.
"""

import hmac
import logging
import re

from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac

from chat import process_cache

logger = logging.getLogger(__name__)

ENTRY_TTL = 300
DIRTY_TTL = 10
DIRTY = "dirty"
MISSING = "missing"  # the folio is unknown (cached too: a flood of made-up folios stays off the database)
CATEGORIES_KEY = "chat:tracking:v1:categories"  # v1: the format of the values below
# Folios look like CN-2026-000123; anything else is never cached (the selector refuses it as before).
FOLIO_RE = re.compile(r"[A-Za-z0-9-]{1,20}")
# Incident fields the decision reads; a save that touches none of them (a status change) keeps the entry.
INCIDENT_FIELDS = {"folio", "category", "category_id", "held_for_review", "tracking_secret"}


def incident_key(folio: str) -> str:
    return f"chat:tracking:v1:incident:{folio}"


def secret_digest(secret: str) -> str:
    return salted_hmac("chat.tracking_access", secret, algorithm="sha256").hexdigest()


# --- the decision ----------------------------------------------------------------------------------------


class Undecided(Exception):
    """The cache cannot answer without identity or an audit record: ask the selector."""


def decide(entry, categories: dict | None, user, secret: str | None) -> int | None:
    """The incident id the viewer may track, None to refuse; raises Undecided when only the selector can tell.

    Mirrors incident_for_tracking: open when the category is publicly visible and the incident not held,
    or with the right secret; sensitive reads (category not publicly visible) are logged there, so an
    accepted one is never decided here.
    """
    if entry == MISSING:
        return None
    if not isinstance(entry, dict) or categories is None or entry["category"] not in categories:
        raise Undecided
    publicly_visible_category = categories[entry["category"]]
    if publicly_visible_category and not entry["held"]:
        return entry["id"]
    via_secret = bool(secret) and hmac.compare_digest(secret_digest(secret), entry["secret"])
    if publicly_visible_category and via_secret:
        return entry["id"]
    if (user is None or not user.is_authenticated) and not via_secret:
        return None
    raise Undecided


async def trackable_incident_id(folio: str, user, secret: str | None) -> int | None:
    """The id of the incident behind `folio` if this viewer may follow it live, else None."""
    folio = folio[:20]
    if not FOLIO_RE.fullmatch(folio):
        return await database_sync_to_async(_from_selector)(folio, user, secret)
    key = incident_key(folio)
    try:
        found = await process_cache.get_many([key, CATEGORIES_KEY])
    except Exception:  # the cache is down: the database still answers, as before the cache existed
        logger.warning("tracking access: cache unavailable, asking the database", exc_info=True)
        return await database_sync_to_async(_from_selector)(folio, user, secret)
    entry, categories = found.get(key), found.get(CATEGORIES_KEY)
    try:
        return decide(entry, categories if isinstance(categories, dict) else None, user, secret)
    except Undecided:
        pass
    return await database_sync_to_async(_from_selector)(
        folio, user, secret, remember_incident=entry is None, remember_categories=categories is None
    )


def _from_selector(folio, user, secret, *, remember_incident=False, remember_categories=False) -> int | None:
    """The selector's answer (sync, on the consumer's database thread); fills what the cache was missing."""
    from django.contrib.auth.models import AnonymousUser

    from workflows.selectors import incident_for_tracking

    tracked = incident_for_tracking(folio=folio, user=user or AnonymousUser(), secret=secret)
    try:
        if remember_incident:
            process_cache.shared_cache().add(incident_key(folio), _incident_entry(folio), ENTRY_TTL)
        if remember_categories:
            process_cache.shared_cache().add(CATEGORIES_KEY, _category_visibility(), ENTRY_TTL)
    except Exception:  # noqa: BLE001 - a cache failure must not refuse a socket the selector allowed
        logger.warning("tracking access: could not fill the cache", exc_info=True)
    return tracked.incident.pk if tracked else None


def _incident_entry(folio: str):
    from workflows.models import Incident

    row = (
        Incident.objects.filter(folio=folio)
        .values_list("pk", "category_id", "held_for_review", "tracking_secret")
        .first()
    )
    if row is None:
        return MISSING
    pk, category_id, held, tracking_secret = row
    return {"id": pk, "category": category_id, "held": held, "secret": secret_digest(tracking_secret)}


def _category_visibility() -> dict[int, bool]:
    """Every category's is_publicly_visible, computed by the model's own property (parents from this read)."""
    from cms_content.models import IncidentCategory

    by_id = {category.pk: category for category in IncidentCategory.objects.all()}
    for category in by_id.values():
        if category.parent_id is not None and category.parent_id in by_id:
            category.parent = by_id[category.parent_id]
    return {pk: category.is_publicly_visible for pk, category in by_id.items()}


# --- invalidation (signals connected in chat.apps) ----------------------------------------------------------


def _mark_dirty(keys: list[str]) -> None:
    def mark():
        try:
            cache.set_many(dict.fromkeys(keys, DIRTY), DIRTY_TTL)
        except Exception:  # noqa: BLE001 - the save must not fail because Redis did; entries expire anyway
            logger.error("tracking access: could not invalidate %s (expires within %s s)", keys, ENTRY_TTL)

    # After the commit (at once outside a transaction): until then the entry still matches what the
    # database says to everyone else. One write per save, which the report form's transaction pays.
    transaction.on_commit(mark)


def incident_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not INCIDENT_FIELDS.intersection(update_fields):
        return  # a status change, a counter: nothing the decision reads
    if instance.folio and FOLIO_RE.fullmatch(instance.folio[:20]):
        _mark_dirty([incident_key(instance.folio[:20])])


def category_changed(sender, **kwargs) -> None:
    # Any save: visibility follows the parent too, and editors change categories rarely.
    _mark_dirty([CATEGORIES_KEY])


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            incident_changed, sender="workflows.Incident", dispatch_uid=f"tracking-incident-{name}"
        )
        signal.connect(
            category_changed, sender="cms_content.IncidentCategory", dispatch_uid=f"tracking-category-{name}"
        )
