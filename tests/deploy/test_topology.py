"""The shipped production topology, running: deploy/nginx/clinic.conf over TLS in front of two
gunicorn instances (deploy/gunicorn.conf.py, production settings), the notification worker,
PostgreSQL and Redis, all on loopback (tests/deploy/topology.py). What a clinic gets when it
installs the files in deploy/ as they are.

One test runs every check, each a function named for what a visitor, an editor or an operator
would notice if it broke, and reports every check that failed, not only the first. One test
rather than one per check because the topology takes most of a minute to start (migrate), and
pytest-xdist's ``--dist load`` (make test) would start it again on every worker that got one of
them. (Its ``xdist_group`` does not work with pytest 9.2: the group is never formed.)"""

import json
import socket
import threading
import time
import traceback
from collections.abc import Callable

from bench.topology import PYTHON, free_udp_port
from tests.deploy.topology import HOST_NAME, LOOPBACK, REFERENCE, Topology


def pages_are_served_over_https_compressed(topology: Topology):
    visitor = topology.visitor()
    answer = visitor.get(topology.pages["home"], Accept_Encoding="gzip")

    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Meridian Facial Nerve Center" in answer.text
    # The site knows the request came over HTTPS (X-Forwarded-Proto): it sends HSTS.
    assert "max-age=" in answer.headers["Strict-Transport-Security"]
    with (
        socket.create_connection((LOOPBACK, topology.ports.https)) as raw,
        topology.client_tls.wrap_socket(raw, server_hostname=HOST_NAME) as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def plain_http_redirects_to_https_but_the_health_check_answers(topology: Topology):
    visitor = topology.visitor()

    redirect = visitor.send("GET", "/en/about/?q=1", tls=False)
    health = visitor.send("GET", "/healthz", tls=False)
    # A load balancer asks by address, not by name.
    by_address = visitor.send("GET", "/healthz", {"Host": LOOPBACK}, tls=False)

    assert redirect.status == 301
    assert redirect.headers["Location"] == f"https://{HOST_NAME}/en/about/?q=1"
    assert (health.status, health.text) == (200, "ok\n")
    assert (by_address.status, by_address.text) == (200, "ok\n")


def static_files_come_from_nginx_compressed_and_cached_for_a_year(topology: Topology):
    manifest = json.loads((topology.paths.static / "staticfiles.json").read_text())
    hashed = next(name for source, name in manifest["paths"].items() if source.endswith(".css"))
    visitor = topology.visitor()

    answer = visitor.get(f"/static/{hashed}", Accept_Encoding="gzip")

    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "/static/" not in topology.app_log(1) + topology.app_log(2)


def uploaded_files_are_served_as_data_that_cannot_run_scripts(topology: Topology):
    planted = topology.paths.media / "original_images" / "planted.html"
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text("<script>alert(document.cookie)</script>")
    private = topology.paths.media / "documents" / "results.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.4 private")
    visitor = topology.visitor()

    image = visitor.get(topology.pages["image"])
    html = visitor.get("/media/original_images/planted.html")
    document = visitor.get("/media/documents/results.pdf")

    assert image.status == 200
    assert image.headers["Content-Type"].startswith("image/")
    assert "max-age=" in image.headers["Cache-Control"]
    for answer in (image, html):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert html.headers["Content-Type"] == "application/octet-stream"
    # Documents go through the site, which checks their privacy.
    assert document.status == 404


def a_consultation_request_through_the_proxy_is_stored_once_and_announced(
    topology: Topology,
):
    visitor = topology.visitor("127.0.0.4")

    sent = visitor.send_consultation("stored-once")
    confirmation = visitor.get(sent.headers["Location"])

    assert sent.status == 302
    reference = REFERENCE.search(confirmation.text)[1]  # type: ignore[index]
    rows = topology.sql(
        "SELECT reference FROM appointments_consultationrequest WHERE message LIKE %s",
        "%stored-once%",
    )
    assert rows == [(reference,)]

    # The worker sends the intake team's e-mail (the console backend prints it to its log), then
    # records that it did.
    def announced() -> bool:
        return topology.sql(
            "SELECT notified_at IS NOT NULL FROM appointments_consultationrequest "
            "WHERE reference = %s",
            reference,
        ) == [(True,)]

    deadline = time.monotonic() + 15
    while not announced() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert announced()
    assert f"New consultation request #{reference}" in topology.worker_log()


def requests_are_shared_between_both_app_servers(topology: Topology):
    before = [topology.app_log(1).count("\n"), topology.app_log(2).count("\n")]
    visitor = topology.visitor()

    for _ in range(6):
        assert visitor.get(topology.pages["consultation"]).status == 200

    after = [topology.app_log(1).count("\n"), topology.app_log(2).count("\n")]
    assert after[0] > before[0]
    assert after[1] > before[1]


def each_visitor_address_has_its_own_rate_limit_whatever_it_forges(topology: Topology):
    limited = topology.visitor("127.0.0.2")
    other = topology.visitor("127.0.0.3")

    # Each request claims another address: were the header believed, none would be limited.
    accepted = [
        limited.send_consultation(f"limit-{n}", forwarded_for=f"203.0.113.{n}").status
        for n in range(1, 11)
    ]
    eleventh = limited.send_consultation("limit-11", forwarded_for="203.0.113.11")
    neighbour = other.send_consultation("limit-neighbour")

    assert accepted == [302] * 10
    assert eleventh.status == 429
    assert neighbour.status == 302


def slow_clients_are_held_by_nginx_and_the_health_check_stays_fast(topology: Topology):
    """Four connections that send one header line every 5 s: straight to gunicorn they would
    hold every sync worker; behind nginx the site never sees them until they are complete,
    and nginx gives up on them after client_header_timeout (10 s)."""
    closed_after: list[float] = []

    def slow_client(tls: bool) -> None:
        raw = socket.create_connection(
            (LOOPBACK, topology.ports.https if tls else topology.ports.http), timeout=5
        )
        sock: socket.socket = raw
        if tls:
            sock = topology.client_tls.wrap_socket(raw, server_hostname=HOST_NAME)
        started = time.monotonic()
        with sock:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST_NAME}\r\n".encode())
            for line in range(4):
                try:
                    sock.recv(1024)  # nginx answers (408) or closes: the client was cut off
                    break
                except TimeoutError:
                    sock.sendall(f"X-Slow-{line}: yes\r\n".encode())
                except OSError:
                    break
            closed_after.append(time.monotonic() - started)

    clients = [threading.Thread(target=slow_client, args=(n % 2 == 0,)) for n in range(4)]
    for client in clients:
        client.start()
    time.sleep(1)
    visitor = topology.visitor()
    health_seconds = []
    for _ in range(5):
        answer = visitor.send("GET", "/healthz", tls=False)
        assert answer.status == 200
        health_seconds.append(answer.seconds)
        page = visitor.get(topology.pages["standard"])
        assert page.status == 200
        time.sleep(1)
    for client in clients:
        client.join(timeout=30)

    assert max(health_seconds) < 1
    # Cut off by nginx after client_header_timeout, long before their headers were through.
    assert len(closed_after) == 4
    assert min(closed_after) > 9 and max(closed_after) < 12


def uploads_are_limited_by_size_except_in_the_admin(topology: Topology):
    visitor = topology.visitor()
    headers = {"Content-Type": "application/octet-stream", "Origin": topology.origin}

    form = visitor.send("POST", topology.pages["consultation"], headers, b"x" * 2_000_000)
    admin = visitor.send("POST", "/admin/login/", headers, b"x" * 5_000_000)

    assert form.status == 413
    # The site answers (no CSRF token), not nginx's size limit.
    assert admin.status == 403


def logs_keep_neither_query_strings_nor_referrers(topology: Topology):
    visitor = topology.visitor("127.0.9.7")

    visitor.get(
        "/en/search/?q=secret-condition",
        Referer="https://elsewhere.example/secret-ref",
        User_Agent="SecretBrowser/1.0",
    )

    # gunicorn and nginx write their log line once the answer is sent, so just after it
    # reached the visitor: wait for the line, then look at everything logged.
    deadline = time.monotonic() + 5
    while True:
        logs = topology.access_log() + topology.app_log(1) + topology.app_log(2)
        if logs.count("/en/search/") >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "/en/search/" in logs
    assert "secret-condition" not in logs
    assert "secret-ref" not in logs
    # Nor who it was: the address is cut to its network, and no user agent is kept.
    assert "127.0.9.0" in topology.access_log()
    assert "127.0.9.7" not in logs
    assert "SecretBrowser" not in logs


def a_page_the_site_keeps_private_is_never_served_from_the_proxy(topology: Topology):
    visitor = topology.visitor()

    answers = [visitor.get(topology.pages["consultation"]) for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 200]
    assert all(a.headers["X-Proxy-Cache"] != "HIT" for a in answers)


def visitors_opening_the_form_at_once_do_not_wait_for_one_another(topology: Topology):
    # The form is never stored by the proxy; a cache lock would still make each of these
    # visitors (no cookies yet) wait half a second behind the one before (10 of them: 4.5 s).
    durations: list[float] = []

    def open_form(number: int) -> None:
        visitor = topology.visitor(f"127.0.4.{number + 2}")
        answer = visitor.get(topology.pages["consultation"])
        assert answer.status == 200
        durations.append(answer.seconds)

    threads = [threading.Thread(target=open_form, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(durations) == 10
    assert max(durations) < 3, sorted(durations)


def the_purge_listener_only_purges(topology: Topology):
    assert topology.purge(topology.pages["standard"], method="GET") == 405
    # A page that is not in the cache: nothing to report.
    assert topology.purge("/en/not-cached/") == 200


def public_pages_are_served_by_the_proxy_but_never_to_staff(topology: Topology):
    visitor = topology.visitor()
    path = topology.pages["condition"]

    first = visitor.get(path)
    second = visitor.get(path)
    signed_in = visitor.get(path, Cookie="sessionid=staff-session")
    with_a_form_open = visitor.get(path, Cookie="csrftoken=token")

    assert "public" in first.headers["Cache-Control"]
    assert first.headers["X-Proxy-Cache"] == "MISS"
    assert second.headers["X-Proxy-Cache"] == "HIT"
    assert second.body == first.body
    assert signed_in.headers["X-Proxy-Cache"] == "BYPASS"
    assert with_a_form_open.headers["X-Proxy-Cache"] == "BYPASS"


def the_purge_listener_makes_the_proxy_forget_a_page(topology: Topology):
    visitor = topology.visitor()
    path = topology.pages["home"]
    visitor.get(path)
    assert visitor.get(path).headers["X-Proxy-Cache"] == "HIT"

    purged = topology.purge(path)

    assert purged == 200
    assert visitor.get(path).headers["X-Proxy-Cache"] == "MISS"


def publishing_a_page_takes_its_old_copy_out_of_the_proxy(topology: Topology):
    visitor = topology.visitor()
    path = topology.pages["standard"]
    visitor.get(path)
    assert visitor.get(path).headers["X-Proxy-Cache"] == "HIT"

    # As an editor publishes: the site purges the proxy (FRONTEND_CACHE_PURGE_URL) on commit.
    topology.run_site_module("tests.deploy.small_clinic", "publish", path)
    after = visitor.get(path)

    assert after.headers["X-Proxy-Cache"] == "MISS"


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def views_answered_by_the_proxy_are_reported_once_and_anonymously(topology: Topology):
    # The site counts the views it answers itself (MISS); nginx reports those it answers from
    # its cache (HIT), over syslog to the counter (core/proxy_views.py), and nothing more.
    path = topology.pages["condition"]
    assert topology.purge(path) == 200
    topology.view_reports(seconds=0.3)  # whatever earlier checks left
    visitor = topology.visitor("127.0.9.8")
    marked = {
        "User_Agent": BROWSER + " MarkerAgent/7",
        "Referer": "https://www.google.com/search?q=marker-referrer-query",
        "X_Forwarded_For": "198.51.100.77",
    }

    first = visitor.get(path, **marked)
    second = visitor.get(path, **marked)
    reports = topology.view_reports()

    assert (first.headers["X-Proxy-Cache"], second.headers["X-Proxy-Cache"]) == ("MISS", "HIT")
    assert len(reports) == 1, reports
    report = reports[0]
    assert "clinic_views:" in report
    assert json.loads(report[report.index("{") :]) == {
        "host": HOST_NAME,
        "path": path,
        "referrer": "www.google.com",
        "utm_source": "",
    }
    for marker in ("127.0.9", "198.51.100", "MarkerAgent", "Mozilla", "marker-referrer", "q="):
        assert marker not in report

    # A campaign's address: its own copy in the cache; utm_source and nothing else of the query.
    campaign = f"{path}?utm_source=newsletter&marker=query-7"
    answers = [visitor.get(campaign, User_Agent=BROWSER) for _ in range(2)]
    hits = [answer.headers["X-Proxy-Cache"] == "HIT" for answer in answers]
    reports = topology.view_reports()
    assert len(reports) == sum(hits), (hits, reports)
    for report in reports:
        assert json.loads(report[report.index("{") :])["utm_source"] == "newsletter"
        assert "marker" not in report and "query-7" not in report

    # Answered from the cache (or by the site) but not to be counted: none reported.
    not_counted = [
        visitor.get(path, User_Agent=BROWSER, Sec_GPC="1"),
        visitor.get(path, User_Agent="Mozilla/5.0 (compatible; Googlebot/2.1)"),
        visitor.get(path),  # no user agent at all
        visitor.get(path, User_Agent=BROWSER, Cookie="sessionid=staff-session"),
        visitor.send("HEAD", path, {"User-Agent": BROWSER}),
    ]
    assert [answer.headers["X-Proxy-Cache"] for answer in not_counted] == [
        "HIT",
        "HIT",
        "HIT",
        "BYPASS",
        "HIT",
    ]
    assert topology.view_reports() == []


def cached_and_uncached_views_are_each_counted_once(topology: Topology):
    # The whole way: the site counts the view it answers (MISS), nginx reports the one it
    # answers from its cache (HIT) to the counter as systemd runs it
    # (deploy/systemd/clinic-proxy-views.service), which writes its count when it is stopped.
    # Here the test passes nginx's lines on to it, having read them itself.
    path = topology.pages["standard"]
    assert topology.purge(path) == 200
    topology.view_reports(seconds=0.3)
    counter_port = free_udp_port()
    counter = topology.processes.start(
        "proxy-views",
        [PYTHON, "manage.py", "count_proxy_views", "--listen", f"{LOOPBACK}:{counter_port}"],
        {**topology.env, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 30
    while "Counting" not in topology.processes.log("proxy-views"):
        assert time.monotonic() < deadline and counter.poll() is None, "the counter did not start"
        time.sleep(0.1)
    visitor = topology.visitor()

    answers = [visitor.get(path, User_Agent=BROWSER) for _ in range(3)]
    reports = topology.view_reports()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as relay:
        for report in reports:
            relay.sendto(report.encode(), (LOOPBACK, counter_port))
    time.sleep(0.5)
    topology.processes.stop("proxy-views")

    assert [answer.headers["X-Proxy-Cache"] for answer in answers] == ["MISS", "HIT", "HIT"]
    assert len(reports) == 2
    assert counter.returncode == 0, topology.processes.log("proxy-views")
    # The site writes its counts every ANALYTICS_FLUSH_SECONDS (tests/deploy/topology.py).
    query = (
        "SELECT coalesce(sum(views), 0) FROM core_pageviewcount AS c "
        "JOIN wagtailcore_page AS p ON p.id = c.page_id "
        "WHERE p.url_path LIKE %s AND c.language = 'en' AND c.referrer = 'direct'"
    )
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 10
    while (views := topology.sql(query, f"%/{slug}/")[0][0]) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert views == 3


CHECKS: list[Callable[[Topology], None]] = [
    pages_are_served_over_https_compressed,
    plain_http_redirects_to_https_but_the_health_check_answers,
    static_files_come_from_nginx_compressed_and_cached_for_a_year,
    uploaded_files_are_served_as_data_that_cannot_run_scripts,
    a_consultation_request_through_the_proxy_is_stored_once_and_announced,
    requests_are_shared_between_both_app_servers,
    each_visitor_address_has_its_own_rate_limit_whatever_it_forges,
    slow_clients_are_held_by_nginx_and_the_health_check_stays_fast,
    uploads_are_limited_by_size_except_in_the_admin,
    logs_keep_neither_query_strings_nor_referrers,
    a_page_the_site_keeps_private_is_never_served_from_the_proxy,
    visitors_opening_the_form_at_once_do_not_wait_for_one_another,
    the_purge_listener_only_purges,
    public_pages_are_served_by_the_proxy_but_never_to_staff,
    the_purge_listener_makes_the_proxy_forget_a_page,
    publishing_a_page_takes_its_old_copy_out_of_the_proxy,
    views_answered_by_the_proxy_are_reported_once_and_anonymously,
    cached_and_uncached_views_are_each_counted_once,
]


def test_the_shipped_topology_serves_the_site_as_intended(topology: Topology):
    failed = []
    for check in CHECKS:
        try:
            check(topology)
        except Exception:
            failed.append(f"{check.__name__.replace('_', ' ')}:\n{traceback.format_exc()}")

    assert not failed, f"{len(failed)} of {len(CHECKS)} checks failed:\n\n" + "\n\n".join(failed)
