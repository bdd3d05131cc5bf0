"""What a translator may change in a translation, and what stays the same in every language.

wagtail-localize copies a *synchronised* value (an image, a date, a page chosen, a physician's
name) from the English page to each translation, but lets a translator *override* it unless the
model declares it ``SynchronizedField(name, overridable=False)``: the page models declare theirs
with ``synchronised()``. Two kinds of overridable value do not come from a declaration: the links
inside rich text, and what is chosen inside a StreamField (a figure's image). Only the first is
a translator's to change, so that a Spanish page can link to a Spanish resource, and only to an
``https:``, ``mailto:`` or ``tel:`` address. ``pages.admin_views`` runs these checks before
wagtail-localize stores anything a translator sends."""

from typing import Any
from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail_localize.fields import SynchronizedField, get_translatable_fields
from wagtail_localize.strings import StringValue, validate_translation_links

# javascript:, data: and vbscript: run code or carry a document of their own; http: would send
# a patient's visit in clear. Relative addresses are refused too: a link to one of the site's
# own pages is chosen with the page chooser, which follows the visitor's language by itself.
SAFE_LINK_SCHEMES = frozenset({"https", "mailto", "tel"})

SAME_IN_EVERY_LANGUAGE = _(
    "This value is the same in every language and cannot be changed in a translation."
)
UNSAFE_LINK = _(
    "Only links to https:, mailto: or tel: addresses can be used in a translation. "
    "Nothing was saved."
)
HTML_IN_STRING = _(
    "A translation cannot add HTML attributes or links. Keep each <a id=…> tag as it is: "
    "a link's address is changed on its own, under the text. Nothing was saved."
)


def synchronised(*field_names: str) -> list[SynchronizedField]:
    """Fields copied from the original page into every translation, which no translator can
    override (wagtail-localize's default, ``overridable=True``, would let them)."""
    return [SynchronizedField(name, overridable=False) for name in field_names]


def link_refusal(url: Any) -> str | None:
    """Why a link address typed by a translator is refused, or None when it is accepted."""
    if not isinstance(url, str) or not url:
        return str(UNSAFE_LINK)
    # Browsers drop tabs, newlines and other control characters from an address before reading
    # its scheme ("java\tscript:"): an address that holds any is refused outright.
    if any(
        character.isspace() or ord(character) < 32 or ord(character) == 127 for character in url
    ):
        return str(UNSAFE_LINK)
    try:
        parts = urlsplit(url)
    except ValueError:
        return str(UNSAFE_LINK)
    if parts.scheme.lower() not in SAFE_LINK_SCHEMES:
        return str(UNSAFE_LINK)
    if parts.scheme.lower() == "https" and not parts.netloc:
        return str(UNSAFE_LINK)
    return None


def _declared(model: type[models.Model], field_name: str):
    for translatable_field in get_translatable_fields(model):
        if translatable_field.field_name == field_name:
            return translatable_field
    return None


def _is_link_block(block: blocks.Block, names: list[str]) -> bool:
    for name in names:
        if isinstance(block, blocks.StructBlock | blocks.StreamBlock):
            block = block.child_blocks[name]
        elif isinstance(block, blocks.ListBlock):
            block = block.child_block
        else:
            return False
    return isinstance(block, blocks.RichTextBlock | blocks.URLBlock)


def is_translators_link(model: type[models.Model], field_path: str) -> bool:
    """Whether the overridable value at ``field_path`` (as wagtail-localize records it, such as
    ``body.callout.text`` or ``treatment_options.treatment``) is a link a translator may adapt:
    a link inside rich text, or a URL field or block. Everything else is the same in every
    language."""
    name, *rest = field_path.split(".")
    try:
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToOneRel) and isinstance(field.remote_field, ParentalKey):
            return bool(rest) and is_translators_link(field.related_model, ".".join(rest))
        declared = _declared(model, name)
        if declared is None:
            return False
        if not declared.is_translated(None) and not getattr(declared, "overridable", True):
            return False
        if isinstance(field, RichTextField | models.URLField):
            return True
        if isinstance(field, StreamField):
            return _is_link_block(field.stream_block, rest)
    except (LookupError, AttributeError, TypeError):
        return False
    return False


def is_translated_text(model: type[models.Model], field_path: str) -> bool:
    """Whether the text at ``field_path`` is translated (rather than synchronised)."""
    name, *rest = field_path.split(".")
    try:
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToOneRel) and isinstance(field.remote_field, ParentalKey):
            return bool(rest) and is_translated_text(field.related_model, ".".join(rest))
        declared = _declared(model, name)
        return declared is not None and declared.is_translated(None)
    except (LookupError, AttributeError, TypeError):
        return False


def string_refusal(english: str, translated: Any) -> str | None:
    """Why a translated string is refused, or None when it is accepted. wagtail-localize keeps
    a link's address out of the text (``<a id="a1">``); a translation that brings attributes
    back, such as an ``href``, or an unknown link, is refused rather than stored with an error."""
    if not isinstance(translated, str):
        return str(HTML_IN_STRING)
    try:
        StringValue.from_translated_html(translated)
        validate_translation_links(english, translated)
    except ValueError:
        return str(HTML_IN_STRING)
    return None
