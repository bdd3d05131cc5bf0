from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from pages.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from pages.translation_rules import synchronised

from .base import BasePage, linked_pages
from .image_text import alt_text_field, decorative_field


class HomePage(BasePage):
    """The front door: who the clinic is, the call to book, and the conditions it is known for."""

    # Every page's header and breadcrumbs lead to it: a publish empties the whole page cache
    # (pages.signals).
    shown_on_every_page = True

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=160,
        help_text=_("The page's main heading, shown large at the top."),
    )
    hero_text = models.TextField(
        _("hero text"),
        help_text=_("One or two sentences under the heading, next to the call to action."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A calm, wide image."),
    )
    hero_image_alt = alt_text_field()
    hero_image_decorative = decorative_field()
    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("A short welcome under the hero: who the clinic cares for and how."),
    )
    featured_heading = models.CharField(
        _("featured conditions heading"),
        max_length=120,
        default="Conditions we treat",
        help_text=_("Heading above the featured conditions."),
    )
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("More sections below the featured conditions. Optional."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_decorative"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("featured_heading"),
                InlinePanel("featured_conditions", label=_("Condition"), max_num=6),
            ],
            heading=_("Featured conditions"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    serve_related = ("hero_image",)
    # The same in every language, and never changed by a translator.
    override_translatable_fields = synchronised(
        "social_image", "hero_image", "hero_image_decorative", "featured_conditions"
    )
    main_image_field = "hero_image"
    # What may sit under the home page is said by each page type's ``parent_page_types``, so
    # that types of other apps (the form pages of ``appointments``) need no mention here.
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_meta_description(self) -> str:
        return self.search_description or self.hero_text

    @cached_property
    def featured(self) -> list[Page]:
        """The featured conditions in this page's language."""
        links = linked_pages(
            self.featured_conditions.order_by("sort_order"), "condition", self.locale_id, ("image",)
        )
        return [condition for _link, condition in links if condition is not None]


class HomePageFeaturedCondition(Orderable):
    """A condition shown as a card on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_conditions")
    condition = models.ForeignKey(
        "pages.ConditionPage",
        verbose_name=_("condition"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A condition page to feature."),
    )

    panels = [FieldPanel("condition")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured condition")
