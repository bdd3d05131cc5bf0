"""Page types of the public site, one module per family."""

from .base import BasePage, IndexPage, MedicallyReviewedMixin
from .conditions import (
    ConditionIndexPage,
    ConditionPage,
    ConditionPhysician,
    ConditionTreatmentOption,
)
from .home import HomePage, HomePageFeaturedCondition
from .physicians import PhysicianIndexPage, PhysicianLink, PhysicianPage
from .requests import ConsultationRequestPage
from .standard import AccessibilityPage, ContactPage, StandardPage
from .treatments import TreatmentIndexPage, TreatmentPage, TreatmentPhysician

__all__ = [
    "AccessibilityPage",
    "BasePage",
    "ConditionIndexPage",
    "ConditionPage",
    "ConditionPhysician",
    "ConditionTreatmentOption",
    "ConsultationRequestPage",
    "ContactPage",
    "HomePage",
    "HomePageFeaturedCondition",
    "IndexPage",
    "MedicallyReviewedMixin",
    "PhysicianIndexPage",
    "PhysicianLink",
    "PhysicianPage",
    "StandardPage",
    "TreatmentIndexPage",
    "TreatmentPage",
    "TreatmentPhysician",
]
