"""Two-factor sign-in to the admin: superusers and intake staff (who see patients' health data)
reach nothing before enrolling an authenticator app and giving its code; other staff may enrol
and then must give one too; a wrong code is refused; a recovery code works once; a superuser
resets a lost phone; the session limits still end a verified session."""

import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import SIGNED_IN_AT
from tests.two_factor import code, enrol, verify_session

from .conftest import staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "pw"
ENROL = reverse("wagtail_2fa_device_new")
CODE_PAGE = reverse("wagtail_2fa_auth")
RECOVERY_CODES = reverse("two_factor_recovery_codes")


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    """On, as in development and production (the test settings turn it off)."""
    settings.WAGTAIL_2FA_REQUIRED = True


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("ada", "ada@example.org", PASSWORD)


@pytest.fixture
def intake(django_user_model):
    return staff_member(django_user_model, "Intake staff", "ines")


@pytest.fixture
def marketing(django_user_model):
    return staff_member(django_user_model, "Marketing editors", "mara")


def admin_urls() -> list[str]:
    """A spread of admin pages, among them the inbox's personal data and the account page."""
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailusers_users:index"),
        reverse("consultation_requests:index"),
        reverse("consultation_requests:index") + "?export=csv",
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_reports:site_history"),
        RECOVERY_CODES,
        reverse("wagtail_2fa_device_update", args=[1]),
    ]


def sign_in(username: str, password: str = PASSWORD) -> tuple[Client, str]:
    """A new browser that has given ``username``'s password, and where the admin sent it."""
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    assert response.status_code == 302, "the password was refused"
    followed = client.get(response["Location"])
    return client, followed.get("Location", response["Location"])


def give_code(client: Client, token: str):
    return client.post(CODE_PAGE, {"otp_token": token, "next": "/admin/"})


def enrol_through_the_page(client: Client, user) -> TOTPDevice:
    """The enrolment page as its user fills it in: the app's first code and the password."""
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        ENROL, {"name": "Work phone", "otp_token": code(device), "password": PASSWORD}
    )
    assert response.status_code == 302, response.context["form"].errors
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.parametrize("who", ["superuser", "intake"])
def test_who_sees_health_data_is_sent_to_enrol_from_every_admin_page(request, who):
    user = request.getfixturevalue(who)
    client, landing = sign_in(user.username)
    assert landing.startswith(ENROL)

    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL + "?next="), url

    page = client.get(ENROL)
    assert page.status_code == 200
    assert b"Set up an authenticator app" in page.content
    # The QR code the app scans, under the admin's own Content-Security-Policy (img-src 'self').
    qr_code = client.get(reverse("wagtail_2fa_device_qrcode"))
    assert qr_code["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr_code.content
    assert "no-store" in qr_code["Cache-Control"]


@pytest.mark.parametrize("who", ["superuser", "intake"])
def test_after_enrolling_every_admin_page_asks_for_the_code_until_it_is_given(request, who):
    user = request.getfixturevalue(who)
    client, _landing = sign_in(user.username)
    device = enrol_through_the_page(client, user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # enrolling verified it

    client, landing = sign_in(user.username)
    assert landing.startswith(CODE_PAGE)
    # Not even the enrolment pages: a second authenticator needs the first one's code.
    for url in [*admin_urls(), ENROL, reverse("wagtail_2fa_device_list", args=[user.pk])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(CODE_PAGE + "?next="), url

    response = give_code(client, code(device, steps_ahead=1))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    for url in (reverse("wagtailadmin_home"), reverse("consultation_requests:index")):
        assert client.get(url).status_code == 200, url


def test_a_marketing_editor_is_not_asked_for_a_code_until_they_choose_to_enrol(marketing):
    client, landing = sign_in(marketing.username)
    assert landing == "/admin/"
    assert client.get(landing).status_code == 200
    account = client.get(reverse("wagtailadmin_account"))
    own_page = reverse("wagtail_2fa_device_list", args=[marketing.pk])
    assert own_page.encode() in account.content
    assert b"It is optional for you" in client.get(own_page).content

    device = enrol_through_the_page(client, marketing)

    client, landing = sign_in(marketing.username)
    assert landing.startswith(CODE_PAGE)
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 302
    give_code(client, code(device, steps_ahead=1))
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_the_right_one_then_lets_you_in(
    superuser, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test is not about the wait after a wrong code
    device = enrol(superuser)
    client, _landing = sign_in(superuser.username)
    wrong = str((int(code(device)) + 1) % 1_000_000).zfill(6)

    for attempt in (wrong, "", "abcdefgh"):
        response = give_code(client, attempt)
        assert response.status_code == 200, attempt
        messages = response.context["form"].non_field_errors()
        assert messages, attempt
        assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert b"That code is not right" in give_code(client, wrong).content
    assert b"Enter the code from your authenticator app." in give_code(client, "").content

    assert give_code(client, code(device)).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_after_a_wrong_code_even_the_right_one_waits(superuser, settings):
    # django-otp's throttle: a wait that doubles with each wrong code (here a minute at first,
    # so that a slow test machine cannot outlast it).
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrol(superuser)
    client, _landing = sign_in(superuser.username)
    give_code(client, str((int(code(device)) + 1) % 1_000_000).zfill(6))

    response = give_code(client, code(device))
    assert response.status_code == 200
    assert b"Too many wrong codes in a row" in response.content
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_a_recovery_code_signs_in_once_and_the_codes_are_shown_only_when_made(superuser, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no wait after the used code is refused
    device = enrol(superuser)
    client = Client()
    client.force_login(superuser)
    verify_session(client, device)
    made = client.post(RECOVERY_CODES)
    codes = made.context["codes"]
    assert len(codes) == 10
    assert all(recovery_code.encode() in made.content for recovery_code in codes)
    shown_again = client.get(RECOVERY_CODES)
    assert not any(recovery_code.encode() in shown_again.content for recovery_code in codes)
    assert b"You have 10 unused recovery codes" in shown_again.content

    client, _landing = sign_in(superuser.username)
    # Read off a sheet of paper: capitals and a space do not matter.
    typed = f"{codes[0][:4].upper()} {codes[0][4:]}"
    response = give_code(client, typed)
    assert response.status_code == 302
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert b"You signed in with a recovery code. You have 9 left" in home.content

    client, _landing = sign_in(superuser.username)
    assert give_code(client, codes[0]).status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert give_code(client, codes[1]).status_code == 302
    # New codes at once from a session that gave a recovery code, which stays signed in.
    assert len(client.post(RECOVERY_CODES).context["codes"]) == 10
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(superuser):
    device = enrol(superuser)
    client = Client()
    client.force_login(superuser)
    verify_session(client, device)
    first = client.post(RECOVERY_CODES)
    assert b"Your old codes no longer work." not in first.content
    second = client.post(RECOVERY_CODES)
    assert b"Your old codes no longer work." in second.content
    old, new = first.context["codes"], second.context["codes"]
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_recovery_codes_need_an_authenticator_and_a_session_that_gave_its_code(marketing, settings):
    settings.WAGTAIL_2FA_REQUIRED = False  # the page guards itself, whatever the middleware
    client = Client()
    client.force_login(marketing)
    response = client.get(RECOVERY_CODES)
    assert response["Location"] == reverse("wagtail_2fa_device_list", args=[marketing.pk])

    enrol(marketing)
    response = client.post(RECOVERY_CODES)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_PAGE)
    assert not StaticDevice.objects.exists()


def test_enrolling_leads_on_to_recovery_codes(intake):
    client, _landing = sign_in(intake.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=intake)
    response = client.post(
        ENROL, {"name": "Work phone", "otp_token": code(device), "password": PASSWORD}
    )
    assert response["Location"] == RECOVERY_CODES
    assert b"Create recovery codes" in client.get(RECOVERY_CODES).content


def test_enrolling_needs_the_apps_code_and_the_password(intake):
    client, _landing = sign_in(intake.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=intake)
    response = client.post(
        ENROL, {"name": "Work phone", "otp_token": "000000", "password": "not-it"}
    )
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert b"That is not your password." in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("wagtailadmin_home"))["Location"].startswith(ENROL)


def test_a_superuser_resets_a_lost_phone_and_its_recovery_codes_go_with_it(superuser, intake):
    lost = enrol(intake)
    intake_client = Client()
    intake_client.force_login(intake)
    verify_session(intake_client, lost)
    intake_client.post(RECOVERY_CODES)

    admin = Client()
    admin.force_login(superuser)
    verify_session(admin, enrol(superuser))
    users = admin.get(reverse("wagtailusers_users:index"))
    devices_page = reverse("wagtail_2fa_device_list", args=[intake.pk])
    assert devices_page.encode() in users.content
    listing = admin.get(devices_page)
    assert b"Work phone" not in listing.content
    assert lost.name.encode() in listing.content
    remove = reverse("wagtail_2fa_device_remove", args=[lost.pk])
    assert admin.get(remove).status_code == 200
    assert admin.post(remove, {"user_id": intake.pk})["Location"] == devices_page

    assert not TOTPDevice.objects.filter(user=intake).exists()
    assert not StaticDevice.objects.filter(user=intake).exists()
    assert admin.get(remove).status_code == 404  # a second click on a stale page
    # The session that gave the lost phone's code no longer counts as verified.
    assert intake_client.get(reverse("wagtailadmin_home"))["Location"].startswith(ENROL)
    _client, landing = sign_in(intake.username)
    assert landing.startswith(ENROL)


def test_staff_cannot_see_or_remove_each_others_authenticators(intake, marketing):
    theirs = enrol(intake)
    client = Client()
    client.force_login(marketing)
    verify_session(client, enrol(marketing))
    # Wagtail answers a page the user may not see with its dashboard.
    listing = client.get(reverse("wagtail_2fa_device_list", args=[intake.pk]))
    assert listing["Location"] == reverse("wagtailadmin_home")
    remove = reverse("wagtail_2fa_device_remove", args=[theirs.pk])
    assert client.post(remove, {"user_id": intake.pk})["Location"] == reverse("wagtailadmin_home")
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_the_session_limit_still_ends_a_session_that_gave_its_code(superuser):
    device = enrol(superuser)
    client = Client()
    client.force_login(superuser)
    verify_session(client, device)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 60
    session.save()
    response = client.get(reverse("wagtailadmin_home"))
    # Signed out, back to the admin's password page: not merely asked for another code.
    assert response["Location"] == reverse("wagtailadmin_login") + "?next=/admin/"
    assert client.get(reverse("wagtailadmin_home"))["Location"].startswith(
        reverse("wagtailadmin_login")
    )


def test_a_verified_editor_previews_a_page_and_an_unverified_one_is_asked_for_the_code(
    superuser, clinic_site
):
    # Wagtail draws a preview by sending a made-up request for the page's public address
    # through the middleware again, with the editor's cookies: it must count as verified too.
    device = enrol(superuser)
    client = Client()
    client.force_login(superuser)
    preview = reverse("wagtailadmin_pages:view_draft", args=[clinic_site.condition.pk])
    assert client.get(preview)["Location"].startswith(CODE_PAGE)

    verify_session(client, device)
    response = client.get(preview)
    assert response.status_code == 200
    assert clinic_site.condition.title.encode() in response.content


def test_superusers_and_intake_staff_must_use_it_and_other_groups_need_not():
    required = {
        group.name
        for group in Group.objects.filter(
            permissions__content_type__app_label="wagtailadmin",
            permissions__codename="enable_2fa",
        )
    }
    assert required == {"Intake staff"}
