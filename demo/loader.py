"""Builds the demo clinic from ``demo.content``.

Idempotent by design: a page, image or setting that already exists is left exactly as it is, so a
second run changes nothing and an editor's changes to demo pages are never overwritten."""

import io
import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from appointments.models import AccessibilityPage, ConsultationRequestPage, IntakeSettings
from core.languages import translated_languages
from core.models import ClinicSettings
from pages.medical_reviews import record_review
from pages.models import (
    ConditionIndexPage,
    ConditionPage,
    ConditionPhysician,
    ConditionTreatmentOption,
    ContactPage,
    HomePage,
    HomePageFeaturedCondition,
    LegalNoticePage,
    LocationIndexPage,
    LocationPage,
    PhysicianIndexPage,
    PhysicianLanguage,
    PhysicianLocation,
    PhysicianPage,
    StandardPage,
    TreatmentIndexPage,
    TreatmentPage,
    TreatmentPhysician,
)

from . import content
from .images import draw_portrait_placeholder, draw_scene

DEMO_COLLECTION = "Demo content"
# What the demo's pages say in each language it is translated into: translations/<code>.json.
TRANSLATIONS = Path(__file__).parent / "translations"
# Fixed dates, so that a second run has nothing to change.
REVIEW_DATE = date(2026, 10, 15)
NEXT_REVIEW_DATE = date(2027, 10, 15)


class DemoLoader:
    """Creates what is missing of the demo site and reports what it created."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.locale = Locale.get_default()

    def run(self) -> list[str]:
        home = self.load_english()
        # Outside any transaction on purpose: wagtail-localize publishes each translation when
        # its transaction commits, from the page object it saved. Deferred to the end of one
        # big transaction, those stale objects would overwrite their parents' tree fields.
        for language in demo_languages():
            self.translate_tree(home, language)
        return self.created

    @transaction.atomic
    def load_english(self) -> HomePage:
        home = self.load_home()
        site = self.load_site(home)
        conditions_index = self.child(home, ConditionIndexPage, content.CONDITION_INDEX, menu=True)
        treatments_index = self.child(home, TreatmentIndexPage, content.TREATMENT_INDEX, menu=True)
        physicians_index = self.child(home, PhysicianIndexPage, content.PHYSICIAN_INDEX, menu=True)
        locations_index = self.child(home, LocationIndexPage, content.LOCATION_INDEX, menu=True)

        locations = {
            data["slug"]: self.load_location(locations_index, data) for data in content.LOCATIONS
        }
        physicians = {
            data["slug"]: self.load_physician(physicians_index, data, locations)
            for data in content.PHYSICIANS
        }
        treatments = {
            data["slug"]: self.load_treatment(treatments_index, data, physicians)
            for data in content.TREATMENTS
        }
        conditions = {
            data["slug"]: self.load_condition(conditions_index, data, treatments, physicians)
            for data in content.CONDITIONS
        }
        for page in [*treatments.values(), *conditions.values()]:
            self.load_review(page)
        self.load_featured_conditions(home, conditions)

        consultation = self.child(home, ConsultationRequestPage, content.CONSULTATION)
        contact = self.child(home, ContactPage, content.CONTACT, menu=True)
        accessibility = self.child(
            home, AccessibilityPage, content.ACCESSIBILITY, last_reviewed=REVIEW_DATE
        )
        privacy = self.child(
            home,
            StandardPage,
            content.PRIVACY,
            body=stream(content.PRIVACY["body"]),
            last_updated=REVIEW_DATE,
        )
        for data in content.LEGAL_NOTICES:
            self.child(
                home,
                LegalNoticePage,
                data,
                body=stream(data["body"]),
                last_updated=REVIEW_DATE,
            )
        self.load_settings(
            site,
            consultation=consultation,
            contact=contact,
            accessibility=accessibility,
            privacy=privacy,
        )
        return home

    # Pages ------------------------------------------------------------------------------------

    def load_home(self) -> HomePage:
        home = HomePage.objects.filter(depth=2, locale=self.locale).first()
        if home:
            return home
        root = Page.get_first_root_node()
        data = content.HOME
        home = HomePage(
            title=data["title"],
            slug="home",
            locale=self.locale,
            seo_title=data["seo_title"],
            search_description=data["search_description"],
            hero_heading=data["hero_heading"],
            hero_text=data["hero_text"],
            hero_image=self.image("Home hero", data["hero_image_alt"]),
            # The demo's pictures are abstract illustrations: decoration, which screen
            # readers skip (the library keeps a description for editors).
            hero_image_decorative=True,
            intro=data["intro"],
            featured_heading=data["featured_heading"],
            body=stream(data.get("body", [])),
        )
        # Wagtail's installer leaves a "Welcome" page at the root; its slug would clash.
        welcome = root.get_children().filter(slug="home").exclude(pk__in=HomePage.objects.all())
        for page in welcome:
            Site.objects.filter(root_page=page).update(root_page=root)
            page.delete()
        root.add_child(instance=home)
        home.save_revision().publish()
        self.created.append(f"page: {home.title}")
        return home

    def load_site(self, home: HomePage) -> Site:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True
            )
            self.created.append("site")
        if site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = content.CLINIC["name"]
            # Full URLs (canonical, hreflang, sitemap) use the site's host: make them match
            # the address the demo is served at.
            address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            site.hostname = address.hostname or site.hostname
            site.port = address.port or (443 if address.scheme == "https" else 80)
            site.save()
            self.created.append("site root")
        return site

    def child(
        self,
        parent: Page,
        model: type[Page],
        data: dict[str, Any],
        menu: bool = False,
        **fields: Any,
    ) -> Page:
        """The child of ``parent`` with the given slug, created and published if missing."""
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing:
            return existing.specific
        # Content keys that are not model fields (slugs of related pages, alt texts) stay out.
        field_names = {field.name for field in model._meta.get_fields()}
        values = {
            key: value for key, value in data.items() if key in field_names and key not in fields
        }
        page = model(show_in_menus=menu, locale=parent.locale, **values, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(f"page: {page.title}")
        return page

    def load_location(self, parent: Page, data: dict[str, Any]) -> LocationPage:
        return self.child(
            parent,
            LocationPage,
            without(data, "opening_hours", "closures"),
            opening_hours=data["opening_hours"],
            closures=data["closures"],
        )

    def load_physician(
        self, parent: Page, data: dict[str, Any], locations: dict[str, LocationPage]
    ) -> PhysicianPage:
        photo = self.image(f"Portrait: {data['name']}", data["photo_alt"], portrait=True)
        return self.child(
            parent,
            PhysicianPage,
            data,
            photo=photo,
            spoken_languages=[PhysicianLanguage(code=code) for code in data["languages"]],
            location_links=[
                PhysicianLocation(location=locations[slug]) for slug in data["locations"]
            ],
        )

    def load_treatment(
        self, parent: Page, data: dict[str, Any], physicians: dict[str, PhysicianPage]
    ) -> TreatmentPage:
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing:
            return existing.specific
        fields = {
            "image": self.image(f"Treatment: {data['title']}", data["image_alt"]),
            "image_alt": "",
            "image_decorative": True,
            "details": [
                ("list", {"kind": d["kind"], "heading": d["heading"], "items": list_items(d)})
                for d in data["details"]
            ],
            "reviewed_by": physicians[data["reviewed_by"]],
            "last_reviewed": REVIEW_DATE,
            "next_review_due": NEXT_REVIEW_DATE,
            "physician_links": [
                TreatmentPhysician(physician=physicians[slug]) for slug in data["physicians"]
            ],
        }
        return self.child(parent, TreatmentPage, without(data, "details"), **fields)

    def load_condition(
        self,
        parent: Page,
        data: dict[str, Any],
        treatments: dict[str, TreatmentPage],
        physicians: dict[str, PhysicianPage],
    ) -> ConditionPage:
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing:
            return existing.specific
        fields = {
            "image": self.image(f"Condition: {data['title']}", data["image_alt"]),
            "image_alt": "",
            "image_decorative": True,
            "symptoms": [("symptom", described(item)) for item in data["symptoms"]],
            "causes": [("cause", described(item)) for item in data["causes"]],
            "body": stream(data["body"]),
            "faq": [
                ("question", {"question": question, "answer": answer})
                for question, answer in data["faq"]
            ],
            "reviewed_by": physicians[data["reviewed_by"]],
            "last_reviewed": REVIEW_DATE,
            "next_review_due": NEXT_REVIEW_DATE,
            "treatment_options": [
                ConditionTreatmentOption(treatment=treatments[slug], note=note)
                for slug, note in data["treatments"]
            ],
            "physician_links": [
                ConditionPhysician(physician=physicians[slug]) for slug in data["physicians"]
            ],
        }
        page_data = without(data, "symptoms", "causes", "body", "faq")
        return self.child(parent, ConditionPage, page_data, **fields)

    def load_review(self, page: ConditionPage | TreatmentPage) -> None:
        """The page's medical review by its reviewing physician, as clinical review records it."""
        if not page.medical_reviews.exists():
            record_review(page, physician=page.reviewed_by, on=REVIEW_DATE)

    def load_featured_conditions(
        self, home: HomePage, conditions: dict[str, ConditionPage]
    ) -> None:
        if home.featured_conditions.exists():
            return
        home.featured_conditions = [
            HomePageFeaturedCondition(condition=conditions[slug])
            for slug in content.HOME["featured"]
        ]
        home.save_revision().publish()
        self.created.append("featured conditions")

    # Translations -------------------------------------------------------------------------------

    def translate_tree(self, home: HomePage, language: str) -> None:
        """A version of every demo page in ``language``, made the way a translator's work is
        made: a translation source, a translated string for each segment, then the target page.
        Pages already translated are left alone."""
        locale = Locale.objects.get(language_code=language)
        strings = load_translations(language)
        pages = home.get_descendants(inclusive=True).filter(locale=self.locale).order_by("path")
        for page in pages.specific():
            if page.has_translation(locale):
                continue
            source, _created = TranslationSource.get_or_create_from_instance(page)
            for segment in source.stringsegment_set.select_related("string", "context"):
                StringTranslation.objects.get_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={
                        # A string with no translation stays English rather than breaking.
                        "data": strings.get(segment.string.data, segment.string.data),
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    },
                )
            translation, _created = Translation.objects.get_or_create(
                source=source, target_locale=locale
            )
            translation.save_target(publish=True)
            self.created.append(f"page ({language}): {page.title}")

    # Settings and images ------------------------------------------------------------------------

    def load_settings(self, site: Site, **pages: Page) -> None:
        settings = ClinicSettings.for_site(site)
        if settings.name:
            return
        for key, value in content.CLINIC.items():
            setattr(settings, key, value)
        settings.consultation_page = pages["consultation"]
        settings.contact_page = pages["contact"]
        settings.accessibility_page = pages["accessibility"]
        settings.privacy_page = pages["privacy"]
        settings.save()
        intake = IntakeSettings.for_site(site)
        intake.intake_email = content.INTAKE_EMAIL
        intake.save()
        self.created.append("clinic settings")

    def image(self, title: str, alt: str, portrait: bool = False):
        Image = get_image_model()
        collection = self.collection()
        existing = Image.objects.filter(title=title, collection=collection).first()
        if existing:
            return existing
        data = draw_portrait_placeholder(title) if portrait else draw_scene(title)
        image = Image(title=title, description=alt, collection=collection)
        image.file = ImageFile(io.BytesIO(data), name=f"{slugify(title)}.png")
        image.save()
        self.created.append(f"image: {title}")
        return image

    def collection(self) -> Collection:
        if not hasattr(self, "_collection"):
            root = Collection.get_first_root_node()
            existing = root.get_children().filter(name=DEMO_COLLECTION).first()
            self._collection = existing or root.add_child(name=DEMO_COLLECTION)
        return self._collection


def demo_languages() -> list[str]:
    """The content languages the demo is written in: those with a file of translations. A
    language added to the settings without one is left for translators to fill."""
    return [code for code in translated_languages() if (TRANSLATIONS / f"{code}.json").exists()]


def load_translations(language: str) -> dict[str, str]:
    """English segment text → translated text, written for the demo (``translations/*.json``)."""
    path = TRANSLATIONS / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


def described(item: tuple[str, str]) -> dict[str, str]:
    name, description = item
    return {"name": name, "description": description}


def list_items(section: dict[str, Any]) -> list[dict[str, str]]:
    return [described(item) for item in section["items"]]


def stream(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Body stream items from the content module: headings become h2 heading blocks."""
    blocks = []
    for block_type, value in items:
        if block_type == "heading":
            blocks.append(("heading", {"text": value, "level": "h2"}))
        else:
            blocks.append((block_type, value))
    return blocks
