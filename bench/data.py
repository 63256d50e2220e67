"""The benchmark's own PostgreSQL database: create, migrate, seed, clone 100,000 open tasks, drop.

Never the development or test databases: the name always starts with `cooperanet_benchrun` and the run
drops it at the end (unless --keep-db).
"""

import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


# A migrated copy with the reference data, kept between runs: migrating from scratch takes over a minute.
# Used only while no migration is pending on it (checked after cloning; else the run migrates and
# refreshes it).
TEMPLATE = "cooperanet_benchrun_template"


def create_database(base_url: str, name: str, *, use_template: bool = True) -> str:
    assert name.startswith("cooperanet_benchrun"), name
    connection = _admin_connection(base_url)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s AND %s", [TEMPLATE, use_template])
        try:
            if cursor.fetchone():
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(TEMPLATE)
                    )
                )
            else:
                raise psycopg2.Error("no template yet")
        except psycopg2.Error:  # no template, or it is busy (another run is cloning it)
            cursor.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))
    connection.close()
    return with_database(base_url, name)


def incident_count(url: str) -> int:
    """Incidents in the database at `url` (0 when it or its table does not exist)."""
    try:
        connection = psycopg2.connect(url)
    except psycopg2.Error:
        return 0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM workflows_incident")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return 0
    finally:
        connection.close()


def migrations_pending() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def save_template(base_url: str, name: str) -> None:
    """Keep this freshly migrated database (reference data only) as the next runs' template."""
    from django.db import connections

    connections.close_all()
    connection = _admin_connection(base_url)
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEMPLATE))
            )
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(TEMPLATE), sql.Identifier(name)
                )
            )
        except psycopg2.Error:
            pass  # another run got there first: the next run migrates what is missing
    connection.close()


def drop_database(base_url: str, name: str) -> None:
    assert name.startswith("cooperanet_benchrun"), name
    connection = _admin_connection(base_url)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    connection.close()


def migrate_and_load(base_url: str, name: str) -> str:
    """Migrate (only when the clone of the template is behind) and load the reference data (idempotent)."""
    from django.core.management import call_command

    if not migrations_pending():
        call_command("load_reference_data", verbosity=0)
        return "template"
    try:
        call_command("migrate", verbosity=0, interactive=False)
    except Exception:  # noqa: BLE001 - a rewritten migration the template already applied: start afresh
        from django.db import connections

        connections.close_all()
        create_database(base_url, name, use_template=False)
        call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    save_template(base_url, name)
    return "migrated"


def session_cookie(user) -> str:
    """A signed-in session for `user`, stored in the database; returns the Cookie header value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def session_cookies(users) -> list[str]:
    """Many sessions in one INSERT (1,000 chat members)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    rows, cookies = [], []
    expire = timezone.now() + timedelta(days=1)
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        cookies.append(f"sessionid={key}")
    Session.objects.bulk_create(rows, batch_size=1000)
    return cookies


def seed() -> dict:
    """One public standard-flow incident (the tracking page's, and the task list's triage task) and its
    actor's manager (the task-list agent)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms_content.models import ActorMembership, FlowKind, IncidentCategory
    from portal.roles import Role
    from workflows.api.serializers import IncidentCreateSerializer
    from workflows.deadlines import workflow_settings_for
    from workflows.services import incident_report

    incident = None
    for category in IncidentCategory.objects.filter(responsible_actor__isnull=False).order_by("pk"):
        if category.is_section or not category.is_publicly_visible or not category.live:
            continue
        # A standard-flow case: its open task is a triage task of the agent's own actor, so the cloned
        # 100,000 tasks fill the agent's /tareas/standard/queue/ (an emergency case's cloned task was another
        # actor's part of it, and the timed queue was empty).
        if workflow_settings_for(category).flow_kind != FlowKind.STANDARD:
            continue
        # The API must take it too (it refuses emergencies: "call 132" categories).
        payload = {
            "category": category.slug,
            "description": "Prueba",
            "latitude": -45.5712,
            "longitude": -72.0685,
        }
        if not IncidentCreateSerializer(data=payload).is_valid():
            continue
        try:
            incident = incident_report(
                category=category,
                description="Microbasural en la esquina (caso de referencia del benchmark).",
                latitude=-45.5712,
                longitude=-72.0685,
                is_anonymous=True,
            )
        except Exception:  # noqa: BLE001 - some categories need more fields; try the next one
            continue
        break
    if incident is None:
        raise RuntimeError("no public category accepts a plain report: reference data missing?")
    User = get_user_model()
    agent = User.objects.create_user(username="agente-bench", password=None)
    agent.groups.add(Group.objects.get(name=Role.AGENCY_MANAGER))
    ActorMembership.objects.create(user=agent, actor=incident.responsible_actor, is_manager=True)
    return {
        "incident_id": incident.pk,
        "folio": incident.folio,
        "secret": incident.tracking_secret,
        "category": incident.category.slug,
        "agent_cookie": session_cookie(agent),
    }


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def clone_open_tasks(*, database_url: str, incident_id: int, count: int) -> float:
    """`count` copies of the reference incident, each with its viewflow process and open triage task.

    INSERT … SELECT over generate_series, ids assigned here so the three tables line up; returns seconds.
    """
    started = time.perf_counter()
    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, t.id FROM viewflow_process p JOIN viewflow_task t ON t.process_id = p.id "
            "WHERE p.artifact_object_id = %s AND t.status <> 'DONE' ORDER BY t.id DESC LIMIT 1",
            [incident_id],
        )
        process_id, task_id = cursor.fetchone()
        bases = {}
        for table in ("workflows_incident", "viewflow_process", "viewflow_task"):
            cursor.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table)))
            bases[table] = cursor.fetchone()[0] + 1000

        def clone(table: str, source_id: int, overrides: dict[str, str]) -> None:
            columns = _columns(cursor, table)
            select = [
                sql.SQL(overrides[c]) if c in overrides else sql.SQL("s.") + sql.Identifier(c)
                for c in columns
            ]
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {} ({}) SELECT {} FROM {} s, generate_series(1, %s) g WHERE s.id = %s"
                ).format(
                    sql.Identifier(table),
                    sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                    sql.SQL(", ").join(select),
                    sql.Identifier(table),
                ),
                [count, source_id],
            )
            cursor.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))").format(
                    sql.Identifier(table)
                ),
                [table],
            )

        incident_base, process_base, task_base = (
            bases["workflows_incident"],
            bases["viewflow_process"],
            bases["viewflow_task"],
        )
        clone(
            "workflows_incident",
            incident_id,
            {
                "id": f"{incident_base} + g",
                "folio": "'BN-' || lpad(g::text, 7, '0')",
                "tracking_secret": "md5(g::text || 'bench')",
                "created_at": "s.created_at - g * interval '1 minute'",
            },
        )
        clone(
            "viewflow_process",
            process_id,
            {"id": f"{process_base} + g", "artifact_object_id": f"{incident_base} + g"},
        )
        clone(
            "viewflow_task",
            task_id,
            {"id": f"{task_base} + g", "process_id": f"{process_base} + g"},
        )
        cursor.execute("ANALYZE workflows_incident; ANALYZE viewflow_process; ANALYZE viewflow_task")
    connection.close()
    return time.perf_counter() - started


def chat_members(count: int, sizes: list[int]) -> dict:
    """`count` citizens and one room per size whose members are the first `size` of them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from chat.models import Membership, Room, RoomKind

    User = get_user_model()
    password = make_password(None)
    User.objects.bulk_create(
        [User(username=f"vecino-bench-{i}", password=password) for i in range(count)], batch_size=1000
    )
    users = list(User.objects.filter(username__startswith="vecino-bench-").order_by("pk"))
    cookies = session_cookies(users)
    rooms = {}
    for size in sizes:
        room = Room.objects.create(kind=RoomKind.WORKSHOP, name=f"Sala de {size} (benchmark)")
        Membership.objects.bulk_create(
            [Membership(user=user, room=room) for user in users[:size]], batch_size=1000
        )
        rooms[size] = room.pk
    return {"cookies": cookies, "rooms": rooms}


def raw_inserts(*, database_url: str, incident_id: int, count: int, seconds: float) -> dict:
    """The floor of intake: single-row INSERTs of the same row over one connection, each committed."""
    connection = psycopg2.connect(database_url)
    connection.autocommit = True  # one commit per row, synchronous_commit on (the server's default)
    with connection.cursor() as cursor:
        columns = [c for c in _columns(cursor, "workflows_incident") if c != "id"]
        cursor.execute(
            sql.SQL("SELECT {} FROM workflows_incident WHERE id = %s").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns)
            ),
            [incident_id],
        )
        row = dict(zip(columns, cursor.fetchone(), strict=True))
        statement = sql.SQL("INSERT INTO workflows_incident ({}) VALUES ({})").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            sql.SQL(", ").join(sql.Placeholder() for _ in columns),
        )
        durations = []
        started = time.perf_counter()
        for n in range(count):
            row["folio"] = f"RW-{n:08d}"
            row["tracking_secret"] = secrets.token_urlsafe(24)
            began = time.perf_counter()
            cursor.execute(statement, [row[c] for c in columns])
            durations.append(time.perf_counter() - began)
            if began - started > seconds:
                break
        elapsed = time.perf_counter() - started
    connection.close()
    durations.sort()
    return {
        "rows": len(durations),
        "rps": round(len(durations) / elapsed, 1),
        "p50_ms": round(durations[len(durations) // 2] * 1000, 2),
        "p99_ms": round(durations[min(len(durations) - 1, int(len(durations) * 0.99))] * 1000, 2),
    }
