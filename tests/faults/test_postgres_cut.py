"""PostgreSQL goes away during submissions (simulated by cutting a TCP proxy between the app and the shared
cluster, which is never restarted): a fast 503 with Retry-After, then the client's retry with the same
Idempotency-Key makes exactly one incident. PostgreSQL only."""

import socket
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows.models import Incident

pytestmark = pytest.mark.django_db(transaction=True)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self, port: int = 0):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        # shutdown() wakes the thread blocked in accept(); close() alone leaves the socket listening.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self):
        self.start(self.port)


@pytest.fixture
def proxied_database():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    original = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    proxy = TcpProxy((original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432)))
    proxy.start()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    yield proxy
    connection.close()
    connection.settings_dict.update(original)
    proxy.cut()


def test_a_cut_database_gives_a_fast_503_and_the_retry_makes_one_incident(proxied_database):
    NeighbourhoodFactory()
    category = SubSectionFactory()
    connection.close()
    client = Client(raise_request_exception=False)
    body = {
        "category": category.slug,
        "description": "Poste caído",
        "latitude": -45.5712,
        "longitude": -72.0685,
    }  # noqa: E501
    headers = {"Idempotency-Key": "corte-1"}

    proxied_database.cut()
    started = time.monotonic()
    response = client.post("/api/incidents/", body, content_type="application/json", headers=headers)
    assert time.monotonic() - started < 10  # no hang: refused at once, or the connect timeout at worst
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0

    proxied_database.restore()
    connection.close()
    first = client.post("/api/incidents/", body, content_type="application/json", headers=headers)
    again = client.post("/api/incidents/", body, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["folio"] == again.json()["folio"]
    assert Incident.objects.count() == 1
