"""What a reviewer reads before approving a translation: the English and the translation side
by side, field by field, with the strings a machine translated and nobody has edited since
marked; and, for an update of a live translation, a link to what changed since the live version
(Wagtail's comparison of the live revision with the latest).

A machine-translated string stays marked until a person edits it in the translation editor
(wagtail-localize then stores it as a manual translation) or confirms it here: the translator
or the reviewer ticks the strings they checked, and each confirmation is written to the page's
history.

Reviewers reach it from a translated page's edit view, where a message says how many strings are
machine-assisted, and from the page's header menu."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from .admin_views import field_label
from .translation_status import out_of_date

CONFIRM_MACHINE_TRANSLATION = "pages.confirm_machine_translation"


@dataclass
class ComparedString:
    field: str
    english: str
    translated: str | None
    machine: bool
    # The StringTranslation's id, for confirming a machine translation.
    translation_id: int | None = None


def translation_of(page: Page) -> Translation | None:
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale=page.locale_id, enabled=True
        )
        .select_related("source", "source__locale", "target_locale")
        .first()
    )


def compared_strings(translation: Translation) -> list[ComparedString]:
    """Every string of the English text with its translation (None if missing), in the
    page's order. Three queries."""
    segments = list(
        StringSegment.objects.filter(source=translation.source)
        .select_related("string", "context")
        .order_by("order")
    )
    translations = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale=translation.target_locale,
            translation_of__in=[segment.string_id for segment in segments],
            context__in=[segment.context_id for segment in segments],
        )
    }
    original = translation.source.as_instance()
    rows = []
    for segment in segments:
        found = translations.get((segment.string_id, segment.context_id))
        usable = found is not None and not found.has_error
        rows.append(
            ComparedString(
                field=field_label(original, segment.context.path),
                english=segment.string.data,
                translated=found.data if usable else None,
                machine=usable
                and found.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE,
                translation_id=found.pk if usable else None,
            )
        )
    return rows


def may_review(page: Page, user: Any) -> bool:
    if page.permissions_for_user(user).can_edit():
        return True
    task = page.current_workflow_task
    return task is not None and task.specific.user_can_access_editor(page, user)


def compare_translation(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_review(page, request.user):
        raise PermissionDenied
    translation = translation_of(page)
    if translation is None:
        raise PermissionDenied
    rows = compared_strings(translation)
    if request.method == "POST":
        return confirm_machine_translations(request, page, translation, rows)
    live_and_changed = (
        page.live and page.live_revision_id and (page.latest_revision_id != page.live_revision_id)
    )
    return TemplateResponse(
        request,
        "pages/admin/compare_translation.html",
        {
            "page": page,
            "translation": translation,
            "rows": rows,
            "machine": sum(row.machine for row in rows),
            "missing": sum(row.translated is None for row in rows),
            "changes_url": reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[page.pk, "live", page.latest_revision_id],
            )
            if live_and_changed
            else None,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )


def confirm_machine_translations(
    request: HttpRequest, page: Page, translation: Translation, rows: list[ComparedString]
) -> HttpResponse:
    """Mark the machine translations ticked in the comparison as checked by ``request.user``:
    manual translations from now on, as if they had typed them. Only this page's machine
    translations are taken, whatever ids are posted."""
    machine = {row.translation_id: row for row in rows if row.machine}
    chosen = [
        int(value)
        for value in request.POST.getlist("confirm")
        if value.isdigit() and int(value) in machine
    ]
    if not chosen:
        messages.error(request, _("Tick the machine translations you have checked."))
        return redirect("compare_translation", page.pk)
    with transaction.atomic():
        StringTranslation.objects.filter(pk__in=chosen).update(
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            tool_name="",
            last_translated_by=request.user,
            updated_at=timezone.now(),
        )
        log(
            page,
            CONFIRM_MACHINE_TRANSLATION,
            user=request.user,
            data={
                "locale": translation.target_locale.language_code,
                "fields": [machine[pk].field for pk in chosen],
            },
        )
    messages.success(
        request,
        ngettext(
            "%(count)s machine translation confirmed as checked.",
            "%(count)s machine translations confirmed as checked.",
            len(chosen),
        )
        % {"count": len(chosen)},
    )
    return redirect("compare_translation", page.pk)


@hooks.register("register_log_actions")
def register_confirm_log_action(actions: Any) -> None:
    @actions.register_action(CONFIRM_MACHINE_TRANSLATION)
    class ConfirmMachineTranslation(LogFormatter):
        label = gettext_lazy("Confirm machine translation")

        def format_message(self, log_entry: Any) -> str:
            fields = log_entry.data.get("fields", [])
            return ngettext(
                "Machine translation checked and confirmed: %(fields)s",
                "Machine translations checked and confirmed: %(fields)s",
                len(fields),
            ) % {"fields": "; ".join(fields)}


def machine_assisted(page: Page) -> int | None:
    """How many strings of a translated page a machine translated (None: not a translation)."""
    translation = translation_of(page)
    if translation is None:
        return None
    return StringTranslation.objects.filter(
        locale=translation.target_locale,
        translation_of__segments__source=translation.source,
        context__in=StringSegment.objects.filter(source=translation.source).values("context"),
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    ).count()


@hooks.register("register_admin_urls")
def register_compare_translation_url() -> list:
    return [
        path(
            "translations/<int:page_id>/compare/",
            compare_translation,
            name="compare_translation",
        )
    ]


@hooks.register("register_page_header_buttons")
def compare_translation_button(page: Page, user: Any, view_name: str = "", **kwargs: Any):
    if page.alias_of_id or translation_of(page) is None:
        return
    yield Button(
        gettext_lazy("Compare with the original"),
        reverse("compare_translation", args=[page.pk]),
        icon_name="doc-full",
        priority=20,
    )


def compare_message(page: Page, user: Any) -> str | None:
    """For the reviewer opening a translation that waits for them: where to compare it, and
    how many of its strings a machine translated."""
    task = page.current_workflow_task
    if task is None or not task.specific.get_actions(page, user):
        return None
    count = machine_assisted(page)
    if count is None:
        return None
    if count:
        return _(
            "Before approving, compare this translation with the original. %(count)s of its "
            "texts were translated by machine; check them with particular care."
        ) % {"count": count}
    return _("Before approving, compare this translation with the original.")


def out_of_date_message(page: Page) -> str | None:
    """For whoever opens a translated page: that it no longer says what the original says, and
    how many texts wait (the rule of ``pages.translation_status``)."""
    missing = out_of_date(page)
    if missing:
        return ngettext(
            "The original has changed: %(count)s text waits for translation. This page "
            "stays as it is for visitors until its update is approved.",
            "The original has changed: %(count)s texts wait for translation. This page "
            "stays as it is for visitors until its update is approved.",
            missing,
        ) % {"count": missing}
    if missing == 0:
        return _(
            "The original has changed since this translation was last saved; every text is "
            "translated. Send it for review to bring the page up to date."
        )
    return None
