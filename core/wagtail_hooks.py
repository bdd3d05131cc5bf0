"""Two-factor sign-in in the admin: wagtail-2fa's pages (its own hooks module cannot be loaded
by Wagtail 8: it imports ``wagtail.users.widgets``, which is gone), the recovery codes, a link
on each user's account page and, for superusers, on each row of Settings → Users."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .two_factor import (
    DevicesView,
    EnrolView,
    QRCodeView,
    RecoveryCodesView,
    RemoveDeviceView,
    RenameDeviceView,
    SignInCodeView,
)


@hooks.register("register_admin_urls")
def two_factor_urls() -> list:
    # wagtail-2fa's paths and names: its middleware lets a user who has not given a code yet
    # reach these pages by name, and its views and templates link to each other by name.
    return [
        path("2fa/auth", SignInCodeView.as_view(), name="wagtail_2fa_auth"),
        re_path(
            r"^2fa/devices/(?P<user_id>\d+)$",
            DevicesView.as_view(),
            name="wagtail_2fa_device_list",
        ),
        path("2fa/devices/new", EnrolView.as_view(), name="wagtail_2fa_device_new"),
        re_path(
            r"^2fa/devices/(?P<pk>\d+)/update$",
            RenameDeviceView.as_view(),
            name="wagtail_2fa_device_update",
        ),
        re_path(
            r"^2fa/devices/(?P<pk>\d+)/remove$",
            RemoveDeviceView.as_view(),
            name="wagtail_2fa_device_remove",
        ),
        path("2fa/devices/qr-code", QRCodeView.as_view(), name="wagtail_2fa_device_qrcode"),
        path("2fa/recovery-codes", RecoveryCodesView.as_view(), name="two_factor_recovery_codes"),
    ]


@hooks.register("construct_main_menu")
def no_menu_before_the_code(request, menu_items: list) -> None:
    """Someone who must enrol sees no menu on the enrolment pages: every item would only lead
    back to them."""
    user = request.user
    if (
        settings.WAGTAIL_2FA_REQUIRED
        and getattr(user, "enable_2fa", False)
        and not user.is_verified()
    ):
        menu_items.clear()


@hooks.register("register_account_menu_item")
def two_factor_account_item(request) -> dict:
    return {
        "url": reverse("wagtail_2fa_device_list", kwargs={"user_id": request.user.pk}),
        "label": _("Two-factor sign-in"),
        "help_text": _(
            "Your authenticator app and recovery codes: the code you enter after your password."
        ),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_user_button(user, request_user):
    # wagtail-2fa's own test for seeing and removing another user's devices, which only
    # superusers pass ("user" is no app): the administrators who reset a lost phone.
    if request_user.has_perm("user.change_user"):
        yield Button(
            _("Two-factor sign-in"),
            reverse("wagtail_2fa_device_list", kwargs={"user_id": user.pk}),
            icon_name="key",
            priority=100,
        )


@hooks.register("register_permissions")
def two_factor_permission():
    # Shown on the group editor, under "Other permissions": a group given it must sign in
    # with a second factor.
    return Permission.objects.filter(content_type__app_label="wagtailadmin", codename="enable_2fa")
