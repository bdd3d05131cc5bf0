"""What a page says about each image it shows, in the page's own language.

The image library's description is one text, written once, in English: on a Spanish or French
page it was read out in English with Spanish or French rules (WCAG 3.1.2). So each image a page
shows has, on the page, its alternative text (``<field>_alt``), an ordinary text field that
wagtail-localize offers translators like any other, and where an image may be mere decoration,
a "decorative" box (``<field>_decorative``, the same in every language) for an empty ``alt``.
Left empty, the alternative text is the library's description."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


def alt_text_field() -> models.CharField:
    return models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it, in this page's language "
            "(translators translate it). Empty: the image library's description."
        ),
    )


def decorative_field() -> models.BooleanField:
    return models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_(
            "The image adds nothing the text does not say (an abstract illustration): screen "
            "readers skip it."
        ),
    )


def image_panel(field_name: str, heading: Any, decorative: bool = True) -> MultiFieldPanel:
    """The image with what the page says about it, grouped in the editor."""
    fields = [FieldPanel(field_name), FieldPanel(f"{field_name}_alt")]
    if decorative:
        fields.append(FieldPanel(f"{field_name}_decorative"))
    return MultiFieldPanel(fields, heading=heading)


class ImageTextMixin:
    """``alt_text_for(field_name)`` for templates and search-engine data."""

    def alt_text_for(self, field_name: str) -> str:
        """The ``alt`` of the image in ``field_name``: empty for a decorative image, the page's
        own text when it has one (translated with the page), else the library's description."""
        if getattr(self, f"{field_name}_decorative", False):
            return ""
        own = getattr(self, f"{field_name}_alt", "")
        if own:
            return own
        image = getattr(self, field_name, None)
        return image.default_alt_text if image is not None else ""
