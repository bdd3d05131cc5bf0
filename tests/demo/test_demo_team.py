"""``make run`` prints a login for the admin and for one person in every group, so that each
role can be tried; none of them exists unless DEBUG is on."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_demo_team_has_one_person_in_every_group_with_a_printed_password(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_admin")
    output = capsys.readouterr().out
    users = get_user_model().objects.exclude(username="admin")
    for group in Group.objects.exclude(name__in=["Moderators", "Editors"]):
        assert users.filter(groups=group).count() == 1, group.name
    marketing = users.get(username="marketing")
    assert set(marketing.groups.values_list("name", flat=True)) == {
        "Marketing editors",
        "Content leads",
    }
    passwords = {}
    for user in users:
        assert not user.is_superuser
        passwords[user.username] = next(
            line.split()[1] for line in output.splitlines() if line.split()[:1] == [user.username]
        )
        assert user.check_password(passwords[user.username])

    call_command("create_demo_admin")
    assert users.count() == 5
    for user in users.all():
        assert not user.check_password(passwords[user.username]), "a fresh password each run"


def test_demo_team_is_never_created_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_admin")
    assert not get_user_model().objects.exists()
