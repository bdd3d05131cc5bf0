"""Scale benchmark: ``make bench-scale`` or ``.venv/bin/python -m bench.scale``.

Does what the site does stay flat as the content grows? One run grows one database: the demo
clinic, then N condition and N treatment pages (N = 10, 100, 1,000 by default) in the demo's
three languages, then seven more languages (L = 10) at the largest N. At each step it measures:

- the public pages over gunicorn (2 sync workers, production settings), with the full-page
  cache on and off, as bench/run.py does: home, the condition and treatment indexes, a
  condition, a physician, a search, the sitemap index and every sitemap file; the median of
  several requests, and the first (the page built anew after the growth);
- the same URLs in-process (bench/scale_site.py ``public``): SQL queries and database time;
- the staff paths in-process as a superuser (bench/scale_site.py ``staff``);
- each gunicorn worker's memory (VmRSS) after it served every URL and a sample of the pages the
  sitemaps list.

At the largest content it replays a working day: visitors at a steady rate over a browsing set
drawn from the sitemaps (Zipf-like popularity), while an editor publishes a page every ten
seconds; the share of page views served from the page cache.

It writes bench/scale-results.md (the section named by ``--label``, before or after, so the file
shows both) and the raw figures in bench/scale-LABEL.json. Exit status: 0 when every bound
passes, 1 when one fails, 2 when the benchmark could not run."""

import argparse
import concurrent.futures
import datetime
import importlib.util
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    PROJECT_DIR,
    PYTHON,
    BenchError,
    BenchSite,
    log,
    manage,
    measured_commit,
    prepare_site,
    require_tools,
    reset_redis,
    verdict,
)
from bench.run import BROWSER_AGENT, HOST, fetch, gunicorn

BENCH_DIR = Path(__file__).resolve().parent
OUTPUT = BENCH_DIR / "scale-results.md"
LABELS = ("before", "after")

# The bounds of the issue: ratios of the largest content's figure to the smallest's.
SITEMAP_RATIO = 1.5
SEARCH_DB_RATIO = 1.5
EXPLORER_QUERY_RATIO = 1.2  # 50 rows against 5, at the largest content
PUBLISH_SECONDS = 1.0  # the editor's publishing request at the most languages
MEMORY_RATIO = 1.3
HIT_RATIO = 0.95


@dataclass
class ScaleSite(BenchSite):
    """The benchmark site with the scale settings: ``languages`` content languages."""

    languages: int = 3

    def env(self, **overrides: str) -> dict[str, str]:
        return super().env(
            **{
                "DJANGO_SETTINGS_MODULE": "bench.scale_settings",
                "BENCH_LANGUAGES": str(self.languages),
                **overrides,
            }
        )


def step(site: ScaleSite, name: str, *args: str, timeout: float = 1800, **env: str) -> dict:
    """One in-process step (bench/scale_site.py) in a process of its own; its JSON answer."""
    out = site.workdir / f"{name}.json"
    result = subprocess.run(
        [PYTHON, "-m", "bench.scale_site", name, *args, str(out)],
        cwd=PROJECT_DIR,
        env=site.env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.scale_site {name} failed:\n{result.stdout}{result.stderr[-5000:]}")
    return json.loads(out.read_text())


# --- over HTTP -------------------------------------------------------------------------------


def get(port: int, path: str) -> tuple[int, str, float]:
    """One GET as a browser sends it: status, X-Cache and seconds."""
    started = time.perf_counter()
    status, headers, _body = fetch(port, path, {"User-Agent": BROWSER_AGENT})
    return status, headers.get("X-Cache", ""), time.perf_counter() - started


def timed_gets(port: int, path: str, repeat: int, budget: float) -> dict:
    """The first request of ``path`` on this server, then up to ``repeat`` more (at least 3, and
    no more once ``budget`` seconds are spent): the median of those."""
    status, _cache, first = get(port, path)
    if status != 200:
        raise BenchError(f"{path} answered {status}, not 200.")
    times, caches = [], []
    started = time.monotonic()
    while len(times) < repeat and (len(times) < 3 or time.monotonic() - started < budget):
        _status, cache, seconds = get(port, path)
        times.append(seconds)
        caches.append(cache)
    return {
        "first_ms": round(first * 1000, 1),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "x_cache": caches[-1],
        "samples": len(times),
    }


def interleaved_gets(port: int, paths: dict[str, str], repeat: int) -> dict[str, dict]:
    """Each of ``paths`` (name: path) requested once, then ``repeat`` rounds of all of them, so
    that each file's requests are spread over the whole measurement: the files are bounded one
    by one, and requested one after the other for 60 ms each, a single pause of the machine (a
    garbage collection, another process) would be one file's median. The median of each."""
    first, times = {}, {name: [] for name in paths}
    caches: dict[str, str] = {}
    for name, path in paths.items():
        status, _cache, seconds = get(port, path)
        if status != 200:
            raise BenchError(f"{path} answered {status}, not 200.")
        first[name] = seconds
    for _round in range(repeat):
        for name, path in paths.items():
            _status, caches[name], seconds = get(port, path)
            times[name].append(seconds)
    return {
        name: {
            "first_ms": round(first[name] * 1000, 1),
            "median_ms": round(statistics.median(times[name]) * 1000, 2),
            "x_cache": caches.get(name, ""),
            "samples": len(times[name]),
        }
        for name in paths
    }


def worker_memory(port: int) -> list[int]:
    """VmRSS in kB of each worker of the gunicorn bound to ``port`` (the processes whose parent
    is that gunicorn's master)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if f"--bind={HOST}:{port}" in command:
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            processes[int(entry.name)] = (
                int(fields["PPid"].strip()),
                int(fields.get("VmRSS", "0 kB").split()[0]),
            )
    return sorted(rss for ppid, rss in processes.values() if ppid in processes)


def crawl_sample(listed: list[str], count: int) -> list[str]:
    """``count`` of the pages the sitemaps list, spread evenly over them (every language)."""
    if len(listed) <= count:
        return listed
    stride = len(listed) / count
    return [listed[int(i * stride)] for i in range(count)]


def serve(site: ScaleSite, rows: list[dict], listed: list[str], args, mode: str) -> dict:
    """One gunicorn (``mode``: cached or uncached): each URL timed, then the crawl, then the
    workers' memory."""
    with gunicorn(site, mode, args.workers, name=f"{mode}-{site.languages}") as port:
        timings = {
            row["name"]: timed_gets(port, row["path"], args.repeat, args.budget)
            for row in rows
            if not row["name"].startswith("sitemap")
        }
        timings.update(
            interleaved_gets(
                port,
                {row["name"]: row["path"] for row in rows if row["name"].startswith("sitemap")},
                args.sitemap_repeat,
            )
        )
        for path in crawl_sample(listed, args.crawl):
            get(port, path)
        return {"timings": timings, "memory_kb": worker_memory(port)}


# --- the working day -------------------------------------------------------------------------


def working_day(site: ScaleSite, listed: list[str], args) -> dict:
    """Visitors at ``--replay-rate`` a second for ``--replay-seconds`` over a browsing set of
    ``--browsing-set`` pages drawn from the sitemaps, each with a Zipf-like popularity (1/rank),
    after each was visited once (the cache warm), while an editor (a process of its own, with the
    production settings and the same Redis) publishes a different page every ten seconds."""
    drawn = random.Random(22).sample(listed, min(args.browsing_set, len(listed)))
    counts = {"hit": 0, "miss": 0, "other": 0, "errors": 0}
    lock = threading.Lock()
    with gunicorn(site, "cached", args.workers, name="working-day") as port:
        log(f"  warming the page cache with {len(drawn)} pages…")
        for path in drawn:
            get(port, path)
        # A page the cache never stores (the consultation form: its CSRF token and time stamp
        # are the visitor's own) answers without X-Cache; it is no page view the cache could
        # serve, so it leaves the browsing set.
        pages = [path for path in drawn if get(port, path)[1] in ("hit", "miss")]
        weights = [1 / rank for rank in range(1, len(pages) + 1)]
        chooser = random.Random(5)
        schedule = [
            chooser.choices(pages, weights)[0]
            for _ in range(int(args.replay_rate * args.replay_seconds))
        ]

        def visit(path: str) -> None:
            try:
                status, cache, _seconds = get(port, path)
            except OSError:
                status, cache = 0, ""
            with lock:
                if status != 200:
                    counts["errors"] += 1
                counts[cache if cache in ("hit", "miss") else "other"] += 1

        editor_out = site.workdir / "editor.json"
        editor = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "bench.scale_site",
                "editor",
                str(args.replay_seconds),
                str(args.publish_every),
                str(editor_out),
            ],
            cwd=PROJECT_DIR,
            env=site.env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        # The editor's process needs a few seconds to start Django: visitors start with its
        # first publication's schedule, near enough.
        time.sleep(3)
        log(
            f"  {len(schedule)} visits at {args.replay_rate}/s while the editor publishes every "
            f"{args.publish_every} s…"
        )
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            for number, path in enumerate(schedule):
                time.sleep(max(0.0, started + number / args.replay_rate - time.monotonic()))
                pool.submit(visit, path)
        try:
            _out, errors = editor.communicate(timeout=args.replay_seconds + 120)
        except subprocess.TimeoutExpired:
            editor.kill()
            raise BenchError("The editor's process did not finish.") from None
        if editor.returncode != 0:
            raise BenchError(f"The editor's process failed:\n{errors[-3000:]}")
        published = json.loads(editor_out.read_text())
    served = counts["hit"] + counts["miss"] + counts["other"]
    return {
        "visits": served,
        **counts,
        "hit_ratio": counts["hit"] / served if served else 0.0,
        "browsing_set": len(pages),
        "never_cached": sorted(set(drawn) - set(pages)),
        "rate": args.replay_rate,
        "seconds": args.replay_seconds,
        "publications": published["published"],
        "publish_median_ms": published["median_ms"],
    }


# --- one size --------------------------------------------------------------------------------


def measure_point(site: ScaleSite, n: int, args) -> dict:
    """Everything measured at one size: in-process, then over each gunicorn."""
    point: dict = {"n": n, "languages": site.languages, "phases": {}}
    started = time.monotonic()
    reset_redis(site.redis_url)
    public = step(site, "public", PAGE_CACHE_ENABLED="false")
    point["phases"]["in-process public URLs"] = time.monotonic() - started
    point["public"] = public["rows"]
    point["listed_pages"] = len(public["listed_pages"])
    started = time.monotonic()
    point["staff"] = step(site, "staff")
    point["phases"]["staff paths"] = time.monotonic() - started
    for mode in ("cached", "uncached"):
        started = time.monotonic()
        reset_redis(site.redis_url)
        log(f"  gunicorn, {mode}…")
        point[mode] = serve(site, public["rows"], public["listed_pages"], args, mode)
        point["phases"][f"gunicorn {mode}"] = time.monotonic() - started
    point["_listed"] = public["listed_pages"]
    return point


def grow(site: ScaleSite, n: int) -> dict:
    log(f"Growing to N = {n}, L = {site.languages}…")
    started = time.monotonic()
    result = step(site, "grow", str(n))
    result["seconds"] = time.monotonic() - started
    log(f"  {time.monotonic() - started:.0f} s: {result['pages']}")
    return result


def benchmark(args) -> dict:
    started_all = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clinic-bench-scale-") as workdir:
        site = ScaleSite(
            Path(workdir), database=args.database, redis_url=args.redis_url, languages=3
        )
        log(f"Preparing the database {site.database!r} and Redis {site.redis_url}:")
        started = time.monotonic()
        prepare_site(site, log)
        run: dict = {"setup_seconds": time.monotonic() - started, "points": [], "growth": []}
        plan = [(n, min(args.languages)) for n in args.sizes]
        if max(args.languages) > min(args.languages):
            plan.append((max(args.sizes), max(args.languages)))
        for n, languages in plan:
            if languages != site.languages:
                site.languages = languages
                log(f"Adding languages: L = {languages} (migrate creates their locales)…")
                started = time.monotonic()
                manage(site, "migrate", "--no-input")
                run["migrate_languages_seconds"] = time.monotonic() - started
            run["growth"].append({"n": n, "languages": languages, **grow(site, n)})
            log(f"Measuring N = {n}, L = {languages}…")
            run["points"].append(measure_point(site, n, args))
        if args.replay_seconds:
            log("Working day at the largest content…")
            started = time.monotonic()
            reset_redis(site.redis_url)
            run["working_day"] = working_day(site, run["points"][-1]["_listed"], args)
            run["working_day"]["phase_seconds"] = time.monotonic() - started
        for point in run["points"]:
            point.pop("_listed")
    run["total_seconds"] = time.monotonic() - started_all
    return run


# --- the report ------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": model[1] if model else platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(memory[1]) / 1024 / 1024, 1) if memory else None,
        "python": platform.python_version(),
        "postgresql": postgres,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def column(point: dict) -> str:
    return f"N={point['n']:,}, L={point['languages']}"


def ratio(last: float | None, first: float | None) -> float | None:
    if last is None or not first:
        return None
    return last / first


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def figure_table(title: str, points: list[dict], rows: list[tuple[str, list]]) -> str:
    header = "| " + title + " | " + " | ".join(column(p) for p in points) + " | ratio |"
    lines = [header, "|---" * (len(points) + 2) + "|"]
    for name, values in rows:
        first, last = values[0], values[-1]
        lines.append(
            f"| {name} | "
            + " | ".join(fmt(v, 2 if isinstance(v, float) and v < 10 else 1) for v in values)
            + f" | {fmt(ratio(last, first), 2)}× |"
        )
    return "\n".join(lines)


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {row["name"]: row for row in rows}


def sitemap_names(points: list[dict]) -> list[str]:
    names: list[str] = []
    for point in points:
        for row in point["public"]:
            if row["name"] not in names:
                names.append(row["name"])
    return names


def is_later_section(name: str) -> bool:
    return name.startswith("sitemap-") and "?p=" in name


def slowest_section(point: dict, *keys: str) -> float | None:
    """The largest figure among a point's later sitemap sections (``?p=2`` and on): the tables
    show the index, each language's first file, and this for the rest (every file's figure is
    in the JSON, and each is bounded)."""
    *path, measure = keys
    table: Any = point
    for key in path:
        table = table[key]
    files = table if isinstance(table, dict) else by_name(table)
    values = [
        figures[measure]
        for name, figures in files.items()
        if is_later_section(name) and figures.get(measure) is not None
    ]
    return max(values) if values else None


def sections_row(points: list[dict], label: str, *keys: str) -> tuple[str, list]:
    counts = [sum(is_later_section(row["name"]) for row in p["public"]) for p in points]
    return (
        f"later sitemap sections, slowest of {'/'.join(map(str, counts))} ({label})",
        [slowest_section(p, *keys) for p in points],
    )


def dig(point: dict, *keys) -> float | None:
    """``point[k1][k2]…``, or None where a step did not have it (a sitemap file that did not
    exist yet); the public rows are looked up by name."""
    value: object = point
    for key in keys:
        if isinstance(value, list):
            value = by_name(value).get(key)
        elif isinstance(value, dict):
            value = value.get(key)
        if value is None:
            return None
    return value  # type: ignore[return-value]


def sitemap_baseline(first: dict, name: str, mode: str) -> tuple[float | None, str]:
    """The smallest content's figure a sitemap file is compared with: the same file, or for a
    file that did not exist yet (a new language, a further section) the slowest of the
    smallest content's language sitemaps."""
    timings = first[mode]["timings"]
    if name in timings:
        return timings[name]["median_ms"], name
    languages = {k: v for k, v in timings.items() if k.startswith("sitemap-")}
    slowest = max(languages, key=lambda k: languages[k]["median_ms"])
    return languages[slowest]["median_ms"], slowest


def bounds(run: dict) -> list[tuple[bool, str]]:
    points = run["points"]
    first, last = points[0], points[-1]
    checks = []
    for mode in ("cached", "uncached"):
        worst: tuple[float, str, str] = (0.0, "", "")
        for name, timing in last[mode]["timings"].items():
            if not name.startswith("sitemap"):
                continue
            base, base_name = sitemap_baseline(first, name, mode)
            found = timing["median_ms"] / base
            if found > worst[0]:
                worst = (found, name, base_name)
        checks.append(
            (
                worst[0] <= SITEMAP_RATIO,
                f"every sitemap response ({mode}, median) ≤ {SITEMAP_RATIO}× from {column(first)} "
                f"to {column(last)}: largest {worst[0]:.2f}× ({worst[1]} against {worst[2]})",
            )
        )
    # A visitor's search: its results are kept per term, language and publish (pages.search),
    # so the same search again reads one page of results. The first search of a term after a
    # publish ranks every match, and grows with them: shown, with its ratio, not bounded.
    search = [by_name(p["public"])["search"]["db_ms"] for p in (first, last)]
    cold = [by_name(p["public"])["search"]["first_db_ms"] for p in (first, last)]
    checks.append(
        (
            search[1] / search[0] <= SEARCH_DB_RATIO,
            f"search ≤ {SEARCH_DB_RATIO}× in database time (a search whose results are kept, "
            f"in-process): {search[0]:.2f} ms → {search[1]:.2f} ms "
            f"({search[1] / search[0]:.2f}×); the first after a change, unbounded: "
            f"{cold[0]:.1f} ms → {cold[1]:.1f} ms ({cold[1] / cold[0]:.2f}×)",
        )
    )
    five, fifty = (last["staff"][f"explorer: {n} rows"]["queries"] for n in (5, 50))
    checks.append(
        (
            fifty / five <= EXPLORER_QUERY_RATIO,
            f"admin explorer ≤ {EXPLORER_QUERY_RATIO}× in queries at 50 rows against 5 "
            f"({column(last)}): {five} → {fifty} ({fifty / five:.2f}×)",
        )
    )
    publish = "publish (clinical review approval)"
    most = max(points, key=lambda p: (p["languages"], p["n"]))
    same_n = [p for p in points if p["n"] == most["n"]]
    fewest = min(same_n, key=lambda p: p["languages"])
    seconds = most["staff"][publish]["ms"] / 1000
    checks.append(
        (
            seconds <= PUBLISH_SECONDS,
            f"publishing an English page with its "
            f"{most['staff']['_translations_of_published_page']} translations, the editor's "
            f"request ≤ {PUBLISH_SECONDS:.0f} s at {column(most)}: {seconds:.2f} s",
        )
    )
    if fewest is not most:
        queries = (fewest["staff"][publish]["queries"], most["staff"][publish]["queries"])
        checks.append(
            (
                queries[1] <= queries[0],
                f"publishing: queries independent of L ({column(fewest)} → {column(most)}): "
                f"{queries[0]} → {queries[1]}",
            )
        )
    # Each server against itself: the cached one renders a page once per generation, the
    # uncached one on every request, and their workers grow apart.
    for mode in ("cached", "uncached"):
        memory = [max(p[mode]["memory_kb"]) for p in (first, last)]
        checks.append(
            (
                memory[1] / memory[0] <= MEMORY_RATIO,
                f"memory per worker ≤ {MEMORY_RATIO}× ({mode} server, its largest worker's "
                f"VmRSS): {memory[0] / 1024:.0f} MB → {memory[1] / 1024:.0f} MB "
                f"({memory[1] / memory[0]:.2f}×)",
            )
        )
    if "working_day" in run:
        day = run["working_day"]
        checks.append(
            (
                day["hit_ratio"] >= HIT_RATIO and day["errors"] == 0,
                f"working day: ≥ {HIT_RATIO:.0%} of page views from the page cache: "
                f"{day['hit_ratio']:.1%} ({day['hit']:,} hits, {day['miss']:,} misses, "
                f"{day['other']:,} other, {day['errors']} errors, "
                f"{len(day['publications'])} publications)",
            )
        )
    return checks


def section(run: dict, label: str) -> tuple[str, bool]:
    points = run["points"]
    machine_info = run["machine"]
    checks = bounds(run)
    parts = [
        f"## {label.capitalize()}",
        f"Run {machine_info['date']} on {run['commit']}: {machine_info['cpu']}, "
        f"{machine_info['cores']} cores, {machine_info['ram_gb']} GB RAM, Python "
        f"{machine_info['python']}, PostgreSQL {machine_info['postgresql']}; gunicorn with "
        f"{run['args']['workers']} sync workers, production settings. Total "
        f"{run['total_seconds'] / 60:.1f} min. The ratio is the last column's figure divided "
        "by the first's.",
        "### Bounds\n\n" + "\n".join(f"- {verdict(ok)}: {text}" for ok, text in checks),
    ]
    names = [name for name in sitemap_names(points) if not is_later_section(name)]
    for mode in ("cached", "uncached"):
        rows = []
        for name in names:
            rows.append(
                (
                    f"{name} (median)",
                    [dig(p, mode, "timings", name, "median_ms") for p in points],
                )
            )
            rows.append(
                (
                    f"{name} (first)",
                    [dig(p, mode, "timings", name, "first_ms") for p in points],
                )
            )
        rows.append(sections_row(points, "median", mode, "timings", "median_ms"))
        rows.append(sections_row(points, "first", mode, "timings", "first_ms"))
        parts.append(
            f"### Public pages over gunicorn, {mode}: ms\n\n"
            + figure_table("URL", points, rows)
            + (
                "\n\nX-Cache of the last request: "
                + ", ".join(
                    f"{name}: {points[-1][mode]['timings'][name]['x_cache'] or '—'}"
                    for name in points[-1][mode]["timings"]
                    if not name.startswith("sitemap")
                )
                + " (the sitemaps have a cache of their own: none)"
                if mode == "cached"
                else ""
            )
        )
    for key, unit in (("queries", "SQL queries"), ("db_ms", "database ms"), ("ms", "ms")):
        rows = [
            (
                f"{name} ({request})",
                [dig(p, "public", name, prefix + key) for p in points],
            )
            for name in names
            for request, prefix in (("first", "first_"), ("second", ""))
        ]
        rows.append(sections_row(points, "first", "public", "first_" + key))
        rows.append(sections_row(points, "second", "public", key))
        parts.append(
            f"### Public pages in-process, page cache off: {unit}\n\n"
            + figure_table("URL", points, rows)
        )
    staff_names = [k for k in points[0]["staff"] if not k.startswith("_")]
    for key, unit in (("ms", "ms"), ("queries", "SQL queries"), ("db_ms", "database ms")):
        rows = [(name, [dig(p, "staff", name, key) for p in points]) for name in staff_names]
        parts.append(f"### Staff paths: {unit}\n\n" + figure_table("path", points, rows))
    rows = [
        (
            f"{mode} worker {i + 1}",
            [p[mode]["memory_kb"][i] / 1024 for p in points],
        )
        for mode in ("cached", "uncached")
        for i in range(run["args"]["workers"])
    ]
    parts.append(
        "### Worker memory (VmRSS, MB) after every URL and a crawl of "
        f"{run['args']['crawl']} sitemap pages\n\n" + figure_table("worker", points, rows)
    )
    growth = "\n".join(
        f"| N={g['n']:,}, L={g['languages']} | {g['seconds']:.0f} | "
        + ", ".join(f"{k} {v:.0f} s" for k, v in g["timings"].items())
        + " | "
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(g["pages"].items()))
        + " |"
        for g in run["growth"]
    )
    parts.append(
        "### Growth and phases\n\n| step | seconds | of which | pages per language |\n"
        "|---|---|---|---|\n" + growth + f"\n\nSet-up (database, migrate, demo): "
        f"{run['setup_seconds']:.0f} s. Measuring: "
        + "; ".join(
            f"{column(p)}: " + ", ".join(f"{k} {v:.0f} s" for k, v in p["phases"].items())
            for p in points
        )
        + "."
    )
    if "working_day" in run:
        day = run["working_day"]
        parts.append(
            "### Working day\n\n"
            f"{day['visits']:,} page views at {day['rate']}/s for {day['seconds']} s over "
            f"{day['browsing_set']} pages drawn from the sitemaps (popularity 1/rank) after each "
            f"was visited once (left out, as the cache never stores them: "
            f"{', '.join(day['never_cached']) or 'none'}); "
            f"meanwhile the editor published {len(day['publications'])} pages, one every "
            f"{run['args']['publish_every']} s (median {day['publish_median_ms']:.0f} ms each, "
            f"in its own process). **Hit ratio {day['hit_ratio']:.1%}** ({day['hit']:,} hits, "
            f"{day['miss']:,} misses, {day['other']:,} without X-Cache, {day['errors']} errors)."
        )
    return "\n\n".join(parts) + "\n", all(ok for ok, _ in checks)


INTRO = """\
# Scale benchmark: results

`make bench-scale` (`.venv/bin/python -m bench.scale`; bench/README.md says what it does and
how to read it). One section per `--label`: **before** (the code before the fixes of issue 22)
and **after**, each rewritten by its own run. Raw figures: bench/scale-before.json and
bench/scale-after.json.
"""


def write_markdown(path: Path, label: str, text: str) -> None:
    """(Re)write the section of ``label``, keeping the other."""
    sections = {}
    if path.exists():
        found = re.split(r"^## (Before|After)\n", path.read_text(), flags=re.MULTILINE)
        for name, body in zip(found[1::2], found[2::2], strict=True):
            sections[name.lower()] = f"## {name}\n{body}"
    sections[label] = text
    path.write_text(INTRO + "\n" + "\n".join(sections[name] for name in LABELS if name in sections))


def git_commit() -> str:
    return f"commit {measured_commit()}"


# --- main ------------------------------------------------------------------------------------


def numbers(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", choices=LABELS, default="after", help="section written")
    parser.add_argument("--sizes", type=numbers, default=[10, 100, 1000], help="N, e.g. 10,100")
    parser.add_argument(
        "--languages", type=numbers, default=[3, 10], help="L: 3, or 3,10 (10 at the largest N)"
    )
    parser.add_argument("--repeat", type=int, default=9, help="requests per URL after the first")
    parser.add_argument(
        "--sitemap-repeat", type=int, default=25, help="requests per sitemap file after the first"
    )
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per URL, after 3")
    parser.add_argument("--crawl", type=int, default=200, help="sitemap pages crawled per server")
    parser.add_argument("--browsing-set", type=int, default=300)
    parser.add_argument("--replay-rate", type=float, default=20.0, help="page views a second")
    parser.add_argument("--replay-seconds", type=int, default=150, help="0: no working day")
    parser.add_argument("--publish-every", type=float, default=10.0, help="seconds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--database", default="bench_scale", help="PostgreSQL database, recreated")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12", help="flushed")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--from-json",
        type=Path,
        help="write the report of a saved run (bench/scale-LABEL.json) without running",
    )
    args = parser.parse_args(argv)
    if not args.sizes or max(args.sizes) > 5000 or min(args.sizes) < 1:
        parser.error("--sizes: 1 to 5,000 pages of each kind.")
    if not set(args.languages) <= {3, 10}:
        parser.error("--languages: 3, or 3,10.")
    repeats = (args.repeat, args.sitemap_repeat)
    if not (all(1 <= n <= 100 for n in repeats) and 0 <= args.replay_seconds <= 600):
        parser.error(
            "--repeat and --sitemap-repeat 1–100, --replay-seconds 0–600: the run stays bounded."
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        return report(json.loads(args.from_json.read_text()), args)
    try:
        require_tools("psql")
        if importlib.util.find_spec("gunicorn") is None:
            raise BenchError(
                'gunicorn is not installed: .venv/bin/pip install -c requirements.lock ".[bench]"'
            )
        run = benchmark(args)
    except (BenchError, subprocess.TimeoutExpired) as error:
        log(f"The benchmark could not run: {error}")
        return 2
    run["machine"] = machine()
    run["commit"] = git_commit()
    run["args"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    (args.output.parent / f"scale-{args.label}.json").write_text(
        json.dumps(run, indent=2, default=str)
    )
    return report(run, args)


def report(run: dict, args: argparse.Namespace) -> int:
    """Print the run's section, (re)write it in the results, and say whether every bound
    passed."""
    text, passed = section(run, args.label)
    print(text)
    write_markdown(args.output, args.label, text)
    log(f"Written to {args.output} in {run['total_seconds'] / 60:.1f} min.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
