"""The intake team's day in the inbox: who a request can be assigned to, a timeline that keeps
every note, change, view and e-mail, what is new or late, bulk actions, and accommodation
requests that reach the accessibility manager."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appointments.models import ConsultationRequest
from appointments.tasks import notify_intake
from appointments.timeline import CHANGE, VIEW, record_changes, stored_value, timeline
from appointments.triage import overdue_cutoff
from core.models import ClinicSettings

from .factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

INDEX = "consultation_requests:index"
MANAGER_EMAIL = "access@clinic.example"


def member(django_user_model, username: str, group: str | None = "Intake staff", **extra):
    user = django_user_model.objects.create_user(
        username, extra.pop("email", f"{username}@clinic.example"), "pw", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def edit_url(request) -> str:
    return reverse("consultation_requests:edit", args=[request.pk])


def entries(request, action: str | None = None):
    found = ModelLogEntry.objects.filter(object_id=str(request.pk)).order_by("pk")
    return found.filter(action=action) if action else found


@pytest.fixture
def intake(django_user_model):
    return member(django_user_model, "noor", first_name="Noor", last_name="Ashby")


@pytest.fixture
def colleague(django_user_model):
    return member(django_user_model, "sam", first_name="Sam", last_name="Idris")


@pytest.fixture
def manager(django_user_model, clinic_site):
    settings = ClinicSettings.for_site(clinic_site.site)
    settings.accessibility_manager_email = MANAGER_EMAIL
    settings.save()
    return member(django_user_model, "dana", group=None, email=MANAGER_EMAIL, first_name="Dana")


def assignee_choices(client, request) -> set[str]:
    html = BeautifulSoup(client.get(edit_url(request)).content, "html.parser")
    return {
        option.get_text(strip=True)
        for option in html.select("select[name=assignee] option")
        if option.get("value")
    }


def name_in(row) -> str:
    """The full name cell of a row of the inbox (after the checkbox and the reference)."""
    return row.select("td")[2].get_text(" ", strip=True)


# Ownership.


def test_assign_offers_the_active_intake_staff_only(
    client, django_user_model, intake, colleague, admin_user, clinic_site
):
    member(django_user_model, "editor", group="Marketing editors", first_name="Eve")
    member(django_user_model, "gone", first_name="Gone", is_active=False)
    request = ConsultationRequestFactory()
    client.force_login(intake)
    assert assignee_choices(client, request) == {"Noor Ashby", "Sam Idris"}


def test_a_forged_assignment_to_someone_outside_intake_is_refused(
    client, django_user_model, intake, clinic_site
):
    editor = member(django_user_model, "editor", group="Marketing editors")
    request = ConsultationRequestFactory()
    client.force_login(intake)
    response = client.post(edit_url(request), {"status": "new", "assignee": str(editor.pk)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    request.refresh_from_db()
    assert request.assignee is None
    assert not entries(request, CHANGE).exists()


def test_the_accessibility_manager_is_offered_for_accommodation_requests_only(
    client, intake, manager
):
    client.force_login(intake)
    accommodation = ConsultationRequestFactory(kind="accessibility")
    consultation = ConsultationRequestFactory()
    assert assignee_choices(client, accommodation) == {"Noor Ashby", "Dana"}
    assert assignee_choices(client, consultation) == {"Noor Ashby"}


def test_assigning_someone_tells_them_by_email(
    client, intake, colleague, django_capture_on_commit_callbacks
):
    request = ConsultationRequestFactory(full_name="Rosa Delgado")
    client.force_login(intake)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(request), {"status": "new", "assignee": colleague.pk})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [colleague.email]
    assert request.reference in message.subject
    assert "Rosa" not in message.body  # no personal detail in e-mail
    assert [entry.data for entry in entries(request, "appointments.email")] == [{"to": "assignee"}]
    # Taking a request oneself sends nothing.
    mail.outbox.clear()
    other = ConsultationRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(other), {"status": "new", "assignee": intake.pk})
    assert mail.outbox == []


# The timeline.


def test_notes_are_appended_never_replaced(client, intake, colleague):
    request = ConsultationRequestFactory()
    client.force_login(intake)
    client.post(edit_url(request), {"status": "new", "note": "Left a voicemail."})
    client.force_login(colleague)
    # The form has no earlier notes to overwrite: only a box for a new one.
    html = BeautifulSoup(client.get(edit_url(request)).content, "html.parser")
    assert html.select_one("textarea[name=note]").get_text().strip() == ""
    client.post(edit_url(request), {"status": "contacted", "note": "Called back; booked."})

    notes = [(event.who, event.note) for event in timeline(request) if event.is_note]
    assert notes == [("Sam Idris", "Called back; booked."), ("Noor Ashby", "Left a voicemail.")]
    page = client.get(edit_url(request)).content.decode()
    assert "Left a voicemail." in page and "Called back; booked." in page
    # Staff have no way to change or delete an entry: the log has no view for it, and the
    # request's history is read-only.
    assert not any(name.startswith("wagtailadmin_logentr") for name in _url_names()), (
        "a log entry edit view exists"
    )


def _url_names() -> list[str]:
    from django.urls import get_resolver

    return [name for name in get_resolver().reverse_dict if isinstance(name, str)]


def test_opening_a_request_writes_one_view_entry(client, intake):
    request = ConsultationRequestFactory()
    client.force_login(intake)
    client.get(reverse("consultation_requests:inspect", args=[request.pk]))
    assert [(entry.action, entry.user) for entry in entries(request)] == [(VIEW, intake)]
    client.get(edit_url(request))
    assert entries(request, VIEW).count() == 2
    # The list does not count as opening one.
    client.get(reverse(INDEX))
    assert entries(request, VIEW).count() == 2


def test_changes_name_the_field_and_values_and_mask_contact_details(intake):
    request = ConsultationRequestFactory(phone="+12025550143", full_name="Rosa Delgado")
    fields = ["status", "phone", "full_name"]
    before = {name: stored_value(request, name) for name in fields}
    request.status = "contacted"
    request.phone = "+12025550199"
    request.full_name = "Rosa Delgado-Vega"
    request.save()
    entry = record_changes(request, before, intake)
    assert entry.data["changes"] == [
        {"field": "status", "old": "new", "new": "contacted"},
        {"field": "phone"},
        {"field": "full_name"},
    ]
    text = str(entry.message)
    assert text == "Status: New → Contacted; Phone changed; Full name changed"
    assert "0143" not in text and "0199" not in text and "Vega" not in text


def test_the_timeline_shows_everything_newest_first(
    client, intake, clinic_site, django_capture_on_commit_callbacks
):
    from appointments.models import IntakeSettings

    IntakeSettings.objects.update_or_create(
        site=clinic_site.site, defaults={"intake_email": "intake@clinic.example"}
    )
    request = ConsultationRequestFactory()
    notify_intake.call(request.pk)
    client.force_login(intake)
    client.post(edit_url(request), {"status": "contacted", "note": "Booked for Monday."})
    client.get(reverse(INDEX) + "?export=csv")
    html = BeautifulSoup(client.get(edit_url(request)).content, "html.parser")
    lines = [
        item.get_text(" ", strip=True)
        for item in html.select(".request-timeline__event .request-timeline__meta strong")
    ]
    assert lines == [
        "Opened",  # this very opening
        "Exported in a spreadsheet (CSV)",
        "Note",
        "Status: New → Contacted",
        "E-mail sent to the intake address",
        "Received from the website",
    ]
    assert "America/New_York" in html.select_one(".request-timeline").get_text()


# What is new or late.


def test_first_contact_is_stamped_once():
    request = ConsultationRequestFactory()
    assert request.first_contact_at is None
    request.status = "contacted"
    request.save()
    first = request.first_contact_at
    assert first is not None
    request.status = "scheduled"
    request.save()
    assert request.first_contact_at == first


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        # Wednesday 15:00 in New York: 24 working hours back is Tuesday 15:00.
        ("2026-12-02 15:00", "2026-12-01 15:00"),
        # Monday 15:00: the weekend does not count, so Friday 15:00.
        ("2026-11-30 15:00", "2026-11-27 15:00"),
        # Sunday noon: the working clock stopped at Friday midnight; Thursday midnight.
        ("2026-11-29 12:00", "2026-11-27 00:00"),
    ],
)
def test_overdue_counts_working_hours_in_the_clinics_time_zone(now, cutoff):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")

    def at(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone).astimezone(UTC)

    assert overdue_cutoff(at(now), 24) == at(cutoff)


def test_filters_mine_unassigned_and_overdue(client, intake, colleague):
    ConsultationRequestFactory(full_name="Mine Only", assignee=intake)
    ConsultationRequestFactory(full_name="Sams Only", assignee=colleague)
    ConsultationRequestFactory(full_name="Nobody Yet")
    late = ConsultationRequestFactory(full_name="Waiting Long")
    answered = ConsultationRequestFactory(full_name="Old But Answered", status="contacted")
    ConsultationRequest.objects.filter(pk__in=[late.pk, answered.pk]).update(
        created_at=timezone.now() - timedelta(days=7)
    )
    client.force_login(intake)

    def names(**params) -> set[str]:
        html = BeautifulSoup(client.get(reverse(INDEX), params).content, "html.parser")
        return {name_in(row).split(" ")[0] for row in html.select("tbody tr")}

    everyone = {"Mine", "Sams", "Nobody", "Waiting", "Old"}
    assert names() == everyone
    assert names(assigned="me") == {"Mine"}
    assert names(assigned="nobody") == {"Nobody", "Waiting", "Old"}
    assert names(overdue="true") == {"Waiting"}
    assert names(assigned="bogus") == everyone  # an unknown choice filters nothing


def test_the_list_puts_the_oldest_new_request_first_with_its_age(client, intake):
    now = timezone.now()
    for name, status, days in [
        ("Newest New", "new", 1),
        ("Oldest New", "new", 5),
        ("Recent Closed", "closed", 0),
        ("Ancient Closed", "closed", 30),
    ]:
        request = ConsultationRequestFactory(full_name=name, status=status)
        ConsultationRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(days=days)
        )
    client.force_login(intake)
    html = BeautifulSoup(client.get(reverse(INDEX)).content, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in html.select("tbody tr")]
    assert [name_in(row) for row in html.select("tbody tr")] == [
        "Oldest New",
        "Newest New",
        "Recent Closed",
        "Ancient Closed",
    ]
    assert "5 days ago" in rows[0].replace("\xa0", " ")


def test_the_menu_counts_the_new_requests(client, intake):
    ConsultationRequestFactory.create_batch(3)
    ConsultationRequestFactory(status="closed")
    client.force_login(intake)
    assert "Requests (3 new)" in client.get(reverse("wagtailadmin_home")).content.decode()


# Bulk actions.


def bulk_url(action: str, *requests) -> str:
    ids = "&".join(f"id={request.pk}" for request in requests)
    url = reverse("wagtail_bulk_action", args=["appointments", "consultationrequest", action])
    return f"{url}?next=/admin/requests/&{ids}"


def test_bulk_actions_write_one_entry_per_request(
    client, intake, colleague, django_capture_on_commit_callbacks
):
    requests = ConsultationRequestFactory.create_batch(3)
    untouched = ConsultationRequestFactory()
    client.force_login(intake)
    assert client.get(bulk_url("assign", *requests)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("assign", *requests), {"assignee": colleague.pk})
    assert response.status_code == 302
    assert ConsultationRequest.objects.filter(assignee=colleague).count() == 3
    assert len(mail.outbox) == 3
    client.post(bulk_url("set_status", *requests[:2]), {"status": "contacted"})
    client.post(bulk_url("mark_spam", requests[2]))
    for request in requests:
        request.refresh_from_db()
    assert [request.status for request in requests] == ["contacted", "contacted", "spam"]
    for request in requests:
        changes = entries(request, CHANGE)
        assert changes.count() == 2
        assert all(entry.data["bulk"] and entry.user == intake for entry in changes)
    assert not entries(untouched).exists()


def test_bulk_assign_refuses_someone_outside_intake(client, django_user_model, intake):
    editor = member(django_user_model, "editor", group="Marketing editors")
    request = ConsultationRequestFactory()
    client.force_login(intake)
    response = client.post(bulk_url("assign", request), {"assignee": editor.pk})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.assignee is None


def test_bulk_actions_change_nothing_for_staff_without_the_inbox(
    client, django_user_model, clinic_site
):
    editor = member(django_user_model, "editor", group="Marketing editors")
    request = ConsultationRequestFactory()
    client.force_login(editor)
    client.post(bulk_url("mark_spam", request))
    request.refresh_from_db()
    assert request.status == "new"


# Accommodation requests.


def test_an_accommodation_request_notifies_the_accessibility_manager(manager, clinic_site):
    from appointments.models import IntakeSettings

    IntakeSettings.objects.update_or_create(
        site=clinic_site.site, defaults={"intake_email": "intake@clinic.example"}
    )
    accommodation = ConsultationRequestFactory(kind="accessibility")
    consultation = ConsultationRequestFactory()
    notify_intake.call(accommodation.pk)
    notify_intake.call(consultation.pk)
    assert [message.to for message in mail.outbox] == [
        ["intake@clinic.example", MANAGER_EMAIL],
        ["intake@clinic.example"],
    ]
    assert [entry.data["to"] for entry in entries(accommodation, "appointments.email")] == [
        "intake",
        "accessibility_manager",
    ]


def test_an_accommodation_request_shows_only_what_it_asked(client, intake):
    request = ConsultationRequestFactory(
        kind="accessibility", contact_details="Text me at 202 555 0143", email="", phone=""
    )
    client.force_login(intake)
    for url in (reverse("consultation_requests:inspect", args=[request.pk]), edit_url(request)):
        page = client.get(url).content.decode()
        assert "Text me at 202 555 0143" in page
        for question in ("Best time to call", "Symptoms began", "Preferred contact method"):
            assert question not in page, (url, question)


def test_the_accessibility_managers_inbox_opens_on_accommodation_requests(client, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_consultationrequest"),
    )
    client.force_login(manager)
    response = client.get(reverse(INDEX))
    assert response.status_code == 302
    assert response.url == reverse(INDEX) + "?kind=accessibility"
    assert client.get(response.url).status_code == 200


# The dashboard.


def test_the_dashboard_panel_lists_new_overdue_and_mine_with_their_age(client, intake, colleague):
    late = ConsultationRequestFactory()
    ConsultationRequest.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - timedelta(days=6)
    )
    fresh = ConsultationRequestFactory()
    mine = ConsultationRequestFactory(status="contacted", assignee=intake)
    ConsultationRequestFactory(status="closed", assignee=intake)
    ConsultationRequestFactory(status="contacted", assignee=colleague)
    client.force_login(intake)
    html = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = html.select_one("#requests-to-answer-section")
    counts = [link.get_text(" ", strip=True) for link in panel.select("ul a")]
    assert counts == ["2 new", "1 overdue", "1 assigned to you"]
    assert [a["href"] for a in panel.select("ul a")] == [
        reverse(INDEX) + "?status=new",
        reverse(INDEX) + "?overdue=true",
        reverse(INDEX) + "?assigned=me",
    ]
    waiting, assigned = panel.select("table")
    assert [row.a.get_text(strip=True) for row in waiting.select("tbody tr")] == [
        f"#{late.reference}",
        f"#{fresh.reference}",
    ]
    first = waiting.select_one("tbody tr").get_text(" ", strip=True).replace("\xa0", " ")
    assert "Overdue" in first and "6 days ago" in first
    assert [row.a.get_text(strip=True) for row in assigned.select("tbody tr")] == [
        f"#{mine.reference}"
    ]


def test_the_panel_reads_a_constant_number_of_queries(client, intake):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(intake)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("wagtailadmin_home"))
        return len(captured)

    ConsultationRequestFactory.create_batch(2, assignee=intake)
    queries()  # the first admin page also reads the site, once
    few = queries()
    ConsultationRequestFactory.create_batch(20, assignee=intake)
    assert queries() == few


def test_no_panel_for_staff_without_the_inbox(client, django_user_model):
    editor = member(django_user_model, "editor", group="Marketing editors")
    ConsultationRequestFactory()
    client.force_login(editor)
    assert b"requests-to-answer" not in client.get(reverse("wagtailadmin_home")).content


def test_openings_one_after_another_are_one_line_of_the_timeline(client, intake, colleague):
    request = ConsultationRequestFactory()
    inspect = reverse("consultation_requests:inspect", args=[request.pk])
    client.force_login(intake)
    client.get(inspect)
    client.get(inspect)
    client.force_login(colleague)
    client.get(inspect)
    client.force_login(intake)
    client.get(inspect)
    assert entries(request, VIEW).count() == 4  # each one is in the log
    assert [(event.who, event.message) for event in timeline(request)] == [
        ("Noor Ashby", "Opened"),
        ("Sam Idris", "Opened"),
        ("Noor Ashby", "Opened 2 times"),
        ("", "Received from the website"),
    ]


def test_the_list_names_the_assignee_and_marks_only_flagged_requests(client, intake, colleague):
    ConsultationRequestFactory(full_name="Held Back", flags="low_score", assignee=colleague)
    ConsultationRequestFactory(full_name="Fine One")
    client.force_login(intake)
    html = BeautifulSoup(client.get(reverse(INDEX)).content, "html.parser")
    rows = {name_in(row): row.get_text(" ", strip=True) for row in html.select("tbody tr")}
    assert "Flagged" in rows["Held Back"] and "Sam Idris" in rows["Held Back"]
    assert "Flagged" not in rows["Fine One"]
    assert "False" not in rows["Fine One"] and "True" not in rows["Held Back"]
