"""The site's chrome for the templates (Jinja2 globals, registered by ``pages.jinja2``):
navigation, language switcher, breadcrumbs and search-engine data. Each takes the template
context first."""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

from core import phones
from core.cache import cached_for_site
from core.languages import open_graph_locale, source_language_name
from core.models import ClinicSettings
from pages.models.base import in_locale, public
from pages.models.legal import LegalNoticePage
from pages.models.locations import LocationPage

# The characters that could end a <script> element early, escaped as json_script does.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Pages chosen in the clinic settings that the header and footer link to.
SETTINGS_LINKS = ("consultation_page", "contact_page", "accessibility_page", "privacy_page")


def _active_locale(request: HttpRequest) -> Locale | None:
    """The locale of the visitor's language, read once per request."""

    def build() -> Locale | None:
        try:
            return Locale.get_active()
        except Locale.DoesNotExist:
            return None

    return cached_for_site(request, "locale", build)


def _localize(pages: list[Page], request: HttpRequest) -> list[Page]:
    """Each page in the visitor's language where a live translation exists, in one query."""
    locale = _active_locale(request)
    return in_locale(pages, locale.pk) if locale else pages


def _site_home(request: HttpRequest) -> Page | None:
    """The home page in the visitor's language."""

    def build() -> Page | None:
        site = Site.find_for_request(request)
        return _localize([site.root_page], request)[0] if site else None

    return cached_for_site(request, "home", build)


def settings_links(context: Mapping[str, Any]) -> dict[str, str]:
    """URLs of the pages chosen in the clinic settings (consultation, contact, accessibility,
    privacy), in the visitor's language: one query for all of them, once per request."""
    request = context["request"]
    return cached_for_site(request, "settings-links", lambda: _settings_links(request))


def _settings_links(request: HttpRequest) -> dict[str, str]:
    clinic = ClinicSettings.for_request(request)
    ids = {name: getattr(clinic, f"{name}_id") for name in SETTINGS_LINKS}
    pages = list(Page.objects.live().filter(pk__in=[pk for pk in ids.values() if pk]))
    by_id = {
        page.pk: localized for page, localized in zip(pages, _localize(pages, request), strict=True)
    }
    return {
        name.removesuffix("_page"): by_id[pk].get_url(request)
        for name, pk in ids.items()
        if pk in by_id
    }


def legal_notices(context: Mapping[str, Any]) -> dict[str, str]:
    """URLs of the site's legal notices (``LegalNoticePage``) by kind, in the visitor's language
    where a live translation exists: the footer links them on every page. One query, once per
    request, kept in the cache."""
    request = context["request"]
    return cached_for_site(request, "legal-notices", lambda: _legal_notices(request))


def _legal_notices(request: HttpRequest) -> dict[str, str]:
    site = Site.find_for_request(request)
    if site is None:
        return {}
    first_of_kind: dict[str, Page] = {}
    for notice in LegalNoticePage.objects.live().descendant_of(site.root_page).order_by("path"):
        first_of_kind.setdefault(notice.kind, notice)
    pages = list(first_of_kind.values())
    return {
        page.kind: localized.get_url(request)
        for page, localized in zip(pages, _localize(pages, request), strict=True)
    }


def clinic_locations(context: Mapping[str, Any]) -> list[LocationPage]:
    """The clinic's live sites in the editors' order, in the visitor's language where
    translated: the footer, the contact page and search-engine data read them. The first is
    the main site. One query (two with translations), once per content generation."""
    request = context["request"]
    return cached_for_site(request, "locations", lambda: _clinic_locations(request))


def _clinic_locations(request: HttpRequest) -> list[LocationPage]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    locations = list(
        public(LocationPage.objects.live())
        .descendant_of(site.root_page)
        .filter(locale_id=site.root_page.locale_id)
        .order_by("path")
    )
    locale = _active_locale(request)
    return in_locale(locations, locale.pk) if locale and locations else locations


# The query parameter that tells a request form which page's link the visitor followed.
SOURCE_PARAMETER = "from"


def consultation_url(
    context: Mapping[str, Any],
    physician: Page | None = None,
    location: Page | None = None,
    source: Page | None = None,
) -> str:
    """The consultation form's address with a physician and a site chosen (the visitor can
    change them there): pages in the visitor's language, by their ids, which the form checks
    against its own choices. ``source`` is the page the link is on: the form records it with
    the request (``?from=<id>``), so that marketing staff learn which pages lead to requests
    without anything following the visitor (``appointments.sources``)."""
    url = settings_links(context).get("consultation", "")
    query = {}
    if physician is not None:
        query["physician"] = physician.pk
    if location is not None:
        query["location"] = location.pk
    query.update(source_query(source))
    return f"{url}?{urlencode(query)}" if url and query else url


def accessibility_url(context: Mapping[str, Any], source: Page | None = None) -> str:
    """The accessibility statement's address, whose form asks for an accommodation, with the
    page the link is on (``source``), as :func:`consultation_url`."""
    url = settings_links(context).get("accessibility", "")
    query = source_query(source)
    return f"{url}?{urlencode(query)}" if url and query else url


def source_query(source: Page | None) -> dict[str, int]:
    """``{"from": id}`` for a page that is stored. Anything else gives nothing: a template
    without a page (search, an error page) passes an undefined value, and a preview of a new
    page has no id yet."""
    return {SOURCE_PARAMETER: source.pk} if isinstance(source, Page) and source.pk else {}


def site_home(context: Mapping[str, Any]) -> Page | None:
    return _site_home(context["request"])


def main_menu(context: Mapping[str, Any]) -> list[Page]:
    """Top-level sections marked “show in menus”, in the visitor's language."""
    request = context["request"]

    def build() -> list[Page]:
        home = _site_home(request)
        return list(home.get_children().live().in_menu()) if home else []

    return cached_for_site(request, "menu", build)


def breadcrumbs(context: Mapping[str, Any], page: Page) -> list[Page]:
    return get_breadcrumbs(page, context["request"])


def get_breadcrumbs(page: Page, request: HttpRequest) -> list[Page]:
    """The page's ancestors from the home page down, itself excluded. Empty on the home page.
    Kept in the cache, per page, like the menu: the tree changes only with a new generation."""
    if page.depth <= 2 or not page.pk:
        return []

    def build() -> list[Page]:
        ancestors = getattr(page, "ancestors", None)  # read once per page object (BasePage)
        if ancestors is None:
            ancestors = list(page.get_ancestors().order_by("depth"))
        return [ancestor for ancestor in ancestors if ancestor.depth >= 2]

    return cached_for_site(request, f"breadcrumbs:{page.pk}", build)


def to_json_ld(data: Any) -> SafeString:
    dumped = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumped.translate(_JSON_SCRIPT_ESCAPES)),
    )


def structured_data(context: Mapping[str, Any], page: Page | None = None) -> SafeString:
    """JSON-LD for the page: the clinic everywhere, the page's own data and its breadcrumb trail."""
    request = context["request"]
    objects: list[dict[str, Any]] = []
    clinic = ClinicSettings.for_request(request)
    if clinic.name:
        objects.append(clinic_structured_data(clinic, request))
    home = _site_home(request)
    if page is not None and home is not None and page.depth == home.depth:
        # The site and how to search it, on its home page in each language (search engines
        # read it from the home page).
        objects.append(website_structured_data(clinic, home, request))
    if page is not None and hasattr(page, "get_structured_data"):
        objects.extend(page.get_structured_data(request))
        crumbs = get_breadcrumbs(page, request)
        if crumbs:
            objects.append(breadcrumb_structured_data([*crumbs, page], request))
    return mark_safe("".join(to_json_ld(obj) for obj in objects))


def clinic_id(request: HttpRequest) -> str | None:
    """The clinic's ``@id`` in JSON-LD: one address for it on every page in every language, so
    that other nodes (the web site's publisher) can refer to it."""
    site = Site.find_for_request(request)
    return f"{site.root_url}/#clinic" if site else None


def clinic_structured_data(clinic: ClinicSettings, request: HttpRequest) -> dict[str, Any]:
    home = _site_home(request)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.name,
        "telephone": phones.e164(clinic.phone, clinic.country),
        # Members of schema.org's MedicalSpecialty enumeration, by their addresses.
        "medicalSpecialty": [
            "https://schema.org/PlasticSurgery",
            "https://schema.org/Otolaryngologic",
        ],
    }
    # Schema.org puts the languages spoken on a ContactPoint, not on the clinic itself. In
    # English on every language's pages, as schema.org's own examples name languages.
    contact_point: dict[str, Any] = {
        "@type": "ContactPoint",
        "contactType": "appointments",
        "telephone": data["telephone"],
        "availableLanguage": [source_language_name(code) for code, _name in settings.LANGUAGES],
    }
    data["contactPoint"] = contact_point
    identifier = clinic_id(request)
    if identifier:
        data["@id"] = identifier
    if home is not None:
        data["url"] = home.get_full_url(request)
    if clinic.email:
        data["email"] = contact_point["email"] = clinic.email
    # The organisation is at its main site; each site's page describes that site, as part of it.
    locations = clinic_locations({"request": request})
    if locations:
        main = locations[0].get_clinic_structured_data(request)
        for key in ("address", "geo", "openingHoursSpecification"):
            if key in main:
                data[key] = main[key]
        if len(locations) > 1:
            # The inverse of each site's ``parentOrganization``; typed and named, because a
            # bare ``@id`` would point at a node only the site's own page describes.
            data["subOrganization"] = [
                {
                    "@type": "MedicalClinic",
                    "@id": location.clinic_node_id(request),
                    "name": location.title,
                    "url": location.get_full_url(request),
                }
                for location in locations
            ]
    return data


def website_structured_data(
    clinic: ClinicSettings, home: Page, request: HttpRequest
) -> dict[str, Any]:
    """The web site in the visitor's language, with its search as a ``SearchAction``."""
    home_url = home.get_full_url(request)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": clinic.name or home.title,
        "url": home_url,
        "inLanguage": get_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": urljoin(home_url, reverse("search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    identifier = clinic_id(request)
    if clinic.name and identifier:
        data["publisher"] = {"@id": identifier}
    return data


def breadcrumb_structured_data(trail: list[Page], request: HttpRequest) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def open_graph_locales(
    context: Mapping[str, Any], translations: list[dict[str, Any]]
) -> dict[str, Any]:
    """``og:locale`` of the visitor's language, and ``og:locale:alternate`` of each other
    language the page is live in (``translations``, from :func:`page_translations`), in the
    ``language_TERRITORY`` form Open Graph asks for (``core.languages.open_graph_locale``)."""
    country = ClinicSettings.for_request(context["request"]).country or "US"
    return {
        "locale": open_graph_locale(get_language(), country),
        "alternates": [
            open_graph_locale(entry["code"], country)
            for entry in translations
            if not entry["is_current"]
        ],
    }


def page_translations(context: Mapping[str, Any], page: Page | None) -> list[dict[str, Any]]:
    """This page in each language it is live in, for the language switcher and hreflang links.
    Languages in which the page does not exist are not offered. Kept in the cache per page."""
    request = context["request"]
    if page is None or not getattr(page, "pk", None):
        return []
    return cached_for_site(request, f"translations:{page.pk}", lambda: _translations(page, request))


def _translations(page: Page, request: HttpRequest) -> list[dict[str, Any]]:
    entries = []
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        code = translation.locale.language_code
        entries.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translation.get_url(request),
                "full_url": translation.get_full_url(request),
                "is_current": translation.pk == page.pk,
                "is_default": code == settings.LANGUAGE_CODE,
            }
        )
    order = [code for code, _name in settings.LANGUAGES]
    entries.sort(key=lambda entry: order.index(entry["code"]) if entry["code"] in order else 99)
    return entries
