from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .admin_views import submit_translation_for_review
from .content_checks import use_clinic_content_checker


@hooks.register("register_admin_urls")
def register_translation_review_url():
    return [
        path(
            "translations/<int:page_id>/submit-for-review/",
            submit_translation_for_review,
            name="submit_translation_for_review",
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def submit_for_review_button(page, user, next_url=None, **kwargs):
    """In the page explorer, translators send a translated page to review from its menu."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    url = reverse("submit_translation_for_review", args=[page.pk])
    yield Button(
        _("Send translation for review"),
        url,
        icon_name="tasks",
        priority=60,
        # A POST with the CSRF token, through Wagtail's own action controller.
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        },
    )


@hooks.register("construct_wagtail_userbar")
def add_clinic_content_checks(request, items, page):
    use_clinic_content_checker(items)
