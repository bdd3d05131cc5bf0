"""The requests visitors send (``requests``), the pages that hold their forms (``form_pages``)
and visitors' answers to "Was this page helpful?" (``feedback``)."""

from .feedback import PageFeedback
from .requests import ConsultationRequest, IntakeLocationEmail, IntakeSettings, triage_order

# isort: split
# After the requests: the form pages import the forms and services, which import the requests
# from this package.
from .form_pages import AccessibilityPage, ConsultationRequestPage, RequestFormPageMixin

__all__ = [
    "AccessibilityPage",
    "ConsultationRequest",
    "ConsultationRequestPage",
    "IntakeLocationEmail",
    "IntakeSettings",
    "PageFeedback",
    "RequestFormPageMixin",
    "triage_order",
]
