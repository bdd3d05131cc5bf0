from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from appointments.forms import AccessibilityRequestForm
from appointments.services import Outcome, record_accessibility
from pages.blocks import RICH_TEXT_FEATURES, BodyStreamBlock

from .base import BasePage
from .requests import RequestFormPageMixin, visitor_language


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
    """How to reach the clinic. Address, phone and hours come from the clinic settings so they
    are the same here, in the footer and in search-engine data."""

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


class AccessibilityPage(RequestFormPageMixin, BasePage):
    """The accessibility statement: the standard the site aims for, and how to reach the
    accessibility manager (whose details live in the clinic settings) to ask for an
    accommodation."""

    class ConformanceTarget(models.TextChoices):
        WCAG22_AA = "WCAG 2.2 AA", _("WCAG 2.2 level AA")
        WCAG21_AA = "WCAG 2.1 AA", _("WCAG 2.1 level AA")

    intro = models.TextField(
        _("introduction"),
        help_text=_("The clinic's commitment, in one or two sentences."),
    )
    conformance_target = models.CharField(
        _("conformance target"),
        max_length=20,
        choices=ConformanceTarget.choices,
        default=ConformanceTarget.WCAG22_AA,
        help_text=_("The accessibility standard the website aims to meet."),
    )
    statement = RichTextField(
        _("statement"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What has been done, known limitations, and how the site is tested."),
    )
    accommodations = RichTextField(
        _("how to ask for an accommodation"),
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "What visitors can ask for (large print, interpreters, help with forms) "
            "and what happens next. The manager's contact details are added below it."
        ),
    )
    last_reviewed = models.DateField(
        _("last reviewed"), help_text=_("When the statement was last checked.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("conformance_target"),
        FieldPanel("statement"),
        FieldPanel("accommodations"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("statement"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/accessibility_page.html"
    form_template = "pages/accessibility_page.html"
    confirmation_template = "pages/accessibility_confirmation.html"

    class Meta:
        verbose_name = _("accessibility page")

    def get_form(self, request: HttpRequest, data=None) -> AccessibilityRequestForm:
        return AccessibilityRequestForm(data)

    def record(self, form, request: HttpRequest) -> Outcome:
        return record_accessibility(
            form, request, visitor_language(), self.privacy_notice_version(request)
        )

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        return {"lastReviewed": self.last_reviewed.isoformat()} if self.last_reviewed else {}
