"""Two-factor sign-in for tests: an authenticator app enrolled for a user, the code it shows,
and a test client's session that has already given it.

The test settings turn two-factor sign-in off (``WAGTAIL_2FA_REQUIRED``), so that a test that
only needs a signed-in superuser can ``force_login`` one. A test that turns it on and needs a
superuser past the code: ``enrol`` them, then ``verify_session`` after ``force_login``."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user, name: str = "Phone") -> TOTPDevice:
    """An authenticator app ``user`` has set up, with a random secret."""
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code ``device``'s app shows now, or ``steps_ahead`` thirty-second steps from now.

    django-otp takes each code once (its time step must come after the last one used), and
    accepts the next step's code as the app of a phone whose clock runs a little fast: a test
    that signs in twice within thirty seconds gives the second code one step ahead."""
    value = totp(device.bin_key, step=device.step, digits=device.digits, drift=steps_ahead)
    return f"{value:0{device.digits}d}"


def verify_session(client: Client, device: TOTPDevice) -> None:
    """``client``, signed in as ``device``'s user, as if it had given the device's code:
    what ``django_otp.login`` keeps in the session."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
