"""The tracking socket's access answers from the shared cache (chat.tracking_access): same rules as the
tracking page, on a cache hit too, and the cached answer follows every change that matters."""

from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from chat import tracking_access
from chat.tracking_access import CATEGORIES_KEY, DIRTY, MISSING, Undecided, decide, incident_key
from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, reset_channel_layers, session_cookie_for
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows import services
from workflows.models import IncidentStatus, SensitiveReadLog

# --- the decision alone ---------------------------------------------------------------------------------

ANONYMOUS = SimpleNamespace(is_authenticated=False)
SIGNED_IN = SimpleNamespace(is_authenticated=True, pk=7)
SECRET = "el-secreto-de-seguimiento"
ENTRY = {"id": 41, "category": 3, "held": False, "secret": tracking_access.secret_digest(SECRET)}
PUBLIC, SENSITIVE = {3: True}, {3: False}


@pytest.mark.parametrize("user", [ANONYMOUS, SIGNED_IN, None])
def test_a_public_incident_is_open_to_everyone(user):
    assert decide(ENTRY, PUBLIC, user, None) == 41


def test_an_unknown_folio_is_refused():
    assert decide(MISSING, PUBLIC, ANONYMOUS, SECRET) is None


@pytest.mark.parametrize("secret", [None, "", "otro", SECRET + "x"])
def test_a_sensitive_incident_without_its_secret_is_refused_to_anonymous_viewers(secret):
    assert decide(ENTRY, SENSITIVE, ANONYMOUS, secret) is None


def test_a_held_incident_opens_with_its_secret_only():
    held = {**ENTRY, "held": True}
    assert decide(held, PUBLIC, ANONYMOUS, None) is None
    assert decide(held, PUBLIC, ANONYMOUS, "otro") is None
    assert decide(held, PUBLIC, ANONYMOUS, SECRET) == 41


@pytest.mark.parametrize(
    ("entry", "categories", "user", "secret"),
    [
        (ENTRY, SENSITIVE, ANONYMOUS, SECRET),  # accepted, but the read must be logged: the selector's job
        (ENTRY, SENSITIVE, SIGNED_IN, None),  # maybe the reporter or staff
        ({**ENTRY, "held": True}, PUBLIC, SIGNED_IN, None),  # maybe the reporter or staff
        (ENTRY, {}, ANONYMOUS, None),  # a category the map does not know yet
        (ENTRY, None, ANONYMOUS, None),  # no map
        (DIRTY, PUBLIC, ANONYMOUS, None),  # just changed
        (None, PUBLIC, ANONYMOUS, None),  # not cached
    ],
)
def test_what_needs_identity_or_an_audit_record_is_left_to_the_selector(entry, categories, user, secret):
    with pytest.raises(Undecided):
        decide(entry, categories, user, secret)


# --- through the real ASGI application -------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def selector_calls(monkeypatch):
    """Counts the handshakes that asked the database (the selector) instead of the cache.

    The DIRTY marker a save leaves is made to expire at once (a plain delete), as it will have by the time
    anyone opens the page in real life; test_a_change_leaves_a_marker_… covers the marker itself.
    """
    monkeypatch.setattr(tracking_access, "DIRTY_TTL", 0)
    calls = []
    original = tracking_access._from_selector

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(tracking_access, "_from_selector", counting)
    reset_channel_layers()
    yield calls
    reset_channel_layers()


def _report(category, **fields):
    NeighbourhoodFactory()
    return services.incident_report(category=category, description="Basura", address="Prat 1", **fields)


async def connects(folio: str, *, secret: str | None = None, cookie=None) -> bool:
    path = f"/ws/incidents/{folio}/" + (f"?s={secret}" if secret is not None else "")
    headers = [ORIGIN] + ([cookie] if cookie else [])
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


@pytestmark_db
async def test_a_public_incident_is_answered_from_the_cache_after_the_first_handshake(selector_calls):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())
    assert await connects(incident.folio)
    assert selector_calls == [incident.folio]
    assert await connects(incident.folio)
    assert await connects(incident.folio, secret="cualquiera")
    assert selector_calls == [incident.folio]  # the second and third did not touch the database
    entry = await sync_to_async(cache.get)(incident_key(incident.folio))
    assert entry["id"] == incident.pk
    assert incident.tracking_secret not in repr(entry)  # only a keyed hash of the secret is kept


@pytestmark_db
async def test_privacy_holds_on_a_cache_hit_for_a_sensitive_incident(selector_calls):
    category = await sync_to_async(SubSectionFactory)(sensitive=True, public=False)
    incident = await sync_to_async(_report)(category)
    assert not await connects(incident.folio)  # fills the cache
    assert len(selector_calls) == 1
    assert not await connects(incident.folio)
    assert not await connects(incident.folio, secret="adivinado")
    assert not await connects(incident.folio, secret="")
    assert len(selector_calls) == 1  # refused from the cache, as the page would answer 404
    reads = await sync_to_async(SensitiveReadLog.objects.filter(incident=incident).count)()
    # The right secret opens it, through the selector, which logs the read like the tracking page does.
    assert await connects(incident.folio, secret=incident.tracking_secret)
    assert len(selector_calls) == 2
    logged = await sync_to_async(list)(SensitiveReadLog.objects.filter(incident=incident).order_by("pk"))
    assert len(logged) == reads + 1 and logged[-1].via == "secret_link"


@pytestmark_db
async def test_a_reporter_signed_in_is_let_in_by_the_selector(selector_calls):
    reporter = await sync_to_async(UserFactory)()
    category = await sync_to_async(SubSectionFactory)(sensitive=True, public=False)
    incident = await sync_to_async(_report)(category, by=reporter)
    cookie = await sync_to_async(session_cookie_for)(reporter)
    stranger = await sync_to_async(session_cookie_for)(await sync_to_async(UserFactory)())
    assert not await connects(incident.folio)
    assert await connects(incident.folio, cookie=cookie)
    assert not await connects(incident.folio, cookie=stranger)


@pytestmark_db
async def test_a_recategorised_incident_is_refused_without_its_secret_right_after(selector_calls):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())
    assert await connects(incident.folio)
    assert await connects(incident.folio)  # from the cache
    sensitive = await sync_to_async(SubSectionFactory)(sensitive=True, public=False)
    await sync_to_async(services.incident_recategorise)(incident_id=incident.pk, category=sensitive, by=None)
    assert not await connects(incident.folio)
    assert await connects(incident.folio, secret=incident.tracking_secret)


@pytestmark_db
async def test_a_category_made_sensitive_by_an_editor_closes_its_incidents_right_after(selector_calls):
    category = await sync_to_async(SubSectionFactory)()
    incident = await sync_to_async(_report)(category)
    assert await connects(incident.folio)
    assert await connects(incident.folio)
    category.sensitive = True
    await sync_to_async(category.save)()
    assert not await connects(incident.folio)
    # …and a section made private closes its sub-sections' incidents (visibility follows the parent).
    category.sensitive = False
    await sync_to_async(category.save)()
    assert await connects(incident.folio)
    section = category.parent
    section.public = False
    await sync_to_async(section.save)()
    assert not await connects(incident.folio)


@pytestmark_db
async def test_holding_an_incident_for_review_closes_it_to_all_but_its_secret(selector_calls):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())
    assert await connects(incident.folio)
    incident.held_for_review = True
    await sync_to_async(incident.save)(update_fields=["held_for_review"])
    assert not await connects(incident.folio)
    assert not await connects(incident.folio)  # now from the cache
    calls = len(selector_calls)
    assert await connects(incident.folio, secret=incident.tracking_secret)
    assert len(selector_calls) == calls  # a public category: no read to log, the cache answers


@pytestmark_db
async def test_an_unknown_folio_is_refused_until_an_incident_has_it(selector_calls):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())
    assert not await connects("CN-2099-999999")
    assert not await connects("CN-2099-999999")
    assert selector_calls == ["CN-2099-999999"]  # the second from the cache
    assert await sync_to_async(cache.get)(incident_key("CN-2099-999999")) == MISSING
    incident.folio = "CN-2099-999999"
    await sync_to_async(incident.save)(update_fields=["folio"])
    assert await connects("CN-2099-999999")


@pytestmark_db
async def test_a_change_leaves_a_marker_that_keeps_older_answers_out(selector_calls, monkeypatch):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())
    assert await connects(incident.folio)
    monkeypatch.setattr(tracking_access, "DIRTY_TTL", 60)
    entry = await sync_to_async(cache.get)(incident_key(incident.folio))
    await sync_to_async(services.incident_change_status)(
        incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=None
    )
    assert await sync_to_async(cache.get)(incident_key(incident.folio)) == entry
    await sync_to_async(incident.refresh_from_db)()
    await sync_to_async(incident.save)()  # a full save may change anything the decision reads
    assert await sync_to_async(cache.get)(incident_key(incident.folio)) == DIRTY
    # While the marker lasts, handshakes ask the database and cannot put an answer read before the change
    # back into the cache (entries are only added where there is nothing).
    assert await connects(incident.folio)
    assert await connects(incident.folio)
    assert selector_calls == [incident.folio] * 3
    assert await sync_to_async(cache.get)(incident_key(incident.folio)) == DIRTY
    await sync_to_async(cache.delete)(CATEGORIES_KEY)
    await sync_to_async(cache.delete)(incident_key(incident.folio))  # the marker expires
    assert await connects(incident.folio)
    assert await sync_to_async(cache.get)(incident_key(incident.folio)) == entry


@pytestmark_db
async def test_the_database_answers_when_the_cache_is_down(selector_calls, monkeypatch):
    incident = await sync_to_async(_report)(await sync_to_async(SubSectionFactory)())

    async def broken(keys):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tracking_access.process_cache, "get_many", broken)
    assert await connects(incident.folio)
    assert not await connects("CN-2099-999998")


async def test_the_consumers_cache_reads_what_djangos_cache_wrote():
    # With Redis, process_cache reads over redis-py's asyncio client: same keys, same value format.
    await sync_to_async(cache.set_many)({"a": 1, "b": {"id": 4, "held": False}, "c": DIRTY, "d": 2**70})
    found = await tracking_access.process_cache.get_many(["a", "b", "c", "d", "missing"])
    assert found == {"a": 1, "b": {"id": 4, "held": False}, "c": DIRTY, "d": 2**70}
