"""What one uncached page view costs in CPU instructions, a figure that does not depend on how
busy the machine is (unlike requests per second): for comparing two versions of the code.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/instructions.py --requests 20 /en/conditions/bells-palsy/

run from the project folder of the version to measure (its own ``manage.py`` and settings), with
``DATABASE_URL`` naming a database where ``load_demo_content`` has run. The script serves the
URL ``--requests`` times with Django's test client, in-process, with the full-page cache off
(``PAGE_CACHE_ENABLED=false``: the other layers of the cache stay on, as in production) and the
test settings (locmem caches, DEBUG off). Run it twice, with ``--requests 0`` and with N: the
difference of callgrind's totals divided by N is the cost of one request, without start-up.
``--compare OLD=URL NEW=URL`` runs all four under callgrind, each project folder with its
``DATABASE_URL``, and prints the table (both projects use this Python)."""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

TOTAL = re.compile(r"Collected\s*:\s*(\d+)")


def serve(path: str, requests: int) -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings.test")
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    import django

    django.setup()
    from django.test import Client

    client = Client()
    # One request before the measured ones, in both runs: the first view of a page fills the
    # routing and fragment caches, which every later request reads.
    assert client.get(path).status_code == 200
    for _ in range(requests):
        response = client.get(path)
        assert response.status_code == 200, response.status_code


def instructions(project: Path, database_url: str, path: str, requests: int) -> int:
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(Path(__file__).resolve()),
            "--requests",
            str(requests),
            path,
        ],
        cwd=project,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(TOTAL.search(result.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--compare", nargs=2, metavar=("OLD=URL", "NEW=URL"))
    args = parser.parse_args()
    if not args.compare:
        serve(args.path, args.requests)
        return
    print(f"| version | instructions per request ({args.path}, {args.requests} requests) |")
    print("|---|---|")
    for version in args.compare:
        project, database_url = version.split("=", 1)
        start_up = instructions(Path(project), database_url, args.path, 0)
        total = instructions(Path(project), database_url, args.path, args.requests)
        print(f"| {project} | {(total - start_up) / args.requests / 1e6:.1f} million |")


if __name__ == "__main__":
    main()
