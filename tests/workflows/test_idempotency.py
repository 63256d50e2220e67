"""The idempotency service: one run per (scope, key), stored answers, mismatch, in-flight, rollback."""

import threading
import time

import pytest
from django.db import connection

from workflows.models import BlockedContact, IdempotencyRecord
from workflows.services import (
    IdempotencyInFlight,
    IdempotencyKeyInvalid,
    IdempotencyMismatch,
    idempotent,
    request_fingerprint,
)

SCOPE = "test"


def _make_row(value: str):
    """A work function with a visible side effect (a row) that answers 201 with the row's id."""

    def work():
        row = BlockedContact.objects.create(value=value, reason="prueba")
        return 201, {"id": row.pk, "value": value}

    return work


@pytest.mark.django_db
def test_a_retry_with_the_same_key_and_request_gets_the_stored_answer_without_running_again():
    request_hash = request_fingerprint({"a": 1})
    first = idempotent(scope=SCOPE, key="k-1", request_hash=request_hash, work=_make_row("uno@example.cl"))
    calls = []

    def must_not_run():
        calls.append(1)
        return 500, {}

    second = idempotent(scope=SCOPE, key="k-1", request_hash=request_hash, work=must_not_run)
    assert second == first
    assert first[0] == 201
    assert calls == []
    assert BlockedContact.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_refused_as_a_mismatch():
    idempotent(scope=SCOPE, key="k-2", request_hash=request_fingerprint({"a": 1}), work=_make_row("a@x.cl"))
    with pytest.raises(IdempotencyMismatch):
        idempotent(
            scope=SCOPE, key="k-2", request_hash=request_fingerprint({"a": 2}), work=_make_row("b@x.cl")
        )
    assert list(BlockedContact.objects.values_list("value", flat=True)) == ["a@x.cl"]


@pytest.mark.django_db
def test_the_same_key_in_another_scope_is_another_request():
    request_hash = request_fingerprint({"a": 1})
    idempotent(scope="one", key="shared", request_hash=request_hash, work=_make_row("a@x.cl"))
    idempotent(scope="two", key="shared", request_hash=request_hash, work=_make_row("b@x.cl"))
    assert BlockedContact.objects.count() == 2


def test_fingerprint_ignores_key_order_but_not_values():
    assert request_fingerprint({"a": 1, "b": [1, 2]}) == request_fingerprint({"b": [1, 2], "a": 1})
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": "1"})


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 101, "con espacio", "año", "a/b", "a\x00b", "<script>"])
def test_a_malformed_key_is_refused_before_any_work(key):
    calls = []

    def work():
        calls.append(1)
        return 201, {}

    with pytest.raises(IdempotencyKeyInvalid):
        idempotent(scope=SCOPE, key=key, request_hash="h", work=work)
    assert calls == []
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_the_longest_allowed_key_of_every_allowed_character_is_accepted():
    key = ("Az09_.:-" * 13)[:100]
    assert idempotent(scope=SCOPE, key=key, request_hash="h", work=lambda: (201, {"ok": True})) == (
        201,
        {"ok": True},
    )


@pytest.mark.django_db
def test_work_that_fails_leaves_no_record_so_a_retry_runs_it():
    def failing():
        BlockedContact.objects.create(value="a@x.cl", reason="prueba")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        idempotent(scope=SCOPE, key="k-3", request_hash="h", work=failing)
    assert IdempotencyRecord.objects.count() == 0
    assert BlockedContact.objects.count() == 0

    status, body = idempotent(scope=SCOPE, key="k-3", request_hash="h", work=_make_row("b@x.cl"))
    assert status == 201
    assert body["value"] == "b@x.cl"
    assert IdempotencyRecord.objects.get().response_body == body


@pytest.mark.django_db
def test_the_first_answer_equals_the_replayed_one_after_the_json_round_trip():
    import datetime

    when = datetime.datetime(2026, 5, 4, 10, 15, tzinfo=datetime.UTC)
    first = idempotent(scope=SCOPE, key="k-4", request_hash="h", work=lambda: (201, {"at": when}))
    second = idempotent(scope=SCOPE, key="k-4", request_hash="h", work=lambda: (500, {}))
    assert first == second == (201, {"at": "2026-05-04T10:15:00Z"})


# --- Real concurrency: two threads, each with its own database connection -------------------------


class _Runner(threading.Thread):
    """Runs one idempotent() call in its own thread (own DB connection) and keeps its outcome."""

    def __init__(self, **call):
        super().__init__(daemon=True)
        self.call = call
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = idempotent(**self.call)
        except Exception as error:  # kept for the assertions in the main thread
            self.error = error
        finally:
            connection.close()


def _held_work(entered: threading.Event, release: threading.Event, value: str):
    """Work that stays inside its transaction until the test releases it."""

    def work():
        row = BlockedContact.objects.create(value=value, reason="prueba")
        entered.set()
        assert release.wait(30), "the test never released the first request"
        return 201, {"id": row.pk}

    return work


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_while_the_first_is_in_flight_is_told_to_retry():
    entered, release = threading.Event(), threading.Event()
    first = _Runner(scope=SCOPE, key="busy", request_hash="h", work=_held_work(entered, release, "a@x.cl"))
    first.start()
    try:
        assert entered.wait(30)
        duplicate = _Runner(
            scope=SCOPE, key="busy", request_hash="h", work=_make_row("b@x.cl"), wait_seconds=0.2
        )
        duplicate.start()
        duplicate.join(30)
    finally:
        release.set()
        first.join(30)
    assert isinstance(duplicate.error, IdempotencyInFlight)
    assert first.error is None
    # Once the first has committed, the retry gets its answer.
    retry = _Runner(scope=SCOPE, key="busy", request_hash="h", work=_make_row("c@x.cl"))
    retry.start()
    retry.join(30)
    assert retry.result == first.result
    assert list(BlockedContact.objects.values_list("value", flat=True)) == ["a@x.cl"]


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_that_waits_for_the_first_gets_its_stored_answer():
    entered, release = threading.Event(), threading.Event()
    first = _Runner(scope=SCOPE, key="wait", request_hash="h", work=_held_work(entered, release, "a@x.cl"))
    first.start()
    try:
        assert entered.wait(30)
        duplicate = _Runner(
            scope=SCOPE, key="wait", request_hash="h", work=_make_row("b@x.cl"), wait_seconds=30
        )
        duplicate.start()
        # Give the duplicate time to reach its insert and wait there; the outcome does not depend on it.
        time.sleep(0.3)
    finally:
        release.set()
        first.join(30)
    duplicate.join(30)
    assert first.error is None and duplicate.error is None
    assert duplicate.result == first.result
    assert BlockedContact.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_if_the_first_fails_a_waiting_duplicate_runs_the_work_itself():
    entered, release = threading.Event(), threading.Event()

    def failing_after_release():
        BlockedContact.objects.create(value="a@x.cl", reason="prueba")
        entered.set()
        assert release.wait(30)
        raise RuntimeError("boom")

    first = _Runner(scope=SCOPE, key="fail", request_hash="h", work=failing_after_release)
    first.start()
    try:
        assert entered.wait(30)
        duplicate = _Runner(
            scope=SCOPE, key="fail", request_hash="h", work=_make_row("b@x.cl"), wait_seconds=30
        )
        duplicate.start()
        time.sleep(0.3)
    finally:
        release.set()
        first.join(30)
    duplicate.join(30)
    assert isinstance(first.error, RuntimeError)
    assert duplicate.error is None
    assert duplicate.result[0] == 201
    assert list(BlockedContact.objects.values_list("value", flat=True)) == ["b@x.cl"]
