"""The in-process half of the scale benchmark (bench/scale.py): growing the content in bulk and
measuring what is measured inside Django. Each step runs in a process of its own, with the
benchmark's environment (``bench.scale_settings``, production settings, the run's database and
Redis), so that the number of languages is the one of that step:

- ``grow N OUT.json``: N condition and N treatment pages in English and in every content
  language, linked as the demo links them (:func:`grow`).
- ``public OUT.json``: the public URLs measured, with their SQL queries and database time, and the
  pages the sitemaps list (:func:`public`).
- ``staff OUT.json``: the staff paths, as a superuser through Django's test client (:func:`staff`).
- ``editor SECONDS INTERVAL OUT.json``: publishes a different English page every INTERVAL seconds,
  as an editor does during the working-day replay (:func:`editor`).

Growing goes around the editor's path on purpose: creating 20,000 pages one at a time, with a
revision, a translation source and a search-index update each, would take hours. Each page is a
copy of a demo condition or treatment (its content and, in each language, its translation's
content) written straight into the tables: the ``Page`` rows with their tree positions in one
``bulk_create``, the condition or treatment rows in one insert, then the links, the medical
review records and the search-index entries (copied from the demo page's, which hold the same
text). What the copies do not get is listed in bench/README.md."""

import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import django

# The demo pages every copy is made from: their text mentions nerves, which the search looks for.
CONDITION_TEMPLATE = "bells-palsy"
TREATMENT_TEMPLATE = "facial-retraining-therapy"
SEARCH_TERMS = "nerve"
PREFIX = {"condition": "bench-condition-", "treatment": "bench-treatment-"}
# Two draft index pages outside the public site, with this many draft conditions each: the
# explorer's listing of a few rows and of a full page of rows (it shows 50 a page).
EXPLORER_ROWS = (5, 50)
HOST = "127.0.0.1"
LINKED_TREATMENTS = 3
LINKED_PHYSICIANS = 2


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- growing -------------------------------------------------------------------------------------


def grow(target: int) -> dict:
    """N English conditions and treatments (``bench-condition-0001`` …) and their translations
    into every other content language; what exists already is kept, so the run grows one
    database from 10 to 100 to 1,000, and a language added to the settings gets its copies."""
    from django.db import connection, transaction
    from wagtail.models import Locale

    from pages.models import ConditionIndexPage, ConditionPage, TreatmentIndexPage, TreatmentPage

    timings: dict[str, float] = {}
    english = Locale.get_default()
    started = time.monotonic()
    added_languages = translate_demo_into_new_languages()
    timings["demo translated into new languages (wagtail-localize)"] = time.monotonic() - started
    with transaction.atomic():
        started = time.monotonic()
        condition_index = section_index(ConditionIndexPage, english)
        treatment_index = section_index(TreatmentIndexPage, english)
        treatments = grow_english(TreatmentPage, TREATMENT_TEMPLATE, treatment_index, target)
        conditions = grow_english(ConditionPage, CONDITION_TEMPLATE, condition_index, target)
        link_english(conditions, treatments)
        ensure_explorer_sections(condition_index)
        timings["English pages"] = time.monotonic() - started
        started = time.monotonic()
        for locale in Locale.objects.exclude(pk=english.pk).order_by("language_code"):
            translate_copies(TreatmentPage, TREATMENT_TEMPLATE, locale)
            translate_copies(ConditionPage, CONDITION_TEMPLATE, locale)
        timings["translated copies"] = time.monotonic() - started
        started = time.monotonic()
        index_references()
        timings["reference index"] = time.monotonic() - started
    # What autovacuum does after a change this size, done now rather than while the next step
    # is measured (on two cores it would take one from the workers): the planner's statistics,
    # without which PostgreSQL plans the grown tables as if they were empty, and the vacuum.
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["VACUUM ANALYZE"] = time.monotonic() - started
    return {
        "timings": timings,
        "languages_added": added_languages,
        "pages": page_counts(),
    }


def translate_demo_into_new_languages() -> list[str]:
    """The demo clinic in each content language it is not yet in, made as the demo loader makes
    its Spanish and French (``DemoLoader.translate_tree``: a translation source, a translated
    string for each segment, then the translated page published by wagtail-localize), with the
    English text where the demo has no translation of its own. Only the demo's pages: the
    bench's copies get theirs in bulk (:func:`translate_copies`). The copies of the new
    language hang below these pages, and the pages the staff paths measure have a translation
    source and a translation per language, as in production."""
    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    from core.languages import translated_languages
    from demo.loader import load_translations
    from pages.models import HomePage

    english = Locale.get_default()
    home = HomePage.objects.get(depth=2, locale=english)
    added = []
    for code in translated_languages():
        locale = Locale.objects.get(language_code=code)
        if home.has_translation(locale):
            continue
        strings = load_translations(code)
        pages = (
            home.get_descendants(inclusive=True)
            .filter(locale=english)
            .exclude(slug__startswith="bench-")
            .order_by("path")
        )
        for page in pages.specific():
            source, _created = TranslationSource.get_or_create_from_instance(page)
            StringTranslation.objects.bulk_create(
                [
                    StringTranslation(
                        translation_of_id=segment.string_id,
                        locale=locale,
                        context_id=segment.context_id,
                        data=strings.get(segment.string.data, segment.string.data),
                        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    )
                    for segment in source.stringsegment_set.select_related("string")
                ],
                ignore_conflicts=True,
            )
            translation, _created = Translation.objects.get_or_create(
                source=source, target_locale=locale
            )
            translation.save_target(publish=True)
        added.append(code)
        log(f"  demo translated into {code}")
    return added


def section_index(model, locale):
    """The conditions or treatments index page of ``locale`` (not the explorer's bench sections)."""
    return model.objects.filter(locale=locale).exclude(slug__startswith="bench-").get()


def template_page(model, slug: str, locale=None):
    from wagtail.models import Locale

    english = model.objects.get(slug=slug, locale=Locale.get_default())
    return english if locale is None else english.get_translation(locale).specific


def numbered(model, prefix: str, locale) -> dict[int, Any]:
    """The copies already made in ``locale``, by number."""
    pages = model.objects.filter(locale=locale, slug__startswith=prefix)
    return {int(page.slug.removeprefix(prefix)): page for page in pages}


def grow_english(model, template_slug: str, parent, target: int) -> dict[int, Any]:
    from wagtail.models import Locale

    kind = "condition" if model.__name__ == "ConditionPage" else "treatment"
    existing = numbered(model, PREFIX[kind], Locale.get_default())
    template = template_page(model, template_slug)
    missing = [number for number in range(1, target + 1) if number not in existing]
    made = bulk_copy(
        template,
        parent,
        [
            (f"{PREFIX[kind]}{number:04d}", f"{template.title} ({number})", uuid.uuid4())
            for number in missing
        ],
    )
    copy_reviews(template, made)
    existing.update(zip(missing, made, strict=True))
    return existing


def link_english(conditions: dict[int, Any], treatments: dict[int, Any]) -> None:
    """Each new condition links to 3 treatments and 2 physicians, each new treatment to 2
    physicians, as the demo's do: rows of the same link models, entered on the English page."""
    from wagtail.models import Locale

    from pages.models import (
        ConditionPage,
        ConditionPhysician,
        ConditionTreatmentOption,
        PhysicianPage,
        TreatmentPhysician,
    )

    english = Locale.get_default()
    physicians = list(PhysicianPage.objects.filter(locale=english).order_by("path"))
    template = template_page(ConditionPage, CONDITION_TEMPLATE)
    notes = [option.note for option in template.treatment_options.order_by("sort_order")] or [""]
    numbers = sorted(treatments)
    linked = set(
        ConditionTreatmentOption.objects.filter(page__in=conditions.values()).values_list(
            "page_id", flat=True
        )
    )
    options, condition_physicians = [], []
    for number, page in conditions.items():
        if page.pk in linked:
            continue
        for k in range(LINKED_TREATMENTS):
            treatment = treatments[numbers[(number - 1 + k) % len(numbers)]]
            options.append(
                ConditionTreatmentOption(
                    page_id=page.pk,
                    treatment_id=treatment.pk,
                    note=notes[k % len(notes)],
                    sort_order=k,
                    locale=english,
                )
            )
        condition_physicians += [
            ConditionPhysician(page_id=page.pk, physician=physician, sort_order=k)
            for k, physician in enumerate(pick(physicians, number, LINKED_PHYSICIANS))
        ]
    ConditionTreatmentOption.objects.bulk_create(options)
    ConditionPhysician.objects.bulk_create(condition_physicians)
    linked = set(
        TreatmentPhysician.objects.filter(page__in=treatments.values()).values_list(
            "page_id", flat=True
        )
    )
    TreatmentPhysician.objects.bulk_create(
        TreatmentPhysician(page_id=page.pk, physician=physician, sort_order=k)
        for number, page in treatments.items()
        if page.pk not in linked
        for k, physician in enumerate(pick(physicians, number, LINKED_PHYSICIANS))
    )


def index_references() -> None:
    """Wagtail's reference index rows for the copies' links, as saving each copy would have
    written them: the site finds the pages that show a published page from it
    (``core.dependents``), so copies without them would make a publish look cheaper than it
    is. Each link row gives one reference from its page to the page it names; a row indexed
    already is left (``ignore_conflicts``), so each size adds only its new copies'."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    from pages.models import (
        ConditionPage,
        ConditionPhysician,
        ConditionTreatmentOption,
        TreatmentPage,
        TreatmentPhysician,
    )

    page_type = ContentType.objects.get_for_model(Page)
    links = (
        (ConditionPage, ConditionTreatmentOption, "treatment_options", "treatment"),
        (ConditionPage, ConditionPhysician, "physician_links", "physician"),
        (TreatmentPage, TreatmentPhysician, "physician_links", "physician"),
    )
    for page_model, link_model, relation, field in links:
        content_type = ContentType.objects.get_for_model(page_model)
        rows = link_model.objects.filter(page__slug__startswith="bench-").values_list(
            "pk", "page_id", f"{field}_id"
        )
        references = []
        for pk, page_id, target_id in rows.iterator():
            path = f"{relation}.{pk}.{field}"
            references.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=page_type,
                    object_id=str(page_id),
                    to_content_type=page_type,
                    to_object_id=str(target_id),
                    model_path=f"{relation}.item.{field}",
                    content_path=path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(path),
                )
            )
        ReferenceIndex.objects.bulk_create(references, batch_size=5000, ignore_conflicts=True)


def pick(items: list, number: int, count: int) -> list:
    return [items[(number + k) % len(items)] for k in range(count)]


def translate_copies(model, template_slug: str, locale) -> None:
    """A translated page in ``locale`` for every English copy that has none: the demo page's
    translation's content, the English copy's slug and translation key, below the index page of
    that language, with the English copy's links as wagtail-localize synchronises them."""
    from wagtail.models import Locale

    kind = "condition" if model.__name__ == "ConditionPage" else "treatment"
    english_copies = numbered(model, PREFIX[kind], Locale.get_default())
    done = numbered(model, PREFIX[kind], locale)
    missing = [number for number in sorted(english_copies) if number not in done]
    if not missing:
        return
    template = template_page(model, template_slug, locale)
    parent = template.get_parent()
    made = bulk_copy(
        template,
        parent,
        [
            (
                english_copies[number].slug,
                f"{template.title} ({number})",
                english_copies[number].translation_key,
            )
            for number in missing
        ],
    )
    copy_reviews(template, made)
    copy_links(
        model, template, {english_copies[n].pk: page for n, page in zip(missing, made, strict=True)}
    )


def copy_links(model, template, translated: dict[int, Any]) -> None:
    """The link rows of the translated copies: those of their English page, with the values the
    demo's translation has for what a translator translates (a treatment option's note), and
    pointing where the demo translation's rows point (the English page, for wagtail-localize
    synchronises the link and the site shows its translation)."""
    from pages.models import (
        ConditionPhysician,
        ConditionTreatmentOption,
        TreatmentPhysician,
    )

    physician_model = (
        ConditionPhysician if model.__name__ == "ConditionPage" else TreatmentPhysician
    )
    physician_rows = physician_model.objects.filter(page_id__in=translated)
    physician_model.objects.bulk_create(
        physician_model(
            page_id=translated[row.page_id].pk,
            physician_id=row.physician_id,
            sort_order=row.sort_order,
        )
        for row in physician_rows
    )
    if physician_model is not ConditionPhysician:
        return
    notes = [option.note for option in template.treatment_options.order_by("sort_order")] or [""]
    ConditionTreatmentOption.objects.bulk_create(
        ConditionTreatmentOption(
            page_id=translated[row.page_id].pk,
            treatment_id=row.treatment_id,
            note=notes[row.sort_order % len(notes)],
            sort_order=row.sort_order,
            locale_id=translated[row.page_id].locale_id,
            translation_key=row.translation_key,
        )
        for row in ConditionTreatmentOption.objects.filter(page_id__in=translated)
    )


def bulk_copy(template, parent, copies: list[tuple[str, str, uuid.UUID]], live: bool = True):
    """Copies of ``template`` (a specific page) below ``parent``, one per (slug, title,
    translation key): the ``Page`` rows with their tree paths in one ``bulk_create``, then the
    rows of each table of the page's model (``_insert``, what ``bulk_create`` does for a model of
    one table), then the parent's child count, and the search-index entries."""
    from django.utils import timezone
    from wagtail.models import Page

    if not copies:
        return []
    model = type(template)
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    position = Page._str2int(last[-Page.steplen :]) if last else 0
    now = timezone.now()
    base_rows, specifics = [], []
    for offset, (slug, title, key) in enumerate(copies, start=1):
        values = {f.attname: getattr(template, f.attname) for f in model._meta.concrete_fields}
        page = model(**values)
        page.id = None
        for link in model._meta.parents.values():
            setattr(page, link.attname, None)
        page.slug, page.title, page.draft_title, page.translation_key = slug, title, title, key
        page.path = Page._get_path(parent.path, parent.depth + 1, position + offset)
        page.depth, page.numchild = parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{slug}/"
        page.live, page.has_unpublished_changes = live, not live
        page.first_published_at = page.last_published_at = now if live else None
        page.live_revision_id = page.latest_revision_id = None
        page.latest_revision_created_at = None
        page.locked, page.locked_by_id, page.locked_at = False, None, None
        page.alias_of_id = None
        page.show_in_menus = False
        specifics.append(page)
        base_rows.append(
            Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
        )
    Page.objects.bulk_create(base_rows, batch_size=500)
    for page, row in zip(specifics, base_rows, strict=True):
        page.id = row.pk
        for link in model._meta.parents.values():
            setattr(page, link.attname, row.pk)
        page._state.adding, page._state.db = False, row._state.db
    for table_model in reversed([model, *model._meta.get_parent_list()]):
        if table_model is Page or table_model._meta.abstract:
            continue
        fields = list(table_model._meta.local_concrete_fields)
        for start in range(0, len(specifics), 500):
            table_model._base_manager._insert(specifics[start : start + 500], fields=fields)
    # Counted in the database: treebeard answers an in-memory leaf's children with none.
    Page.objects.filter(pk=parent.pk).update(numchild=children.count())
    copy_index_entries(template, specifics)
    return specifics


def copy_index_entries(template, pages: list) -> None:
    """The search-index entries of the copies: the template's (the same text), copied in SQL;
    ``update_index`` would compute the same vectors for every page, which takes minutes."""
    from django.db import connection
    from wagtail.search.models import IndexEntry

    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        columns = [
            column.name
            for column in connection.introspection.get_table_description(cursor, table)
            if column.name not in ("id", "object_id")
        ]
        listed = ", ".join(columns)
        copied = ", ".join(f"e.{column}" for column in columns)
        cursor.execute(
            f"INSERT INTO {table} ({listed}, object_id) "  # the names come from the schema
            f"SELECT {copied}, new.object_id FROM {table} e, unnest(%s::text[]) AS new(object_id) "
            "WHERE e.object_id = %s",
            [[str(page.pk) for page in pages], str(template.pk)],
        )


def copy_reviews(template, pages: list) -> None:
    """The template's medical review records, for each copy: the medical review report reads
    them."""
    from pages.models.medical_review import MedicalReview

    reviews = list(MedicalReview.objects.filter(page_id=template.pk))
    copies = []
    for page in pages:
        for review in reviews:
            values = {
                f.attname: getattr(review, f.attname) for f in MedicalReview._meta.concrete_fields
            }
            values.update(id=None, page_id=page.pk, revision_id=None)
            copies.append(MedicalReview(**values))
    MedicalReview.objects.bulk_create(copies, batch_size=1000)


def ensure_explorer_sections(condition_index) -> None:
    """Two draft condition index pages below the English home page, with 5 and 50 draft
    conditions: the explorer's listing of 5 rows and of 50 (a full page), whatever the size of
    the site. Drafts, so visitors, menus and sitemaps never see them."""
    from pages.models import ConditionPage

    home = condition_index.get_parent()
    template = template_page(ConditionPage, CONDITION_TEMPLATE)
    for rows in EXPLORER_ROWS:
        slug = f"bench-explorer-{rows}"
        if home.get_children().filter(slug=slug).exists():
            continue
        index = bulk_copy(
            type(condition_index).objects.get(pk=condition_index.pk),
            home,
            [(slug, f"Explorer, {rows} rows", uuid.uuid4())],
            live=False,
        )[0]
        bulk_copy(
            template,
            index,
            [(f"{slug}-{n}", f"{template.title} (draft {n})", uuid.uuid4()) for n in range(rows)],
            live=False,
        )


def page_counts() -> dict[str, int]:
    from django.db.models import Count
    from wagtail.models import Page

    rows = Page.objects.order_by().values("locale__language_code").annotate(n=Count("id"))
    return {row["locale__language_code"] or "-": row["n"] for row in rows}


# --- measuring in-process ------------------------------------------------------------------------


class Timed:
    """SQL queries of the block, counted and timed (``connection.execute_wrapper``; Django's
    CaptureQueriesContext counts but does not time)."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


@contextmanager
def timed() -> Iterator[dict]:
    from django.db import connection

    counter = Timed()
    result: dict = {}
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield result
    result.update(
        ms=round((time.perf_counter() - started) * 1000, 2),
        queries=counter.queries,
        db_ms=round(counter.seconds * 1000, 2),
    )


def anonymous_get(path: str) -> dict:
    """The first and the second anonymous request of ``path``, timed with their SQL queries.
    The first builds what the cache keeps for the content generation (a sitemap, a search's
    results, an image's rendition); the second is what most visitors get."""
    from django.test import Client

    with timed() as first:
        response = Client(HTTP_HOST=HOST).get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, not 200.")
    with timed() as figures:
        response = Client(HTTP_HOST=HOST).get(path)
    return (
        {"path": path, "bytes": len(response.content), "content": response.content}
        | figures
        | {f"first_{key}": value for key, value in first.items()}
    )


class Locs(HTMLParser):
    """The ``<loc>`` addresses of a sitemap or a sitemap index."""

    def __init__(self) -> None:
        super().__init__()
        self.locs: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.inside = tag == "loc"

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and data.strip():
            address = urlsplit(data.strip())
            self.locs.append(address.path + (f"?{address.query}" if address.query else ""))


def locs(content: bytes) -> list[str]:
    parser = Locs()
    parser.feed(content.decode())
    return parser.locs


def public() -> dict:
    """Each public URL measured, with its queries and database time (page cache as the
    environment says: the benchmark runs this with it off), and the pages the sitemaps list."""
    from wagtail.models import Locale

    from pages.models import (
        ConditionIndexPage,
        ConditionPage,
        HomePage,
        PhysicianPage,
        TreatmentIndexPage,
    )

    english = Locale.get_default()
    path = lambda page: page.get_url_parts()[2]  # noqa: E731
    physician = PhysicianPage.objects.filter(locale=english).order_by("path").first()
    urls = {
        "home": path(HomePage.objects.get(depth=2, locale=english)),
        "condition index": path(section_index(ConditionIndexPage, english)),
        "treatment index": path(section_index(TreatmentIndexPage, english)),
        "condition": path(template_page(ConditionPage, CONDITION_TEMPLATE)),
        "physician": path(physician),
        "search": f"/{english.language_code}/search/?q={quote(SEARCH_TERMS)}",
        "sitemap index": "/sitemap.xml",
    }
    rows = []
    for name, url in urls.items():
        rows.append({"name": name} | anonymous_get(url))
    search = rows[-2]
    # Bell's palsy or one of its copies (the same text): which one ranks first is a tie.
    found = search["content"].decode()
    if urls["condition"] not in found and f"/{PREFIX['condition']}" not in found:
        raise SystemExit(f"The search {search['path']} finds neither Bell's palsy nor a copy.")
    pages: list[str] = []
    for sitemap in locs(rows[-1]["content"]):
        row = {"name": sitemap.lstrip("/")} | anonymous_get(sitemap)
        pages += locs(row["content"])
        rows.append(row)
    for row in rows:
        row.pop("content")
    return {"rows": rows, "listed_pages": pages}


def staff_client():
    """A superuser's client, signed in with a second factor (production asks superusers for
    one: core.two_factor)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    user = User.objects.filter(username="bench-editor").first()
    if user is None:
        user = User.objects.create_superuser("bench-editor", "bench-editor@example.org", None)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, user


def staff_request(client, method: str, path: str, data: dict | None = None, ok=(200, 302)) -> dict:
    with timed() as figures:
        response = getattr(client, method)(path, data or {})
    if response.status_code not in ok:
        raise SystemExit(f"{method.upper()} {path} answered {response.status_code}.")
    return {"path": path, "status": response.status_code} | figures


def twice(measure: Callable[[], dict]) -> dict:
    """The second of two runs (the first fills what a long-running worker keeps)."""
    measure()
    return measure()


def staff() -> dict:
    """The staff paths, each the second of two runs: the explorer's listings, the edit view,
    publishing through clinical review's approval, "Sync translated pages", a new translation,
    and the translation status and medical review reports."""
    from django.urls import reverse
    from wagtail.models import Locale, Page
    from wagtail_localize.models import TranslationSource

    from pages.models import ConditionIndexPage, ConditionPage

    client, user = staff_client()
    english = Locale.get_default()
    condition = template_page(ConditionPage, CONDITION_TEMPLATE)
    index = section_index(ConditionIndexPage, english)
    explore = lambda page: reverse("wagtailadmin_explore", args=[page.pk])  # noqa: E731
    rows = {}
    rows["explorer: conditions index"] = twice(lambda: staff_request(client, "get", explore(index)))
    rows["explorer: conditions index"]["children"] = index.get_children().count()
    for count in EXPLORER_ROWS:
        section = Page.objects.get(slug=f"bench-explorer-{count}", locale=english)
        rows[f"explorer: {count} rows"] = twice(
            lambda section=section: staff_request(client, "get", explore(section))
        )
    edit = reverse("wagtailadmin_pages:edit", args=[condition.pk])
    rows["edit view"] = twice(lambda: staff_request(client, "get", edit))
    rows["publish (clinical review approval)"] = twice(lambda: approve(client, user, condition))
    source = TranslationSource.objects.get_for_instance(condition)
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    rows["sync translated pages"] = twice(lambda: staff_request(client, "post", sync))
    rows["translation creation (one page, one language)"] = twice(
        lambda: create_translation(client, user, index)
    )
    rows["translation status report"] = twice(
        lambda: staff_request(client, "get", reverse("translation_status"))
    )
    rows["medical review report"] = twice(
        lambda: staff_request(client, "get", reverse("medical_review_due"))
    )
    rows["_translations_of_published_page"] = condition.get_translations().count()
    return rows


def approve(client, user, condition) -> dict:
    """An editor's change to the English condition sent to clinical review, then the request
    that approves it, which publishes it: the request measured. Checked: the page is live with
    the approved revision afterwards."""
    from django.urls import reverse

    page = type(condition).objects.get(pk=condition.pk)
    page.summary = f"{page.summary.split(' [bench ')[0]} [bench {uuid.uuid4().hex[:8]}]"
    revision = page.save_revision(user=user)
    workflow_state = page.get_workflow().start(page, user)
    task_state = workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    row = staff_request(client, "post", url, {"comment": ""})
    page.refresh_from_db()
    if page.live_revision_id != revision.pk:
        raise SystemExit("The approval did not publish the revision.")
    return row


def create_translation(client, user, index) -> dict:
    """wagtail-localize's "Translate this page" for a new English condition (a copy made for
    the purpose) into one language: the request measured."""
    from django.urls import reverse
    from wagtail.models import Locale

    from pages.models import ConditionPage

    template = template_page(ConditionPage, CONDITION_TEMPLATE)
    fresh = uuid.uuid4().hex[:10]
    page = bulk_copy(template, index, [(f"bench-fresh-{fresh}", f"Fresh {fresh}", uuid.uuid4())])[0]
    page.save_revision(user=user).publish(user=user)
    target = Locale.objects.exclude(pk=page.locale_id).order_by("language_code").first()
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    row = staff_request(client, "post", url, {"locales": [target.pk]})
    if not page.has_translation(target):
        raise SystemExit(f"No translation of {page.slug} into {target} was made.")
    return row | {"language": target.language_code}


# --- the working day's editor --------------------------------------------------------------------


def editor(seconds: float, interval: float) -> dict:
    """Publish a different English condition or treatment copy every ``interval`` seconds for
    ``seconds``, as an editor does (a revision with a change, then its publication through
    Wagtail's ``Revision.publish``, which sends ``page_published`` as the admin does)."""
    from wagtail.models import Locale

    from pages.models import ConditionPage, TreatmentPage

    english = Locale.get_default()
    pages = [
        *ConditionPage.objects.filter(locale=english, slug__startswith=PREFIX["condition"]),
        *TreatmentPage.objects.filter(locale=english, slug__startswith=PREFIX["treatment"]),
    ]
    random.Random(7).shuffle(pages)
    _client, user = staff_client()
    published = []
    started = time.monotonic()
    for number, page in enumerate(pages):
        due = started + number * interval
        if due - started >= seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        # New content, as most edits are: not the title, slug, menu flag or search
        # description, which every page may show (pages.signals empties the whole cache).
        page.summary = f"{page.summary.split(' Updated at ')[0]} Updated at {time.time():.0f}."
        began = time.perf_counter()
        page.save_revision(user=user).publish(user=user)
        published.append(
            {
                "at": round(time.monotonic() - started, 2),
                "page": page.url_path,
                "ms": round((time.perf_counter() - began) * 1000, 1),
            }
        )
    return {"published": published, "median_ms": statistics.median(p["ms"] for p in published)}


def main() -> None:
    django.setup()
    command, *args = sys.argv[1:]
    out = args[-1]
    if command == "grow":
        result = grow(int(args[0]))
    elif command == "public":
        result = public()
    elif command == "staff":
        result = staff()
    elif command == "editor":
        result = editor(float(args[0]), float(args[1]))
    else:
        raise SystemExit(f"Unknown step {command!r}.")
    with open(out, "w") as handle:
        json.dump(result, handle, indent=2, default=str)


if __name__ == "__main__":
    main()
