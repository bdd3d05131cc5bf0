"""Admin views that wagtail-localize's translation editor does not provide, and the checks put
in front of its endpoints that store what a translator types (``pages.translation_rules``)."""

import tempfile

import polib
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from modelcluster.fields import ParentalKey
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    OverridableSegment,
    StringSegment,
    Translation,
)
from wagtail_localize.views import edit_translation as localize_views
from wagtail_localize.views.edit_translation import user_can_edit_instance

from .translation_rules import (
    HTML_IN_STRING,
    SAME_IN_EVERY_LANGUAGE,
    is_translated_text,
    is_translators_link,
    link_refusal,
    string_refusal,
)
from .translation_sync import save_translation_as_draft


def refused(reason: str) -> Response:
    """What the translation editor gets back when a value is refused: nothing was stored."""
    return Response({"error": reason}, status=status.HTTP_400_BAD_REQUEST)


def _translation_for(request, translation_id: int, segment) -> Translation:
    translation = get_object_or_404(Translation, id=translation_id)
    if segment.context.object_id != translation.source.object_id:
        raise PermissionDenied
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    return translation


@api_view(["PUT", "DELETE"])
@permission_classes([IsAuthenticated])
@authentication_classes([SessionAuthentication])
def edit_override(request, translation_id: int, overridable_segment_id: int):
    """wagtail-localize's ``edit_override``, which stores any value a translator sends for any
    overridable segment, behind two checks: the value is a link a translator may adapt (never
    a physician, a date, an image or a page chosen), and its address is a safe one."""
    if request.method == "PUT":
        segment = get_object_or_404(OverridableSegment, id=overridable_segment_id)
        translation = _translation_for(request, translation_id, segment)
        source_instance = translation.source.as_instance()
        try:
            field_path = segment.context.get_field_path(source_instance)
        except (LookupError, AttributeError):
            return refused(str(SAME_IN_EVERY_LANGUAGE))
        if not is_translators_link(type(source_instance), field_path):
            return refused(str(SAME_IN_EVERY_LANGUAGE))
        refusal = link_refusal(request.POST.get("value"))
        if refusal:
            return refused(refusal)
    # Deleting an override only ever goes back to the English value.
    return localize_views.edit_override(request._request, translation_id, overridable_segment_id)


@api_view(["PUT", "DELETE"])
@permission_classes([IsAuthenticated])
@authentication_classes([SessionAuthentication])
def edit_string_translation(request, translation_id: int, string_segment_id: int):
    """wagtail-localize's ``edit_string_translation``, which stores a translation with an
    ``href`` (flagged, but stored) and a translation of text that is synchronised, refusing
    both."""
    if request.method == "PUT":
        segment = get_object_or_404(
            StringSegment.objects.select_related("string", "context"), id=string_segment_id
        )
        translation = _translation_for(request, translation_id, segment)
        source_instance = translation.source.as_instance()
        try:
            field_path = segment.context.get_field_path(source_instance)
        except (LookupError, AttributeError):
            return refused(str(SAME_IN_EVERY_LANGUAGE))
        if not is_translated_text(type(source_instance), field_path):
            return refused(str(SAME_IN_EVERY_LANGUAGE))
        refusal = string_refusal(segment.string.data, request.POST.get("value"))
        if refusal:
            return refused(refusal)
    return localize_views.edit_string_translation(
        request._request, translation_id, string_segment_id
    )


@require_POST
def upload_pofile(request: HttpRequest, translation_id: int) -> HttpResponse:
    """wagtail-localize's ``upload_pofile``, refusing the whole file when one of its
    translations brings an address or any other HTML attribute into the text."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is not None:
        # Through a file, as wagtail-localize does: polib reads a string that names an
        # existing file as that file.
        with tempfile.NamedTemporaryFile(suffix=".po") as copy:
            copy.write(upload.read())
            copy.flush()
            upload.seek(0)
            try:
                entries = list(polib.pofile(copy.name))
            except (OSError, UnicodeDecodeError):
                entries = []  # wagtail-localize tells the translator it is not a PO file
        if any(entry.msgstr and string_refusal(entry.msgid, entry.msgstr) for entry in entries):
            messages.error(request, str(HTML_IN_STRING))
            return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")
    return localize_views.upload_pofile(request, translation_id)


@require_POST
def stop_translation(request: HttpRequest, translation_id: int) -> HttpResponse:
    """wagtail-localize's ``stop_translation``, for those who may publish the page only. Once
    stopped, the translated page is edited in Wagtail's own editor, every field of it (the
    reviewing physician, a physician's degrees, any link), which translators must not reach:
    wagtail-localize lets anybody who can edit the translation stop it."""
    translation = get_object_or_404(Translation, id=translation_id)
    instance = translation.get_target_instance()
    if isinstance(instance, Page) and not instance.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return localize_views.stop_translation(request, translation_id)


def field_label(instance, path: str) -> str:
    """The name an editor sees for the field at ``path`` (a segment's path, with block ids and
    translation keys), such as "Summary", "Body → Paragraph 2" or
    "Treatment options 1 → Note"."""
    name, *rest = path.split(".")
    try:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ManyToOneRel) and isinstance(field.remote_field, ParentalKey):
            children = list(getattr(instance, name).all())
            keys = [str(child.translation_key) for child in children]
            child = children[keys.index(rest[0])]
            label = f"{capfirst(field.related_model._meta.verbose_name)} {keys.index(rest[0]) + 1}"
            return f"{label} → {field_label(child, '.'.join(rest[1:]))}"
        label = capfirst(field.verbose_name)
        if isinstance(field, StreamField) and rest:
            stream = field.value_from_object(instance)
            block = next(block for block in stream if block.id == rest[0])
            same_type = [other.id for other in stream if other.block_type == block.block_type]
            return f"{label} → {capfirst(block.block.label)} {same_type.index(block.id) + 1}"
        return str(label)
    except (LookupError, AttributeError, ValueError, StopIteration, IndexError):
        return path


def missing_strings(translation: Translation) -> list[str]:
    """The fields, by their labels, that still hold text without a (valid) translation."""
    original = translation.source.as_instance()
    segments = (
        StringSegment.objects.filter(source=translation.source)
        .annotate_translation(translation.target_locale)
        .select_related("context")
        .order_by("order")
    )
    labels: list[str] = []
    for segment in segments:
        if not segment.translation:
            label = field_label(original, segment.context.path)
            if label not in labels:
                labels.append(label)
    return labels


def back(request: HttpRequest, page: Page) -> HttpResponse:
    """Where a translator who sent a page for review goes next: where they sent it from."""
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailadmin_explore", args=[page.get_parent().pk])
    )


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
        return back(request, page)
    if page.workflow_in_progress:
        messages.warning(request, _("The translation is already waiting for review."))
        return back(request, page)
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No review workflow applies to this page."))
        return back(request, page)
    # Refused until every string is translated: the English text in a Spanish clinical page
    # would reach the physician's review, and then visitors, as if it were the translation.
    missing = missing_strings(translation)
    if missing:
        messages.error(
            request,
            _("Not sent for review: these fields are not translated yet: %(fields)s.")
            % {"fields": "; ".join(missing)},
        )
        return back(request, page)
    try:
        with transaction.atomic():
            page = save_translation_as_draft(translation, request.user)
            workflow.start(page, request.user)
    except (MissingTranslationError, MissingRelatedObjectError, ValidationError):
        # A string translated or removed between the check and the save, or a translation the
        # page does not accept: nothing was saved.
        messages.error(
            request,
            _("Not sent for review: the translation is not complete. Check it and send it again."),
        )
        return back(request, page)
    messages.success(
        request,
        _("“%(title)s” was sent for review. It goes live once it is approved.")
        % {"title": page.get_admin_display_title()},
    )
    return back(request, page)
