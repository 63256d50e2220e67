"""Server processes of the benchmark: daphne, uvicorn, gunicorn and the front (nginx, or a shared socket).

Every server listens on 127.0.0.1 only, logs to a file in the run's work directory, and is stopped by the
`Servers` context that started it (terminate, then kill after a grace period).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NGINX_CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((path for path in NGINX_CANDIDATES if os.access(path, os.X_OK)), None)


def rss_kb(pid: int) -> int:
    """Resident memory of one process (VmRSS), in KiB."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_port(port: int, process: subprocess.Popen, seconds: float = 60, path: str | None = None) -> None:
    """Until the port accepts connections (and `path` answers 200), or fail with the server's exit."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            if path is None:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            else:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"}
                )
                with urllib.request.urlopen(request, timeout=3) as response:
                    if response.status == 200:
                        return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start in {seconds}s")


class Servers:
    """Starts servers for one phase of the run and stops them all at the end of the `with` block."""

    def __init__(self, workdir: Path, env: dict):
        self.workdir = workdir
        self.env = env
        self.processes: list[tuple[str, subprocess.Popen, object]] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()

    def _spawn(self, name: str, argv: list[str], env: dict | None = None, pass_fds=()) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 - closed in stop_all
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=pass_fds,
        )
        self.processes.append((name, process, log))
        return process

    def asgi(self, kind: str, app: str, *, port: int, layer: str, name: str) -> subprocess.Popen:
        """One ASGI process (daphne or uvicorn) serving `app` on 127.0.0.1:port with channel layer `layer`."""
        if kind == "daphne":
            argv = [
                str(VENV_BIN / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "--websocket_timeout",
                "86400",
                "--websocket-max-message-size",
                "65536",
                "--websocket-max-frame-size",
                "65536",
                app,
            ]
        else:
            argv = [
                str(VENV_BIN / "uvicorn"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
                "--ws",
                "websockets",
                "--ws-max-size",
                "65536",
                "--ws-ping-interval",
                "20",
                "--lifespan",
                "off",
                app,
            ]
        process = self._spawn(name, argv, env={"BENCH_LAYER": layer})
        wait_port(port, process, path="/health/")
        return process

    def gunicorn(self, *, port: int, workers: int, name: str = "gunicorn") -> subprocess.Popen:
        argv = [
            str(VENV_BIN / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "bench.wsgi:application",
        ]
        process = self._spawn(name, argv)
        wait_port(port, process, path="/health/")
        return process

    def front(self, *, port: int, upstreams: dict[str, list[int]]) -> str:
        """nginx on `port` (one server block per upstream name on consecutive ports) if installed.

        Returns "nginx" or "none" (then the caller talks to a single upstream directly).
        """
        nginx = find_nginx()
        if not nginx:
            return "none"
        conf = self.workdir / "nginx.conf"
        blocks = []
        for offset, (name, ports) in enumerate(upstreams.items()):
            servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
            blocks.append(
                f"""
    upstream {name} {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port + offset};
        location / {{
            proxy_pass http://{name};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}"""
            )
        conf.write_text(
            f"""daemon off;
worker_processes 1;
pid {self.workdir}/nginx.pid;
error_log {self.workdir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {self.workdir}/nginx-body;
    proxy_temp_path {self.workdir}/nginx-proxy;
    fastcgi_temp_path {self.workdir}/nginx-fastcgi;
    uwsgi_temp_path {self.workdir}/nginx-uwsgi;
    scgi_temp_path {self.workdir}/nginx-scgi;
    {"".join(blocks)}
}}
"""
        )
        process = self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.workdir)])
        for offset in range(len(upstreams)):
            wait_port(port + offset, process)
        return "nginx"

    def stop(self, process: subprocess.Popen) -> None:
        for index, (_name, proc, log) in enumerate(self.processes):
            if proc is process:
                _terminate(proc)
                log.close()
                del self.processes[index]
                return

    def stop_all(self) -> None:
        for _name, process, _log in self.processes:
            if process.poll() is None:
                process.terminate()
        for _name, process, log in self.processes:
            _terminate(process)
            log.close()
        self.processes = []


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
