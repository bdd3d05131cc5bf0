"""What both benchmarks share: a throwaway PostgreSQL database and Redis database, the environment
that runs the site with production settings on 127.0.0.1, and the manage.py steps that fill it.

Nothing here touches another database: the name is checked against the ones the tests and
PostgreSQL itself use before anything is dropped."""

import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = "5432"
POSTGRES_USER = "postgres"
DEFAULT_DATABASE = "bench"
# The test suite's databases and PostgreSQL's own: a benchmark must never drop them.
PROTECTED_DATABASES = {"postgres", "template0", "template1", "test", "test_test"}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"

# How to get each tool the benchmarks need, printed when one is missing.
TOOLS = {
    "wrk": "apt-get install -y wrk",
    "dropdb": "apt-get install -y postgresql-client",
    "createdb": "apt-get install -y postgresql-client",
    "pg_isready": "apt-get install -y postgresql-client",
}


def log(message: str) -> None:
    """Progress, on standard error: standard output carries the report."""
    print(message, file=sys.stderr, flush=True)


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def publish(text: str, output: Path, started: float) -> None:
    """Print the report and write it where the README points to."""
    print(text)
    output.write_text(text)
    log(f"Written to {output} in {time.monotonic() - started:.0f} s.")


class BenchError(RuntimeError):
    """A benchmark cannot run (a missing tool, a service down, a failed step)."""


@dataclass
class BenchSite:
    """One benchmark run's site: its database, cache, secret key and scratch folder."""

    workdir: Path
    database: str = DEFAULT_DATABASE
    redis_url: str = DEFAULT_REDIS_URL
    # One key per run: CSRF and form time stamps must verify in every process of the run.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    # The whole environment instead of the one below, when the run uses another: the site
    # behind nginx (bench/topology.py) in bench/load_test.py.
    base_env: dict[str, str] | None = None

    @property
    def database_url(self) -> str:
        return f"postgres://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{self.database}"

    @property
    def static_root(self) -> Path:
        return self.workdir / "static"

    def env(self, **overrides: str) -> dict[str, str]:
        """The environment for manage.py, the probe and gunicorn: production settings (through
        bench.settings), plain HTTP on loopback, and nothing that reaches another host."""
        if self.base_env is not None:
            return {**self.base_env, **overrides}
        env = dict(os.environ)
        for name in (
            "DEEPL_API_KEY",
            "EMAIL_HOST",
            "RECAPTCHA_PUBLIC_KEY",
            "RECAPTCHA_PRIVATE_KEY",
        ):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            # Loopback has no TLS proxy in front of it.
            DJANGO_SECURE_SSL_REDIRECT="false",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            DJANGO_MEDIA_ROOT=str(self.workdir / "media"),
            BENCH_STATIC_ROOT=str(self.static_root),
            WAGTAILADMIN_BASE_URL="http://127.0.0.1",
            # Every POST comes from 127.0.0.1: the per-address limit would answer 429 after ten.
            CONSULTATION_RATE_LIMIT="1000000/h",
            DJANGO_LOG_LEVEL="WARNING",
            PYTHONPATH=str(PROJECT_DIR),
        )
        env.update(overrides)
        return env


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        hints = "\n".join(f"  {name}: {TOOLS.get(name, '(install it)')}" for name in missing)
        raise BenchError(f"Missing tools:\n{hints}")


def check_services(site: BenchSite) -> None:
    """PostgreSQL and Redis must answer on 127.0.0.1 before anything is dropped or filled."""
    require_tools("pg_isready", "dropdb", "createdb")
    ready = subprocess.run(
        ["pg_isready", "-h", POSTGRES_HOST, "-p", POSTGRES_PORT, "-t", "5"],
        capture_output=True,
        text=True,
    )
    if ready.returncode != 0:
        raise BenchError(f"PostgreSQL is not ready at {POSTGRES_HOST}:{POSTGRES_PORT}.")
    import redis

    try:
        redis.Redis.from_url(site.redis_url, socket_timeout=2).ping()
    except redis.RedisError as error:
        raise BenchError(f"Redis does not answer at {site.redis_url}: {error}") from error


def reset_database(name: str) -> None:
    """Drop and create the benchmark database (and never one of the protected ones)."""
    if name in PROTECTED_DATABASES or not name.replace("_", "").isalnum():
        raise BenchError(f"Refusing to drop the database {name!r}.")
    connection = ["-h", POSTGRES_HOST, "-p", POSTGRES_PORT, "-U", POSTGRES_USER]
    # --force ends connections a crashed earlier run may have left open.
    run(["dropdb", *connection, "--if-exists", "--force", name], timeout=60)
    run(["createdb", *connection, name], timeout=60)


def reset_redis(url: str) -> None:
    """Empty the benchmark's Redis database: no page or rate-limit count from an earlier run."""
    import redis

    if url.rstrip("/").endswith(("/0", ":6379")):
        raise BenchError("Use a Redis database of its own for benchmarks, e.g. .../3.")
    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run a command to completion; on failure raise with its output, which says why."""
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise BenchError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def manage(site: BenchSite, *args: str, timeout: float = 300, **env: str) -> str:
    return run([PYTHON, "manage.py", *args], env=site.env(**env), timeout=timeout)


def prepare_site(site: BenchSite, log=print) -> None:
    """A fresh database with the demo clinic, an empty cache, and collected static files."""
    check_services(site)
    if not list((PROJECT_DIR / "locale").glob("*/LC_MESSAGES/django.mo")):
        log("note: no compiled translations (.mo); `make messages` compiles them.")
    steps = [
        ("database", lambda: reset_database(site.database)),
        ("cache", lambda: reset_redis(site.redis_url)),
        ("migrate", lambda: manage(site, "migrate", "--no-input")),
        ("collectstatic", lambda: manage(site, "collectstatic", "--no-input", "--verbosity", "0")),
        ("demo content", lambda: manage(site, "load_demo_content")),
    ]
    for name, step in steps:
        started = time.monotonic()
        step()
        log(f"  {name}: {time.monotonic() - started:.1f} s")


def measured_commit() -> str:
    """The commit measured, with "with uncommitted changes" when the tracked files differ from
    it; "unknown" without git."""

    def git(*args: str) -> str:
        try:
            result = subprocess.run(
                ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10
            )
        except OSError:
            return ""
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    return commit
