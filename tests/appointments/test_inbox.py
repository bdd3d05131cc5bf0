"""Intake staff triage requests in the admin; nobody else can see them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appointments.models import ConsultationRequest

from .factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

INDEX = "consultation_requests:index"


def user_in(django_user_model, group_name: str | None, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def intake_user(django_user_model):
    return user_in(django_user_model, "Intake staff", "intake")


@pytest.fixture
def a_request(clinic_site):
    return ConsultationRequestFactory(full_name="Rosa Delgado", condition=clinic_site.condition)


def urls(request_pk: int) -> dict[str, str]:
    return {
        "inbox": reverse(INDEX),
        "detail": reverse("consultation_requests:inspect", args=[request_pk]),
        "edit": reverse("consultation_requests:edit", args=[request_pk]),
        "export": reverse(INDEX) + "?export=csv",
    }


def test_intake_staff_see_the_inbox_the_detail_and_can_export(client, intake_user, a_request):
    client.force_login(intake_user)
    for name, url in urls(a_request.pk).items():
        response = client.get(url)
        assert response.status_code == 200, name
    inbox = client.get(reverse(INDEX)).content.decode()
    assert "Rosa Delgado" in inbox
    assert "Download CSV" in inbox
    for view in ("detail", "edit"):
        content = client.get(urls(a_request.pk)[view]).content.decode()
        assert "My face feels tight." in content, view
        assert "+12025550123" in content, view


@pytest.mark.parametrize("group_name", ["Marketing editors", None])
def test_other_staff_get_403_everywhere(client, django_user_model, a_request, group_name):
    user = user_in(django_user_model, group_name, "other")
    # Give the group-less user admin access so that the 403 comes from the inbox itself.
    if group_name is None:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for name, url in urls(a_request.pk).items():
        assert client.get(url).status_code == 403, name
    # No intake panel and no way into the inbox from the dashboard (marketing editors have
    # their own panel, which counts requests per page and names nobody).
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Requests to answer" not in dashboard
    assert reverse(INDEX) not in dashboard
    assert a_request.full_name not in dashboard


def test_anonymous_visitors_are_sent_to_the_login_page(client, a_request):
    for url in urls(a_request.pk).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_export_needs_its_own_permission_and_is_logged(client, django_user_model, a_request):
    viewer = user_in(django_user_model, "Intake staff", "viewer")
    group = Group.objects.create(name="Intake without export")
    group.permissions.set(
        Group.objects.get(name="Intake staff").permissions.exclude(
            codename="export_consultationrequest"
        )
    )
    viewer.groups.set([group])
    client.force_login(viewer)
    assert client.get(reverse(INDEX)).status_code == 200
    assert "Download CSV" not in client.get(reverse(INDEX)).content.decode()
    assert client.get(urls(a_request.pk)["export"]).status_code == 403

    exporter = user_in(django_user_model, "Intake staff", "exporter")
    client.force_login(exporter)
    response = client.get(urls(a_request.pk)["export"])
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Rosa Delgado" in body.decode()
    entry = ModelLogEntry.objects.get(action="appointments.export")
    assert entry.user == exporter
    assert entry.object_id == str(a_request.pk)
    assert entry.data == {"format": "csv"}


def test_status_assignee_and_notes_changes_are_in_the_audit_log(client, intake_user, a_request):
    client.force_login(intake_user)
    response = client.post(
        urls(a_request.pk)["edit"],
        {"status": "contacted", "assignee": str(intake_user.pk), "note": "Left a message."},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    a_request.refresh_from_db()
    assert a_request.status == "contacted"
    assert a_request.assignee == intake_user
    entries = ModelLogEntry.objects.filter(object_id=str(a_request.pk)).order_by("pk")
    change, note = entries
    assert (change.action, change.user) == ("appointments.change", intake_user)
    assert change.data["changes"] == [
        {"field": "status", "old": "new", "new": "contacted"},
        {
            "field": "assignee",
            "old": None,
            "new": {"id": intake_user.pk, "name": "intake"},
        },
    ]
    assert (note.action, note.user, note.data) == (
        "appointments.note",
        intake_user,
        {"text": "Left a message."},
    )


def test_nobody_can_add_a_request_in_the_admin(admin_client):
    response = admin_client.get(reverse("consultation_requests:add"))
    assert response.status_code in (302, 403)
    assert ConsultationRequest.objects.count() == 0


def test_inbox_filters_by_status_type_language_flag_condition_and_search(
    client, intake_user, clinic_site
):
    ConsultationRequestFactory(full_name="Ana New", condition=clinic_site.condition)
    ConsultationRequestFactory(full_name="Bo Closed", status="closed", preferred_language="es")
    ConsultationRequestFactory(full_name="Cy Flagged", flags="low_score")
    ConsultationRequestFactory(full_name="Di Access", kind="accessibility")
    ConsultationRequest.objects.filter(full_name="Bo Closed").update(
        created_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(intake_user)

    def names(**params) -> set[str]:
        content = client.get(reverse(INDEX), params).content.decode()
        return {n for n in ("Ana New", "Bo Closed", "Cy Flagged", "Di Access") if n in content}

    assert names(status="closed") == {"Bo Closed"}
    assert names(preferred_language="es") == {"Bo Closed"}
    assert names(is_flagged="true") == {"Cy Flagged"}
    assert names(kind="accessibility") == {"Di Access"}
    assert names(condition=str(clinic_site.condition.pk)) == {"Ana New"}
    assert names(q="Flagged") == {"Cy Flagged"}
    last_week = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert names(created_at_to=last_week) == {"Bo Closed"}
    assert "Bo Closed" not in names(created_at_from=last_week)


def test_only_superusers_can_change_the_intake_address(client, django_user_model, clinic_site):
    url = reverse(
        "wagtailsettings:edit", args=("appointments", "intakesettings", clinic_site.site.pk)
    )
    for group_name in ("Intake staff", "Marketing editors"):
        client.force_login(user_in(django_user_model, group_name, group_name.split()[0].lower()))
        assert client.get(url).status_code in (302, 403), group_name
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(superuser)
    assert client.get(url).status_code == 200
