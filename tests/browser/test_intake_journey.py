"""A day at the front desk, in Chromium: the dashboard's "Requests to answer" panel leads to the
request that has waited longest; one member of the intake team takes it and writes a note, a
colleague adds another and marks the patient contacted; both notes stay in the timeline, and
the response-time report counts the answer."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from appointments.models import ConsultationRequest
from appointments.reports import monday_of
from appointments.timeline import NOTE
from tests.appointments.factories import ConsultationRequestFactory

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "front-desk-pass-123"
FIRST_NOTE = "Called at 9:10, no answer; left a voicemail."
SECOND_NOTE = "Patient called back; booked a consultation for Tuesday."


def intake_member(django_user_model, username: str, first: str, last: str):
    user = django_user_model.objects.create_user(
        username, f"{username}@clinic.example", PASSWORD, first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name="Intake staff"))
    return user


def test_the_front_desk_answers_the_patient_who_waited_longest(
    browser, live_site, live_server, django_user_model, screenshot_dir
):
    intake_member(django_user_model, "noor", "Noor", "Ashby")
    intake_member(django_user_model, "sam", "Sam", "Idris")
    now = timezone.now()
    oldest = ConsultationRequestFactory(full_name="José Ramírez")
    newer = ConsultationRequestFactory(full_name="Hannah Pike")
    ConsultationRequestFactory(full_name="Marc Dubois", status="closed")
    # Ten days: overdue whatever the day of the week; an hour: never.
    for request, age in ((oldest, timedelta(days=10)), (newer, timedelta(hours=1))):
        ConsultationRequest.objects.filter(pk=request.pk).update(created_at=now - age)
    errors: list[str] = []

    # Noor's dashboard says what waits, the oldest first.
    page = log_in(browser, live_server, "noor", PASSWORD)
    page.on("pageerror", lambda error: errors.append(str(error)))
    expect(page.get_by_role("link", name="Requests (2 new)")).to_be_visible()
    panel = page.locator("#requests-to-answer-section")
    expect(panel.get_by_role("link", name="2 new")).to_be_visible()
    expect(panel.get_by_role("link", name="1 overdue")).to_be_visible()
    first_row = panel.locator("tbody tr").first
    expect(first_row).to_contain_text(oldest.reference)
    expect(first_row).to_contain_text("Overdue")
    expect(first_row).to_contain_text(re.compile(r"1\W+week"))
    screenshot(page, screenshot_dir, "intake-dashboard-panel")

    # She opens it, takes it and writes what she did.
    first_row.get_by_role("link", name=f"#{oldest.reference}").click()
    page.wait_for_url(re.compile(rf"/admin/consultation_requests/edit/{oldest.pk}/$"))
    assert sorted(page.get_by_label("Assigned to").locator("option").all_inner_texts()) == [
        "---------",
        "Noor Ashby",
        "Sam Idris",
    ]
    page.get_by_label("Assigned to").select_option(label="Noor Ashby")
    page.get_by_label("Add a note").fill(FIRST_NOTE)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    page.close()

    # Sam finds it in the list among those assigned to anyone, adds his note and marks the
    # patient contacted.
    page = log_in(browser, live_server, "sam", PASSWORD)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.get_by_role("link", name="Requests (2 new)").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("José Ramírez")  # oldest new first
    expect(rows.first).to_contain_text("Noor Ashby")
    rows.first.get_by_role("link", name=oldest.reference).click()
    timeline = page.locator(".request-timeline")
    expect(timeline).to_contain_text(FIRST_NOTE)
    page.get_by_label("Add a note").fill(SECOND_NOTE)
    page.get_by_role("combobox", name="Status").select_option(label="Contacted")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    page.goto(f"{live_server.url}/admin/consultation_requests/edit/{oldest.pk}/")
    timeline = page.locator(".request-timeline")
    # Both notes, newest first, each with its author; the change of status; the assignment.
    expect(timeline).to_contain_text(SECOND_NOTE)
    expect(timeline).to_contain_text(FIRST_NOTE)
    text = timeline.inner_text()
    assert text.index(SECOND_NOTE) < text.index(FIRST_NOTE)
    expect(timeline).to_contain_text("Status: New → Contacted")
    expect(timeline).to_contain_text("Assigned to: — → Noor Ashby")
    screenshot(page, screenshot_dir, "intake-timeline")
    expect(page.get_by_role("link", name="Requests (1 new)")).to_be_visible()

    oldest.refresh_from_db()
    assert oldest.status == "contacted" and oldest.first_contact_at is not None
    assert list(
        ModelLogEntry.objects.filter(object_id=str(oldest.pk), action=NOTE)
        .order_by("pk")
        .values_list("user__username", "data__text")
    ) == [("noor", FIRST_NOTE), ("sam", SECOND_NOTE)]

    # The response-time report counts the answer in the week the patient wrote: one
    # received, none waiting, their wait as the median, not within the 24-hour target.
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Response times").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Response times")
    week = monday_of(timezone.localdate(oldest.created_at))
    wait = (oldest.first_contact_at - oldest.created_at).total_seconds() / 3600
    first_row_of_week = page.locator("tr.response-times__week").filter(
        has_text=date_format(week, "DATE_FORMAT")
    )
    expect(first_row_of_week).to_have_text(
        re.compile(rf"All requests\s+1\s+0\s+{wait:.1f}\s+{wait:.1f}\s+0%\s+\(0 of 1\)")
    )
    screenshot(page, screenshot_dir, "intake-response-times")
    page.close()
    assert errors == []
