from functools import cached_property
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from pages.blocks import BodyStreamBlock, DescribedItemBlock, FAQItemBlock
from pages.translation_rules import synchronised

from .base import BasePage, IndexPage, MedicallyReviewedMixin, linked_pages
from .image_text import alt_text_field, decorative_field, image_panel
from .links import ListsPhysicians, PhysicianLink
from .review import ClinicalReviewPermissions, ClinicalSectionPermissions


class ConditionIndexPage(ClinicalSectionPermissions, IndexPage):
    """The list of conditions the clinic treats."""

    subpage_types = ["pages.ConditionPage"]
    template = "pages/index_page.html"

    class Meta:
        verbose_name = _("condition index page")


class ConditionPage(ClinicalReviewPermissions, ListsPhysicians, MedicallyReviewedMixin, BasePage):
    """A condition the clinic treats: what it is, its symptoms and causes, the treatments offered
    for it (in order of how they are usually tried) and the physicians who treat it."""

    summary = models.TextField(
        _("summary"),
        help_text=_("Two or three plain sentences: what the condition is. Shown in listings."),
    )
    alternate_names = models.CharField(
        _("other names"),
        max_length=255,
        blank=True,
        help_text=_("Other names patients may search for, separated by commas."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the page and in listings. Optional."),
    )
    image_alt = alt_text_field()
    image_decorative = decorative_field()
    symptoms = StreamField(
        [("symptom", DescribedItemBlock(label=_("Symptom")))],
        verbose_name=_("symptoms"),
        blank=True,
        help_text=_("What patients notice, one item per symptom."),
    )
    causes = StreamField(
        [("cause", DescribedItemBlock(label=_("Cause")))],
        verbose_name=_("causes"),
        blank=True,
        help_text=_("What leads to the condition, one item per cause."),
    )
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Anything else patients should know: diagnosis, outlook, living with it."),
    )
    faq = StreamField(
        [("question", FAQItemBlock())],
        verbose_name=_("frequently asked questions"),
        blank=True,
        help_text=_("Questions patients ask about this condition."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("alternate_names"),
        image_panel("image", _("Image")),
        FieldPanel("symptoms"),
        FieldPanel("causes"),
        FieldPanel("body"),
        InlinePanel(
            "treatment_options",
            heading=_("Treatment options"),
            label=_("Treatment option"),
            help_text=_("In the order they are usually tried."),
        ),
        FieldPanel("faq"),
        MultiFieldPanel(
            [InlinePanel("physician_links", label=_("Physician"))],
            heading=_("Physicians who treat it"),
        ),
        *MedicallyReviewedMixin.review_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("alternate_names", boost=2),
        index.SearchField("symptoms"),
        index.SearchField("causes"),
        index.SearchField("body"),
    ]

    parent_page_types = ["pages.ConditionIndexPage"]
    subpage_types: list[str] = []
    serve_related = ("image",)
    # The reviewing physician, the review dates, the image and the physicians listed are the
    # same in every language: copied from the English page, never changed by a translator.
    main_image_field = "image"
    override_translatable_fields = synchronised(
        "social_image",
        "image",
        "image_decorative",
        "reviewed_by",
        "last_reviewed",
        "next_review_due",
        "physician_links",
    )
    schema_page_type = "MedicalWebPage"
    listing_label = _("Condition")
    template = "pages/condition_page.html"

    class Meta:
        verbose_name = _("condition page")

    @property
    def alternate_names_list(self) -> list[str]:
        return [name.strip() for name in self.alternate_names.split(",") if name.strip()]

    @cached_property
    def treatments(self) -> list["ConditionTreatmentOption"]:
        """Treatment options, each with its live treatment page in this page's language."""
        options = []
        for option, treatment in linked_pages(
            self.treatment_options.order_by("sort_order"), "treatment", self.locale_id
        ):
            if treatment is not None:
                option.treatment = treatment
                options.append(option)
        return options

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        condition: dict[str, Any] = {
            "@type": "MedicalCondition",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
        }
        if self.alternate_names_list:
            condition["alternateName"] = self.alternate_names_list
        if self.symptoms:
            condition["signOrSymptom"] = [
                {"@type": "MedicalSignOrSymptom", "name": block.value["name"]}
                for block in self.symptoms
            ]
        if self.causes:
            condition["cause"] = [
                {"@type": "MedicalCause", "name": block.value["name"]} for block in self.causes
            ]
        if self.treatments:
            condition["possibleTreatment"] = [
                option.treatment.get_therapy_structured_data(request) for option in self.treatments
            ]
        return {"about": condition, **self.get_review_structured_data(request)}


class ConditionTreatmentOption(TranslatableMixin, Orderable):
    """A treatment offered for a condition, with what is particular about it for this condition.
    The treatment page lists the condition from this same row: the link is entered once."""

    page = ParentalKey(ConditionPage, on_delete=models.CASCADE, related_name="treatment_options")
    treatment = models.ForeignKey(
        "pages.TreatmentPage",
        verbose_name=_("treatment"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The treatment page to link to."),
    )
    note = models.TextField(
        _("note for this condition"),
        blank=True,
        help_text=_("What is particular about this treatment for this condition. Optional."),
    )

    # TranslatableMixin's locale foreign key (Wagtail has no type hints).
    locale_id: int | None

    panels = [FieldPanel("treatment"), FieldPanel("note")]
    # The note is translated; the treatment is the same page in every language.
    override_translatable_fields = synchronised("treatment")

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("treatment option")

    def save(self, *args, **kwargs) -> None:
        # Options added in the editor take the language of the page they belong to.
        if not self.locale_id:
            self.locale_id = self.page.locale_id
        super().save(*args, **kwargs)


class ConditionPhysician(PhysicianLink):
    """A physician who treats a condition, shown as a “Meet the physician” teaser."""

    page = ParentalKey(ConditionPage, on_delete=models.CASCADE, related_name="physician_links")

    class Meta(PhysicianLink.Meta):
        verbose_name = _("physician who treats it")
