"""The physician directory: what the physicians' page filters by, read from its address.

The filters are the query string of a plain GET form, so that a filtered list works without
JavaScript, can be shared and reloaded. Each parameter is read once and checked against what
the site offers (the condition and site pages of the page's language, the languages the listed
physicians speak, "1" for a checkbox); anything else is ignored, and the visitor told so. The
values applied are declared to the full-page cache (:func:`core.cache.shows_query`), so that a
filtered list is stored under its own address and a made-up one never is."""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import ngettext

from core.cache import cached_for_site
from core.languages import spoken_language_name
from pages.models.base import in_locale, public

# The parameters of the directory's form, in the order they are written in an address.
FILTER_NAMES = ("condition", "language", "location", "new_patients", "video")
CHECKBOXES = ("new_patients", "video")


@dataclass(frozen=True)
class Choice:
    """A page offered as a filter: its id, its slug (the value in the address), its title
    (the option's label) and its translation key (what synchronised links match)."""

    pk: int
    slug: str
    title: str
    translation_key: str


@dataclass
class Filters:
    """The filters a request applies, and whether it asked for any the directory ignored."""

    condition: Choice | None = None
    language: str = ""
    location: Choice | None = None
    new_patients: bool = False
    video: bool = False
    ignored: bool = False

    @property
    def active(self) -> bool:
        return bool(self.canonical())

    def canonical(self) -> dict[str, str]:
        """The filters applied, as the address writes them."""
        query = {
            "condition": self.condition.slug if self.condition else "",
            "language": self.language,
            "location": self.location.slug if self.location else "",
            "new_patients": "1" if self.new_patients else "",
            "video": "1" if self.video else "",
        }
        return {name: value for name, value in query.items() if value}


@dataclass
class Options:
    """What the form offers: conditions, languages (codes) and sites."""

    conditions: list[Choice] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    locations: list[Choice] = field(default_factory=list)

    def language_choices(self) -> list[tuple[str, str]]:
        """The languages as (code, name in the visitor's language), by name."""
        named = [(code, str(spoken_language_name(code))) for code in self.languages]
        return sorted(named, key=lambda pair: pair[1].casefold())


def choices(model_label: str, locale_id: int, order: str) -> list[Choice]:
    """The live, public pages of a model in a language, as filter choices. One query."""
    model = apps.get_model(model_label)
    rows = (
        public(model.objects.live())
        .filter(locale_id=locale_id)
        .order_by(order)
        .values_list("pk", "slug", "title", "translation_key")
    )
    return [Choice(pk, slug, title, str(key)) for pk, slug, title, key in rows]


def filter_options(request: HttpRequest, directory: Any) -> Options:
    """The choices of ``directory``'s form, kept in the cache for the content generation (a
    published page starts a new one): three queries the first time, none after."""
    locale_id = directory.locale_id
    conditions = cached_for_site(
        request,
        f"directory-conditions:{locale_id}",
        lambda: choices("pages.ConditionPage", locale_id, "title"),
    )
    locations = cached_for_site(
        request,
        f"directory-locations:{locale_id}",
        lambda: choices("pages.LocationPage", locale_id, "path"),
    )
    languages = cached_for_site(
        request,
        f"directory-languages:{directory.pk}",
        lambda: sorted(
            set(
                apps.get_model("pages.PhysicianLanguage")
                .objects.filter(page__in=directory.get_listed_children().values("pk"))
                .values_list("code", flat=True)
            )
        ),
    )
    return Options(conditions=conditions, languages=languages, locations=locations)


def read_filters(request: HttpRequest, options: Options) -> Filters:
    """The filters in ``request``'s query string that match ``options``. An empty value is no
    filter (a form's "any" choice); a value given twice, unknown or malformed is ignored and
    noted. Other parameters (a campaign's tracking codes) are not the directory's business."""
    filters = Filters()
    by_slug = {
        "condition": {choice.slug: choice for choice in options.conditions},
        "location": {choice.slug: choice for choice in options.locations},
    }
    for name in FILTER_NAMES:
        values = request.GET.getlist(name)
        if not values or values == [""]:
            continue
        value = values[0] if len(values) == 1 else None
        if value is None:
            filters.ignored = True
        elif name in CHECKBOXES:
            if value == "1":
                setattr(filters, name, True)
            else:
                filters.ignored = True
        elif name == "language":
            if value in options.languages:
                filters.language = value
            else:
                filters.ignored = True
        elif value in by_slug[name]:
            setattr(filters, name, by_slug[name][value])
        else:
            filters.ignored = True
    return filters


def filtered(physicians: QuerySet, filters: Filters) -> QuerySet:
    """``physicians`` narrowed by ``filters``. Links between pages are synchronised from the
    original language, so they name the original pages: they are matched by translation key."""
    if filters.condition is not None:
        links = apps.get_model("pages.ConditionPhysician").objects.filter(
            page_id=filters.condition.pk
        )
        physicians = physicians.filter(
            translation_key__in=links.values("physician__translation_key")
        )
    if filters.language:
        spoken = apps.get_model("pages.PhysicianLanguage").objects.filter(code=filters.language)
        physicians = physicians.filter(pk__in=spoken.values("page_id"))
    if filters.location is not None:
        sites = apps.get_model("pages.PhysicianLocation").objects.filter(
            location__translation_key=filters.location.translation_key
        )
        physicians = physicians.filter(pk__in=sites.values("page_id"))
    if filters.new_patients:
        physicians = physicians.filter(accepting_new_patients=True)
    if filters.video:
        physicians = physicians.filter(offers_video_visits=True)
    return physicians


def with_languages_and_sites(physicians: list[Any], locale_id: int) -> list[Any]:
    """The physicians with their languages and their sites read for all of them at once: two
    queries for the rows, one for the sites' pages in the visitor's language. Each physician
    gets ``directory_sites``, its live sites in the editor's order."""
    location_links = Prefetch(
        "location_links",
        queryset=apps.get_model("pages.PhysicianLocation").objects.select_related("location"),
    )
    prefetch_related_objects(physicians, "spoken_languages", location_links)
    originals = [link.location for p in physicians for link in p.location_links.all()]
    localized = {
        page.translation_key: page for page in in_locale(originals, locale_id) if page.live
    }
    for physician in physicians:
        keys = [link.location.translation_key for link in physician.location_links.all()]
        physician.directory_sites = [localized[key] for key in keys if key in localized]
    return physicians


def result_count(count: int) -> str:
    """“2 physicians”, in the visitor's language."""
    return ngettext("%(counter)s physician", "%(counter)s physicians", count) % {"counter": count}
