from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, BodyStreamBlock

from .base import BasePage


class StandardPage(BasePage):
    """A plain page of text, such as the privacy notice or “About the clinic”."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A sentence or two shown under the title.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), help_text=_("The page's text."))
    last_updated = models.DateField(
        _("last updated"),
        null=True,
        blank=True,
        help_text=_("Shown under the text, e.g. for a privacy notice. Optional."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro


class ContactPage(BasePage):
    """How to reach the clinic. Each site's address and hours come from its location page, the
    main phone and e-mail from the clinic settings, so they are the same here, in the footer
    and in search-engine data."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A sentence or two shown under the title.")
    )
    directions = RichTextField(
        _("directions"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Public transport, parking and step-free access."),
    )
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Anything else. Optional."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("directions"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("directions"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    schema_page_type = "ContactPage"
    template = "pages/contact_page.html"

    class Meta:
        verbose_name = _("contact page")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro
