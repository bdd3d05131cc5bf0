"""Clinical review is the only way live: a condition or treatment page, in any language, becomes
live or changes what visitors see only when the "Clinical review" workflow approves it.

Wagtail asks a page's :class:`PagePermissionTester` before every publish it offers or performs
(the edit view's menu and POST, create-and-publish, bulk publish, scheduling, reverting a
revision, unpublishing, copying with "publish copies", creating an alias, wagtail-localize's
"Publish in …"), so the medical pages answer "no" there for everybody but superusers, whatever
group grants say. Two wagtail-localize views publish without asking it ("Sync translated pages"
with "Publish immediately", and "Convert to alias page"); their URLs are answered here first.
Approval still publishes: ``pages.workflows.publish_approved_revision`` is the workflows'
finishing action, and approving the last task is the permission it needs."""

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page
from wagtail_localize.models import MissingTranslationError, TranslationSource
from wagtail_localize.views import convert as localize_convert
from wagtail_localize.views import update_translations as localize_update

from .models.review import CLINICAL_PAGE_MODELS
from .translation_sync import save_translation_as_draft


def is_clinical(page: Page) -> bool:
    return page.specific_class is not None and page.specific_class._meta.label_lower in (
        CLINICAL_PAGE_MODELS
    )


def has_clinical_pages(page: Page, include_descendants: bool) -> bool:
    if is_clinical(page):
        return True
    if not include_descendants:
        return False
    clinical_types = [
        ContentType.objects.get_by_natural_key(*label.split(".")) for label in CLINICAL_PAGE_MODELS
    ]
    return page.get_descendants().filter(content_type__in=clinical_types).exists()


@hooks.register("before_copy_page")
def refuse_live_copies_of_clinical_pages(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Copying with "publish copies", or as an alias, makes the copies live at once. Wagtail
    asks the destination's ``can_publish_subpage`` only, which says yes for a home page when a
    whole section is copied there; a live copy of a medical page skips review, so refuse it."""
    if request.method != "POST" or request.user.is_superuser:
        return None
    publishing = request.POST.get("publish_copies") or request.POST.get("alias")
    if publishing and has_clinical_pages(page, bool(request.POST.get("copy_subpages"))):
        raise PermissionDenied(_("Condition and treatment pages go live only through review."))
    return None


class UpdateTranslationsView(localize_update.UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", which offers "Publish immediately" only to
    those who may publish every translation it would publish."""

    def may_publish_every_translation(self) -> bool:
        if self.request.user.is_superuser:
            return True
        for translation in self.object.translations.filter(enabled=True):
            try:
                target = translation.get_target_instance()
            except Page.DoesNotExist:
                continue
            if (
                isinstance(target, Page)
                and not target.permissions_for_user(self.request.user).can_publish()
            ):
                return False
        return True

    def get_form(self) -> Any:
        form = super().get_form()
        if self.request.method == "GET" and not self.may_publish_every_translation():
            del form.fields["publish_translations"]
        return form


def sync_translations(request: HttpRequest, translation_source_id: int) -> HttpResponse:
    """ "Sync translated pages", and what "Publish immediately" does when it comes from someone
    who may not publish every translation (the box is not shown to them, but a request can
    still carry it).

    wagtail-localize publishes every translation after the transaction commits, with no user, so
    no permission is asked. Here the sync runs without publishing; then each translated page is
    published if the user may publish it, and otherwise saved as a draft revision and sent to
    its review workflow (the live page, if any, is left as it is)."""
    view = UpdateTranslationsView.as_view()
    if request.method != "POST" or request.user.is_superuser:
        return view(request, translation_source_id=translation_source_id)
    if not request.POST.get("publish_translations"):
        return view(request, translation_source_id=translation_source_id)
    # wagtail-localize's own check (its view raises PermissionDenied, which leaves this function
    # too), asked first so that nothing below ever runs for someone it refuses.
    if not request.user.has_perm("wagtail_localize.submit_translation"):
        raise PermissionDenied

    post = request.POST.copy()
    post.pop("publish_translations")
    request.POST = post  # type: ignore[assignment]
    with transaction.atomic():
        response = view(request, translation_source_id=translation_source_id)
        if response.status_code != 302:
            return response
        source = get_object_or_404(TranslationSource, pk=translation_source_id)
        sent = 0
        for translation in source.translations.filter(enabled=True).select_related("target_locale"):
            try:
                target = translation.get_target_instance()
            except Page.DoesNotExist:
                continue
            if not isinstance(target, Page):
                continue
            if target.permissions_for_user(request.user).can_publish():
                with contextlib.suppress(ValidationError):  # as wagtail-localize does
                    translation.save_target(user=request.user, publish=True)
                continue
            sent += 1
            try:
                page = save_translation_as_draft(translation, request.user)
            except MissingTranslationError:
                # New text not translated yet: nothing to review until translators finish it
                # (they send it for review themselves); the page stays as it is.
                continue
            workflow = page.get_workflow()
            if workflow is not None and not page.workflow_in_progress:
                workflow.start(page, request.user)
    if sent:
        messages.warning(
            request,
            _(
                "Translations you may not publish were not published: those already translated "
                "were sent for review; the others wait for their translators."
            ),
        )
    return response


def convert_to_alias(request: HttpRequest, page_id: int) -> HttpResponse:
    """wagtail-localize's "Convert to alias page", for those who may publish the page only.

    The conversion copies the source language's live content into the translated page and
    deletes the translation record: for a live page, that publishes at once without review.
    wagtail-localize asks only whether the user may edit the page."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return localize_convert.convert_to_alias(request, page_id)


@hooks.register("construct_page_action_menu")
def hide_convert_to_alias(menu_items: list, request: HttpRequest, context: dict) -> None:
    """wagtail-localize's "Convert to alias page" in the edit view's menu, shown only to those
    who may publish the page (the conversion publishes it)."""
    page = context.get("page")
    if page is None or page.permissions_for_user(request.user).can_publish():
        return
    menu_items[:] = [item for item in menu_items if item.name != "localize-convert-to-alias"]


@hooks.register("register_admin_urls", order=-100)
def guard_localize_views() -> list:
    """Answer two of wagtail-localize's URLs before it does (these patterns come first in the
    admin's URLs, so they win; the names stay wagtail-localize's)."""
    return [
        path("localize/update/<int:translation_source_id>/", sync_translations),
        path("localize/page/<int:page_id>/convert_to_alias/", convert_to_alias),
    ]
