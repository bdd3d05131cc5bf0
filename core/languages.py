"""The site's languages, read from the settings wherever a list of them is needed: ``LANGUAGES``
for what visitors read and ask for, ``WAGTAIL_CONTENT_LANGUAGES`` for what pages are translated
into, ``LANGUAGE_CODE`` for the language the others are translated from. Adding a language to
the settings is all it takes: the request form, the inbox, Wagtail's locales, the translators'
groups and the demo follow."""

import locale
from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import global_settings, settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_choices() -> list[tuple[str, Any]]:
    """The visitor's languages, as ``choices``: a callable, so that a model field's migration
    refers to it instead of copying the list, and a new language needs no migration."""
    return list(settings.LANGUAGES)


def default_language() -> str:
    """The language the site is written in, as a model field's ``default``."""
    return settings.LANGUAGE_CODE


def translated_languages() -> list[str]:
    """The codes of the content languages that pages are translated into."""
    return [
        code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
    ]


def source_language_name(code: str) -> str:
    """A language's name as the settings write it, untranslated ("Spanish" whoever asks): for
    names stored in the database, which must not depend on the language of the request."""
    with translation.override(None):
        return str(dict(settings.LANGUAGES)[code])


def open_graph_locale(language: str, country: str) -> str:
    """A language as Open Graph's ``og:locale`` writes it, ``language_TERRITORY``: the language
    as spoken in the clinic's country where the C library knows that pair (Spanish in the
    United States: ``es_US``, the readers the clinic writes for), otherwise where the language
    is at home (French: ``fr_FR``). A code that names its region (``pt-br``) keeps it."""
    code = language.lower().replace("-", "_")
    if "_" in code:
        return translation.to_locale(language)
    for candidate in (f"{code}_{country.lower()}", code):
        alias = locale.locale_alias.get(candidate)
        if alias:
            return alias.split(".")[0]
    return f"{code}_{country.upper()}"


def create_content_locales(
    app_config: AppConfig, apps: Apps = global_apps, using: str = "default", **kwargs: Any
) -> None:
    """After ``migrate``, a Wagtail locale for every content language. Neither Wagtail (which
    creates the default language's only) nor wagtail-localize creates the others; without its
    locale a language can have no pages."""
    try:
        Locale = apps.get_model("wagtailcore", "Locale")
    except LookupError:  # Wagtail's tables are not migrated (yet) in this database.
        return
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.using(using).get_or_create(language_code=code)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a "not found" from a view outside the visitors' languages stands.

    For a 404 at an address without a language prefix, Django redirects to the same address under
    the default language whenever that resolves; under ``/en/`` every address does (Wagtail
    serves pages there). So the admin API's "no such page" for a page a translator may not see
    became a redirect to ``/en/admin/api/…`` and a visitor's HTML 404 page, which the translation
    editor then failed to read as JSON. An address that resolves as it is (the admin, documents)
    has a view of its own, and its 404 is the answer."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        path = request.path_info
        if (
            response.status_code == 404
            and not translation.get_language_from_path(path)
            and is_valid_path(path, getattr(request, "urlconf", None))
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


def spoken_language_choices() -> list[tuple[str, Any]]:
    """Languages a person can speak, as ``choices``: every language Django names, each by its
    name in the reader's language (Django's own translations of them), without the regional
    variants ("British English") that say nothing about what a patient can ask in. A callable,
    so that a model field's migration refers to it instead of copying the list."""
    codes = [
        code
        for code, _name in global_settings.LANGUAGES
        if "-" not in code or code in ("zh-hans", "zh-hant")
    ]
    return [(code, spoken_language_name(code)) for code in codes]


def spoken_language_name(code: str) -> Any:
    """A language's name in the active language ("Spanish", "español", "espagnol"), lazily; the
    code itself for one Django does not know."""
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code
