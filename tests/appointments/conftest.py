import contextlib
import json
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import trustme


@dataclass
class FakeVerifier:
    """A stand-in for the reCAPTCHA verification service, served over HTTPS on 127.0.0.1.

    ``mode`` chooses its behaviour: "ok" (a score of ``score``), "http_error" (HTTP 500),
    "malformed" (not JSON), "slow" (answers after the client gave up) or "invalid" (a token
    the service rejects)."""

    domain: str
    mode: str = "ok"
    score: float = 0.9
    received: list[dict] = field(default_factory=list)


@pytest.fixture(scope="session")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def fake_verifier(certificate_authority, settings, monkeypatch, tmp_path) -> Iterator[FakeVerifier]:
    verifier = FakeVerifier(domain="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            params = parse_qs(self.rfile.read(length).decode())
            verifier.received.append({key: value[0] for key, value in params.items()})
            if verifier.mode == "slow":
                time.sleep(2)
            if verifier.mode == "http_error":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"Internal Server Error")
                return
            if verifier.mode == "malformed":
                body = b"<html>this is not json"
            else:
                body = json.dumps(
                    {
                        "success": verifier.mode != "invalid",
                        "score": verifier.score,
                        "action": "consultation",
                        "hostname": "testserver",
                    }
                ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # A client that gave up waiting (as it should) has closed the connection.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    # The site trusts this test CA (and only for the length of the test).
    ca_file = tmp_path / "test-ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))

    verifier.domain = f"127.0.0.1:{server.server_address[1]}"
    settings.RECAPTCHA_DOMAIN = verifier.domain
    settings.RECAPTCHA_PUBLIC_KEY = "test-site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "test-secret-key"
    settings.RECAPTCHA_VERIFY_REQUEST_TIMEOUT = 1
    yield verifier
    server.shutdown()
    server.server_close()
