"""The intake team's inbox with 100,000 requests: ``make bench-inbox`` or
``.venv/bin/python -m bench.inbox``.

The target (from the issue): every page of the admin inbox answers in under 300 ms with 100,000
requests stored. This script

1. prepares the PostgreSQL database ``bench`` as bench/run.py does (fresh, migrated, the demo
   clinic loaded; ``--reuse-db`` keeps the one bench/run.py left and only migrates it);
2. replaces every request in it with 100,000 invented but realistic ones (three years of them,
   mostly closed, some flagged, some assigned), written with ``bulk_create`` in batches, then
   runs ANALYZE as autovacuum would;
3. signs in as a member of the "Intake staff" group with Django's test client and requests the
   first page, page 2000 (25 a page: from the 50,000th request), every filter of the inbox,
   every sortable column both ways, and a search by reference, by name, by a name typed
   without its accent and by a phone number written as people write it, several times each;
4. prints and writes to bench/inbox-results.md the median time and the SQL queries per request,
   with EXPLAIN ANALYZE of the slowest query of any URL slower than ``--explain-above`` ms.

It exits with 1 if any median is 300 ms or more (2 if it could not run). Times are measured in
the process, without a network or a web server: what the view, its queries and its template
cost."""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import (
    BenchError,
    BenchSite,
    check_services,
    log,
    manage,
    prepare_site,
    publish,
    verdict,
)

BENCH_DIR = Path(__file__).resolve().parent
REQUESTS = 100_000
BATCH_SIZE = 5_000
BUDGET_MS = 300
HOST = "127.0.0.1"
SEED = 20250101  # the same rows every run, so that runs compare


def words(text: str) -> list[str]:
    return text.split()


# Invented names: common first names with made-up family names. Some are written with their
# accents, as visitors write them, for the search that finds "José" when staff type "jose".
FIRST_NAMES = words(
    "Ana Bruno Carla Darío Elena Félix Greta Hugo Inés José Karin Luis Mara Nico Olga Pablo "
    "Rosa Sami Tara Uriel Vera Wim Xenia Yusuf Zoë Amaia Basile Chloé Dmitri Elio Fanny"
)
ACCENTED_NAME = "José"
SURNAME_STARTS = words("Al Bran Cor Del Esk Fal Gor Hal Ister Jor Kel Lun Mor Nav Orl Pel Quen Ros")
SURNAME_ENDS = words("mont ova ard ezzo ingham ard-Vale quist era oni bury ecki elle ando wick")
MESSAGES = (
    "My left eye closes when I smile.",
    "Half of my face stopped moving three weeks ago.",
    "Tightness in my cheek after Bell's palsy last year.",
    "I would like to know whether surgery could help me.",
    "My daughter cannot close her eye fully.",
    "Botulinum toxin helped before; I would like to continue.",
    "",
)


# --- the 100,000 requests --------------------------------------------------------------------


def weighted(rng: random.Random, choices: dict[str, float]) -> str:
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def status_for(rng: random.Random, age: datetime.timedelta) -> str:
    """Recent requests are still being worked on; older ones are mostly closed."""
    if age < datetime.timedelta(days=7):
        return weighted(rng, {"new": 50, "contacted": 30, "scheduled": 15, "spam": 5})
    if age < datetime.timedelta(days=60):
        return weighted(rng, {"contacted": 15, "scheduled": 45, "closed": 30, "spam": 10})
    return weighted(rng, {"scheduled": 3, "closed": 85, "spam": 12})


def unique_references(rng: random.Random, count: int) -> list[str]:
    """References drawn as the site draws them, without the rare clashes (expected a few in
    100,000) that the site handles by drawing again."""
    from appointments.models.requests import REFERENCE_ALPHABET, REFERENCE_LENGTH

    references: set[str] = set()
    while len(references) < count:
        references.add("".join(rng.choices(REFERENCE_ALPHABET, k=REFERENCE_LENGTH)))
    shuffled = sorted(references)
    rng.shuffle(shuffled)
    return shuffled


def first_contact(
    rng: random.Random, status: str, created_at: datetime.datetime, now: datetime.datetime
) -> datetime.datetime | None:
    """When a request that left "new" (spam aside) was first contacted: mostly within a day,
    some after a weekend or longer; never after now."""
    if status in ("new", "spam"):
        return None
    low, high = rng.choices([(0.2, 8), (8, 30), (30, 120)], weights=[60, 30, 10])[0]
    return min(created_at + datetime.timedelta(hours=rng.uniform(low, high)), now)


def build_requests(count: int, staff: list, pages: dict) -> list:
    from appointments.models import ConsultationRequest as Request
    from appointments.search import fill_search_columns

    rng = random.Random(SEED)
    # First contacts have a generator of their own: the other columns stay as they were drawn
    # before the response-times report existed, so that runs still compare.
    contact_rng = random.Random(SEED + 1)
    now = datetime.datetime.now(datetime.UTC)
    references = unique_references(rng, count)
    rows = []
    for reference in references:
        age = datetime.timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
        created_at = now - age
        language = weighted(rng, {"en": 70, "es": 25, "fr": 5})
        kind = weighted(rng, {"consultation": 92, "accessibility": 8})
        status = status_for(rng, age)
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)
        flags = rng.choices(["", "no_token", "fast_submit", "low_score"], [90, 5, 3, 2])[0]
        rows.append(
            Request(
                reference=reference,
                kind=kind,
                status=status,
                created_at=created_at,
                full_name=f"{first} {last}",
                email=f"{first}.{last}{rng.randrange(100)}@example.org".lower(),
                phone=f"+1202555{rng.randrange(100, 200):04d}",
                preferred_contact_method=weighted(rng, {"phone": 60, "email": 25, "either": 15}),
                best_time=weighted(rng, {"morning": 40, "afternoon": 30, "any": 30}),
                preferred_language=language,
                submitted_language=language,
                interpreter_needed=rng.random() < 0.05,
                condition=rng.choice([None, *pages["conditions"][language]]),
                physician=rng.choice([None, None, *pages["physicians"][language]]),
                symptom_onset=rng.choice(
                    [choice for choice, _label in Request.SymptomOnset.choices]
                ),
                patient_status=weighted(rng, {"new": 80, "returning": 20}),
                message=rng.choice(MESSAGES),
                consent_given_at=created_at,
                privacy_notice_version="page-12-revision-40",
                # bulk_create skips save(), which keeps is_flagged in step with flags.
                flags=flags,
                is_flagged=bool(flags),
                assignee=rng.choice(staff) if status != "new" and rng.random() < 0.7 else None,
                notified_at=created_at + datetime.timedelta(minutes=1),
                first_contact_at=first_contact(contact_rng, status, created_at, now),
            )
        )
    for row in rows:
        # bulk_create skips save(), which fills the columns the inbox's search reads.
        fill_search_columns(row)
    # Stored in the order they arrived, as on the site: ids and the table's physical order
    # follow created_at, which an index scan in that order benefits from.
    rows.sort(key=lambda row: row.created_at)
    return rows


def intake_staff() -> list:
    """Five members of the intake team (invented names), the first of whom signs in."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Intake staff")
    people = [("Noor", "Calloway"), ("Ines", "Marwick"), ("Tomas", "Ferrand"), ("Ada", "Quell")]
    people.append(("Rui", "Estoval"))
    staff = []
    for first, last in people:
        user, _created = get_user_model().objects.get_or_create(
            username=f"{first}.{last}".lower(),
            defaults={"first_name": first, "last_name": last, "email": f"{first}@example.org"},
        )
        user.groups.add(group)
        staff.append(user)
    return staff


def live_pages() -> dict:
    from pages.models import ConditionPage, PhysicianPage

    def by_language(model) -> dict[str, list]:
        pages: dict[str, list] = {"en": [], "es": [], "fr": []}
        for page in model.objects.live().select_related("locale"):
            pages.setdefault(page.locale.language_code, []).append(page)
        return pages

    return {"conditions": by_language(ConditionPage), "physicians": by_language(PhysicianPage)}


def fill(count: int) -> list:
    from django.db import connection, transaction

    from appointments.models import ConsultationRequest

    staff = intake_staff()
    rows = build_requests(count, staff, live_pages())
    with transaction.atomic():
        ConsultationRequest.objects.all().delete()
        for start in range(0, len(rows), BATCH_SIZE):
            ConsultationRequest.objects.bulk_create(rows[start : start + BATCH_SIZE])
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: statistics for the planner, and the visibility
        # map that lets a count read an index alone.
        cursor.execute("VACUUM ANALYZE appointments_consultationrequest")
    return staff


# --- the URLs and their timings --------------------------------------------------------------


def inbox_urls() -> list[tuple[str, str]]:
    """(what, query string) for each view of the inbox the intake team can ask for."""
    from appointments.models import ConsultationRequest
    from appointments.views import ConsultationRequestFilterSet, ConsultationRequestViewSet

    month_ago = datetime.date.today() - datetime.timedelta(days=30)
    year_ago = month_ago - datetime.timedelta(days=365)
    some = ConsultationRequest.objects.order_by("pk")[500]
    condition = ConsultationRequest.objects.exclude(condition=None).first().condition_id
    physician = ConsultationRequest.objects.exclude(physician=None).first().physician_id
    # 25 requests a page: page 2000 starts at the 50,000th.
    urls = [("first page", {}), ("page 2000", {"p": 2000})]
    filters = {
        "status": [{"status": value} for value in ConsultationRequest.Status.values],
        "kind": [{"kind": value} for value in ConsultationRequest.Kind.values],
        "created_at": [
            {"created_at_from": month_ago.isoformat(), "created_at_to": ""},
            {"created_at_from": year_ago.isoformat(), "created_at_to": month_ago.isoformat()},
        ],
        "preferred_language": [{"preferred_language": "es"}, {"preferred_language": "fr"}],
        "condition": [{"condition": condition}],
        "physician": [{"physician": physician}],
        "is_flagged": [{"is_flagged": "true"}],
        "assigned": [{"assigned": "me"}, {"assigned": "nobody"}],
        "overdue": [{"overdue": "true"}, {"overdue": "false"}],
    }
    missing = set(ConsultationRequestFilterSet.base_filters) - set(filters)
    if missing:
        raise BenchError(f"The inbox has filters this benchmark does not try: {missing}")
    for variants in filters.values():
        urls += [(describe_filter(params), params) for params in variants]
    urls += [
        ("filter status=new, kind=consultation", {"status": "new", "kind": "consultation"}),
        (
            "filter status=closed, language=es, page 100",
            {"status": "closed", "preferred_language": "es", "p": 100},
        ),
        ("filter flagged, sort full_name", {"is_flagged": "true", "ordering": "full_name"}),
        ("filter mine and overdue", {"assigned": "me", "overdue": "true"}),
    ]
    for column in sortable_columns(ConsultationRequestViewSet):
        urls += [
            (f"sort {column}", {"ordering": column}),
            (f"sort -{column}", {"ordering": f"-{column}"}),
        ]
    urls += [
        ("sort full_name, page 2000", {"ordering": "full_name", "p": 2000}),
        ("search reference", {"q": some.reference}),
        ("search name", {"q": some.full_name.split()[-1]}),
        ("search name, page 2", {"q": some.full_name.split()[0], "p": 2}),
        # Under three letters a trigram index cannot help: the worst case of the search.
        ("search two letters", {"q": some.full_name[:2]}),
        ("search name without its accent", {"q": unaccented_name()}),
        ("search phone as written", {"q": written_phone(some.phone)}),
    ]
    return [(what, urlencode(params)) for what, params in urls]


def response_times_urls() -> list[tuple[str, str]]:
    """(what, query string) for the intake team's "Response times" report (Reports menu), as
    it opens (the last 12 weeks), filtered, and exported. Longer periods cost in proportion to
    their requests (appointments.reports): a year took 0.4 to 0.55 s, beyond the budget."""
    urls = [
        ("response times, last 12 weeks", {}),
        ("response times, kind=accessibility", {"kind": "accessibility"}),
        ("response times, language=es", {"preferred_language": "es"}),
        ("response times, XLSX export", {"export": "xlsx"}),
    ]
    return [(what, urlencode(params)) for what, params in urls]


def unaccented_name() -> str:
    """``ACCENTED_NAME`` as staff type it ("jose"), once the data is known to hold it."""
    from appointments.models import ConsultationRequest
    from appointments.search import normalise

    if not ConsultationRequest.objects.filter(full_name__startswith=ACCENTED_NAME).exists():
        raise BenchError(f"No request is from a {ACCENTED_NAME}: the accent search finds nothing.")
    return normalise(ACCENTED_NAME)


def written_phone(phone: str) -> str:
    """A stored number (E.164) as people write it: "(202) 555-0143"."""
    import phonenumbers
    from django.conf import settings

    number = phonenumbers.parse(phone, settings.PHONE_DEFAULT_REGION)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def describe_filter(params: dict) -> str:
    shown = ", ".join(f"{name}={value}" for name, value in params.items() if value != "")
    return f"filter {shown}"


def sortable_columns(viewset_class) -> list[str]:
    """The columns the inbox lets staff sort by, read from its index view."""
    from django.test import RequestFactory

    index_view = viewset_class().index_view
    view = index_view.view_class(**index_view.view_initkwargs)
    view.setup(RequestFactory().get("/"))
    return [column.sort_key for column in view.columns if column.sort_key]


@dataclass
class Timing:
    what: str
    query_string: str
    times_ms: list[float] = field(default_factory=list)
    queries: list = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def sql_ms(self) -> float:
        return sum(float(query["time"]) for query in self.queries) * 1000

    @property
    def slowest_select(self) -> dict | None:
        """The slowest SELECT (what EXPLAIN can be asked about), if there was one."""
        selects = [q for q in self.queries if q["sql"].lstrip().upper().startswith("SELECT")]
        return max(selects, key=lambda query: float(query["time"]), default=None)


def time_url(client, index: str, what: str, query_string: str, runs: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"{index}?{query_string}" if query_string else index
    timing = Timing(what, query_string)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # also the warm-up
    if response.status_code != 200:
        raise BenchError(f"{url} answered {response.status_code}.")
    timing.queries = queries.captured_queries
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        timing.times_ms.append((time.perf_counter() - started) * 1000)
    return timing


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(runs: int, staff) -> list[Timing]:
    from django.test import Client
    from django.urls import reverse

    # A server error is reported with the URL (and logged with its traceback), not raised.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    client.force_login(staff[0])
    # Intake staff sign in with a second factor in production (core.two_factor): the session
    # has given an authenticator's code, as django_otp.login records it.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=staff[0], name="Bench phone", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    index = reverse("consultation_requests:index")
    urls = [(index, what, query_string) for what, query_string in inbox_urls()]
    times = reverse("response_times")
    urls += [(times, what, query_string) for what, query_string in response_times_urls()]
    # The dashboard, with the intake team's "Requests to answer" panel.
    urls.append((reverse("wagtailadmin_home"), "dashboard (Requests to answer)", ""))
    timings = []
    for url, what, query_string in urls:
        timing = time_url(client, url, what, query_string, runs)
        log(
            f"  {timing.median_ms:6.0f} ms {len(timing.queries):3} queries "
            f"{timing.sql_ms:5.0f} ms SQL  {what}"
        )
        timings.append(timing)
    return timings


# --- the report ------------------------------------------------------------------------------


def report(timings: list[Timing], runs: int, explain_above: float) -> tuple[str, bool]:
    from django.db import connection

    from appointments.models import ConsultationRequest

    over = [t for t in timings if t.median_ms >= BUDGET_MS]
    lines = [
        "# Admin inbox with 100,000 requests: latest results",
        f"Run {datetime.date.today().isoformat()}, {os.cpu_count()} CPU cores, PostgreSQL "
        f"{connection.pg_version // 10000}: {ConsultationRequest.objects.count():,} requests; an "
        f"intake staff member's GET of each inbox URL through Django's test client (no network),"
        f" median of {runs} runs after one warm-up.",
        "| what | query string | median ms | max ms | SQL queries | SQL ms |\n"
        "|---|---|---|---|---|---|",
    ]
    lines[-1] += "".join(
        f"\n| {t.what} | `{t.query_string or '—'}` | {t.median_ms:.0f} | {max(t.times_ms):.0f} "
        f"| {len(t.queries)} | {t.sql_ms:.0f} |"
        for t in timings
    )
    slowest = max(timings, key=lambda t: t.median_ms)
    lines.append(
        f"{verdict(not over)}: every inbox URL under {BUDGET_MS} ms (slowest: {slowest.what}, "
        f"{slowest.median_ms:.0f} ms)"
        + (f"; over budget: {', '.join(t.what for t in over)}" if over else "")
    )
    for timing in timings:
        if timing.median_ms >= explain_above:
            query = timing.slowest_select
            if query is None:
                continue
            plan = explain(query["sql"])
            lines.append(
                f"### {timing.what}: slowest SELECT ({float(query['time']) * 1000:.0f} ms)\n\n"
                f"```\n{query['sql']}\n\n{plan}\n```"
            )
    return "\n\n".join(lines) + "\n", not over


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=REQUESTS, help="rows to create")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per URL")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database and demo")
    parser.add_argument("--database", default="bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument(
        "--explain-above", type=float, default=150, help="EXPLAIN URLs slower than this (ms)"
    )
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "inbox-results.md")
    args = parser.parse_args(argv)
    if not (1 <= args.runs <= 50 and 1 <= args.requests <= 1_000_000):
        parser.error("--runs must be 1–50 and --requests 1–1,000,000: the run stays bounded.")
    return args


def prepare(site: BenchSite, reuse_db: bool) -> None:
    if not reuse_db:
        prepare_site(site, log)
        return
    check_services(site)
    manage(site, "migrate", "--no-input")
    manage(site, "collectstatic", "--no-input", "--verbosity", "0")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clinic-inbox-") as workdir:
        site = BenchSite(Path(workdir), database=args.database, redis_url=args.redis_url)
        try:
            log(f"Preparing the database {site.database!r}:")
            prepare(site, args.reuse_db)
            # From here on this process is the site, with the benchmark's production settings.
            os.environ.update(site.env())
            import django

            django.setup()
            log(f"Creating {args.requests:,} requests…")
            staff = fill(args.requests)
            log(f"Timing the inbox ({time.monotonic() - started:.0f} s so far):")
            timings = measure(args.runs, staff)
        except BenchError as error:
            log(f"The inbox benchmark could not run: {error}")
            return 2
        text, passed = report(timings, args.runs, args.explain_above)
    publish(text, args.output, started)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
