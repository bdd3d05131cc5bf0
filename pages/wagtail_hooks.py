from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

# Modules whose hooks register themselves when imported here.
from . import (  # noqa: F401
    admin_api,  # translators read the pages they translate from
    clinical_review,  # the routes around review that a page's permissions miss
    review_admin,  # the "Due for medical review" report and the physicians' panel
    search_terms_admin,  # the "Site searches" report and its "Promote a page" links
    translation_buttons,  # wagtail-localize's buttons in the explorer, read with its rows
    translation_review,  # the reviewer's comparison of a translation with its original
    translation_status,  # the "Translation status" report and the translators' panel
    view_reports,  # the "Page views" report
)
from .admin_views import (
    edit_override,
    edit_string_translation,
    stop_translation,
    submit_translation_for_review,
    upload_pofile,
)
from .content_checks import (
    add_legal_notices_panel,
    use_clinic_content_checker,
    warn_of_long_descriptions,
)
from .review_views import ReviewedPageViewSet


@hooks.register("register_admin_viewset")
def register_reviewed_page_views():
    """Every page type's edit and review views tell editors and reviewers where a review
    stands (``pages.review_views``)."""
    return ReviewedPageViewSet()


@hooks.register("register_admin_urls")
def register_translation_review_url():
    return [
        path(
            "translations/<int:page_id>/submit-for-review/",
            submit_translation_for_review,
            name="submit_translation_for_review",
        )
    ]


@hooks.register("register_admin_urls", order=-1)
def check_what_translators_send():
    """wagtail-localize's endpoints that store a translator's values (and the one that hands a
    translated page to Wagtail's own editor), answered first by ``admin_views`` at the same
    addresses, and so under the same URL names: they refuse what must stay the same in every
    language, and unsafe links, before anything is stored. ``order=-1``: wagtail-localize's
    hook would otherwise come first."""
    translate = "localize/translate/<int:translation_id>/"
    return [
        path(
            f"{translate}overrides/<int:overridable_segment_id>/edit/",
            edit_override,
        ),
        path(
            f"{translate}strings/<int:string_segment_id>/edit/",
            edit_string_translation,
        ),
        path(f"{translate}pofile/upload/", upload_pofile),
        path(f"{translate}disable/", stop_translation),
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


@hooks.register("before_edit_page")
def warn_of_long_search_descriptions(request, page):
    """The editor is told of a description search engines would cut, in any language."""
    warn_of_long_descriptions(request, page)


@hooks.register("construct_homepage_panels")
def warn_of_missing_legal_notices(request, panels):
    add_legal_notices_panel(request, panels)
