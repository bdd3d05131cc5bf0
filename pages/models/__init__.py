"""Page types of the public site, one module per family."""

from .base import BasePage, IndexPage, MedicallyReviewedMixin
from .conditions import (
    ConditionIndexPage,
    ConditionPage,
    ConditionPhysician,
    ConditionTreatmentOption,
)
from .home import HomePage, HomePageFeaturedCondition
from .physicians import PhysicianIndexPage, PhysicianPage
from .standard import AccessibilityPage, ContactPage, StandardPage
from .treatments import TreatmentIndexPage, TreatmentPage, TreatmentPhysician

__all__ = [
    "AccessibilityPage",
    "BasePage",
    "ConditionIndexPage",
    "ConditionPage",
    "ConditionPhysician",
    "ConditionTreatmentOption",
    "ContactPage",
    "HomePage",
    "HomePageFeaturedCondition",
    "IndexPage",
    "MedicallyReviewedMixin",
    "PhysicianIndexPage",
    "PhysicianPage",
    "StandardPage",
    "TreatmentIndexPage",
    "TreatmentPage",
    "TreatmentPhysician",
]
