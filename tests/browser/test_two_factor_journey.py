"""A member of the intake team signs in for the first time with two-factor sign-in on: sets up
an authenticator app from the QR code's page, keeps a set of recovery codes, signs out, and
signs in again with the password and then a code, a mistyped one refused first.

The authenticator app is played by django-otp's own TOTP function, fed the secret the page
writes out for apps that cannot scan."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "two-factor-journey-pass-7"


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for ``secret`` (as the page writes it: in groups of
    four), now or ``steps_ahead`` thirty-second steps from now."""
    return f"{totp(b32decode(secret.replace(' ', '')), drift=steps_ahead):06d}"


def sign_in_with_password(page: Page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_intake_staff_enrol_keep_recovery_codes_and_sign_in_with_a_code(
    browser, live_server, django_user_model, screenshot_dir, settings
):
    settings.WAGTAIL_2FA_REQUIRED = True
    # django-otp makes each wrong code wait a little longer; that wait has its test in
    # tests/security/test_two_factor.py. Here the right code follows the wrong one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    intake = django_user_model.objects.create_user(
        "ines", "ines@example.org", PASSWORD, first_name="Inés", last_name="Marlow"
    )
    intake.groups.add(Group.objects.get(name="Intake staff"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # The password alone leads to the enrolment page, and nowhere else.
    sign_in_with_password(page, live_server)
    page.wait_for_url("**/admin/2fa/devices/new?next=/admin/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link")).to_have_count(0)
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code).to_be_visible()
    # Drawn, not a broken image: the admin's Content-Security-Policy lets it load.
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    screenshot(page, screenshot_dir, "two-factor-enrol")
    page.goto(live_server.url + "/admin/requests/")
    page.wait_for_url("**/admin/2fa/devices/new?next=/admin/requests/")

    secret = page.locator("[data-two-factor-secret]").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    # Straight on to recovery codes, shown once.
    page.wait_for_url("**/admin/2fa/recovery-codes")
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    page.get_by_role("button", name="Create recovery codes").click()
    codes = page.locator("[data-recovery-codes] li")
    expect(codes).to_have_count(10)
    expect(page.get_by_text("this page will not show them again")).to_be_visible()
    screenshot(page, screenshot_dir, "two-factor-recovery-codes")
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_text("10 unused recovery codes.")).to_be_visible()
    screenshot(page, screenshot_dir, "two-factor-devices")

    page.locator(".sidebar-footer__account").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/admin/login/**")

    # Next time: the password, then a code.
    sign_in_with_password(page, live_server)
    page.wait_for_url("**/admin/2fa/auth?next=/admin/")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    screenshot(page, screenshot_dir, "two-factor-code")
    wrong = str((int(app_code(secret)) + 1) % 1_000_000).zfill(6)
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    page.wait_for_url("**/admin/2fa/auth")
    screenshot(page, screenshot_dir, "two-factor-wrong-code")

    # The code used to enrol is spent; the app's next one is accepted.
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/admin/")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Requests")
