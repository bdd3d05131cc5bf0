"""The production topology on loopback: the shipped nginx site (deploy/nginx/clinic.conf) over TLS
in front of two gunicorn instances started with the shipped deploy/gunicorn.conf.py, the
notification worker, PostgreSQL and Redis. tests/deploy/test_topology.py runs its checks against
it; bench/load_test.py and bench/proxy.py run their load through it. (Here rather than in tests/:
the benchmarks never import the tests.)

The nginx file is the shipped one: ``render_site`` swaps only its ports, paths and certificate for
the run's, and fails when one of the production values it swaps is no longer there, so that no run
uses a configuration that differs from the shipped one in some other way.

Visitors come from different loopback addresses (127.0.0.2, 127.0.0.3 …: Linux routes all of
127.0.0.0/8 to the loopback interface), so nginx sees a different peer for each, as it would on
the Internet, and appends that one to X-Forwarded-For."""

import contextlib
import gzip
import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.common import run

PROJECT_DIR = Path(__file__).resolve().parents[1]
NGINX_SITE = PROJECT_DIR / "deploy" / "nginx" / "clinic.conf"
GUNICORN_CONF = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
HOST_NAME = "www.example.org"
LOOPBACK = "127.0.0.1"
PYTHON = sys.executable

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RENDERED_AT = re.compile(r'name="rendered_at"[^>]*value="([^"]+)"')
REFERENCE = re.compile(r'class="reference__number">([^<]+)<')

# A complete, valid consultation request from an invented visitor (555-01xx numbers are
# fictional), as bench/probe.py sends it.
CONSULTATION_FORM = {
    "full_name": "Topology Visitor",
    "phone": "(202) 555-0143",
    "email": "topology.visitor@example.org",
    "preferred_contact_method": "phone",
    "best_time": "morning",
    "symptom_onset": "lt1y",
    "patient_status": "new",
    "referring_clinician": "",
    "condition": "",
    "physician": "",
    "preferred_language": "en",
    "consent": "on",
    "website": "",
}


def find_nginx() -> str | None:
    """Debian's nginx (in /usr/sbin, which a non-root PATH may lack)."""
    found = shutil.which("nginx")
    if found is None and os.access("/usr/sbin/nginx", os.X_OK):
        found = "/usr/sbin/nginx"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@dataclass
class Ports:
    http: int = field(default_factory=free_port)
    https: int = field(default_factory=free_port)
    purge: int = field(default_factory=free_port)
    apps: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    # The syslog port nginx reports the views it answers from its cache to (UDP).
    views: int = field(default_factory=free_udp_port)


class Paths:
    """Everything of one run, under one temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.static = root / "static"
        self.media = root / "media"
        self.cache = root / "nginx-cache"
        self.nginx = root / "nginx"
        self.logs = root / "logs"
        self.acme = root / "acme"
        self.certificate = root / "fullchain.pem"
        self.private_key = root / "privkey.pem"
        self.access_log = self.logs / "nginx-access.log"
        for folder in (self.static, self.media, self.cache, self.nginx, self.logs, self.acme):
            folder.mkdir(parents=True, exist_ok=True)


def render_site(ports: Ports, paths: Paths) -> str:
    """deploy/nginx/clinic.conf with the test's ports, folders and certificate.

    IPv6 listeners are dropped (a CI container may have no IPv6); everything else is the
    shipped file, directive for directive."""
    text = NGINX_SITE.read_text()
    replacements = {
        "    listen 80;\n": f"    listen {LOOPBACK}:{ports.http};\n",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;\n": f"    listen {LOOPBACK}:{ports.https} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 127.0.0.1:8081;": f"listen {LOOPBACK}:{ports.purge};",
        "syslog:server=127.0.0.1:5514,": f"syslog:server={LOOPBACK}:{ports.views},",
        "server 127.0.0.1:8001 ": f"server {LOOPBACK}:{ports.apps[0]} ",
        "server 127.0.0.1:8002 ": f"server {LOOPBACK}:{ports.apps[1]} ",
        "/var/cache/nginx/clinic": str(paths.cache),
        "/etc/letsencrypt/live/www.example.org/fullchain.pem": str(paths.certificate),
        "/etc/letsencrypt/live/www.example.org/privkey.pem": str(paths.private_key),
        "/srv/clinic/var/static/": f"{paths.static}/",
        "/srv/clinic/var/media/": f"{paths.media}/",
        "/var/log/nginx/clinic.access.log": str(paths.access_log),
        "/var/www/letsencrypt": str(paths.acme),
    }
    for production, test in replacements.items():
        if production not in text:
            raise AssertionError(
                f"{production.strip()!r} is no longer in {NGINX_SITE.name}: update "
                f"bench/topology.py so that every run still uses the shipped file."
            )
        text = text.replace(production, test)
    live = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    leftover = re.findall(r"(?:/srv/|/etc/|/var/)\S*|:(?:80|443|800\d|8081|5514)\b", live)
    if leftover:
        raise AssertionError(f"Production values the test did not replace: {leftover}")
    return text


def render_main(paths: Paths, site_file: Path) -> str:
    """The nginx.conf that includes the site, with what Debian's /etc/nginx/nginx.conf sets
    around the sites it includes (the site file must not set those again in the http block),
    and this run's pid, logs and temporary folders instead of the system's."""
    user = ""
    if os.geteuid() == 0:
        # As root, nginx would run its workers as nobody, who cannot read the test's folders.
        user = "user root;"
    temp = "\n".join(
        f"    {kind}_temp_path {paths.nginx / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
load_module {PURGE_MODULE};
{user}
daemon off;
worker_processes 1;
pid {paths.nginx / "nginx.pid"};
error_log {paths.logs / "nginx-error.log"} warn;

events {{
    worker_connections 512;
}}

http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {paths.logs / "nginx-other.log"};
    gzip on;
{temp}

    include {site_file};
}}
"""


# --- visitors --------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        body = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


class Visitor:
    """A browser at one loopback address: its own cookies, one connection per request, to
    www.example.org through nginx (over TLS unless ``tls=False``)."""

    def __init__(self, topology: "Topology", address: str = LOOPBACK) -> None:
        self.topology = topology
        self.address = address
        self.cookies: dict[str, str] = {}

    def connection(self, tls: bool = True, timeout: float = 15) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection
        if tls:
            connection = http.client.HTTPSConnection(
                HOST_NAME,
                self.topology.ports.https,
                timeout=timeout,
                source_address=(self.address, 0),
                context=self.topology.client_tls,
            )
        else:
            connection = http.client.HTTPConnection(
                HOST_NAME,
                self.topology.ports.http,
                timeout=timeout,
                source_address=(self.address, 0),
            )

        # The name is www.example.org (Host header, TLS server name); the machine is this one.
        def create_connection(address, timeout=None, source_address=None):
            return socket.create_connection((LOOPBACK, address[1]), timeout, source_address)

        connection._create_connection = create_connection  # type: ignore[attr-defined]
        return connection

    def send(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
        tls: bool = True,
    ) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers.setdefault(
                "Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            )
        connection = self.connection(tls)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, response.headers, content, time.monotonic() - started)

    def get(self, path: str, **headers: str) -> Answer:
        return self.send("GET", path, {key.replace("_", "-"): v for key, v in headers.items()})

    def send_consultation(self, marker: str, forwarded_for: str | None = None) -> Answer:
        """Fetch the form, fill it in with ``marker`` in the name and the message, send it.
        ``forwarded_for``: an X-Forwarded-For header of the visitor's own invention."""
        path = self.topology.pages["consultation"]
        form_page = self.get(path)
        assert form_page.status == 200, form_page.status
        page = form_page.text
        form = {
            **CONSULTATION_FORM,
            "full_name": f"Visitor {marker}",
            "message": f"Topology test request {marker}.",
            "csrfmiddlewaretoken": CSRF_TOKEN.search(page)[1],  # type: ignore[index]
            "rendered_at": RENDERED_AT.search(page)[1],  # type: ignore[index]
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.topology.origin,
            "Referer": self.topology.origin + path,
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        return self.send("POST", path, headers, urlencode(form))


# --- the processes ---------------------------------------------------------------------------


class Processes:
    """Every process the topology started, each stopped by its own handle on the way out."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        # Appended to: a process started again under the same name keeps its earlier lines.
        with open(self.logs / f"{name}.log", "ab") as output:
            process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self.running[name] = process
        return process

    def finish(self, name: str, process: subprocess.Popen, timeout: float) -> None:
        """Wait for a one-off step, which must succeed."""
        if process.wait(timeout=timeout) != 0:
            raise RuntimeError(f"{name} failed ({process.returncode}):\n{self.log(name)[-3000:]}")
        del self.running[name]

    def log(self, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.logs / f"{name}.log").read_text(errors="replace")
        return ""

    def check_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                log = self.log(name)[-3000:]
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{log}")

    def stop(self, name: str) -> None:
        """Stop one process (by its handle) and forget it."""
        process = self.running.pop(name)
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_for(check, what: str, seconds: float, processes: Processes) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes.check_alive()
        with contextlib.suppress(OSError, http.client.HTTPException):
            if check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s")


@dataclass
class Database:
    """The test's own PostgreSQL database, created empty and migrated by the site itself."""

    url: str

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")

    def client_args(self) -> list[str]:
        parts = urlsplit(self.url)
        return [
            "-h",
            parts.hostname or LOOPBACK,
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
        ]

    def create(self) -> None:
        self.drop()
        run(["createdb", *self.client_args(), self.name], dict(os.environ), timeout=60)

    def drop(self) -> None:
        # --force ends the connections a crashed run may have left open.
        command = ["dropdb", *self.client_args(), "--if-exists", "--force", self.name]
        run(command, dict(os.environ), timeout=60)


@dataclass
class Topology:
    """What the tests talk to, and what they read afterwards."""

    ports: Ports
    paths: Paths
    processes: Processes
    database: Database
    client_tls: ssl.SSLContext
    env: dict[str, str]
    pages: dict[str, str] = field(default_factory=dict)
    # Bound to ports.views for the whole run, so that nginx's reports are never refused (a
    # refused datagram makes nginx's next report fail too); read by view_reports().
    views_socket: socket.socket | None = None

    @property
    def origin(self) -> str:
        return f"https://{HOST_NAME}:{self.ports.https}"

    def visitor(self, address: str = LOOPBACK) -> Visitor:
        return Visitor(self, address)

    def start_apps(self, workers: int = 1, **extra: str) -> None:
        """The two gunicorn instances on the upstream ports, as systemd's clinic-web@ units
        start them, with ``extra`` added to the site's environment."""
        for number, port in enumerate(self.ports.apps, start=1):
            self.processes.start(
                f"gunicorn-{number}",
                [PYTHON, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
                {
                    **self.env,
                    **extra,
                    "GUNICORN_BIND": f"{LOOPBACK}:{port}",
                    "GUNICORN_WORKERS": str(workers),
                },
            )

    def wait_for_apps(self) -> None:
        """Both instances answer their health check, and nginx passes visitors on."""
        for port in self.ports.apps:
            wait_for(
                lambda port=port: _direct_health(port) == 200,
                f"gunicorn on {port}",
                60,
                self.processes,
            )
        visitor = self.visitor()
        wait_for(lambda: visitor.get("/healthz").status == 200, "nginx", 20, self.processes)

    def stop_apps(self) -> None:
        for number in (1, 2):
            if f"gunicorn-{number}" in self.processes.running:
                self.processes.stop(f"gunicorn-{number}")

    @contextlib.contextmanager
    def apps(self, workers: int = 1, **extra: str) -> Iterator[None]:
        """The two instances with ``extra`` in their environment while the block runs (nginx
        keeps running: a scenario that needs other settings restarts the app servers only)."""
        self.start_apps(workers, **extra)
        try:
            self.wait_for_apps()
            yield
        finally:
            self.stop_apps()

    def app_log(self, number: int) -> str:
        return self.processes.log(f"gunicorn-{number}")

    def worker_log(self) -> str:
        return self.processes.log("worker")

    def access_log(self) -> str:
        with contextlib.suppress(OSError):
            return self.paths.access_log.read_text(errors="replace")
        return ""

    def purge(self, path: str, method: str = "PURGE") -> int:
        """Ask the purge listener, as Wagtail's frontend cache does, to forget a page."""
        connection = http.client.HTTPConnection(LOOPBACK, self.ports.purge, timeout=5)
        try:
            connection.request(method, path, headers={"Host": HOST_NAME})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def view_reports(self, seconds: float = 1.0) -> list[str]:
        """The syslog lines nginx sent about the views it answered from its cache since the
        last call, waiting ``seconds`` after the last one for any still on their way."""
        assert self.views_socket is not None
        lines = []
        self.views_socket.settimeout(seconds)
        with contextlib.suppress(TimeoutError):
            while True:
                lines.append(self.views_socket.recv(65536).decode("utf-8", "replace"))
        return lines

    def run_site_module(self, module: str, *args: str) -> str:
        """``python -m module args`` as a process of the site (its settings and services)."""
        return run([PYTHON, "-m", module, *args], self.env)

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database.url, autocommit=True, connect_timeout=5) as connection:
            return connection.execute(query, params).fetchall()


# The site's settings that the test sets, or that must not reach it from the environment the
# tests run in.
OWN_VARIABLES = (
    "DJANGO_",
    "DATABASE_",
    "REDIS_",
    "EMAIL_",
    "RECAPTCHA_",
    "GUNICORN_",
    "AWS_",
    "PAGE_CACHE_",
    "PUBLIC_CACHE_",
    "FRONTEND_CACHE_",
    "CONSULTATION_",
)


def site_env(ports: Ports, paths: Paths, database: Database, redis_url: str) -> dict[str, str]:
    """Production settings, as deploy/clinic.env.example sets them behind nginx, with this run's
    database, cache, folders and ports; nothing that reaches another host."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(OWN_VARIABLES) and name != "DEEPL_API_KEY"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clinic_site.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST_NAME,
        # The test's HTTPS port is not 443: the browser's Origin carries it.
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{HOST_NAME}:{ports.https}",
        WAGTAILADMIN_BASE_URL=f"https://{HOST_NAME}",
        DATABASE_URL=database.url,
        REDIS_URL=redis_url,
        DJANGO_STATIC_ROOT=str(paths.static),
        DJANGO_MEDIA_ROOT=str(paths.media),
        # nginx alone in front of the site.
        DJANGO_TRUSTED_PROXY_COUNT="1",
        DJANGO_TRUSTED_PROXY_ADDRESSES="127.0.0.1,::1",
        FRONTEND_CACHE_PURGE_URL=f"http://{LOOPBACK}:{ports.purge}",
        CONSULTATION_RATE_LIMIT="10/h",
        # The test fills the form in faster than a person.
        CONSULTATION_MIN_SUBMIT_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_DIR),
    )
    return env


@contextlib.contextmanager
def running_topology(
    nginx: str,
    root: Path,
    database_url: str,
    redis_url: str,
    content: Callable[[Topology], None],
    *,
    apps: bool = True,
    worker: bool = True,
    settings: Mapping[str, str | None] | None = None,
) -> Iterator[Topology]:
    """Prepare the database and files, start everything, and stop it all afterwards.

    ``content(topology)`` fills the migrated database (and may set ``topology.pages``).
    ``apps=False`` leaves the two gunicorn instances to the caller (``Topology.apps``), and
    ``worker=False`` the notification worker. ``settings`` change the site's environment (None
    removes a variable)."""
    import redis

    ports = Ports()
    paths = Paths(root)
    database = Database(database_url)
    env = site_env(ports, paths, database, redis_url)
    for name, value in (settings or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    processes = Processes(paths.logs)
    views_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    views_socket.bind((LOOPBACK, ports.views))

    redis.Redis.from_url(redis_url, socket_timeout=5).flushdb()
    database.create()
    try:
        # The slow part, migrate, runs while everything that does not need the database starts.
        collectstatic = processes.start(
            "collectstatic",
            [PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            env,
        )
        migrate = processes.start(
            "migrate", [PYTHON, "manage.py", "migrate", "--no-input", "--verbosity", "0"], env
        )
        client_tls = write_certificate(paths)
        site_file = paths.nginx / "clinic.conf"
        site_file.write_text(render_site(ports, paths))
        main_file = paths.nginx / "nginx.conf"
        main_file.write_text(render_main(paths, site_file))
        nginx_command = [nginx, "-p", str(paths.nginx), "-c", str(main_file), "-e", "stderr"]
        run([*nginx_command, "-t", "-q"], env, timeout=30)
        processes.start("nginx", nginx_command, env)
        topology = Topology(ports, paths, processes, database, client_tls, env)
        topology.views_socket = views_socket
        # The site reads the static files' manifest once, when it starts: after collectstatic.
        processes.finish("collectstatic", collectstatic, timeout=120)
        if apps:
            # One sync worker each: fewer workers in all than the slow clients of the test.
            topology.start_apps(workers=1)
        processes.finish("migrate", migrate, timeout=180)

        if worker:
            # As systemd runs it (deploy/systemd/clinic-worker.service); the console e-mail
            # backend prints each message to this process's log.
            command = ["db_worker", "--backend", "notifications", "--interval", "0.5"]
            command += ["--queue-name", "default,translations"]
            processes.start("worker", [PYTHON, "manage.py", *command], env)
        content(topology)
        if apps:
            topology.wait_for_apps()
        yield topology
    finally:
        processes.stop_all()
        views_socket.close()
        database.drop()


def write_certificate(paths: Paths) -> ssl.SSLContext:
    """A certificate for www.example.org from a throwaway authority, where nginx reads it, and
    a client context that trusts that authority alone."""
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert(HOST_NAME)
    certificate.private_key_pem.write_to_path(str(paths.private_key))
    with open(paths.certificate, "wb") as chain:
        for blob in certificate.cert_chain_pems:
            chain.write(blob.bytes())
    client_tls = ssl.create_default_context()
    authority.configure_trust(client_tls)
    return client_tls


def _direct_health(port: int) -> int:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": HOST_NAME})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
