from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.cache import shows_query
from core.languages import spoken_language_choices, spoken_language_name
from pages import directory
from pages.blocks import RICH_TEXT_FEATURES
from pages.translation_rules import synchronised

from .base import PHYSICIAN_SCHEMA_TYPES, BasePage, IndexPage, linked_from, linked_pages
from .image_text import alt_text_field, image_panel
from .links import with_photo_renditions


class PhysicianIndexPage(IndexPage):
    """The clinic's physician directory: the physicians, filtered by condition treated,
    language spoken, site, new patients and video visits (pages.directory)."""

    subpage_types = ["pages.PhysicianPage"]
    template = "pages/physician_index_page.html"
    listing_image_field = "photo"

    class Meta:
        verbose_name = _("physician index page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # BasePage's context, not IndexPage's: the list here is filtered before it is paginated.
        context = super(IndexPage, self).get_context(request, *args, **kwargs)
        options = directory.filter_options(request, self)
        filters = directory.read_filters(request, options)
        physicians = directory.filtered(self.get_listed_children(), filters)
        listing = Paginator(physicians, self.children_per_page).get_page(request.GET.get("page"))
        canonical = filters.canonical()
        shows_query(request, {**canonical, "page": str(listing.number)})
        children = with_photo_renditions(list(listing.object_list))
        directory.with_languages_and_sites(children, self.locale_id)
        # For the structured data, rendered with the page after this context.
        self.listed_physicians = children
        context.update(
            children=children,
            listing=listing,
            options=options,
            filters=filters,
            list_query=urlencode(canonical),
            result_count=directory.result_count(listing.paginator.count),
        )
        return context

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        """The physicians listed, as a list of people (only once ``get_context`` read them)."""
        physicians = getattr(self, "listed_physicians", None)
        if physicians is None:
            return {}
        return {
            "mainEntity": {
                "@type": "ItemList",
                "numberOfItems": len(physicians),
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "item": {
                            "@type": PHYSICIAN_SCHEMA_TYPES,
                            "name": physician.display_name,
                            "url": physician.get_full_url(request),
                        },
                    }
                    for position, physician in enumerate(physicians, start=1)
                ],
            }
        }


class PhysicianPage(BasePage):
    """A physician's profile. Conditions treated and treatments performed are not entered here:
    they come from the condition and treatment pages that name this physician."""

    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        default="Dr",
        blank=True,
        help_text=_("Shown before the name, e.g. “Dr”. Leave empty for none."),
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("Given and family name, without honorific or credentials."),
    )
    credentials = models.CharField(
        _("credentials"),
        max_length=120,
        blank=True,
        help_text=_("Degrees and board certifications after the name, e.g. “MD, FACS”."),
    )
    job_title = models.CharField(
        _("role"),
        max_length=160,
        blank=True,
        help_text=_("Role at the clinic, e.g. “Founder and medical director”."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A portrait, at least 800 × 800 pixels."),
    )
    photo_alt = alt_text_field()
    summary = models.TextField(
        _("summary"),
        help_text=_("Two or three sentences shown on condition pages and the physician list."),
    )
    biography = RichTextField(
        _("biography"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Training, experience and approach to care."),
    )
    accepting_new_patients = models.BooleanField(
        _("accepting new patients"),
        default=True,
        help_text=_("Untick while the physician's list is closed to new patients."),
    )
    offers_video_visits = models.BooleanField(
        _("video visits"),
        default=False,
        help_text=_("The physician sees patients by video as well as in person."),
    )
    specialties = models.CharField(
        _("focus areas"),
        max_length=300,
        blank=True,
        help_text=_("Clinical focus areas, separated by commas."),
    )

    # Which sign-in account is this physician's: a review they approve names and links this
    # page. A field of the page (rather than a model of its own) so that editors set it where
    # they keep the physician's name, and it is copied into every language like the name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The physician's account in the admin. Reviews they approve are shown on pages as "
            "reviewed by this physician. Not shown to visitors."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("honorific"),
                FieldPanel("name"),
                FieldPanel("credentials"),
                FieldPanel("job_title"),
            ],
            heading=_("Name and role"),
        ),
        image_panel("photo", _("Photo"), decorative=False),
        FieldPanel("summary"),
        FieldPanel("biography"),
        FieldPanel("specialties"),
        MultiFieldPanel(
            [
                InlinePanel("spoken_languages", label=_("Language"), min_num=1),
                InlinePanel("location_links", label=_("Location")),
                FieldPanel("accepting_new_patients"),
                FieldPanel("offers_video_visits"),
            ],
            heading=_("Languages, locations and availability"),
        ),
        FieldPanel("user"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("name", boost=2),
        index.SearchField("summary"),
        index.SearchField("biography"),
        index.SearchField("specialties"),
    ]

    parent_page_types = ["pages.PhysicianIndexPage"]
    subpage_types: list[str] = []
    serve_related = ("photo",)
    schema_page_type = "ProfilePage"
    # A person's name, degrees and photo are the same in every language: copied from the
    # English page, translators neither see nor change them.
    main_image_field = "photo"
    override_translatable_fields = synchronised(
        "social_image", "photo", "honorific", "name", "credentials"
    )
    # The account is the English page's in every language (never a translator's to change).
    override_translatable_fields = [*override_translatable_fields, *synchronised("user")]
    # What the directory filters by: the same in every language.
    override_translatable_fields = [
        *override_translatable_fields,
        *synchronised(
            "spoken_languages", "location_links", "accepting_new_patients", "offers_video_visits"
        ),
    ]
    listing_label = _("Physician")
    template = "pages/physician_page.html"

    class Meta:
        verbose_name = _("physician page")

    @property
    def display_name(self) -> str:
        """The name as patients read it: “Dr Ana Rivera”."""
        return f"{self.honorific} {self.name}".strip()

    @cached_property
    def language_codes(self) -> list[str]:
        """The codes of the languages the physician consults in, in the editor's order (read
        from the prefetched rows when the directory fetched them with the page)."""
        return [row.code for row in self.spoken_languages.all()]

    @property
    def languages_list(self) -> list[str]:
        """The languages' names in the visitor's language."""
        return [str(spoken_language_name(code)) for code in self.language_codes]

    @property
    def specialties_list(self) -> list[str]:
        return _split_commas(self.specialties)

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    @cached_property
    def conditions_treated(self) -> list[Page]:
        """Live condition pages that list this physician, read once per request."""
        return linked_from("pages.ConditionPage", "physician_links__physician", self)

    @cached_property
    def locations(self) -> list[Page]:
        """The live sites where the physician sees patients, in this page's language."""
        links = linked_pages(self.location_links.all(), "location", self.locale_id)
        return [location for _link, location in links if location is not None]

    @cached_property
    def treatments_performed(self) -> list[Page]:
        """Live treatment pages that list this physician."""
        return linked_from("pages.TreatmentPage", "physician_links__physician", self)

    def get_person_structured_data(self, request: HttpRequest | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@type": PHYSICIAN_SCHEMA_TYPES,
            "name": self.display_name,
            "url": self.get_full_url(request),
            "description": self.summary,
            "knowsLanguage": self.language_codes,
        }
        if self.credentials:
            data["honorificSuffix"] = self.credentials
        if self.job_title:
            data["jobTitle"] = self.job_title
        if self.specialties_list:
            data["knowsAbout"] = self.specialties_list
        return data

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        data = self.get_person_structured_data(request)
        conditions = self.conditions_treated
        if conditions:
            data["knowsAbout"] = [
                *data.get("knowsAbout", []),
                *({"@type": "MedicalCondition", "name": c.title} for c in conditions),
            ]
        return {"mainEntity": data}


def _split_commas(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class PhysicianLanguage(Orderable):
    """A language the physician consults in, chosen from a list: the directory filters by it,
    visitors read its name in their own language, and search engines get its code."""

    page = ParentalKey(PhysicianPage, on_delete=models.CASCADE, related_name="spoken_languages")
    code = models.CharField(
        _("language"),
        max_length=15,
        choices=spoken_language_choices,
        help_text=_("A language the physician holds consultations in, without an interpreter."),
    )

    panels = [FieldPanel("code")]

    class Meta(Orderable.Meta):
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")


class PhysicianLocation(Orderable):
    """A site where the physician sees patients."""

    page = ParentalKey(PhysicianPage, on_delete=models.CASCADE, related_name="location_links")
    location = models.ForeignKey(
        "pages.LocationPage",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Choose the site's page."),
    )

    panels = [FieldPanel("location")]

    class Meta(Orderable.Meta):
        verbose_name = _("location")
        verbose_name_plural = _("locations")
