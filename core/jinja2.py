"""The Jinja2 environment of the public site's templates (``templates/jinja2/``).

Visitors' pages are rendered by Jinja2, which compiles a template to Python once: a condition
page renders in a fraction of the time Django's template language takes, and the site stays fast
on the pages the page cache cannot hold (forms, searches, the first view after a change). The
admin, form widgets and e-mails keep Django templates (``templates/``).

Conventions, so that ``manage.py makemessages`` finds every string as it does in Django templates:

- ``{{ _("Text") }}``, or ``{% set name = _("Text") %}``: a translated string;
- ``{{ _("Text with %(name)s")|format(name=value) }}``: one with a value (escaped on output);
- ``{{ _('Text with <a href="%(url)s">markup</a>')|safe|format(url=value) }}``: one with markup
  (the values are escaped by the formatting);
- plurals come from Python (:func:`problem_count`, :func:`result_count`), where ``makemessages``
  finds them.

What the templates can call comes from Jinja2 extensions, one per app, listed in the ``TEMPLATES``
setting: :class:`CoreExtension` here (the clinic settings, URLs, dates) and ``pages.jinja2``
(the header, footer, breadcrumbs and search-engine data). Form fields need no extension: the forms'
renderer (:class:`FormRenderer`) draws each one with ``field.as_field_group()``. So this module
imports no other app of the site.
"""

from functools import cached_property
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin

import django.forms
from django.conf import settings
from django.forms.renderers import Jinja2 as Jinja2FormRenderer
from django.template.defaultfilters import date, truncatewords
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import ngettext
from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

from core import phones
from core.models import ClinicSettings

# Every environment has these; the apps' own come from the OPTIONS of the TEMPLATES setting.
BASE_EXTENSIONS = [
    "jinja2.ext.i18n",
    "wagtail.jinja2tags.core",
    "wagtail.images.jinja2tags.images",
    "wagtail.admin.jinja2tags.userbar",
]


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _phone_region(context: Context) -> str | None:
    """The clinic's country: where a number without a country code is read."""
    request = context.get("request")
    return ClinicSettings.for_request(request).country if request is not None else None


@pass_context
def tel(context: Context, number: str) -> str:
    """A phone number as a ``tel:`` link dials it, in E.164: ``tel:{{ number|tel }}``."""
    return phones.e164(number, _phone_region(context))


@pass_context
def phone(context: Context, number: str) -> str:
    """A phone number as people read it, in the clinic's national format."""
    return phones.display(number, _phone_region(context))


@pass_context
def phone_link(context: Context, number: str) -> SafeString:
    """A link that dials ``number`` from anywhere, showing it in the national format."""
    return phones.link(number, _phone_region(context))


@pass_context
def clinic_settings(context: Context) -> ClinicSettings:
    return ClinicSettings.for_request(context["request"])


def problem_count(count: int) -> str:
    return ngettext(
        "There is %(counter)s problem with the form:",
        "There are %(counter)s problems with the form:",
        count,
    ) % {"counter": count}


def result_count(count: int, query: str) -> str:
    return ngettext(
        "%(counter)s result for “%(query)s”", "%(counter)s results for “%(query)s”", count
    ) % {"counter": count, "query": query}


def absolute_url(page_url: str, url: str) -> str:
    """``url`` (a media or static path, or already a full URL on a media host) made absolute
    on the host of ``page_url``, a page's full URL: so from the Site, never the request."""
    return urljoin(page_url, url)


class CoreExtension(Extension):
    """What every template may use: static files, URLs, the language, today's date, the clinic
    settings and Django's filters that the templates use."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(
            static=static,
            url=url,
            absolute_url=absolute_url,
            get_language=translation.get_language,
            get_language_bidi=translation.get_language_bidi,
            today=timezone.localdate,
            clinic_settings=clinic_settings,
            phone_link=phone_link,
            problem_count=problem_count,
            result_count=result_count,
        )
        environment.filters.update(
            date=date, capfirst=capfirst, truncatewords=truncatewords, tel=tel, phone=phone
        )


def site_template_options() -> dict[str, Any]:
    """The OPTIONS of the visitors' Jinja2 templates in the ``TEMPLATES`` setting."""
    return next(
        cast(dict[str, Any], engine["OPTIONS"])
        for engine in settings.TEMPLATES
        if engine["BACKEND"] == "django.template.backends.jinja2.Jinja2"
    )


class FormRenderer(Jinja2FormRenderer):
    """Renders the visitors' forms' widgets with Jinja2 too: Django's own Jinja2 widget
    templates, and ours from ``templates/jinja2`` first (the reCAPTCHA widget), in an environment
    like the pages' own. Rendering a form's widgets was most of the time its page took.

    Each field is drawn by ``field.as_field_group()`` with the site's field template, which lays
    out the label, hint and error around the attributes Django's ``BoundField`` writes."""

    field_template_name = "components/form_field.html"

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [
                    settings.BASE_DIR / "templates" / "jinja2",
                    Path(django.forms.__file__).parent / "jinja2",
                ],
                "NAME": "visitor_forms",
                "OPTIONS": site_template_options(),
            }
        )


def environment(extensions: list[str] | tuple[str, ...] = (), **options: Any) -> Environment:
    """The environment of the ``TEMPLATES`` setting: Jinja2's own options, Wagtail's tags, and
    the ``extensions`` that the site's apps list there."""
    env = Environment(extensions=[*BASE_EXTENSIONS, *extensions], **options)
    # Added to the environment by the jinja2.ext.i18n extension.
    env.install_gettext_translations(translation, newstyle=False)  # type: ignore[attr-defined]
    return env
