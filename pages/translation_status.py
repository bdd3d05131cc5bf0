"""Where every translation stands, so that translators always know what to do: the
"Translation status" report (Reports menu, exportable) and the translators' dashboard panel
"Translations to do", both read from :func:`translation_rows`.

A row is an English content page (a subclass of :class:`~pages.models.BasePage`) and a language
it is translated into (``core.languages.translated_languages``). Its state is the first of these
that holds:

1. **Not started**: no page in that language has the English page's ``translation_key``, or the
   one there is an alias of the English page (wagtail-localize makes aliases of the parents of a
   page it translates): nobody has translated anything of it yet.
2. **Out of date**: the page is translated with wagtail-localize (an enabled ``Translation`` from
   the English page), and either

   a. the English text it is translated from (the ``TranslationSource``, updated by "Sync
      translated pages", i.e. ``TranslationSource.update_from_db()``) has string segments that
      have no translation into the language, the count ``Translation.get_progress()`` gives
      (computed here for every translation in one query): the row says how many; or
   b. that English text was updated (``TranslationSource.last_updated_at``) after somebody
      last saved the translated page (sent it for review: a revision with a user) or it was
      last published: the new text is translated (say by strings already translated elsewhere)
      but nobody has sent the page on from it since, so visitors still read the old text. The
      strings to translate are then 0: the translator sends the page for review. The draft that
      publishing the English page writes (``pages.translation_sync``, a revision without a
      user) does not count: nobody has looked at it.

   Out of date comes before a review in progress or returned: whatever the reviewer does with
   the page, its text no longer says what the English says. A returned page's reviewer comment
   still shows when the translator opens it.

   Publishing the English page updates its translation source (``pages.translation_sync``),
   in the task queue after the publish (``pages.tasks``): a published change makes its
   translations out of date as soon as that task has run. Until it has, the row is out of date
   and **being updated** (its strings to translate not known yet): the sync of the English page
   is waiting in the database queue, or running (``pages.tasks.pending_syncs``). That costs the
   editor's publish nothing (the queue's own row of the task is what is read here) and the
   report no query: whether the sync is pending is a subquery of the English pages' query.
   With the immediate backend of development and tests the sync runs in the publishing
   request, so it is never pending. A sync that gave up after its retries leaves the rows as
   their source says, as before the publish (the failure is logged; the page's next publish
   tries again). A page whose translation was stopped (its ``Translation`` disabled) is edited
   by hand, as any other page: only its review counts, and no sync touches it.
3. **Returned**: the translated page's workflow is waiting for changes
   (``WorkflowState.STATUS_NEEDS_CHANGES``): the reviewer requested them.
4. **In review**: a workflow is in progress on the translated page.
5. **Up to date**: otherwise.

:func:`translation_rows` reads every row in 5 queries, however many pages: the site has
at most a few hundred pages per language, and the rows are filtered in Python by the report and
the panel.

Marketing editors (``wagtail_localize.submit_translation``, migration 0004) and superusers see
every language in the report. Translators do not have that permission (it would let them
publish through "Sync translated pages"); they see their own languages only, in the report and
in their panel. A user's languages are the locales of the language home pages on which one of
their groups holds ``change_page`` (``pages.translation_setup.grant_translators``)."""

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    Revision,
    WorkflowState,
    get_page_models,
)
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from core.languages import translated_languages

from .models import BasePage, HomePage
from .report_filters import RowFilterSet
from .tasks import pending_syncs

NOT_STARTED = "not_started"
OUT_OF_DATE = "out_of_date"
RETURNED = "returned"
IN_REVIEW = "in_review"
UP_TO_DATE = "up_to_date"

STATE_LABELS: dict[str, Any] = {
    NOT_STARTED: _("Not started"),
    OUT_OF_DATE: _("Out of date"),
    RETURNED: _("Returned by the reviewer"),
    IN_REVIEW: _("In review"),
    UP_TO_DATE: _("Up to date"),
}
# An out-of-date row whose English text is being updated (its strings not counted yet).
UPDATING_LABEL = _("Out of date (being updated)")
# What a translator has to do something about, most urgent first: a reviewer waits on a
# returned page, visitors read an out-of-date one.
TO_DO = (RETURNED, OUT_OF_DATE, NOT_STARTED)

SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"


@dataclass
class TranslationRow:
    """An English page and a language it is translated into: a row of the report and panel."""

    page: Page
    locale: Locale
    translated_page: Page | None
    state: str
    # How many strings of the English text have no translation: for out-of-date rows only, and
    # not for those whose English text is being updated (not known yet).
    strings_to_translate: int | None = None

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def language(self) -> str:
        return self.locale.get_display_name()

    @property
    def updating(self) -> bool:
        """Whether the translation is waiting for the sync of its English page
        (:mod:`pages.tasks`): out of date, by how many strings not known yet."""
        return self.state == OUT_OF_DATE and self.strings_to_translate is None

    @property
    def state_label(self) -> Any:
        return UPDATING_LABEL if self.updating else STATE_LABELS[self.state]

    @property
    def page_to_edit(self) -> Page:
        """The translated page; the English one while the translation is not started."""
        if self.state == NOT_STARTED or self.translated_page is None:
            return self.page
        return self.translated_page

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page_to_edit.pk])


def translatable_page_models() -> list[type[Page]]:
    """The site's content pages: every page type built on :class:`~pages.models.BasePage`
    (some are defined by the apps above ``pages``, which it does not import)."""
    return [model for model in get_page_models() if issubclass(model, BasePage)]


def content_types_of(*models: type[Any]) -> Any:
    """The content types of ``models``, as a subquery: no query of its own, whether Django's
    cache of content types is filled or not."""
    return ContentType.objects.filter(
        reduce(
            operator.or_,
            (Q(app_label=model._meta.app_label, model=model._meta.model_name) for model in models),
        )
    )


def untranslated_strings() -> Coalesce:
    """For a ``Translation`` queryset: how many string segments of its source have no
    (error-free) translation into its language; ``total - translated`` of ``get_progress()``."""
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=OuterRef(OuterRef("target_locale_id")),
        has_error=False,
    )
    missing = (
        StringSegment.objects.filter(source_id=OuterRef("source_id"))
        .filter(~Exists(translated))
        .order_by()
        .values("source_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(missing, output_field=IntegerField()), 0)


def saved_by_someone(page_id: Any) -> Subquery:
    """When a person last saved the page ``page_id`` (a value or an ``OuterRef``): the time
    of its latest revision that has a user."""
    return Subquery(
        Revision.objects.filter(
            base_content_type__in=content_types_of(Page),
            object_id=Cast(page_id, output_field=CharField()),
            user__isnull=False,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def row_state(
    translated: Page | None,
    translation: Translation | None,
    workflow_status: str | None,
    updating: bool = False,
) -> tuple[str, int | None]:
    """The state of a translation and, when out of date, its strings to translate (None while
    the English page's sync, ``updating``, is pending)."""
    if translated is None or translated.alias_of_id:
        return NOT_STARTED, None
    if translation is not None:
        if updating:
            return OUT_OF_DATE, None
        missing: int = translation.untranslated
        times = (getattr(translated, "saved_at", None), translated.last_published_at)
        saved = max((time for time in times if time is not None), default=None)
        not_saved_since = saved is not None and translation.source_updated_at > saved
        if missing or not_saved_since:
            return OUT_OF_DATE, missing
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        return RETURNED, None
    if workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return IN_REVIEW, None
    return UP_TO_DATE, None


def out_of_date(page: Page) -> int | None:
    """For one translated page, by the same rule as the report: None if it is not out of date,
    else how many strings wait for translation (0: all translated, not saved since). One
    query. A sync of the English page still pending is not counted here: this says how many
    strings wait, which is known once it has run (the header and message of the page's editor
    wait for it; the report and the explorer say "being updated" meanwhile)."""
    translation = (
        Translation.objects.filter(
            enabled=True, source__object_id=page.translation_key, target_locale_id=page.locale_id
        )
        .annotate(
            source_updated_at=F("source__last_updated_at"),
            untranslated=untranslated_strings(),
            saved_at=saved_by_someone(page.pk),
        )
        .first()
    )
    if translation is None:
        return None
    page.saved_at = translation.saved_at
    state, strings = row_state(page, translation, None)
    return strings if state == OUT_OF_DATE else None


def translation_rows(languages: Iterable[str] | None = None) -> list[TranslationRow]:
    """Every English content page with each language it is translated into (or only
    ``languages``), in the tree's order, then the order of the settings' languages. Five
    queries, however many pages: the locales, the English pages (with whether their sync is
    pending), their translations, wagtail-localize's translations with their untranslated
    strings, and the workflows in progress or returned (the last skipped when nothing is
    translated)."""
    codes = translated_languages()
    if languages is not None:
        wanted = set(languages)
        codes = [code for code in codes if code in wanted]
    if not codes:
        return []
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=[settings.LANGUAGE_CODE, *codes])
    }
    english = locales.get(settings.LANGUAGE_CODE)
    targets = [locales[code] for code in codes if code in locales]
    if english is None or not targets:
        return []

    english_pages = Page.objects.filter(
        locale=english,
        depth__gt=1,
        content_type__in=content_types_of(*translatable_page_models()),
    )
    pages = list(
        english_pages.annotate(
            translations_updating=Exists(pending_syncs().filter(page_id=OuterRef("pk")))
        ).order_by("path")
    )
    if not pages:
        return []
    keys = english_pages.values("translation_key")
    translated = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys, locale__in=targets)
        .annotate(saved_at=saved_by_someone(OuterRef("pk")))
        .order_by()
    }
    # The sources' dates and keys only: not their content, the whole English page in JSON.
    translations = {
        (translation.source_key, translation.target_locale_id): translation
        for translation in Translation.objects.filter(
            source__object_id__in=keys,
            source__locale=english,
            target_locale__in=targets,
            enabled=True,
        )
        .annotate(
            source_key=F("source__object_id"),
            source_updated_at=F("source__last_updated_at"),
            untranslated=untranslated_strings(),
        )
        .order_by()
    }
    workflows: dict[str, str] = {}
    if translated:
        workflows = dict(
            WorkflowState.objects.active()
            .filter(
                base_content_type__in=content_types_of(Page),
                object_id__in=[str(page.pk) for page in translated.values()],
            )
            .values_list("object_id", "status")
        )

    rows = []
    for page in pages:
        for locale in targets:
            translated_page = translated.get((page.translation_key, locale.pk))
            state, strings = row_state(
                translated_page,
                translations.get((page.translation_key, locale.pk)),
                workflows.get(str(translated_page.pk)) if translated_page else None,
                page.translations_updating,
            )
            rows.append(TranslationRow(page, locale, translated_page, state, strings))
    return rows


def translator_locales(user: Any) -> list[Locale]:
    """The languages ``user`` translates into: the locales of the language home pages on which
    one of their groups may change pages. None for a superuser who is in no such group."""
    if not user.is_authenticated:
        return []
    homes = GroupPagePermission.objects.filter(
        group__in=user.groups.all(),
        permission__content_type__app_label="wagtailcore",
        permission__codename="change_page",
        page__content_type__in=content_types_of(HomePage),
    )
    return list(
        Locale.objects.filter(
            language_code__in=translated_languages(), pk__in=homes.values("page__locale_id")
        ).order_by("language_code")
    )


def report_languages(user: Any) -> list[str] | None:
    """The languages of the report ``user`` may read: every one (None) for superusers and
    those who start translations, a translator's own, or none (an empty list)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser or user.has_perm(SUBMIT_TRANSLATION):
        return None
    return [locale.language_code for locale in translator_locales(user)]


def may_see_report(user: Any) -> bool:
    return report_languages(user) != []


def report_locales(request: Any) -> Any:
    languages = report_languages(request.user)
    codes = translated_languages() if languages is None else languages
    return Locale.objects.filter(language_code__in=codes).order_by("language_code")


class TranslationStatusFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the rows are filtered by the view."""

    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        queryset=report_locales,
        empty_label=_("Every language"),
        method="unfiltered",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=list(STATE_LABELS.items()),
        empty_label=_("Every state"),
        method="unfiltered",
    )

    class Meta:
        model = Translation
        fields: list[str] = []


class TranslationStatusView(ReportView):
    """Every content page in every language it is translated into, and where it stands."""

    page_title = _("Translation status")
    header_icon = "globe"
    index_url_name = "translation_status"
    index_results_url_name = "translation_status_results"
    filterset_class = TranslationStatusFilterSet
    export_filename = "translation-status"
    list_export = ["title", "language", "state_label", "strings_to_translate"]
    export_headings = {
        "title": _("Page"),
        "language": _("Language"),
        "state_label": _("State"),
        "strings_to_translate": _("Strings to translate"),
    }

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not may_see_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self) -> list[Column]:
        return [
            TitleColumn("title", label=_("Page"), get_url=lambda row: row.edit_url),
            Column("language", label=_("Language")),
            Column("state_label", label=_("State")),
            Column("strings_to_translate", label=_("Strings to translate")),
        ]

    def get_queryset(self) -> list[TranslationRow]:
        return self.filter_queryset(translation_rows(report_languages(self.request.user)))

    def filter_queryset(self, rows: Any) -> list[TranslationRow]:
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        language = data.get("language")
        state = data.get("state")
        return [
            row
            for row in rows
            if (not language or row.locale.pk == language.pk) and (not state or row.state == state)
        ]

    def get_filtered_queryset(self) -> list[TranslationRow]:
        return self.get_queryset()


class TranslationsToDoPanel(Component):
    """On a translator's dashboard: the pages of their languages to translate, the returned
    ones first, then the out-of-date ones, then those not started."""

    name = "translations_to_do"
    template_name = "pages/admin/translations_to_do_panel.html"
    order = 95  # above Wagtail's own panels: what needs the translator's attention

    def __init__(self, rows: list[TranslationRow]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"rows": self.rows}


def translations_to_do(user: Any) -> list[TranslationRow] | None:
    """A translator's work, in their languages only; None for anyone who is no translator
    (superusers included: they see the report)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    languages = [locale.language_code for locale in translator_locales(user)]
    if not languages:
        return None
    rows = [row for row in translation_rows(languages) if row.state in TO_DO]
    return sorted(rows, key=lambda row: TO_DO.index(row.state))  # stable: tree order within


@hooks.register("construct_homepage_panels")
def add_translations_to_do_panel(request: Any, panels: list) -> None:
    rows = translations_to_do(request.user)
    if rows is not None:
        panels.append(TranslationsToDoPanel(rows))


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item() -> MenuItem:
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("translation_status"),
        name="translation-status",
        icon_name="globe",
        order=1300,
    )


@hooks.register("register_admin_urls")
def register_translation_status_urls() -> list:
    return [
        path(
            "reports/translation-status/",
            TranslationStatusView.as_view(),
            name="translation_status",
        ),
        path(
            "reports/translation-status/results/",
            TranslationStatusView.as_view(results_only=True),
            name="translation_status_results",
        ),
    ]


def sync_pending() -> Exists:
    """For a ``Translation`` queryset: whether the sync of the English page its source is made
    from is queued or running (:func:`pages.tasks.pending_syncs`)."""
    english = Page.objects.filter(
        translation_key=OuterRef(OuterRef("source__object_id")),
        locale_id=OuterRef(OuterRef("source__locale_id")),
    ).values("pk")
    return Exists(pending_syncs().filter(page_id__in=english))


def out_of_date_translations() -> Any:
    """For a page queryset annotated with ``saved_at`` (:func:`saved_by_someone`): whether
    each page is a translation that is out of date (rule 2 of this module's docstring, being
    updated included), as an ``Exists`` to annotate with: one subquery, no query per page."""
    saved_at, published_at = OuterRef("saved_at"), OuterRef("last_published_at")
    # The later of the two, or NULL (never out of date by rule b) when neither happened.
    saved = Greatest(Coalesce(saved_at, published_at), Coalesce(published_at, saved_at))
    return Exists(
        Translation.objects.filter(
            enabled=True,
            source__object_id=OuterRef("translation_key"),
            target_locale_id=OuterRef("locale_id"),
        )
        .annotate(untranslated=untranslated_strings(), updating=sync_pending())
        .filter(Q(untranslated__gt=0) | Q(source__last_updated_at__gt=saved) | Q(updating=True))
    )


@hooks.register("construct_explorer_page_queryset")
def mark_out_of_date_translations(parent_page: Page, pages: Any, request: Any) -> Any:
    """The explorer's listing says "translation out of date" in a page's status
    (``BasePage.status_string``)."""
    if parent_page.locale.language_code == settings.LANGUAGE_CODE:
        return pages
    return pages.annotate(saved_at=saved_by_someone(OuterRef("pk"))).annotate(
        translation_out_of_date=out_of_date_translations()
    )
