"""Load clients of the benchmark, run by bench/run.py in a process of their own (never the server's).

    loadgen.py http   --url URL [--method POST --intake-category SLUG] --concurrency C --duration S --max N
    loadgen.py fanout SPEC.json        (websocket members of one room; one of them sends)
    loadgen.py idle   --url WS_URL --first N1 --second N2 --handshakes K   (driven over stdin/stdout)

Every command prints one JSON line (idle prints one per step). Every load is bounded in count and time and
targets 127.0.0.1 only (run.py builds the URLs).
"""

import argparse
import asyncio
import json
import random
import resource
import sys
import time
from functools import partial
from urllib.parse import urlsplit

import aiohttp
from websockets.asyncio.client import connect

# Plaza de Armas of Coyhaique: intake points are scattered a few hundred metres around it (inside the comuna).
CENTRE = (-45.5712, -72.0685)


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


# --- HTTP ------------------------------------------------------------------------------------------------


def intake_body(category: str, n: int) -> bytes:
    lat = CENTRE[0] + random.uniform(-0.004, 0.004)
    lon = CENTRE[1] + random.uniform(-0.004, 0.004)
    return json.dumps(
        {
            "category": category,
            "description": f"Prueba de carga {n}: basura acumulada en la vereda.",
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
            "is_anonymous": True,
        }
    ).encode()


async def http_load(args) -> dict:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    sent = 0
    headers = {"Accept": "application/json"}
    if args.cookie:
        headers["Cookie"] = args.cookie
    if args.method == "POST":
        headers["Content-Type"] = "application/json"
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as session:
        # Warm-up: the first requests of each process load templates, open caches; not measured.
        for _ in range(args.warmup):
            try:
                async with (
                    session.get(args.url)
                    if args.method == "GET"
                    else session.post(args.url, data=intake_body(args.intake_category, -1)) as response
                ):
                    await response.read()
            except (aiohttp.ClientError, TimeoutError):
                pass
        start = time.perf_counter()
        stop_at = start + args.duration

        async def worker():
            nonlocal errors, sent
            while time.perf_counter() < stop_at and sent < args.max:
                sent += 1
                began = time.perf_counter()
                try:
                    if args.method == "POST":
                        request = session.post(args.url, data=intake_body(args.intake_category, sent))
                    else:
                        request = session.get(args.url)
                    async with request as response:
                        await response.read()
                        key = str(response.status)
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                    continue
                statuses[key] = statuses.get(key, 0) + 1
                if key.startswith("2"):
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies) + errors,
        "ok": len(latencies),
        "errors": errors,
        "statuses": statuses,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else None,
        "p50_ms": _ms(percentile(latencies, 50)),
        "p95_ms": _ms(percentile(latencies, 95)),
        "p99_ms": _ms(percentile(latencies, 99)),
    }


# --- websockets ---------------------------------------------------------------------------------------------


def _headers(url: str, cookie: str | None) -> dict:
    parts = urlsplit(url)
    headers = {"Origin": f"http://{parts.hostname}:{parts.port}"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


async def _open(url: str, cookie: str | None, timeout: float):
    return await connect(
        url,
        additional_headers=_headers(url, cookie),
        compression=None,
        ping_interval=None,
        open_timeout=timeout,
        max_queue=None,
    )


async def fanout(spec: dict) -> dict:
    """Members of one room connect; once the join traffic (presence frames) settles, one sends messages.

    Latency of a delivery = its receipt time minus the send time of its message, both on this process's
    clock. `deliveries_per_s` = deliveries / (last receipt - first send).
    """
    clients = spec["clients"]
    mode = spec["mode"]
    messages = spec["messages"]
    pace = spec.get("pace", 0)  # messages per second; 0 = burst
    deadline = time.perf_counter() + spec.get("deadline", 120)
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    last_receipt = [0.0]
    last_frame = [time.perf_counter()]
    join_frames = [0]
    refused = [0]
    semaphore = asyncio.Semaphore(spec.get("connect_concurrency", 50))
    sockets: list = [None] * len(clients)

    async def open_one(i):
        # A refused or timed-out handshake is retried (as the chat's page does), up to `retries` times.
        for attempt in range(spec.get("retries", 3) + 1):
            async with semaphore:
                try:
                    sockets[i] = await _open(clients[i]["url"], clients[i].get("cookie"), 30)
                    return
                except Exception:  # noqa: BLE001 - any failure to connect is counted, not raised
                    refused[0] += 1
            await asyncio.sleep(0.5 * (attempt + 1))

    async def read(ws):
        try:
            async for raw in ws:
                now = time.perf_counter()
                last_frame[0] = now
                frame = json.loads(raw)
                body = frame.get("body")
                if frame.get("type") == "message" and isinstance(body, str) and body.startswith("bench "):
                    index = int(body[6:])
                    if index in sent_at:
                        latencies.append(now - sent_at[index])
                        last_receipt[0] = now
                else:
                    join_frames[0] += 1
        except Exception:  # noqa: BLE001 - the socket closed; what arrived is counted
            return

    join_started = time.perf_counter()
    try:  # the connects are bounded too: what has not connected by the join deadline is given up
        await asyncio.wait_for(
            asyncio.gather(*(open_one(i) for i in range(len(clients)))), timeout=spec.get("join_deadline", 60)
        )
    except TimeoutError:
        pass
    connected = [ws for ws in sockets if ws is not None]
    readers = [asyncio.create_task(read(ws)) for ws in connected]
    last_frame[0] = time.perf_counter()  # wait at least `quiet` for frames queued during the connects
    # Wait for the join traffic to settle: no frame for `quiet` seconds (bounded by the join deadline).
    quiet = spec.get("quiet", 0.7)
    join_deadline = min(deadline, time.perf_counter() + spec.get("join_deadline", 60))
    while time.perf_counter() < join_deadline and time.perf_counter() - last_frame[0] < quiet:
        await asyncio.sleep(0.05)
    join_settled = time.perf_counter() - last_frame[0] >= quiet
    join_seconds = time.perf_counter() - join_started
    join_frame_count = join_frames[0]

    sender = sockets[spec.get("sender", 0)]
    expected = messages * len(connected)
    first_send = time.perf_counter()
    if sender is not None:
        for index in range(messages):
            sent_at[index] = time.perf_counter()
            if mode == "app":
                client_id = f"{spec.get('tag', 'b')}-{index}"
                frame = {"type": "message.send", "client_id": client_id, "body": f"bench {index}"}
            else:
                frame = {"type": "send", "body": f"bench {index}"}
            await sender.send(json.dumps(frame))
            if pace:
                await asyncio.sleep(max(0.0, first_send + (index + 1) / pace - time.perf_counter()))
    # Wait for every delivery, or until no progress for `settle` seconds, or the deadline.
    settle = spec.get("settle", 5)
    progress_at, seen = time.perf_counter(), -1
    while len(latencies) < expected and time.perf_counter() < deadline:
        if len(latencies) != seen:
            seen, progress_at = len(latencies), time.perf_counter()
        elif time.perf_counter() - progress_at > settle:
            break
        await asyncio.sleep(0.02)
    span = last_receipt[0] - first_send
    for ws in connected:
        await ws.close()
    for task in readers:
        task.cancel()
    return {
        "members": len(clients),
        "connected": len(connected),
        "refused": refused[0],  # failed handshakes, retries included
        "join_seconds": round(join_seconds, 2),
        "join_frames": join_frame_count,
        "join_settled": join_settled,
        "messages": messages,
        "pace_per_s": pace,
        "expected": expected,
        "delivered": len(latencies),
        "lost": expected - len(latencies),
        "deliveries_per_s": round(len(latencies) / span, 1) if latencies and span > 0 else 0.0,
        "p50_ms": _ms(percentile(latencies, 50)),
        "p99_ms": _ms(percentile(latencies, 99)),
    }


async def _handshake(url: str, gate, durations: list[float], bad: list[int]) -> None:
    """Connect and close one socket (`gate` bounds how many at a time); its duration goes to `durations`."""
    async with gate:
        began = time.perf_counter()
        try:
            ws = await _open(url, None, 30)
        except Exception:  # noqa: BLE001
            bad[0] += 1
            return
        durations.append(time.perf_counter() - began)
        await ws.close()


async def idle(args) -> None:
    """Open idle sockets in two steps; between steps the parent measures the server (stdin drives us)."""
    sockets = []
    failures = [0]
    semaphore = asyncio.Semaphore(args.concurrency)

    async def open_one():
        for attempt in range(3):
            async with semaphore:
                try:
                    sockets.append(await _open(args.url, None, 30))
                    return
                except Exception:  # noqa: BLE001
                    failures[0] += 1
            await asyncio.sleep(0.5 * (attempt + 1))

    async def open_until(target: int, limit_s: float) -> dict:
        started = time.perf_counter()
        stop_at = started + limit_s
        while len(sockets) < target and time.perf_counter() < stop_at and failures[0] < target // 2 + 50:
            batch = min(500, target - len(sockets))
            await asyncio.gather(*(open_one() for _ in range(batch)))
        elapsed = time.perf_counter() - started
        return {"event": "open", "open": len(sockets), "failures": failures[0], "seconds": round(elapsed, 2)}

    def say(data: dict) -> None:
        print(json.dumps(data), flush=True)

    loop = asyncio.get_running_loop()

    async def wait_command() -> str:
        return (await loop.run_in_executor(None, sys.stdin.readline)).strip()

    say(await open_until(args.first, args.limit))
    while True:
        command = await wait_command()
        if command == "handshakes":
            # New sockets while the others stay open: connect and close, 20 at a time; then the same on the
            # baseline URL (the bare consumer of the same process), for the ratio.
            report = {"event": "handshakes"}
            for name, url in (("", args.url), ("baseline_", args.baseline_url)):
                if not url:
                    continue
                durations: list[float] = []
                bad = [0]
                handshake = partial(_handshake, url, asyncio.Semaphore(20), durations, bad)
                started = time.perf_counter()
                await asyncio.gather(*(handshake() for _ in range(args.handshakes)))
                elapsed = time.perf_counter() - started
                report.update(
                    {
                        f"{name}n": len(durations),
                        f"{name}failures": bad[0],
                        f"{name}per_s": round(len(durations) / elapsed, 1),
                        f"{name}p99_ms": _ms(percentile(durations, 99)),
                    }
                )
            say(report)
        elif command == "more":
            say(await open_until(args.second, args.limit))
        else:
            break
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    say({"event": "closed"})


def main() -> None:
    raise_open_files()
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    http = sub.add_parser("http")
    http.add_argument("--url", required=True)
    http.add_argument("--method", default="GET", choices=["GET", "POST"])
    http.add_argument("--intake-category", default="")
    http.add_argument("--cookie", default="")
    http.add_argument("--concurrency", type=int, default=16)
    http.add_argument("--duration", type=float, default=5)
    http.add_argument("--max", type=int, default=100_000)
    http.add_argument("--warmup", type=int, default=10)
    fan = sub.add_parser("fanout")
    fan.add_argument("spec")
    idle_parser = sub.add_parser("idle")
    idle_parser.add_argument("--url", required=True)
    idle_parser.add_argument("--first", type=int, required=True)
    idle_parser.add_argument("--second", type=int, required=True)
    idle_parser.add_argument("--handshakes", type=int, default=300)
    idle_parser.add_argument("--baseline-url", default="", help="handshakes measured here too, for the ratio")
    idle_parser.add_argument("--limit", type=float, default=90)
    idle_parser.add_argument("--concurrency", type=int, default=20, help="handshakes in flight")
    args = parser.parse_args()
    if args.command == "http":
        print(json.dumps(asyncio.run(http_load(args))), flush=True)
    elif args.command == "fanout":
        with open(args.spec) as handle:
            spec = json.load(handle)
        print(json.dumps(asyncio.run(fanout(spec))), flush=True)
    else:
        asyncio.run(idle(args))


if __name__ == "__main__":
    main()
