"""Limits on signing in and on resetting a password, counted per real client behind the proxy:
a lock for one account from one address, a lock for an address that tries many accounts, and a
password reset form that cannot be used to flood inboxes, whose e-mail leaves through the task
queue."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from core.password_reset import send_password_reset_email

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    """The site as deployed: one trusted proxy in front."""
    settings.TRUSTED_PROXY_COUNT = 1


def through_nginx(client_address: str) -> Client:
    """A browser at ``client_address``, whose requests reach the site through nginx."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=client_address)


def sign_in(browser: Client, username: str, password: str) -> int:
    login = reverse("wagtailadmin_login")
    return browser.post(login, {"username": username, "password": password}).status_code


def test_five_failures_lock_an_account_only_for_the_client_behind_the_proxy(django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "Correct-horse-41")
    guesser, colleague = through_nginx("198.51.100.7"), through_nginx("203.0.113.20")
    assert [sign_in(guesser, "ada", "wrong") for _ in range(5)] == [200] * 4 + [429]
    assert sign_in(guesser, "ada", "Correct-horse-41") == 429
    # Ada at her own desk, through the same proxy, is not locked out by someone else's guesses.
    assert sign_in(colleague, "ada", "Correct-horse-41") == 302


def test_a_forged_forwarded_header_does_not_escape_the_lock(django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "Correct-horse-41")
    statuses = [
        sign_in(
            Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"),
            "ada",
            "wrong",
        )
        for number in range(5)
    ]
    assert statuses == [200] * 4 + [429]


def test_guessing_at_many_accounts_from_one_address_locks_that_address(django_user_model, settings):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 20
    for number in range(25):
        django_user_model.objects.create_user(f"staff{number}", password=f"Staff-pass-{number}9")
    sprayer = through_nginx("198.51.100.66")
    # One guess at each account: never five for any one of them.
    statuses = [sign_in(sprayer, f"staff{number}", "Summer2026!") for number in range(20)]
    assert statuses == [200] * 19 + [429]
    # Now every account is locked from that address, even with its right password...
    assert sign_in(sprayer, "staff24", "Staff-pass-249") == 429
    # ...and only from that address.
    assert sign_in(through_nginx("203.0.113.20"), "staff24", "Staff-pass-249") == 302


def test_signing_in_to_one_account_does_not_wipe_an_addresss_failures(django_user_model):
    """A sprayer who holds one real account cannot reset their count by signing in to it."""
    for number in range(21):
        django_user_model.objects.create_user(f"staff{number}", password=f"Staff-pass-{number}9")
    sprayer = through_nginx("198.51.100.66")
    assert [sign_in(sprayer, f"staff{number}", "wrong") for number in range(1, 20)] == [200] * 19
    assert sign_in(sprayer, "staff0", "Staff-pass-09") == 302
    assert sign_in(sprayer, "staff20", "wrong") == 429


def test_an_office_below_the_address_limit_keeps_signing_in(django_user_model):
    """Colleagues behind the clinic's one public address mistype passwords now and then."""
    for number in range(20):
        django_user_model.objects.create_user(f"staff{number}", password=f"Staff-pass-{number}9")
    office = through_nginx("203.0.113.20")
    assert [sign_in(office, f"staff{number}", "typo") for number in range(19)] == [200] * 19
    assert sign_in(office, "staff19", "Staff-pass-199") == 302


def ask_for_reset(browser: Client, email: str):
    return browser.post(reverse("wagtailadmin_password_reset"), {"email": email})


def reset_link(message) -> str:
    return re.search(r"http://testserver(/admin/password_reset/\S+)", message.body).group(1)


def test_the_reset_email_arrives_and_its_link_sets_a_new_password(django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "Correct-horse-41")
    response = ask_for_reset(through_nginx("198.51.100.7"), "ada@example.org")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_password_reset_done")
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]

    browser = Client()
    set_password = browser.get(reset_link(message), follow=True)
    assert set_password.status_code == 200
    new = "Another-horse-77"
    done = browser.post(
        set_password.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert django_user_model.objects.get(username="ada").check_password(new)


# Committed for real: the worker closes its database connection when it is done.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reset_email_is_queued_by_the_request_and_sent_by_the_worker(
    django_user_model, settings
):
    """In production the notifications backend is the database queue: the request only queues
    the e-mail (a slow mail server never holds it up), and the queue holds no reset link."""
    settings.TASKS = {
        **settings.TASKS,
        "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    django_user_model.objects.create_superuser("ada", "ada@example.org", "Correct-horse-41")
    assert ask_for_reset(through_nginx("198.51.100.7"), "ada@example.org").status_code == 302
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "core.password_reset.send_password_reset_email"
    assert "token" not in str(queued.args_kwargs)
    assert "/admin/password_reset/" not in str(queued.args_kwargs)

    call_command("db_worker", "--backend", "notifications", "--batch", "--no-startup-delay")
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert Client().get(reset_link(message), follow=True).status_code == 200


def test_password_resets_are_limited_per_client_and_per_email_address(django_user_model):
    for name in ("ada", "bo", "cy", "di", "ed", "flo"):
        django_user_model.objects.create_user(name, f"{name}@example.org", "Pass-word-123")
    done = reverse("wagtailadmin_password_reset_done")

    # Five requests an hour from one client, whoever they are for (an unknown address counts
    # too), and the sixth looks exactly the same to the client: nothing is revealed.
    asker = through_nginx("198.51.100.7")
    for email in ("nobody@example.org", "ada@example.org", "bo@example.org", "cy@example.org"):
        assert ask_for_reset(asker, email).url == done
    assert ask_for_reset(asker, "di@example.org").url == done
    assert ask_for_reset(asker, "ed@example.org").url == done
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.org",
        "bo@example.org",
        "cy@example.org",
        "di@example.org",
    ]
    # Another client through the same proxy has an allowance of their own.
    assert ask_for_reset(through_nginx("203.0.113.20"), "ed@example.org").url == done
    assert mail.outbox[-1].to == ["ed@example.org"]

    # Three e-mails an hour to one inbox, from however many addresses they are asked for.
    mail.outbox.clear()
    for number in range(5):
        assert ask_for_reset(through_nginx(f"192.0.2.{number}"), "FLO@example.org").url == done
    assert [message.to for message in mail.outbox] == [["flo@example.org"]] * 3


def test_a_reset_queued_before_the_account_was_disabled_is_not_sent(django_user_model, settings):
    settings.TASKS = {
        **settings.TASKS,
        "notifications": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    ada = django_user_model.objects.create_user("ada", "ada@example.org", "Correct-horse-41")
    ask_for_reset(through_nginx("198.51.100.7"), "ada@example.org")
    [queued] = task_backends["notifications"].results
    ada.is_active = False
    ada.save()
    assert send_password_reset_email.call(*queued.args, **queued.kwargs) is False
    ada.is_active = True
    ada.email = "ada.new@example.org"
    ada.save()
    assert send_password_reset_email.call(*queued.args, **queued.kwargs) is False
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_break_the_reset_page(
    django_user_model, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    django_user_model.objects.create_user("ada", "ada@example.org", "Correct-horse-41")
    response = ask_for_reset(through_nginx("198.51.100.7"), "ada@example.org")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_password_reset_done")
    assert "Could not send the password reset e-mail" in caplog.text
