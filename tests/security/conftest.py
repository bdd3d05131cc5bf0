import pytest
from django.contrib.auth.models import Group
from django.test import Client


def staff_member(django_user_model, group_name: str | None, username: str):
    """A member of staff in one of the groups the migrations create (or in none)."""
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def intake_client(django_user_model) -> Client:
    """A browser signed in as a member of the intake team."""
    client = Client()
    client.force_login(staff_member(django_user_model, "Intake staff", "intake"))
    return client


@pytest.fixture
def open_forms(settings):
    """The request forms with their brakes off, so that one test can send hundreds of requests:
    no minimum time to fill a form in, and a rate limit nobody reaches."""
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    settings.CONSULTATION_RATE_LIMIT = "1000000/m"
