from functools import cached_property
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import RICH_TEXT_FEATURES, ListSectionBlock
from pages.translation_rules import synchronised

from .base import BasePage, IndexPage, MedicallyReviewedMixin, linked_from
from .image_text import alt_text_field, decorative_field, image_panel
from .links import ListsPhysicians, PhysicianLink
from .review import ClinicalReviewPermissions, ClinicalSectionPermissions


class TreatmentIndexPage(ClinicalSectionPermissions, IndexPage):
    """The list of treatments the clinic offers."""

    subpage_types = ["pages.TreatmentPage"]
    template = "pages/index_page.html"

    class Meta:
        verbose_name = _("treatment index page")


class TreatmentPage(ClinicalReviewPermissions, ListsPhysicians, MedicallyReviewedMixin, BasePage):
    """A treatment: what it is for, how it is done, what to expect. The conditions it treats are
    read from the condition pages that list it, so the link is entered once, on the condition."""

    class Kind(models.TextChoices):
        THERAPY = "therapy", _("Therapy (non-surgical)")
        PROCEDURE = "procedure", _("Procedure (surgical)")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.THERAPY,
        help_text=_(
            "Surgical procedures and non-surgical therapies are described differently "
            "to search engines."
        ),
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("Two or three sentences shown in listings and search results."),
    )
    purpose = models.TextField(
        _("purpose"),
        help_text=_("What the treatment sets out to achieve, in plain words."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the page. Optional."),
    )
    image_alt = alt_text_field()
    image_decorative = decorative_field()
    details = StreamField(
        [("list", ListSectionBlock())],
        verbose_name=_("techniques, procedure and types"),
        blank=True,
        help_text=_("One list for each of: techniques used, procedure steps, types."),
    )
    what_to_expect = RichTextField(
        _("what to expect"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Before, during and after the treatment."),
    )
    duration = models.CharField(
        _("how long it lasts"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “Effects last about 3 to 4 months; injections are repeated.”"),
    )
    risks = RichTextField(
        _("risks"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Possible side effects and risks, stated honestly and plainly."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("purpose"),
        image_panel("image", _("Image")),
        FieldPanel("details"),
        FieldPanel("what_to_expect"),
        FieldPanel("duration"),
        FieldPanel("risks"),
        MultiFieldPanel(
            [InlinePanel("physician_links", label=_("Physician"))],
            heading=_("Physicians who perform it"),
        ),
        *MedicallyReviewedMixin.review_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("purpose"),
        index.SearchField("details"),
        index.SearchField("what_to_expect"),
    ]

    parent_page_types = ["pages.TreatmentIndexPage"]
    subpage_types: list[str] = []
    serve_related = ("image",)
    # The reviewing physician, the review dates, the image and the physicians listed are the
    # same in every language: copied from the English page, never changed by a translator.
    main_image_field = "image"
    override_translatable_fields = synchronised(
        "social_image",
        "image",
        "image_decorative",
        "kind",
        "reviewed_by",
        "last_reviewed",
        "next_review_due",
        "physician_links",
    )
    schema_page_type = "MedicalWebPage"
    listing_label = _("Treatment")
    template = "pages/treatment_page.html"

    class Meta:
        verbose_name = _("treatment page")

    @cached_property
    def conditions_treated(self) -> list[Page]:
        """Live condition pages that offer this treatment."""
        return linked_from("pages.ConditionPage", "treatment_options__treatment", self)

    def get_therapy_structured_data(self, request: HttpRequest | None) -> dict[str, Any]:
        """The treatment as a schema.org ``MedicalTherapy``; a surgical procedure is a
        ``SurgicalProcedure`` as well. Both are therapies (a condition's ``possibleTreatment``
        takes only those), as the vocabulary's own ``PalliativeProcedure`` is a procedure and
        a therapy. Schema.org's ``procedureType`` takes no value for surgery (its
        ``MedicalProcedureType`` members are non-invasive and percutaneous): the type says it."""
        return {
            "@type": (
                ["SurgicalProcedure", "MedicalTherapy"]
                if self.kind == self.Kind.PROCEDURE
                else "MedicalTherapy"
            ),
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.summary,
        }

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        therapy = self.get_therapy_structured_data(request)
        data: dict[str, Any] = {"about": therapy}
        if self.conditions_treated:
            therapy["relevantSpecialty"] = "https://schema.org/PlasticSurgery"
            # The conditions it treats. Schema.org retired a therapy's ``indication``; the
            # page names them, and each condition's own page gives this treatment as its
            # ``possibleTreatment``.
            data["mentions"] = [
                {
                    "@type": "MedicalCondition",
                    "name": condition.title,
                    "url": condition.get_full_url(request),
                }
                for condition in self.conditions_treated
            ]
        return {**data, **self.get_review_structured_data(request)}


class TreatmentPhysician(PhysicianLink):
    """A physician who performs a treatment."""

    page = ParentalKey(TreatmentPage, on_delete=models.CASCADE, related_name="physician_links")

    class Meta(PhysicianLink.Meta):
        verbose_name = _("physician who performs it")
