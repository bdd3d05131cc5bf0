"""Consultation and accommodation requests record the page whose link the visitor followed, its
language and the kind of address the form was reached from, passed by the link and the form;
intake staff see it on the request, and marketing staff read "Where requests come from"."""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from appointments.models import ConsultationRequest
from appointments.source_report import SourceRow, default_period
from core.analytics import Referrer
from core.models import PageViewCount
from tests.factories.pages import HomePageFactory, StandardPageFactory

from .factories import ConsultationRequestFactory
from .helpers import consultation_data, html
from .test_accessibility_form import accessibility_data
from .test_inbox import user_in

pytestmark = pytest.mark.django_db

REPORT = "request_sources"
SEARCH_ENGINE = "https://www.google.com/search?q=synkinesis"


@pytest.fixture(autouse=True)
def campaigns(settings):
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["newsletter"]


def form_link(client, page, text: str) -> str:
    """The address of the link ``text`` on ``page``, as a visitor would follow it."""
    link = html(client.get(page.url)).find("a", string=text)
    assert link is not None, text
    return link["href"]


def hidden_values(response) -> dict[str, str]:
    """The form's hidden fields that carry the source, as the browser would post them."""
    form = html(response).find("form", attrs={"method": "post"})
    return {
        name: form.find("input", attrs={"name": name}).get("value", "")
        for name in ("from_page", "from_category")
    }


def send_consultation(
    client, address: str, full_name: str = "Rosa Delgado", **headers
) -> ConsultationRequest:
    """Open the form at ``address`` and send it: the request as stored."""
    shown = client.get(address, headers=headers)
    assert shown.status_code == 200
    path = urlsplit(address).path
    data = consultation_data(full_name=full_name, **hidden_values(shown))
    response = client.post(path, data)
    assert response.status_code == 302, response.content[:2000]
    return ConsultationRequest.objects.latest("created_at")


def spanish_copy(page: Page) -> Page:
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    spanish.title = f"{page.title} (es)"
    spanish.save_revision().publish()
    return spanish


# --- the link and the form ---------------------------------------------------------------------


def test_a_request_sent_from_a_condition_pages_button_records_that_page_its_language_and_site(
    client, clinic_site, consultation_page
):
    link = form_link(client, clinic_site.condition, "Schedule a consultation")
    assert parse_qs(urlsplit(link).query) == {"from": [str(clinic_site.condition.pk)]}

    stored = send_consultation(
        client, link, Referer=f"http://testserver{clinic_site.condition.url}"
    )

    assert stored.source_page_id == clinic_site.condition.pk
    assert stored.source_language == "en"
    assert stored.source_referrer == Referrer.SITE


def test_a_physician_card_and_profile_name_their_page_without_breaking_the_preselection(
    client, clinic_site, consultation_page
):
    physician = clinic_site.physician
    text = f"Request a consultation with {physician.display_name}"
    for page in (physician, clinic_site.condition):
        link = form_link(client, page, text)
        assert parse_qs(urlsplit(link).query)["from"] == [str(page.pk)]
        form = html(client.get(link))
        chosen = form.find("select", attrs={"name": "physician"}).find("option", selected=True)
        assert chosen["value"] == str(physician.pk)

    stored = send_consultation(client, link)
    assert stored.source_page_id == clinic_site.condition.pk


def test_an_accommodation_request_from_the_footer_link_records_the_page_it_was_on(
    client, clinic_site
):
    link = form_link(client, clinic_site.treatment, "Accessibility statement")
    assert parse_qs(urlsplit(link).query) == {"from": [str(clinic_site.treatment.pk)]}
    shown = client.get(link)
    response = client.post(
        clinic_site.accessibility.url, accessibility_data(**hidden_values(shown))
    )
    assert response.status_code == 302

    stored = ConsultationRequest.objects.get()
    assert stored.kind == ConsultationRequest.Kind.ACCESSIBILITY
    assert stored.source_page_id == clinic_site.treatment.pk
    assert stored.source_language == "en"
    assert stored.source_referrer == Referrer.SITE


def test_a_spanish_pages_button_records_spanish(client, clinic_site, consultation_page):
    spanish = spanish_copy(clinic_site.condition)

    stored = send_consultation(client, f"{consultation_page.url}?from={spanish.pk}")

    assert stored.source_page_id == spanish.pk
    assert stored.source_language == "es"


@pytest.fixture
def another_site(clinic_site) -> Page:
    """A page of another site served by the same installation."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, title="Another clinic", slug="another")
    Site.objects.create(hostname="another.example", root_page=home)
    return StandardPageFactory(parent=home, title="Their page")


@pytest.mark.parametrize(
    "query",
    [
        "from=another-site",
        "from=draft",
        "from=junk",
        "from=1%27%20OR%201%3D1--",
        "from=99999999999999999999999999",
        "from=999999999999999999",
        "from=-3",
        "from=condition&from=condition",
        "from=" + "7" * 5000,
        "from=%00",
    ],
)
def test_a_source_the_form_cannot_accept_is_ignored_and_the_request_is_stored(
    client, clinic_site, consultation_page, another_site, query
):
    draft = StandardPageFactory(
        parent=clinic_site.home, title="Unpublished", slug="unpublished", live=False
    )
    query = (
        query.replace("another-site", str(another_site.pk))
        .replace("draft", str(draft.pk))
        .replace("condition", str(clinic_site.condition.pk))
    )

    stored = send_consultation(client, f"{consultation_page.url}?{query}")

    assert stored.source_page is None
    assert stored.source_language == ""
    assert stored.source_referrer == Referrer.DIRECT


def test_made_up_hidden_values_are_ignored_and_the_request_is_stored(
    client, clinic_site, consultation_page, another_site
):
    response = client.post(
        consultation_page.url,
        consultation_data(from_page=str(another_site.pk), from_category="<script>"),
    )
    assert response.status_code == 302
    stored = ConsultationRequest.objects.get()
    assert (stored.source_page, stored.source_language, stored.source_referrer) == (None, "", "")


def test_a_search_engine_referrer_without_a_page_is_recorded_as_search(
    client, clinic_site, consultation_page
):
    stored = send_consultation(client, consultation_page.url, Referer=SEARCH_ENGINE)
    assert stored.source_page is None
    assert stored.source_referrer == Referrer.SEARCH


def test_an_allowlisted_utm_source_is_recorded_as_a_campaign(
    client, clinic_site, consultation_page
):
    stored = send_consultation(client, f"{consultation_page.url}?utm_source=newsletter")
    assert stored.source_referrer == Referrer.CAMPAIGN
    other = send_consultation(
        client,
        f"{consultation_page.url}?utm_source=spammer",
        full_name="Ana Ruiz",
        Referer=SEARCH_ENGINE,
    )
    assert other.source_referrer == Referrer.SEARCH


def test_the_form_still_shows_errors_and_keeps_the_source_until_it_is_sent(
    client, clinic_site, consultation_page
):
    shown = client.get(f"{consultation_page.url}?from={clinic_site.condition.pk}")
    carried = hidden_values(shown)
    failed = client.post(consultation_page.url, consultation_data(full_name="", **carried))
    assert failed.status_code == 200 and not ConsultationRequest.objects.exists()
    assert hidden_values(failed) == carried

    response = client.post(consultation_page.url, consultation_data(**hidden_values(failed)))
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().source_page_id == clinic_site.condition.pk


def test_nothing_else_about_the_visitor_is_kept(client, clinic_site, consultation_page):
    stored = send_consultation(
        client,
        f"{consultation_page.url}?from={clinic_site.condition.pk}&utm_source=marker-utm",
        Referer="https://marker-referrer.example/path?marker-query",
    )
    values = " ".join(str(value) for value in vars(stored).values())
    for marker in ("marker-utm", "marker-referrer", "marker-query"):
        assert marker not in values


# --- intake sees it ----------------------------------------------------------------------------


@pytest.fixture
def intake_user(django_user_model):
    return user_in(django_user_model, "Intake staff", "intake")


def test_intake_sees_where_a_request_came_from_in_its_detail_and_edit_views(
    client, clinic_site, intake_user
):
    spanish = spanish_copy(clinic_site.condition)
    request = ConsultationRequestFactory(
        source_page=spanish, source_language="es", source_referrer=Referrer.SEARCH
    )
    plain = ConsultationRequestFactory()
    client.force_login(intake_user)
    expected = f"Came from {spanish.title} (Spanish) · A search engine"
    for view in ("inspect", "edit"):
        page = html(client.get(reverse(f"consultation_requests:{view}", args=[request.pk])))
        text = " ".join(page.get_text(" ").split())
        assert expected.replace("Came from ", "") in text
        assert "Came from" in text
    page = html(client.get(reverse("consultation_requests:inspect", args=[plain.pk])))
    assert "No page recorded" in page.get_text()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_inbox_export_has_the_source_columns(client, clinic_site, intake_user, export_format):
    ConsultationRequestFactory(
        full_name="Rosa Delgado",
        source_page=clinic_site.condition,
        source_language="en",
        source_referrer=Referrer.SITE,
    )
    client.force_login(intake_user)
    response = client.get(reverse("consultation_requests:index"), {"export": export_format})
    assert response.status_code == 200
    rows = spreadsheet(response, export_format)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Came from page"] == "Synkinesis"
    assert record["Language of that page"] == "English"
    assert record["Reached the form from"] == "This website"


# --- the report --------------------------------------------------------------------------------


def spreadsheet(response, export_format: str) -> list[list]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def marketing_client(client, django_user_model):
    client.force_login(user_in(django_user_model, "Marketing editors", "marketing"))
    return client


def received(days_ago: int, **fields) -> ConsultationRequest:
    request = ConsultationRequestFactory(**fields)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    ConsultationRequest.objects.filter(pk=request.pk).update(created_at=when)
    return request


def viewed(page: Page, language: str, views: int, days_ago: int = 1) -> None:
    PageViewCount.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        page=page,
        language=language,
        referrer=Referrer.SEARCH,
        views=views,
    )


@pytest.fixture
def sources(clinic_site):
    """Requests from the condition page in English and Spanish, the treatment page, and none."""
    spanish = spanish_copy(clinic_site.condition)
    condition, treatment = clinic_site.condition, clinic_site.treatment
    for _ in range(3):
        received(2, source_page=condition, source_language="en")
    received(3, source_page=condition, source_language="en", kind="accessibility")
    received(2, source_page=spanish, source_language="es")
    received(5, source_page=treatment, source_language="en")
    received(1, submitted_language="en")
    received(1, submitted_language="es")
    # Left out: spam, and a request older than the period.
    received(2, source_page=condition, source_language="en", status="spam")
    received(40, source_page=condition, source_language="en")
    viewed(condition, "en", 150)
    viewed(condition, "en", 50, days_ago=3)
    viewed(spanish, "es", 7)
    viewed(condition, "fr", 9)  # another language: never in the English row
    viewed(condition, "en", 1000, days_ago=45)  # outside the period
    return {"condition": condition, "spanish": spanish, "treatment": treatment}


def report_rows(client, **filters) -> list[dict[str, str]]:
    """The report's table as {column heading: cell text}."""
    response = client.get(reverse(REPORT), filters)
    assert response.status_code == 200
    table = html(response).select_one("#listing-results table")
    if table is None:
        return []
    headings = [" ".join(th.get_text(" ").split()) for th in table.find("thead").find_all("th")]
    return [
        dict(
            zip(
                headings,
                [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")],
                strict=True,
            )
        )
        for tr in table.find("tbody").find_all("tr")
    ]


def test_the_report_counts_requests_per_page_and_language_beside_the_pages_views(
    marketing_client, sources
):
    rows = report_rows(marketing_client)
    summary = [
        (
            row["Page"],
            row["Language"],
            row["Consultation requests"],
            row["Accommodation requests"],
            row["Views"],
            row["Requests per 100 views"],
        )
        for row in rows
    ]
    assert summary == [
        ("Synkinesis", "English", "3", "1", "200", "2.0 %"),
        # As many requests: by title.
        ("Botulinum toxin injections", "English", "1", "0", "0", "—"),
        (sources["spanish"].title, "Spanish", "1", "0", "7", "14.3 %"),
        ("No page recorded", "English", "1", "0", "0", "—"),
        ("No page recorded", "Spanish", "1", "0", "0", "—"),
    ]
    assert rows[0]["Page type"] == "Condition page"


def test_the_report_filters_by_date_language_and_page_type(marketing_client, sources):
    today = timezone.localdate()
    last_days = report_rows(
        marketing_client,
        created_at_from=(today - datetime.timedelta(days=2)).isoformat(),
        created_at_to=today.isoformat(),
    )
    assert [(row["Page"], row["Consultation requests"], row["Views"]) for row in last_days] == [
        ("Synkinesis", "3", "150"),
        (sources["spanish"].title, "1", "7"),
        ("No page recorded", "1", "0"),
        ("No page recorded", "1", "0"),
    ]

    spanish = report_rows(marketing_client, language="es")
    assert [(row["Page"], row["Language"]) for row in spanish] == [
        (sources["spanish"].title, "Spanish"),
        ("No page recorded", "Spanish"),
    ]

    treatments = ContentType.objects.get_for_model(sources["treatment"].specific_class)
    by_type = report_rows(marketing_client, page_type=treatments.pk)
    assert [row["Page"] for row in by_type] == ["Botulinum toxin injections"]


def test_by_default_the_report_shows_the_last_30_days():
    start, end = default_period(datetime.date(2026, 3, 31))
    assert (start, end) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 31))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_report_exports_its_rows(marketing_client, sources, export_format):
    response = marketing_client.get(reverse(REPORT), {"export": export_format})
    assert response.status_code == 200
    rows = spreadsheet(response, export_format)
    assert rows[0] == [
        "Page",
        "Page type",
        "Language",
        "Consultation requests",
        "Accommodation requests",
        "Views",
        "Requests per 100 views",
    ]
    first = [str(value) for value in rows[1]]
    assert first[:6] == ["Synkinesis", "Condition page", "English", "3", "1", "200"]
    assert float(first[6]) == 2.0
    assert len(rows) == 6


def test_the_report_is_for_marketing_editors_and_superusers_only(
    client, django_user_model, sources
):
    translator = user_in(django_user_model, "Translators (Spanish)", "translator")
    client.force_login(translator)
    assert client.get(reverse(REPORT)).status_code == 403
    assert client.get(reverse(REPORT), {"export": "csv"}).status_code == 403
    assert "Where requests come from" not in client.get("/admin/").content.decode()

    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    assert client.get(reverse(REPORT)).status_code == 200


def test_a_ratio_needs_views_and_a_page():
    assert SourceRow(page=None, language="en", consultations=3, views=10).ratio_display == "—"
