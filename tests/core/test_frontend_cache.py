"""The purge requests the proxy receives (``PURGE <path>``, ``Host`` the page's host), against a
real purge listener on this machine: and a proxy that is down, refuses, or never answers holds a
publish up once, for seconds at most, with one error in the log."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.frontend_cache import ProxyPurgeBackend

ROOT = Path(__file__).resolve().parents[2]


class PurgeListener(ThreadingHTTPServer):
    """Answers ``PURGE`` as ngx_cache_purge does: 200 for an address it keeps, 404 otherwise,
    and writes down each request as (method, path, Host)."""

    def __init__(self, kept: set[str]):
        self.kept = kept
        self.received: list[tuple[str, str, str]] = []
        super().__init__(("127.0.0.1", 0), PurgeHandler)

    @property
    def location(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self) -> None:
        server: PurgeListener = self.server  # type: ignore[assignment]
        server.received.append((self.command, self.path, self.headers["Host"]))
        key = f"{self.headers['Host']}{self.path}"
        self.send_response(200 if key in server.kept else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listener():
    def start(kept: Iterable[str] = ()) -> PurgeListener:
        server = PurgeListener(set(kept))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    started: list[PurgeListener] = []
    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def backend(location: str, timeout: float = 2) -> ProxyPurgeBackend:
    return ProxyPurgeBackend({"LOCATION": location, "TIMEOUT": timeout})


def errors(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]


def test_each_address_is_purged_by_its_path_with_the_pages_host(listener, caplog):
    proxy = listener(kept={"www.example.org/en/conditions/synkinesis/"})
    backend(proxy.location).purge_batch(
        [
            "https://www.example.org/en/conditions/synkinesis/",
            "http://www.example.org:8000/es/?page=2",
        ]
    )
    assert proxy.received == [
        ("PURGE", "/en/conditions/synkinesis/", "www.example.org"),
        ("PURGE", "/es/?page=2", "www.example.org:8000"),
    ]
    # The second was not in the proxy's cache: nothing wrong.
    assert errors(caplog) == []


def test_an_http_proxy_in_the_environment_is_not_used(listener, monkeypatch):
    proxy = listener()
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    backend(proxy.location).purge("https://www.example.org/en/")
    assert proxy.received == [("PURGE", "/en/", "www.example.org")]


def test_a_proxy_that_refuses_a_purge_is_logged_and_the_rest_still_purged(listener, caplog):
    proxy = listener()
    proxy.RequestHandlerClass = type(
        "Refusing", (PurgeHandler,), {"do_PURGE": lambda self: self.send_error(403)}
    )
    backend(proxy.location).purge_batch(
        ["https://www.example.org/en/", "https://www.example.org/es/"]
    )
    assert len(errors(caplog)) == 2
    assert "403" in errors(caplog)[0]


def test_a_proxy_that_is_down_costs_one_logged_error(caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    backend(f"http://127.0.0.1:{port}").purge_batch(
        [f"https://www.example.org/en/{n}/" for n in range(20)]
    )
    assert time.monotonic() - started < 1
    assert len(errors(caplog)) == 1
    assert "20 addresses not purged" in errors(caplog)[0]


def test_a_proxy_that_never_answers_holds_the_publish_up_once_for_the_timeout(caplog):
    # A listener that accepts connections (the kernel does, up to its backlog) and never reads.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        started = time.monotonic()
        backend(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5).purge_batch(
            [f"https://www.example.org/en/{n}/" for n in range(5)]
        )
        waited = time.monotonic() - started
    assert 0.4 < waited < 1.5
    assert len(errors(caplog)) == 1
    assert "5 addresses not purged" in errors(caplog)[0]


def settings_value(expression: str, **env: str) -> str:
    """``expression`` evaluated in the settings a process with ``env`` starts with."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("FRONTEND_CACHE_PURGE_URL", "PUBLIC_CACHE_SECONDS")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(repr(({expression})))",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "clinic_site.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_purge_listener_and_the_proxys_time_come_from_the_environment():
    configured = settings_value(
        "settings.WAGTAILFRONTENDCACHE['proxy'], settings.PUBLIC_CACHE_SECONDS",
        FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:8081",
        PUBLIC_CACHE_SECONDS="120",
    )
    assert configured == (
        "({'BACKEND': 'core.frontend_cache.ProxyPurgeBackend', "
        "'LOCATION': 'http://127.0.0.1:8081', 'TIMEOUT': 2}, 120)"
    )
    unset = settings_value(
        "hasattr(settings, 'WAGTAILFRONTENDCACHE'), settings.PUBLIC_CACHE_SECONDS"
    )
    assert unset == "(False, 300)"
