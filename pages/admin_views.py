"""Admin views that wagtail-localize's translation editor does not provide."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_localize.models import Translation


@require_POST
def submit_translation_for_review(request, page_id: int):
    """Save the translator's work as a draft of the translated page and send it to the page's
    review workflow. wagtail-localize's editor can only publish, which translators may not do:
    their translations go live only once a reviewer approves them."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=page.locale_id
    ).first()
    if translation is None:
        messages.error(request, _("This page is not a translation."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    translation.save_target(user=request.user, publish=False)
    page = page.specific_class.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No review workflow applies to this page."))
    elif page.workflow_in_progress:
        messages.warning(request, _("The translation is already waiting for review."))
    else:
        workflow.start(page, request.user)
        messages.success(
            request,
            _("“%(title)s” was sent for review. It goes live once it is approved.")
            % {"title": page.get_admin_display_title()},
        )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
