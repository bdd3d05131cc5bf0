"""What wagtail-localize's translation editor offers, narrowed to the routes a user may take,
and what a translated page's header says of its translation."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from wagtail.models import Page, PagePermissionTester

from ..translation_status import out_of_date

register = template.Library()


@register.filter
def without_unreviewed_routes(props: str, page_perms: PagePermissionTester | None) -> str:
    """The editor's props (JSON), for those who may not publish the page: no "Convert to alias
    page" (the conversion publishes the source language's live content in its place) and no
    "Delete" (their work ends with "Send translation for review"). Its "Publish in …" button
    already follows the page's permissions."""
    if page_perms is None or page_perms.can_publish():
        return props
    data = json.loads(props)
    data["links"]["convertToAliasUrl"] = None
    data["perms"]["canDelete"] = False
    return json.dumps(data)


@register.simple_tag
def translation_out_of_date_status(page: Page | None) -> str:
    """In a translated page's header (Wagtail's editor and the translation editor), beside its
    "Live" status: that the original has changed since, and how many texts wait (the rule of
    ``pages.translation_status``). Nothing for an English page or an up-to-date translation."""
    if page is None or page.pk is None or page.locale.language_code == settings.LANGUAGE_CODE:
        return ""
    missing = out_of_date(page)
    if missing is None:
        return ""
    if missing:
        detail = ngettext(
            "%(count)s text to translate", "%(count)s texts to translate", missing
        ) % {"count": missing}
    else:
        detail = gettext("to send for review")
    return format_html(
        '<span class="w-status w-status--label translation-out-of-date">{}: {}</span>',
        gettext("Translation out of date"),
        detail,
    )
