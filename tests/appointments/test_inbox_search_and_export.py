"""Intake staff find a request however they type the name or the phone number, and its exports
read like the admin: labels in their language, people by name, times in the clinic's zone."""

import csv
import datetime
import importlib
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from wagtail.users.models import UserProfile

from appointments.local_times import with_time_zone
from appointments.models import ConsultationRequest
from appointments.search import normalise

from .factories import ConsultationRequestFactory
from .test_inbox import INDEX, user_in

pytestmark = pytest.mark.django_db

FILL_MIGRATION = importlib.import_module("appointments.migrations.0010_fill_search_columns")
CLINIC_ZONE = "America/New_York"
# 15:30 UTC on a winter day: 10:30 in New York (UTC-5), an hour no reader could mistake.
RECEIVED_UTC = datetime.datetime(2026, 1, 15, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clinic_in_new_york(settings):
    settings.TIME_ZONE = CLINIC_ZONE
    settings.PHONE_DEFAULT_REGION = "US"


@pytest.fixture
def intake_user(django_user_model):
    user = user_in(django_user_model, "Intake staff", "intake")
    user.first_name, user.last_name = "Noor", "Calloway"
    user.save()
    return user


@pytest.fixture
def spanish_intake_user(django_user_model):
    user = user_in(django_user_model, "Intake staff", "intake_es")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "es"
    # Their own time zone changes nothing in an export: every file is in the clinic's zone.
    profile.current_time_zone = "Europe/Madrid"
    profile.save()
    return user


@pytest.fixture
def people() -> dict[str, ConsultationRequest]:
    """Three visitors whose details the search has to see through."""
    return {
        "José Ruiz": ConsultationRequestFactory(
            full_name="José Ruiz", email="jr@example.org", phone="+12025550143"
        ),
        "JOSÉ MARTÍNEZ": ConsultationRequestFactory(
            full_name="JOSÉ MARTÍNEZ", email="jm@example.org", phone="+13125550100"
        ),
        "Ana Ruiz": ConsultationRequestFactory(
            full_name="Ana Ruiz", email="José.Ruiz@example.org", phone="+14155550188"
        ),
        "Rosa Delgado": ConsultationRequestFactory(
            full_name="Rosa Delgado", email="rosa@example.org", phone="+16175550177"
        ),
    }


def found(client, query: str, people: dict) -> set[str]:
    """The visitors (of ``people``) whose rows the inbox lists for ``query``."""
    content = client.get(reverse(INDEX), {"q": query}).content.decode()
    return {name for name in people if name in content}


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "as_compared"),
    [("  JOSÉ   Müller ", "jose muller"), ("Straße", "strasse"), ("Zoë\tİnce", "zoe ince")],
)
def test_search_ignores_case_accents_and_spacing(typed, as_compared):
    assert normalise(typed) == as_compared


@pytest.mark.parametrize("query", ["Jose", "jose", "JOSÉ", "josé"])
def test_a_name_is_found_without_its_accent_and_in_any_case(client, intake_user, people, query):
    client.force_login(intake_user)
    assert found(client, query, people) == {"José Ruiz", "JOSÉ MARTÍNEZ", "Ana Ruiz"}


def test_an_accented_email_address_is_found_without_its_accent(client, intake_user, people):
    client.force_login(intake_user)
    assert found(client, "jose.ruiz@", people) == {"Ana Ruiz"}


@pytest.mark.parametrize(
    "query", ["202 555 0143", "(202) 555-0143", "+1 202 555 0143", "202.555.0143", "5550143"]
)
def test_a_phone_number_is_found_however_it_is_punctuated(client, intake_user, people, query):
    client.force_login(intake_user)
    assert found(client, query, people) == {"José Ruiz"}


def test_three_digits_do_not_match_phone_numbers(client, intake_user, people):
    client.force_login(intake_user)
    # Every phone number above contains "555"; a name or an email address does not.
    assert found(client, "555", people) == set()
    assert found(client, "5550", people) == set(people)


def test_digits_in_an_email_address_do_not_match_phone_numbers(client, intake_user, people):
    client.force_login(intake_user)
    assert found(client, "nobody5550@example.org", people) == set()


def test_the_reference_is_still_found_in_any_case(client, intake_user, people):
    client.force_login(intake_user)
    reference = people["Rosa Delgado"].reference
    assert found(client, reference.lower(), people) == {"Rosa Delgado"}


def test_changing_only_the_name_keeps_the_search_in_step(client, intake_user, people):
    request = people["Rosa Delgado"]
    request.full_name = "Zoë Delgado"
    request.save(update_fields=["full_name"])
    client.force_login(intake_user)
    assert found(client, "zoe", {"Zoë Delgado": request}) == {"Zoë Delgado"}


def test_requests_stored_before_the_search_columns_are_found_after_the_migration(
    client, intake_user, people, monkeypatch
):
    # As migration 0009 left them: the columns exist, empty.
    ConsultationRequest.objects.update(search_text="", phone_digits="")
    client.force_login(intake_user)
    assert found(client, "jose", people) == set()
    # Small batches, so that the run crosses from one batch to the next.
    monkeypatch.setattr(FILL_MIGRATION, "BATCH_SIZE", 3)
    FILL_MIGRATION.fill_existing_requests(django_apps, SimpleNamespace(connection=connection))
    assert found(client, "jose", people) == {"José Ruiz", "JOSÉ MARTÍNEZ", "Ana Ruiz"}
    assert found(client, "(202) 555-0143", people) == {"José Ruiz"}


# --- exports -----------------------------------------------------------------------------------


@pytest.fixture
def exported_request(clinic_site, intake_user) -> ConsultationRequest:
    request = ConsultationRequestFactory(
        full_name="Rosa Delgado",
        phone="+12025550143",
        status=ConsultationRequest.Status.CONTACTED,
        preferred_language="es",
        preferred_contact_method=ConsultationRequest.ContactMethod.PHONE,
        best_time=ConsultationRequest.BestTime.MORNING,
        interpreter_needed=True,
        condition=clinic_site.condition,
        physician=clinic_site.physician,
        assignee=intake_user,
        message='=HYPERLINK("http://example.com/x","Click")',
    )
    ConsultationRequest.objects.filter(pk=request.pk).update(
        created_at=RECEIVED_UTC,
        consent_given_at=RECEIVED_UTC,
        first_contact_at=RECEIVED_UTC + datetime.timedelta(hours=2),
    )
    return request


@pytest.fixture
def foreign_request(clinic_site) -> ConsultationRequest:
    return ConsultationRequestFactory(full_name="Imogen Hale", phone="+442079460958")


def export(client, export_format: str) -> list[list]:
    """The exported spreadsheet as rows of cells (openpyxl's for XLSX), headings first."""
    response = client.get(reverse(INDEX), {"export": export_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return list(csv.reader(io.StringIO(body.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows()]


def text(cell):
    """A cell's value: an XLSX cell's, or the CSV's string itself."""
    return getattr(cell, "value", cell)


def as_dicts(rows: list[list], language: str = "en", cells: bool = False) -> dict[str, dict]:
    """Each exported request as {heading: value (or the XLSX cell itself)}, by full name."""
    headings = [text(cell) for cell in rows[0]]
    records = [
        dict(zip(headings, row if cells else map(text, row), strict=True)) for row in rows[1:]
    ]
    with translation.override(language):
        name = heading(ConsultationRequest, "full_name")
    return {text(record[name]): record for record in records}


def heading(model, field_name: str) -> str:
    return capfirst(str(model._meta.get_field(field_name).verbose_name))


def label(choice) -> str:
    return str(choice.label)


def expected_labels(language: str, request: ConsultationRequest) -> dict[str, str]:
    """What the export must say, read from the model in ``language`` (so that the test holds
    whatever the translators write)."""
    with translation.override(language):
        return {
            heading(ConsultationRequest, "status"): label(ConsultationRequest.Status.CONTACTED),
            heading(ConsultationRequest, "kind"): label(ConsultationRequest.Kind.CONSULTATION),
            heading(ConsultationRequest, "preferred_language"): str(
                dict(ConsultationRequest._meta.get_field("preferred_language").choices)["es"]
            ),
            heading(ConsultationRequest, "preferred_contact_method"): label(
                ConsultationRequest.ContactMethod.PHONE
            ),
            heading(ConsultationRequest, "best_time"): label(ConsultationRequest.BestTime.MORNING),
            heading(ConsultationRequest, "interpreter_needed"): translation.gettext("Yes"),
            heading(ConsultationRequest, "is_flagged"): translation.gettext("No"),
            heading(ConsultationRequest, "assignee"): "Noor Calloway",
            heading(ConsultationRequest, "condition"): request.condition.title,
            heading(ConsultationRequest, "physician"): request.physician.title,
        }


def time_heading(language: str, field_name: str) -> str:
    with translation.override(language):
        return with_time_zone(heading(ConsultationRequest, field_name), CLINIC_ZONE)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_show_labels_names_and_titles_not_codes(
    client, intake_user, exported_request, export_format
):
    client.force_login(intake_user)
    row = as_dicts(export(client, export_format))["Rosa Delgado"]
    expected = expected_labels("en", exported_request)
    assert {name: row[name] for name in expected} == expected
    assert row[heading(ConsultationRequest, "status")] != "contacted"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_spanish_speaking_member_of_staff_exports_in_spanish(
    client, spanish_intake_user, exported_request, export_format
):
    expected = expected_labels("es", exported_request)
    with translation.override("es"):
        # The translations this test relies on exist (locale/es): otherwise it proves nothing.
        assert label(ConsultationRequest.Status.CONTACTED) != "Contacted"
        assert translation.gettext("Yes") != "Yes"
    client.force_login(spanish_intake_user)
    row = as_dicts(export(client, export_format), language="es")["Rosa Delgado"]
    assert {name: row[name] for name in expected} == expected
    received = row[time_heading("es", "created_at")]
    assert received in ("2026-01-15 10:30:00", datetime.datetime(2026, 1, 15, 10, 30))


def test_csv_times_are_the_clinics_with_the_zone_in_the_heading(
    client, intake_user, exported_request
):
    client.force_login(intake_user)
    row = as_dicts(export(client, "csv"))["Rosa Delgado"]
    assert row[time_heading("en", "created_at")] == "2026-01-15 10:30:00"
    assert row[time_heading("en", "consent_given_at")] == "2026-01-15 10:30:00"
    assert row[time_heading("en", "first_contact_at")] == "2026-01-15 12:30:00"
    assert row[time_heading("en", "notified_at")] == ""
    assert time_heading("en", "created_at") == "Received (America/New_York)"


def test_xlsx_times_are_date_cells_in_the_clinics_time(client, intake_user, exported_request):
    client.force_login(intake_user)
    row = as_dicts(export(client, "xlsx"), cells=True)["Rosa Delgado"]
    received = row[time_heading("en", "created_at")]
    assert received.value == datetime.datetime(2026, 1, 15, 10, 30)
    assert received.is_date
    assert received.value.replace(tzinfo=ZoneInfo(CLINIC_ZONE)) == RECEIVED_UTC


def test_xlsx_phone_numbers_are_text_without_an_apostrophe(
    client, intake_user, exported_request, foreign_request
):
    client.force_login(intake_user)
    rows = as_dicts(export(client, "xlsx"), cells=True)
    phone = heading(ConsultationRequest, "phone")
    for name, written in [("Rosa Delgado", "(202) 555-0143"), ("Imogen Hale", "+44 20 7946 0958")]:
        cell = rows[name][phone]
        assert (cell.value, cell.data_type) == (written, "s"), name


def test_csv_phone_numbers_need_no_apostrophe_but_a_formula_in_a_message_gets_one(
    client, intake_user, exported_request, foreign_request
):
    client.force_login(intake_user)
    rows = as_dicts(export(client, "csv"))
    phone = heading(ConsultationRequest, "phone")
    assert rows["Rosa Delgado"][phone] == "(202) 555-0143"
    # Dialled from the US: 011, the country code, the number; no "+" for a spreadsheet to run.
    assert rows["Imogen Hale"][phone] == "011 44 20 7946 0958"
    message = rows["Rosa Delgado"][heading(ConsultationRequest, "message")]
    assert message == "'" + exported_request.message


# --- the inspect view --------------------------------------------------------------------------


def test_the_detail_shows_times_in_local_time_with_the_zone_named(
    client, intake_user, exported_request
):
    client.force_login(intake_user)
    url = reverse("consultation_requests:inspect", args=[exported_request.pk])
    content = client.get(url).content.decode()
    assert "Jan. 15, 2026, 10:30 a.m. (America/New_York)" in content
    assert "12:30 p.m. (America/New_York)" in content  # first contacted
    assert "3:30 p.m." not in content
