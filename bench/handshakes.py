"""New websocket handshakes/s on one daphne process that already holds many idle tracking sockets.

    .venv/bin/python bench/handshakes.py [--idle 5000] [--handshakes 500] [--rounds 3] [--before DIR]
                                         [--keep-db]

The focused version of `bench/run.py`'s idle section (`idle.handshakes_per_s`), for working on the
handshake path without the 16-minute full run. It creates the scratch database `cooperanet_hs` (dropped
at the end unless --keep-db), migrates it, loads the reference data, seeds the benchmark's public incident
(`bench.data.seed`) and 500 signed-in members of one chat room (`bench.data.chat_members`), then:

1. starts ONE daphne per code tree measured (this checkout, and `--before DIR` if given) with
   `bench.settings` (PostgreSQL, Redis cache and core Redis channel layer, CONN_MAX_AGE=0) serving
   `bench.bare_asgi:application`, each in its tree;
2. opens `--idle` tracking sockets `/ws/incidents/<folio>/` on each, from a load client in another
   process (`bench/loadgen.py idle`), and keeps them open;
3. `--rounds` times, alternating between the trees: `--handshakes` new sockets (connect + close, 20 in
   flight) on the project's tracking socket, then as many on the bare Channels consumer of the same
   process (`/ws/bare/…`, the baseline);
4. with the idle sockets still open, `--handshakes` signed-in handshakes (session cookies, 20 in flight)
   on `/ws/notifications/` and on the chat room `/ws/chat/<room>/` (this script's `burst` command, in
   another process);
5. prints each round, then per tree: the medians of tracking/s and bare/s, the median of the rounds'
   ratios (goal: tracking ≥ 300/s) and the signed-in rates.

`--before DIR` measures an older tree side by side (same database, rounds interleaved, so both see the
same machine load): e.g. `rm -rf /tmp/cooperanet-head && mkdir /tmp/cooperanet-head && git archive HEAD |
tar -x -C /tmp/cooperanet-head`, then `--before /tmp/cooperanet-head`. Its server runs in DIR with DIR and
DIR/site first on PYTHONPATH, ahead of this checkout's editable install.

Needs PostgreSQL (DATABASE_URL, default the CI one; the role needs CREATEDB) and Redis (REDIS_URL). Redis
keys use the prefix `hs-<pid>`. Figures depend on what else runs on the machine: compare within a run.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg2  # noqa: E402
from psycopg2 import sql  # noqa: E402

from bench.chat_phases import APP, LOADGEN  # noqa: E402
from bench.data import with_database  # noqa: E402
from bench.run import raise_open_files  # noqa: E402
from bench.servers import VENV_BIN, _terminate, free_port, rss_kb, wait_port  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://cooperanet@127.0.0.1:5432/cooperanet"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
GOAL_PER_S = 300
MEMBERS = 500


def _admin(base_url: str, statement: sql.Composable) -> None:
    connection = psycopg2.connect(base_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def create_database(base_url: str, name: str) -> str:
    _admin(base_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    _admin(base_url, sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))
    return with_database(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    _admin(base_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def prepare() -> dict:
    """Migrate, load the reference data, seed the public incident and one room of signed-in members."""
    import django
    from django.core.management import call_command

    django.setup()
    print("· migrate + reference data (about 1.5 min)…", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    from bench.data import chat_members, seed

    seeded = seed()
    seeded["chat"] = chat_members(MEMBERS, [MEMBERS])
    from django.db import connections

    connections.close_all()  # the server gets the database to itself
    return seeded


class IdleClient:
    """`loadgen.py idle` in its own process, driven line by line over stdin/stdout."""

    def __init__(self, url: str, baseline_url: str, idle: int, handshakes: int, limit: float):
        argv = [sys.executable, str(LOADGEN), "idle", "--url", url, "--baseline-url", baseline_url]
        argv += ["--first", str(idle), "--second", str(idle), "--handshakes", str(handshakes)]
        argv += ["--limit", str(limit)]
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"load client exited with {self.process.wait()}")
        return json.loads(line)

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
                self.process.wait(timeout=120)
            except (OSError, RuntimeError, subprocess.TimeoutExpired, ValueError):
                self.process.kill()
                self.process.wait()


# --- signed-in handshakes (the `burst` command runs in a process of its own) --------------------------------


async def _burst(spec: dict) -> dict:
    """Connect and close one socket per cookie, `concurrency` at a time; frames are not read."""
    from bench.loadgen import _open, percentile

    gate = asyncio.Semaphore(spec["concurrency"])
    durations: list[float] = []
    failures = [0]

    async def one(cookie: str) -> None:
        async with gate:
            began = time.perf_counter()
            try:
                ws = await _open(spec["url"], cookie, 30)
            except Exception:  # noqa: BLE001 - a refused or timed-out handshake is counted
                failures[0] += 1
                return
            durations.append(time.perf_counter() - began)
            await ws.close()

    started = time.perf_counter()
    await asyncio.gather(*(one(cookie) for cookie in spec["cookies"]))
    elapsed = time.perf_counter() - started
    p99 = percentile(durations, 99)
    return {
        "n": len(durations),
        "failures": failures[0],
        "per_s": round(len(durations) / elapsed, 1),
        "p99_ms": round(p99 * 1000, 1) if p99 is not None else None,
    }


def burst(url: str, cookies: list[str], workdir: Path) -> dict:
    spec_path = workdir / "burst.json"
    spec_path.write_text(json.dumps({"url": url, "cookies": cookies, "concurrency": 20}))
    done = subprocess.run(
        [sys.executable, __file__, "burst", str(spec_path)], capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"burst failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def daphne_in(code: Path, env: dict, workdir: Path):
    """One daphne serving APP from the tree `code`, as bench.servers starts it (same options).

    Started here rather than by bench.servers.Servers because daphne puts its working directory first on
    sys.path: the server must run inside the tree it measures.
    """
    port = free_port()
    argv = [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "--websocket_timeout", "86400"]
    argv += ["--websocket-max-message-size", "65536", "--websocket-max-frame-size", "65536", APP]
    with open(workdir / "daphne.log", "w") as log:
        process = subprocess.Popen(
            argv, cwd=code, env={**env, "BENCH_LAYER": "redis"}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_port(port, process, path="/health/")
            yield process, port
        finally:
            _terminate(process)


# --- one code tree ------------------------------------------------------------------------------------------


def server_env(code: Path, database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BENCH_PREFIX": f"hs-{os.getpid()}",
        # The tree's own packages (site/ holds cooperanet and portal) ahead of the editable install.
        "PYTHONPATH": os.pathsep.join(
            [str(code), str(code / "site"), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
        "PYTHONUNBUFFERED": "1",
    }


def measure(args, trees: list[Path], database_url: str, seeded: dict, redis_url: str) -> list[dict]:
    """Every tree's daphne at once, each with its idle sockets; rounds alternate between the trees, so a
    change of the machine's load during the run hits them alike."""
    workdir = Path(tempfile.mkdtemp(prefix="cooperanet-hs-"))
    cookies = seeded["chat"]["cookies"][: args.handshakes]
    room = seeded["chat"]["rooms"][MEMBERS]
    with ExitStack() as stack:
        servers = []
        for index, code in enumerate(trees):
            logs = workdir / str(index)
            logs.mkdir()
            daphne, port = stack.enter_context(
                daphne_in(code, server_env(code, database_url, redis_url), logs)
            )
            url = f"ws://127.0.0.1:{port}/ws/incidents/{seeded['folio']}/"
            bare = f"ws://127.0.0.1:{port}/ws/bare/handshakes/"
            client = IdleClient(url, bare, args.idle, args.handshakes, args.limit)
            stack.callback(client.close)
            servers.append({"code": code, "pid": daphne.pid, "port": port, "client": client, "rounds": []})
            print(
                f"· {code}: daphne pid {daphne.pid} on {port}, opening {args.idle} sockets", file=sys.stderr
            )
        for server in servers:
            server["opened"] = server["client"].read()
            print(f"  {server['code']}: {server['opened']}", file=sys.stderr, flush=True)
        for n in range(args.rounds):
            for server in servers:
                time.sleep(1)
                result = server["client"].ask("handshakes")
                server["rounds"].append(result)
                print(
                    f"  round {n + 1}, {server['code']}: tracking {result['per_s']}/s ({result['failures']} "
                    f"failed, p99 {result['p99_ms']} ms), bare {result['baseline_per_s']}/s "
                    f"({result['baseline_failures']} failed, p99 {result['baseline_p99_ms']} ms)",
                    file=sys.stderr,
                    flush=True,
                )
        for kind, path in (("notifications", "/ws/notifications/"), ("chat_room", f"/ws/chat/{room}/")):
            for server in servers:
                result = burst(f"ws://127.0.0.1:{server['port']}{path}", cookies, workdir)
                server.setdefault("signed_in", {})[kind] = result
                print(f"  signed in, {kind}, {server['code']}: {result}", file=sys.stderr, flush=True)
        for server in servers:
            server["rss_kb"] = rss_kb(server["pid"])
    shutil.rmtree(workdir, ignore_errors=True)
    return [_result(server) for server in servers]


def _result(server: dict) -> dict:
    rounds = server["rounds"]
    tracking = statistics.median(r["per_s"] for r in rounds)
    baseline = statistics.median(r["baseline_per_s"] for r in rounds)
    ratios = [r["per_s"] / r["baseline_per_s"] for r in rounds if r["baseline_per_s"]]
    return {
        "code": str(server["code"]),
        "idle_open": server["opened"]["open"],
        "idle_open_seconds": server["opened"]["seconds"],
        "idle_failures": server["opened"]["failures"],
        "rounds": rounds,
        "tracking_per_s": tracking,
        "bare_per_s": baseline,
        "ratio": round(statistics.median(ratios), 2) if ratios else None,  # median of the rounds' ratios
        "signed_in": server["signed_in"],
        "rss_kb": server["rss_kb"],
        "load_after": os.getloadavg(),
    }


def summary(result: dict) -> str:
    signed = result["signed_in"]
    return (
        f"{result['code']}: with {result['idle_open']} idle sockets open (opened in "
        f"{result['idle_open_seconds']} s): tracking handshakes {result['tracking_per_s']}/s, bare consumer "
        f"{result['bare_per_s']}/s, ratio {result['ratio']} (goal ≥ {GOAL_PER_S}/s: "
        f"{'met' if result['tracking_per_s'] >= GOAL_PER_S else 'not met'}); signed in: notifications "
        f"{signed['notifications']['per_s']}/s ({signed['notifications']['failures']} failed), chat room "
        f"{signed['chat_room']['per_s']}/s ({signed['chat_room']['failures']} failed)"
    )


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "burst":
        spec = json.loads(Path(sys.argv[2]).read_text())
        print(json.dumps(asyncio.run(_burst(spec))), flush=True)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, default=5000, help="idle tracking sockets held open")
    parser.add_argument("--handshakes", type=int, default=500, help="new handshakes per round and kind")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=300, help="seconds allowed to open the idle sockets")
    parser.add_argument("--before", type=Path, help="an older source tree, measured first for comparison")
    parser.add_argument("--db-name", default="cooperanet_hs")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if not args.db_name.startswith("cooperanet_hs"):
        raise SystemExit("--db-name must start with cooperanet_hs (the script drops it at the end)")
    args.handshakes = min(args.handshakes, MEMBERS)  # one signed-in member per handshake
    raise_open_files()
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    database_url = create_database(base_url, args.db_name)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "BENCH_PREFIX": f"hs-{os.getpid()}",
        }
    )
    load_before = os.getloadavg()
    trees = ([args.before.resolve()] if args.before else []) + [ROOT]
    try:
        seeded = prepare()
        results = measure(args, trees, database_url, seeded, redis_url)
    finally:
        if not args.keep_db:
            drop_database(base_url, args.db_name)
    print(json.dumps({"load_before": load_before, "results": results}, indent=2))
    print()
    for result in results:
        print(summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
