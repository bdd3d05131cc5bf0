"""The clinic's sites: where patients are seen, when, how to get there and what the building
offers for access. Each site is a page, so that it has an address of its own in every language,
is translated through the same workflow as the rest, and is listed in search and the sitemap."""

import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from core import phones
from core.blocks import ClosureBlock, OpeningHoursBlock
from pages.translation_rules import synchronised

from .base import BasePage, IndexPage, linked_from
from .image_text import alt_text_field, image_panel
from .links import with_photo_renditions


class LocationIndexPage(IndexPage):
    """The list of the clinic's sites."""

    subpage_types = ["pages.LocationPage"]
    template = "pages/location_index_page.html"

    class Meta:
        verbose_name = _("location index page")


# The building's access facts: the field, what a visitor reads when it is there and when it is
# not, and its name in schema.org's ``amenityFeature`` (always in English, as schema.org's own
# examples write them).
ACCESS_FEATURES: list[tuple[str, Promise, Promise, str]] = [
    (
        "step_free_entrance",
        _("Step-free entrance"),
        _("No step-free entrance"),
        "Step-free entrance",
    ),
    (
        "accessible_parking",
        _("Accessible parking"),
        _("No accessible parking"),
        "Accessible parking",
    ),
    ("lift", _("Lift to every floor"), _("No lift"), "Lift"),
    ("accessible_toilet", _("Accessible toilet"), _("No accessible toilet"), "Accessible toilet"),
    ("hearing_loop", _("Hearing loop"), _("No hearing loop"), "Hearing loop"),
    (
        "interpreter_on_site",
        _("Interpreter on site"),
        _("No interpreter on site (one can join by phone or video)"),
        "Interpreter on site",
    ),
]


def access_field(label: Promise, help_text: Promise) -> models.BooleanField:
    return models.BooleanField(label, default=False, help_text=help_text)


class LocationPage(BasePage):
    """One site of the clinic: address, phone, hours and closures, how to get there, the
    building's access facts and the physicians who see patients there."""

    # Every page's footer shows the clinic's sites: a publish empties the whole page cache
    # (pages.signals).
    shown_on_every_page = True

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A sentence about the site, shown under its name and in the list of sites."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo of the building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The entrance as a patient sees it on arrival. Optional."),
    )
    image_alt = alt_text_field()

    street_address = models.CharField(
        _("street address"), max_length=200, help_text=_("Street and number, suite or floor.")
    )
    locality = models.CharField(_("city"), max_length=100, help_text=_("City or town."))
    region = models.CharField(
        _("state or region"), max_length=100, blank=True, help_text=_("State, province or region.")
    )
    postal_code = models.CharField(_("postal code"), max_length=20, help_text=_("ZIP or postcode."))
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="US",
        help_text=_("Two-letter ISO country code, used in search-engine data."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Of the entrance, in decimal degrees, e.g. 37.774929. For search engines."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Of the entrance, in decimal degrees, e.g. -122.419416."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        help_text=_("The number patients call for this site, e.g. (555) 555-0100."),
    )
    email = models.EmailField(
        _("public email"), blank=True, help_text=_("Shown on the site's page. Optional.")
    )

    opening_hours = StreamField(
        [("period", OpeningHoursBlock())],
        verbose_name=_("opening hours"),
        blank=True,
        help_text=_("One line per day or range of days. Shown in each visitor's language."),
    )
    closures = StreamField(
        [("closure", ClosureBlock())],
        verbose_name=_("closures"),
        blank=True,
        help_text=_("Dates the site is closed. Each is shown until its last day has passed."),
    )

    transit = models.TextField(
        _("by public transport"),
        blank=True,
        help_text=_("The nearest stops and lines, and the walk from them."),
    )
    car = models.TextField(
        _("by car"), blank=True, help_text=_("How to reach the entrance or the car park.")
    )
    parking = models.TextField(
        _("parking"), blank=True, help_text=_("Where to park, what it costs, drop-off points.")
    )

    step_free_entrance = access_field(
        _("step-free entrance"), _("An entrance without steps, or with a ramp, into the clinic.")
    )
    accessible_parking = access_field(
        _("accessible parking"), _("Marked accessible spaces close to the entrance.")
    )
    lift = access_field(_("lift"), _("A lift to every floor patients use."))
    accessible_toilet = access_field(
        _("accessible toilet"), _("A wheelchair-accessible toilet patients can use.")
    )
    hearing_loop = access_field(_("hearing loop"), _("An induction loop at the reception desk."))
    interpreter_on_site = access_field(
        _("interpreter on site"),
        _("A medical interpreter works at this site (otherwise one joins by phone or video)."),
    )
    access_notes = models.TextField(
        _("more about access"),
        blank=True,
        help_text=_("Anything else a visitor with a disability should know, e.g. door widths."),
    )

    map_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A map of the area, uploaded to the image library: shown from the clinic's own "
            "server, so visitors' browsers contact no map service."
        ),
    )
    map_image_alt = alt_text_field()
    map_url = models.URLField(
        _("link to a map service"),
        blank=True,
        help_text=_(
            "Opened only when the visitor follows it, e.g. an OpenStreetMap address. Nothing "
            "is loaded from the map service before."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        image_panel("image", _("Photo"), decorative=False),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("country"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")),
        MultiFieldPanel([FieldPanel("opening_hours"), FieldPanel("closures")], heading=_("Hours")),
        MultiFieldPanel(
            [FieldPanel("transit"), FieldPanel("car"), FieldPanel("parking")],
            heading=_("Getting here"),
        ),
        MultiFieldPanel(
            [*(FieldPanel(name) for name, *_labels in ACCESS_FEATURES), FieldPanel("access_notes")],
            heading=_("Access"),
        ),
        MultiFieldPanel(
            [FieldPanel("map_image"), FieldPanel("map_image_alt"), FieldPanel("map_url")],
            heading=_("Map"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("street_address"),
        index.SearchField("locality", boost=2),
        index.SearchField("transit"),
        index.SearchField("parking"),
    ]

    parent_page_types = ["pages.LocationIndexPage"]
    subpage_types: list[str] = []
    serve_related = ("image", "map_image")
    main_image_field = "image"
    # Facts of the place, the same in every language: copied from the English page, never
    # changed by a translator. The texts (directions, notes, closures' reasons) are translated.
    override_translatable_fields = synchronised(
        "social_image",
        "image",
        "street_address",
        "locality",
        "region",
        "postal_code",
        "country",
        "latitude",
        "longitude",
        "phone",
        "email",
        "opening_hours",
        *(name for name, *_labels in ACCESS_FEATURES),
        "map_image",
        "map_url",
    )
    listing_label = _("Location")
    template = "pages/location_page.html"

    class Meta:
        verbose_name = _("location page")

    def clean(self) -> None:
        super().clean()
        try:
            phones.validate(self.phone, self.country, allow_short=False)
        except ValidationError as error:
            raise ValidationError({"phone": error}) from error

    def get_meta_description(self) -> str:
        return self.search_description or self.intro or ", ".join(self.address_lines)

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(
            part for part in (f"{self.locality},", self.region, self.postal_code) if part
        )
        return [line for line in (self.street_address, city_line) if line.strip(", ")]

    @property
    def opening_hours_lines(self) -> list[str]:
        """The opening hours, one line per period, in the active language."""
        return [str(block.value) for block in self.opening_hours]

    def upcoming_closures(self, today: datetime.date | None = None) -> list[Any]:
        """Closures whose last day has not passed, soonest first."""
        today = today or timezone.localdate()
        closures = [block.value for block in self.closures if block.value.last >= today]
        return sorted(closures, key=lambda closure: closure["first_day"])

    @property
    def access_facts(self) -> list[dict[str, Any]]:
        """Each access fact, yes or no, with what a visitor reads."""
        return [
            {
                "name": name,
                "available": getattr(self, name),
                "label": yes if getattr(self, name) else no,
            }
            for name, yes, no, _schema in ACCESS_FEATURES
        ]

    @cached_property
    def physicians(self) -> list[Page]:
        """Live physicians in this page's language who see patients here, with what their
        teasers show (photo, its renditions, languages): four queries, however many there are."""
        physicians = linked_from("pages.PhysicianPage", "location_links__location", self)
        prefetch_related_objects(physicians, "photo", "spoken_languages")
        return with_photo_renditions(physicians)

    @property
    def map_service(self) -> str:
        """The host of ``map_url`` ("openstreetmap.org"), which the map link names: following
        it leaves this site."""
        return (urlsplit(self.map_url).hostname or "").removeprefix("www.")

    def clinic_node_id(self, request: HttpRequest | None) -> str:
        return f"{self.get_full_url(request)}#location"

    def get_clinic_structured_data(self, request: HttpRequest | None) -> dict[str, Any]:
        """The site as a ``MedicalClinic``, part of the clinic's organisation."""
        data: dict[str, Any] = {
            "@type": "MedicalClinic",
            "@id": self.clinic_node_id(request),
            "name": self.title,
            "url": self.get_full_url(request),
            "telephone": phones.e164(self.phone, self.country),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.street_address,
                "addressLocality": self.locality,
                "addressRegion": self.region,
                "postalCode": self.postal_code,
                "addressCountry": self.country,
            },
            "amenityFeature": [
                {
                    "@type": "LocationFeatureSpecification",
                    "name": schema_name,
                    "value": bool(getattr(self, name)),
                }
                for name, _yes, _no, schema_name in ACCESS_FEATURES
            ],
        }
        if self.email:
            data["email"] = self.email
        if self.latitude is not None and self.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        hours = [block.value.as_schema() for block in self.opening_hours]
        closures = [closure.as_schema() for closure in self.upcoming_closures()]
        if any(hours) or closures:
            data["openingHoursSpecification"] = [*(spec for spec in hours if spec), *closures]
        if self.map_url:
            data["hasMap"] = self.map_url
        site = Site.find_for_request(request) if request is not None else None
        if site is not None:
            data["parentOrganization"] = {"@id": f"{site.root_url}/#clinic"}
        return data

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        return {"mainEntity": self.get_clinic_structured_data(request)}
