"""Factories for every page type, with the fields an editor must fill in already filled."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Collection

from appointments import models as form_pages
from pages import models


class ImageFactory(wagtail_factories.ImageFactory):
    # Images belong in the root collection, as uploads through the admin do.
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Image {n}")
    description = factory.LazyAttribute(lambda obj: f"Alt text for {obj.title}")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"
    hero_heading = "Care for the face after facial nerve injury"
    hero_text = "Specialists in synkinesis and facial paralysis."
    intro = "<p>Welcome to the clinic.</p>"

    class Meta:
        model = models.HomePage


class ConditionIndexPageFactory(wagtail_factories.PageFactory):
    title = "Conditions"
    slug = "conditions"
    intro = "Conditions we treat."
    show_in_menus = True

    class Meta:
        model = models.ConditionIndexPage


class TreatmentIndexPageFactory(wagtail_factories.PageFactory):
    title = "Treatments"
    slug = "treatments"
    intro = "Treatments we offer."
    show_in_menus = True

    class Meta:
        model = models.TreatmentIndexPage


class PhysicianIndexPageFactory(wagtail_factories.PageFactory):
    title = "Our physicians"
    slug = "physicians"
    intro = "The people who will care for you."
    show_in_menus = True

    class Meta:
        model = models.PhysicianIndexPage


class PhysicianPageFactory(wagtail_factories.PageFactory):
    name = factory.Sequence(lambda n: f"Physician {n}")
    title = factory.LazyAttribute(lambda obj: f"Dr {obj.name}")
    honorific = "Dr"
    credentials = "MD"
    job_title = "Facial plastic surgeon"
    photo = factory.SubFactory(ImageFactory)
    summary = "A facial plastic surgeon."
    biography = "<p>Trained in facial reanimation.</p>"
    specialties = "Facial reanimation, Synkinesis"
    # Typed as an editor picks them: language codes, in the order the profile lists them.
    spoken_languages = factory.LazyFunction(
        lambda: [models.PhysicianLanguage(code="en"), models.PhysicianLanguage(code="es")]
    )

    class Meta:
        model = models.PhysicianPage


class LocationIndexPageFactory(wagtail_factories.PageFactory):
    title = "Locations"
    slug = "locations"
    intro = "Where to find us."
    show_in_menus = True

    class Meta:
        model = models.LocationIndexPage


class LocationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Site {n}")
    intro = "Our main site, on the fourth floor."
    street_address = "1200 Harbor Point Avenue, Suite 400"
    locality = "Bayview"
    region = "CA"
    postal_code = "94000"
    country = "US"
    phone = "(555) 555-0100"
    opening_hours = [
        (
            "period",
            {
                "first_day": "0",
                "last_day": "4",
                "opens": datetime.time(8),
                "closes": datetime.time(17),
            },
        ),
        ("period", {"first_day": "5", "last_day": "6", "closed": True}),
    ]
    transit = "Bus 14 stops outside."
    step_free_entrance = True

    class Meta:
        model = models.LocationPage


class TreatmentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Treatment {n}")
    kind = models.TreatmentPage.Kind.THERAPY
    summary = "A treatment."
    purpose = "Relax overactive muscles."
    details = [
        (
            "list",
            {
                "kind": "techniques",
                "heading": "Techniques",
                "items": [{"name": "Biofeedback", "description": "Sensors show muscle activity."}],
            },
        )
    ]
    what_to_expect = "<p>A short visit.</p>"
    duration = "About 3 to 4 months."
    risks = "<p>Temporary weakness.</p>"
    last_reviewed = datetime.date(2026, 10, 15)

    class Meta:
        model = models.TreatmentPage


class ConditionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Condition {n}")
    summary = "Involuntary movement of facial muscles."
    alternate_names = "Aberrant regeneration, Facial miswiring"
    image = factory.SubFactory(ImageFactory)
    symptoms = [("symptom", {"name": "Eye narrowing", "description": "When smiling."})]
    causes = [("cause", {"name": "Bell's palsy", "description": "Nerve inflammation."})]
    body = [("paragraph", "<p>More about it.</p>")]
    faq = [("question", {"question": "Is it permanent?", "answer": "<p>Often not.</p>"})]
    last_reviewed = datetime.date(2026, 10, 15)
    next_review_due = datetime.date(2027, 10, 15)

    class Meta:
        model = models.ConditionPage


class AccessibilityPageFactory(wagtail_factories.PageFactory):
    title = "Accessibility"
    slug = "accessibility"
    intro = "We want everyone to be able to use this site."
    statement = "<p>We test with screen readers.</p>"
    accommodations = "<p>Ask us for large print.</p>"
    last_reviewed = datetime.date(2026, 10, 1)

    class Meta:
        model = form_pages.AccessibilityPage


class ContactPageFactory(wagtail_factories.PageFactory):
    title = "Contact us"
    slug = "contact"
    intro = "How to reach us."
    directions = "<p>Bus 12 stops outside.</p>"
    show_in_menus = True

    class Meta:
        model = models.ContactPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "Privacy notice"
    slug = "privacy"
    intro = "How we handle your information."
    body = [("paragraph", "<p>We keep requests for two years.</p>")]

    class Meta:
        model = models.StandardPage


class ConsultationRequestPageFactory(wagtail_factories.PageFactory):
    title = "Schedule a consultation"
    slug = "consultation"
    intro = "<p>We will call you back within one working day.</p>"
    privacy_note = "<p>Only our intake team sees your answers.</p>"
    thank_you_text = "<p>We will call you soon.</p>"

    class Meta:
        model = form_pages.ConsultationRequestPage


class LegalNoticePageFactory(wagtail_factories.PageFactory):
    title = "Language assistance"
    slug = "language-assistance"
    kind = models.LegalNoticePage.Kind.LANGUAGE_ASSISTANCE
    intro = "Interpreters and aids are free."
    body = [("paragraph", "<p>Ask us for an interpreter.</p>")]

    class Meta:
        model = models.LegalNoticePage
