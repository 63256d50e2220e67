"""Idempotent create requests: a retry with the same Idempotency-Key gets the stored answer.

`idempotent()` runs a piece of work once per (scope, key). In one transaction it inserts the
IdempotencyRecord first — the unique (scope, key) constraint is the lock —, runs the work, then stores
its status and body. A concurrent duplicate's insert waits on that row: when the first commits, the
duplicate sees the stored answer; if the first is still running after `wait_seconds`, the duplicate
gets IdempotencyInFlight (HTTP 409) and may retry. If the work raises, the transaction rolls back and
nothing is stored, so a retry can succeed. Works the same on PostgreSQL and SQLite.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from workflows.models import IdempotencyRecord

IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")
# How long a duplicate waits for the first request to finish before it is told to retry (409).
DEFAULT_WAIT_SECONDS = 5.0
# PostgreSQL's SQLSTATE for "lock_timeout expired".
_PG_LOCK_NOT_AVAILABLE = "55P03"


class IdempotencyError(Exception):
    """A request carrying an Idempotency-Key that cannot be answered; `code` is stable for clients."""

    code = "idempotency_error"

    def __init__(self, message: str = ""):
        super().__init__(message or self.default_message())
        self.message = str(self.args[0])

    def default_message(self) -> str:
        return _("No se pudo procesar la clave de idempotencia.")


class IdempotencyKeyInvalid(IdempotencyError):
    """The key is empty, too long, or has characters other than letters, digits and _ . : - (HTTP 400)."""

    code = "idempotency_key_invalid"

    def default_message(self) -> str:
        return _(
            "La cabecera Idempotency-Key debe tener de 1 a 100 caracteres: letras sin tilde, dígitos "
            "y _ . : -"
        )


class IdempotencyMismatch(IdempotencyError):
    """The key was already used with a different request (HTTP 422)."""

    code = "idempotency_key_reused"

    def default_message(self) -> str:
        return _("Esta clave de idempotencia ya se usó con otra solicitud. Use una clave nueva.")


class IdempotencyInFlight(IdempotencyError):
    """A request with the same key is still being processed (HTTP 409): retry in a moment."""

    code = "idempotency_in_flight"

    def default_message(self) -> str:
        return _("Una solicitud con esta clave de idempotencia aún se está procesando. Intente de nuevo.")


def idempotency_key_validate(key: str) -> str:
    """Return `key` if it is 1-100 characters of [A-Za-z0-9_.:-]; raise IdempotencyKeyInvalid otherwise."""
    if not isinstance(key, str) or not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        raise IdempotencyKeyInvalid()
    return key


def request_fingerprint(payload) -> str:
    """A SHA-256 of the request's parsed body in canonical JSON: key order and spacing do not matter."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def idempotent(
    *,
    scope: str,
    key: str,
    request_hash: str,
    work: Callable[[], tuple[int, dict]],
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> tuple[int, dict]:
    """Run `work` once for (scope, key) and return its (status, body); a retry gets the stored pair.

    Raises IdempotencyKeyInvalid, IdempotencyMismatch (same key, other request_hash) or
    IdempotencyInFlight (the first request still holds the key after `wait_seconds`). Whatever `work`
    raises propagates and leaves nothing stored. The body must be JSON-serialisable; the first answer
    is returned exactly as a replay will return it (the JSON round trip is applied to both).
    """
    idempotency_key_validate(key)
    with transaction.atomic():
        record = _claim(scope=scope, key=key, request_hash=request_hash, wait_seconds=wait_seconds)
        if record is not None:
            return _stored_answer(record, request_hash=request_hash)
        status, body = work()
        body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        IdempotencyRecord.objects.filter(scope=scope, key=key).update(
            response_status=status, response_body=body
        )
        return status, body


def idempotency_purge(*, before: datetime) -> int:
    """Delete records created before `before` (their keys may then be used again); returns how many."""
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=before).delete()
    return deleted


def _claim(*, scope: str, key: str, request_hash: str, wait_seconds: float) -> IdempotencyRecord | None:
    """Insert the record (None: this request owns the key) or return the one another request stored."""
    try:
        with _bounded_lock_wait(wait_seconds), transaction.atomic():
            IdempotencyRecord.objects.create(scope=scope, key=key, request_hash=request_hash)
        return None
    except IntegrityError:
        pass
    except OperationalError as error:
        if _is_lock_wait_timeout(error):
            raise IdempotencyInFlight() from error
        raise
    # The duplicate's insert waited until the owner committed, so its row is visible now
    # (READ COMMITTED on PostgreSQL takes a new snapshot per statement; SQLite took the write lock).
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if record is None:
        # The owner's row vanished between our insert and this read (a purge): let the client retry.
        raise IdempotencyInFlight()
    return record


def _stored_answer(record: IdempotencyRecord, *, request_hash: str) -> tuple[int, dict]:
    if not secrets.compare_digest(record.request_hash, request_hash):
        raise IdempotencyMismatch()
    if record.response_status is None:
        raise IdempotencyInFlight()
    return record.response_status, record.response_body


@contextmanager
def _bounded_lock_wait(seconds: float):
    """Bound how long the claiming insert waits for a concurrent owner of the same key.

    PostgreSQL: `lock_timeout` for this transaction; SQLite: the connection's busy timeout (its write
    lock is database-wide). Both are restored afterwards; other back ends wait as they always do.
    Entered outside the insert's savepoint, so on the way out a failed insert has already been rolled
    back to it and the transaction accepts statements again.
    """
    milliseconds = max(1, int(seconds * 1000))
    vendor = connection.vendor
    previous = None
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT current_setting('lock_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
        elif vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds:d}")
    try:
        yield
    finally:
        if previous is not None:
            with connection.cursor() as cursor:
                if vendor == "postgresql":
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
                else:
                    cursor.execute(f"PRAGMA busy_timeout = {int(previous):d}")


def _is_lock_wait_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "pgcode", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    # SQLite reports an expired busy timeout as "database is locked".
    return connection.vendor == "sqlite" and "database is locked" in str(error)
