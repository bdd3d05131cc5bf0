"""Admin views that wagtail-localize's translation editor does not provide."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.coreutils import find_available_slug
from wagtail.models import Page
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import Translation
from wagtail_localize.segments.ingest import ingest_segments


def save_translation_as_draft(translation: Translation, user) -> Page:
    """The translator's strings as a new draft revision of the translated page.

    wagtail-localize's ``save_target(publish=False)`` saves the page row itself, and for a page
    that is already live that row *is* what visitors see: the unreviewed translation would go
    live at once. Here only a revision is written; the live page changes when it is published."""
    source = translation.source
    original = source.as_instance()
    page = translation.get_target_instance()
    copy_synchronised_fields(original, page)
    segments = source._get_segments_for_translation(translation.target_locale)
    ingest_segments(original, page, source.locale, translation.target_locale, segments)
    page.slug = find_available_slug(page.get_parent(), page.slug, ignore_page_id=page.pk)
    page.save_revision(user=user)
    return page


@require_POST
def submit_translation_for_review(request, page_id: int):
    """Send a translator's work on a page to the page's review workflow. Translators cannot
    publish: their translation goes live once a reviewer approves it."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=page.locale_id
    ).first()
    if translation is None:
        messages.error(request, _("This page is not a translation."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    if page.workflow_in_progress:
        messages.warning(request, _("The translation is already waiting for review."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No review workflow applies to this page."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    with transaction.atomic():
        page = save_translation_as_draft(translation, request.user)
        workflow.start(page, request.user)
    messages.success(
        request,
        _("“%(title)s” was sent for review. It goes live once it is approved.")
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
