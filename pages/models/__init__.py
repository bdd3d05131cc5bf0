"""Page types of the public site, one module per family."""

from .base import BasePage, IndexPage, MedicallyReviewedMixin
from .conditions import (
    ConditionIndexPage,
    ConditionPage,
    ConditionPhysician,
    ConditionTreatmentOption,
)
from .home import HomePage, HomePageFeaturedCondition
from .legal import LegalNoticePage
from .links import ListsPhysicians, PhysicianLink
from .locations import LocationIndexPage, LocationPage
from .medical_review import MedicalReview, ReviewReminder
from .physicians import PhysicianIndexPage, PhysicianLanguage, PhysicianLocation, PhysicianPage
from .search_terms import SearchTermCount
from .standard import ContactPage, StandardPage
from .treatments import TreatmentIndexPage, TreatmentPage, TreatmentPhysician

__all__ = [
    "BasePage",
    "ConditionIndexPage",
    "ConditionPage",
    "ConditionPhysician",
    "ConditionTreatmentOption",
    "ContactPage",
    "HomePage",
    "HomePageFeaturedCondition",
    "IndexPage",
    "LegalNoticePage",
    "ListsPhysicians",
    "LocationIndexPage",
    "LocationPage",
    "MedicalReview",
    "MedicallyReviewedMixin",
    "PhysicianIndexPage",
    "PhysicianLanguage",
    "PhysicianLink",
    "PhysicianLocation",
    "PhysicianPage",
    "ReviewReminder",
    "SearchTermCount",
    "StandardPage",
    "TreatmentIndexPage",
    "TreatmentPage",
    "TreatmentPhysician",
]
