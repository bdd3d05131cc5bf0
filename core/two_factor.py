"""Two-factor sign-in to the admin: after the password, a code from an authenticator app or
one of the user's one-time recovery codes.

wagtail-2fa 1.8 gives the middleware, the enrolment (QR code and first code) and the device
list; django-otp 1.7 the devices. This module holds what the two no longer agree on, or never
had: the code form (django-otp refuses a code that names no device, and wagtail-2fa's form names
none), recovery codes, and a few guards. core.wagtail_hooks puts the views in the admin.

Who must use a second factor: whoever holds the ``wagtailadmin.enable_2fa`` permission, that is
superusers (who hold every permission) and the Intake staff group (appointments migration 0013).
Anyone else may enrol from their account page, and from then on signs in with a code too. A
member of staff who must and has not enrolled yet reaches nothing but the enrolment pages."""

from base64 import b32encode
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa import utils as wagtail_2fa_utils
from wagtail_2fa.forms import DeviceForm, TokenForm
from wagtail_2fa.middleware import VerifyUserPermissionsMiddleware
from wagtail_2fa.views import (
    DeviceCreateView,
    DeviceDeleteView,
    DeviceListView,
    DeviceQRCodeView,
    DeviceUpdateView,
    LoginView,
)

# Enough for a year of lost phones and borrowed laptops; each works once.
RECOVERY_CODE_COUNT = 10


class TwoFactorMiddleware(VerifyUserPermissionsMiddleware):
    """wagtail-2fa's middleware: a member of staff who must use a second factor, or has enrolled
    one, reaches no page (of the admin or the site) before entering a code, and one who must
    and has not enrolled is sent to enrol."""

    def _require_verified_user(self, request: HttpRequest) -> bool:
        # A session that has given its code needs nothing more. Asking first spares every admin
        # page the look-ups of the user's devices that wagtail-2fa makes before it asks.
        user: Any = request.user  # is_verified() is django-otp's, added to the user per request
        if not settings.WAGTAIL_2FA_REQUIRED or (user.is_authenticated and user.is_verified()):
            return False
        return super()._require_verified_user(request)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


class SignInCodeForm(TokenForm):
    """The code asked for after the password. Six digits come from the authenticator app; a
    recovery code has letters too, which is how the form tells which of the user's devices to
    ask (django-otp's throttle counts a wrong code against that device alone)."""

    otp_error_messages = {
        **TokenForm.otp_error_messages,
        "token_required": _("Enter the code from your authenticator app."),
        "invalid_token": _(
            "That code is not right. Enter the code your authenticator app shows now, or one "
            "of your recovery codes."
        ),
        "n_failed_attempts": _(
            "Too many wrong codes in a row. Wait a little before trying again: each wrong code "
            "makes the wait longer."
        ),
    }

    otp_token = forms.CharField(
        label=_("Code"),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        required=False,
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        # Phones offer a code they have just received; a password manager its own.
        self.fields["otp_token"].widget.attrs["autocomplete"] = "one-time-code"

    def clean_otp_token(self) -> str:
        # Codes are read off a screen or a sheet of paper: spaces and capitals do not matter.
        return "".join(self.cleaned_data["otp_token"].split()).lower()

    def _chosen_device(self, user) -> None:
        return None  # chosen by the code's shape in _verify_token

    def _verify_token(self, user, token: str, device: Device | None = None) -> Device:
        kind = TOTPDevice if token.isdigit() else StaticDevice
        # The device used last first: someone with a second phone for the app is rarely
        # charged a failed attempt on the one they are not using.
        devices = (
            kind.objects.devices_for_user(user, confirmed=True)
            .select_for_update()
            .order_by(F("last_used_at").desc(nulls_last=True), "pk")
        )
        refused = forms.ValidationError(
            self.otp_error_messages["invalid_token"], code="invalid_token"
        )
        for candidate in devices:
            try:
                return super()._verify_token(user, token, candidate)
            except forms.ValidationError as error:
                refused = error
        raise refused


class SignInCodeView(LoginView):
    """wagtail-2fa's code page, with the form above; after a recovery code, how many are left."""

    form_class = SignInCodeForm

    def form_valid(self, form: SignInCodeForm) -> HttpResponse:
        response = super().form_valid(form)
        if isinstance(self.request.user.otp_device, StaticDevice):
            left = recovery_codes_left(self.request.user)
            messages.warning(
                self.request,
                ngettext(
                    "You signed in with a recovery code. You have %(count)d left: create new "
                    "ones from your account's two-factor page if you are running out.",
                    "You signed in with a recovery code. You have %(count)d left: create new "
                    "ones from your account's two-factor page if you are running out.",
                    left,
                )
                % {"count": left},
            )
        return response


class AuthenticatorForm(DeviceForm):
    """wagtail-2fa's form to enrol or rename an authenticator app, in words staff understand and
    in their language (wagtail-2fa's own strings are in no catalogue the site loads)."""

    def __init__(self, request: HttpRequest, **kwargs) -> None:
        super().__init__(request, **kwargs)
        self.fields["name"].label = _("Name")
        self.fields["name"].help_text = _("To tell your apps apart, such as “Work phone”.")
        if not self.instance.confirmed:
            self.initial["name"] = _("Phone")
            self.fields["otp_token"].label = _("Code from the app")
            self.fields["otp_token"].help_text = _(
                "The six digits the app shows once it has scanned the QR code."
            )
            self.fields["otp_token"].widget.attrs["autocomplete"] = "one-time-code"
        self.fields["password"].label = _("Your password")
        self.fields["password"].help_text = _("To be sure it is you.")

    def clean_otp_token(self) -> str:
        try:
            return super().clean_otp_token()
        except forms.ValidationError:
            raise forms.ValidationError(
                _("That code is not right: enter the six digits the app shows now."),
                code="invalid",
            ) from None

    def clean_password(self) -> None:
        try:
            super().clean_password()
        except forms.ValidationError:
            raise forms.ValidationError(_("That is not your password."), code="invalid") from None


class DevicesView(DeviceListView):
    """wagtail-2fa's list of someone's authenticator apps (their own, or anyone's for a
    superuser), with whether they must use one and how many recovery codes they have left."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        owner = get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])
        context.update(
            owner=owner,
            required=owner.has_perm("wagtailadmin.enable_2fa"),
            recovery_codes_left=recovery_codes_left(owner),
        )
        return context


class EnrolView(DeviceCreateView):
    """wagtail-2fa's enrolment, with the secret written out for apps that cannot scan; the
    first authenticator leads straight on to recovery codes, while the phone that could replace
    them is still at hand."""

    form_class = AuthenticatorForm

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        secret = b32encode(self.device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Two-factor sign-in is on."))
        return response

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.device is None:
            # Finished in another tab, or never opened: there is no secret this code is from.
            return redirect("wagtail_2fa_device_new")
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        if not recovery_codes_left(self.request.user):
            return reverse("two_factor_recovery_codes")
        return super().get_success_url()


class RenameDeviceView(DeviceUpdateView):
    form_class = AuthenticatorForm


class QRCodeView(DeviceQRCodeView):
    """The QR code of the authenticator being enrolled; 404 when none is (wagtail-2fa fails)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if wagtail_2fa_utils.get_unconfirmed_device(request.user) is None:
            raise Http404
        return super().get(request)


class RemoveDeviceView(DeviceDeleteView):
    """wagtail-2fa's removal (one's own device, or anyone's for a superuser); 404 for a device
    already removed, where wagtail-2fa fails."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        get_object_or_404(TOTPDevice, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class RecoveryCodesView(View):
    """One-time codes for the day the phone is lost: a new set replaces the old one, and is
    shown once, on the page that creates it."""

    template_name = "core/admin/recovery_codes.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        user: Any = request.user
        if not has_authenticator(user):
            # Recovery codes stand in for an authenticator app: without one there is nothing
            # to recover.
            return redirect("wagtail_2fa_device_list", user_id=user.pk)
        if not user.is_verified():
            # Creating codes is as good as having the phone: only a session that has shown it.
            return redirect_to_login(request.get_full_path(), login_url=reverse("wagtail_2fa_auth"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"codes": None, "left": recovery_codes_left(request.user)}
        return TemplateResponse(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        replaced = recovery_codes_left(request.user) > 0
        context = {"codes": create_recovery_codes(request.user), "replaced": replaced}
        return TemplateResponse(request, self.template_name, context)


@transaction.atomic
def create_recovery_codes(user) -> list[str]:
    """A new set of recovery codes for ``user``, the old set forgotten. Their device stays: a
    session that signed in with one of the old codes is still signed in."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        # Digits alone would be taken for an authenticator app's code (SignInCodeForm).
        if not code.isdigit() and code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@receiver(post_delete, sender=TOTPDevice)
def forget_recovery_codes_with_the_last_authenticator(sender, instance: TOTPDevice, **kwargs):
    """When someone's last authenticator app is removed (a lost phone, an administrator's
    reset), their recovery codes go with it: the account asks them to enrol again, rather than
    for codes that run out and then leave nobody able to sign in."""
    if instance.confirmed and not has_authenticator(instance.user_id):
        StaticDevice.objects.filter(user_id=instance.user_id).delete()
