"""Chat figures: fan-out into rooms (project consumer vs bare Channels consumer), layers, servers,
idle sockets.

The websocket clients always live in another process (bench/loadgen.py). "redis_2proc" puts the members
half on each of two server processes and the sender on the first, so every delivery to the second crosses
Redis; "memory_1proc" is the embedded default (InMemoryChannelLayer, one process).
"""

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.servers import Servers, free_port, rss_kb

LOADGEN = Path(__file__).with_name("loadgen.py")
# The project's application plus the bare consumer at /ws/bare/ (same processes, same layer).
APP = "bench.bare_asgi:application"


def client(argv: list[str], *, timeout: float) -> dict:
    completed = subprocess.run(
        [sys.executable, str(LOADGEN), *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"loadgen {argv[0]} failed: {completed.stderr[-1500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _fanout(run, *, mode: str, ports: list[int], size_name: str, pace: float = 0, seconds: float = 0) -> dict:
    size = run.size["sizes"][size_name]
    cookies = run.chat["cookies"]
    if mode == "app":
        room = run.chat["rooms"][size]
        clients = [
            {"url": f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/chat/{room}/", "cookie": cookies[i]}
            for i in range(size)
        ]
    else:
        group = uuid.uuid4().hex[:12]
        clients = [{"url": f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/bare/{group}/"} for i in range(size)]
    messages = int(pace * seconds) if pace else run.size["messages"][size_name]
    spec = {
        "clients": clients,
        "mode": mode,
        "messages": max(1, messages),
        "pace": pace,
        "tag": uuid.uuid4().hex[:8],
        "join_deadline": run.size["join_deadline"],
        # The project's handshake reads the database (session, membership): fewer in flight, or daphne's
        # 5-second connect timeout drops the queue (docs/scaling.md); the bare one takes 50 at a time.
        "connect_concurrency": 10 if mode == "app" else 50,
        "deadline": run.size["join_deadline"] + 60 + seconds,
    }
    path = run.workdir / f"fanout-{spec['tag']}.json"
    path.write_text(json.dumps(spec))
    return client(["fanout", str(path)], timeout=spec["deadline"] + 60)


def _servers(servers: Servers, kind: str, layer: str, count: int) -> list[int]:
    ports = [free_port() for _ in range(count)]
    for i, port in enumerate(ports):
        servers.asgi(kind, APP, port=port, layer=layer, name=f"{kind}-{layer}-{i}")
    return ports


def measure(run, label: str, mode: str, ports: list[int], only=None) -> None:
    for size_name in only or list(run.size["sizes"]):
        print(f"  {label} {size_name}…", file=sys.stderr, flush=True)
        try:
            result = _fanout(run, mode=mode, ports=ports, size_name=size_name)
        except Exception as error:  # noqa: BLE001 - the next sizes and set-ups still run
            result = {"error": f"{type(error).__name__}: {error}"[:500]}
            run.details.setdefault("errors", {})[f"{label}.{size_name}"] = result["error"]
        run.details["chat"][f"{label}.{size_name}"] = result


def redis_phase(run, ports: list[int]) -> None:
    """Core Redis layer, members split over two daphne processes (the production shape)."""
    results = run.details["chat"]
    measure(run, "redis_2proc.app", "app", ports)
    measure(run, "redis_2proc.bare", "bare", ports)
    # No message lost below half of the saturation rate measured just before (small room).
    saturated = results["redis_2proc.app.small"].get("deliveries_per_s") or 0
    members = run.size["sizes"]["small"]
    pace = max(1.0, round(0.5 * saturated / members, 2))
    print(f"  redis_2proc.app paced at {pace} msg/s…", file=sys.stderr, flush=True)
    results["redis_2proc.app.loss_at_half_rate"] = _fanout(
        run, mode="app", ports=ports, size_name="small", pace=pace, seconds=run.size["loss_seconds"]
    )


def other_phases(run) -> None:
    """The embedded default (in-memory layer, one process), uvicorn, and the pub/sub Redis layer."""
    set_ups = [
        ("memory_1proc", "daphne", "memory", 1, None),
        # The project's consumer in the small room only: joining a big room costs a presence frame to every
        # member per join (quadratic), minutes of the run for figures the redis_2proc rows already give.
        ("uvicorn_redis_2proc", "uvicorn", "redis", 2, {"app": ["small"], "bare": ["large"]}),
        ("pubsub_2proc", "daphne", "pubsub", 2, {"app": ["small"], "bare": ["large"]}),
    ]
    for label, kind, layer, count, only in set_ups:
        try:
            with Servers(run.workdir, run.server_env()) as servers:
                ports = _servers(servers, kind, layer, count)
                for mode in ("app", "bare"):
                    measure(run, f"{label}.{mode}", mode, ports, only=(only or {}).get(mode))
        except Exception as error:  # noqa: BLE001 - the other set-ups still run
            run.details.setdefault("errors", {})[label] = f"{type(error).__name__}: {error}"


def _get(results, key, field):
    return results.get(key, {}).get(field)


def chat_figures(run) -> None:
    results = run.details.get("chat", {})
    f = run.figures
    for layer in ("memory_1proc", "redis_2proc"):
        for size_name, members in run.size["sizes"].items():
            app, bare = f"{layer}.app.{size_name}", f"{layer}.bare.{size_name}"
            dps, bare_dps = _get(results, app, "deliveries_per_s"), _get(results, bare, "deliveries_per_s")
            p99, bare_p99 = _get(results, app, "p99_ms"), _get(results, bare, "p99_ms")
            f.add(
                f"chat.{layer}.{size_name}.deliveries_per_s",
                dps,
                "deliv/s",
                bare_dps,
                f"bare Channels, {members} members",
                goal="≥ 0.8× bare",
                met=None if dps is None or not bare_dps else dps >= 0.8 * bare_dps,
            )
            f.add(
                f"chat.{layer}.{size_name}.p50_ms",
                _get(results, app, "p50_ms"),
                "ms",
                _get(results, bare, "p50_ms"),
                "bare p50",
            )
            f.add(
                f"chat.{layer}.{size_name}.p99_ms",
                p99,
                "ms",
                bare_p99,
                "bare p99",
                goal="≤ 1.25× bare",
                met=None if p99 is None or not bare_p99 else p99 <= 1.25 * bare_p99,
            )
            f.add(
                f"chat.{layer}.{size_name}.lost",
                _get(results, app, "lost"),
                "msgs",
                _get(results, bare, "lost"),
                "bare lost",
            )
            f.add(
                f"chat.{layer}.{size_name}.join_s",
                _get(results, app, "join_seconds"),
                "s",
                _get(results, bare, "join_seconds"),
                f"bare join of {members}",
            )
    loss = results.get("redis_2proc.app.loss_at_half_rate", {})
    f.add(
        "chat.redis_2proc.loss_at_half_rate.lost",
        loss.get("lost"),
        "msgs",
        loss.get("expected"),
        f"deliveries expected at {loss.get('pace_per_s')} msg/s",
        goal="0 lost",
        met=None if loss.get("lost") is None else loss.get("lost") == 0,
    )
    pairs = [
        ("side.uvicorn_app_deliveries_per_s", "uvicorn_redis_2proc.app.small", "redis_2proc.app.small"),
        ("side.uvicorn_bare_deliveries_per_s", "uvicorn_redis_2proc.bare.large", "redis_2proc.bare.large"),
        ("side.pubsub_app_deliveries_per_s", "pubsub_2proc.app.small", "redis_2proc.app.small"),
        ("side.pubsub_bare_deliveries_per_s", "pubsub_2proc.bare.large", "redis_2proc.bare.large"),
    ]
    for key, measured, baseline in pairs:
        f.add(
            key,
            _get(results, measured, "deliveries_per_s"),
            "deliv/s",
            _get(results, baseline, "deliveries_per_s"),
            baseline.replace(".", " "),
        )


def idle(run) -> None:
    """Idle tracking sockets held by one fresh daphne process: memory per socket, handshakes meanwhile."""
    size = run.size
    with Servers(run.workdir, run.server_env()) as servers:
        port = free_port()
        process = servers.asgi("daphne", APP, port=port, layer="redis", name="idle-daphne")
        url = f"ws://127.0.0.1:{port}/ws/incidents/{run.seed['folio']}/"
        # One socket first, so the baseline includes everything a first connection loads.
        client(["idle", "--url", url, "--first", "1", "--second", "1", "--handshakes", "1"], timeout=60)
        time.sleep(0.5)
        before = rss_kb(process.pid)
        child = subprocess.Popen(
            [
                sys.executable,
                str(LOADGEN),
                "idle",
                "--url",
                url,
                "--first",
                str(size["idle_first"]),
                "--second",
                str(size["idle_second"]),
                "--handshakes",
                str(size["handshakes"]),
                "--limit",
                str(size["idle_limit"]),
                "--baseline-url",
                f"ws://127.0.0.1:{port}/ws/bare/handshakes/",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            first = json.loads(child.stdout.readline())
            time.sleep(1)
            at_first = rss_kb(process.pid)
            child.stdin.write("handshakes\n")
            child.stdin.flush()
            handshakes = json.loads(child.stdout.readline())
            child.stdin.write("more\n")
            child.stdin.flush()
            second = json.loads(child.stdout.readline())
            time.sleep(1)
            at_second = rss_kb(process.pid)
            child.stdin.write("quit\n")
            child.stdin.flush()
            child.wait(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
    held = second["open"]
    per_socket = round((at_second - before) / held, 1) if held else None
    run.details["idle"] = {
        "rss_kb_before": before,
        "first": first,
        "rss_kb_at_first": at_first,
        "handshakes": handshakes,
        "second": second,
        "rss_kb_at_second": at_second,
    }
    f = run.figures
    f.add(
        "idle.sockets_per_process",
        held,
        "sockets",
        size["idle_second"],
        "sockets attempted",
        goal="≥ 10,000",
        met=held >= 10_000 if not run.args.smoke else None,
    )
    f.add(
        "idle.kb_per_socket",
        per_socket,
        "KiB",
        round(before / 1024, 1),
        "process RSS before (MiB)",
        goal="≤ 45 KiB",
        met=None if per_socket is None else per_socket <= 45,
    )
    f.add(
        "idle.handshakes_per_s",
        handshakes["per_s"],
        "/s",
        handshakes.get("baseline_per_s"),
        f"bare consumer, same process, {first['open']:,} sockets open",
        goal="≥ 300/s with 5,000 open",
        met=handshakes["per_s"] >= 300 if not run.args.smoke else None,
    )
