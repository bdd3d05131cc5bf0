"""Which pages are due for medical review: the report physicians and marketing editors read
(filters, export), each physician's dashboard panel, and the daily reminder e-mails."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pages.medical_reviews import record_review
from pages.translation_setup import REVIEWER_GROUP
from tests.factories.pages import ConditionPageFactory, PhysicianPageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def member_of(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviews(clinic_site, django_user_model):
    """Three pages reviewed by Dr Ana Rivera (overdue, due in 15 days, not due for a year) and
    one by Dr Sam Okafor (overdue). The interval is 365 days."""
    ana = member_of(django_user_model, REVIEWER_GROUP, "arivera")
    sam = member_of(django_user_model, REVIEWER_GROUP, "sokafor")
    clinic_site.physician.user = ana
    clinic_site.physician.save_revision().publish()
    okafor = PhysicianPageFactory(parent=clinic_site.physicians, name="Sam Okafor", user=sam)
    pages = {}
    for title, reviewer, reviewed in [
        ("Overdue condition", clinic_site.physician, days(-400)),
        ("Soon condition", clinic_site.physician, days(-350)),
        ("Fresh condition", clinic_site.physician, days(-10)),
        ("Okafor condition", okafor, days(-380)),
    ]:
        page = ConditionPageFactory(
            parent=clinic_site.conditions, title=title, next_review_due=None
        )
        record_review(page, user=reviewer.user, physician=reviewer, on=reviewed)
        pages[title] = page
    # The fixture's own pages are not due (the condition) or never reviewed (the treatment):
    # reviewed here so that only the pages above are in question.
    record_review(clinic_site.treatment, physician=clinic_site.physician, on=days(-1))
    clinic_site.condition.next_review_due = None
    clinic_site.condition.save_revision().publish()
    record_review(clinic_site.condition, physician=clinic_site.physician, on=days(-1))
    return {"ana": ana, "sam": sam, "okafor": okafor, **pages}


def report(client, **params) -> str:
    response = client.get(reverse("medical_review_due"), params)
    assert response.status_code == 200
    return response.content.decode()


def titles_in(html: str) -> set[str]:
    return {
        t
        for t in ("Overdue condition", "Soon condition", "Fresh condition", "Okafor condition")
        if t in html
    }


def test_report_lists_overdue_and_due_within_30_days_but_not_pages_not_due(admin_client, reviews):
    html = report(admin_client)
    assert titles_in(html) == {"Overdue condition", "Soon condition", "Okafor condition"}
    assert "Overdue" in html and "Due within 30 days" in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("overdue", {"Overdue condition", "Okafor condition"}),
        ("soon", {"Soon condition"}),
        ("all", {"Overdue condition", "Soon condition", "Fresh condition", "Okafor condition"}),
    ],
)
def test_report_filters_by_how_due(admin_client, reviews, status, expected):
    assert titles_in(report(admin_client, status=status)) == expected


def test_report_filters_by_physician(admin_client, reviews):
    html = report(admin_client, physician=reviews["okafor"].pk)
    assert titles_in(html) == {"Okafor condition"}


def test_report_exports_the_due_pages_as_csv(admin_client, reviews):
    response = admin_client.get(reverse("medical_review_due"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0] == "Page,Language,Status,Reviewed by,Last reviewed,Next review due"
    overdue = next(line for line in lines if line.startswith("Overdue condition"))
    assert f"Dr Ana Rivera,{days(-400).isoformat()},{days(-35).isoformat()}" in overdue
    assert not any(line.startswith("Fresh condition") for line in lines)


def test_report_exports_xlsx(admin_client, reviews):
    response = admin_client.get(reverse("medical_review_due"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize(
    ("group", "allowed"),
    [(REVIEWER_GROUP, True), ("Marketing editors", True), ("Translators (Spanish)", False)],
)
def test_report_and_its_menu_item_are_for_physicians_and_marketing_editors(
    client, reviews, django_user_model, group, allowed
):
    client.force_login(member_of(django_user_model, group, "someone"))
    response = client.get(reverse("medical_review_due"))
    assert (response.status_code == 200) is allowed
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ("Due for medical review" in home) is allowed


def test_dashboard_shows_a_physician_their_own_pages_due(client, reviews):
    client.force_login(reviews["ana"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your pages due for medical review" in html
    assert titles_in(html) == {"Overdue condition", "Soon condition"}


def test_dashboard_shows_no_panel_to_someone_with_nothing_due(client, reviews, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your pages due for medical review" not in html


def test_reminders_go_once_to_each_physician_with_their_due_pages_and_no_patient_data(
    reviews, clinic_site
):
    call_command("send_review_reminders", stdout=io.StringIO())

    assert sorted(m.to[0] for m in mail.outbox) == ["arivera@example.org", "sokafor@example.org"]
    to_ana = next(m for m in mail.outbox if m.to == ["arivera@example.org"])
    assert "Overdue condition" in to_ana.body
    # Due in 15 days is not due yet; fresh pages and other physicians' pages are not hers.
    assert "Soon condition" not in to_ana.body
    assert "Fresh condition" not in to_ana.body
    assert "Okafor condition" not in to_ana.body
    assert f"/admin/pages/{reviews['Overdue condition'].pk}/edit/" in to_ana.body
    # Pages only: the title, language, date and address of each, nothing else.
    assert len(to_ana.body.strip().splitlines()) == 2 + 2

    call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # the same day again: nothing more


def test_reminders_send_nothing_when_no_page_is_due(clinic_site, django_user_model):
    user = member_of(django_user_model, REVIEWER_GROUP, "arivera")
    record_review(clinic_site.treatment, user=user, on=days(-1))
    call_command("send_review_reminders", stdout=io.StringIO())
    assert mail.outbox == []
