"""Who may make a condition or treatment page live: nobody but superusers, directly. Everyone
else's changes go live when the "Clinical review" workflow approves them (``pages.clinical_review``
holds the rest of the rule: the finishing action, and the routes that do not ask a page)."""

from typing import Any

from wagtail.models import Page, PagePermissionTester

from .permissions import SitePagePermissionTester

# The models whose live content only clinical review may change, by label, so that this module
# imports no page family (the families import it).
CLINICAL_PAGE_MODELS = ("pages.conditionpage", "pages.treatmentpage")


class ClinicalPagePermissionTester(SitePagePermissionTester):
    """A condition or treatment page: editors may change its draft and submit it; only a
    superuser publishes, unpublishes or schedules it (everyone else goes through review).

    Taking "publish" out of the user's permissions here, rather than overriding ``can_publish``
    alone, keeps Wagtail's other rules that read it consistent: a live page is not deleted or
    moved (to another language's section, say) without it, and view restrictions and schedules
    follow ``can_publish``."""

    def __init__(self, user: Any, page: Page) -> None:
        super().__init__(user, page)
        if not user.is_superuser and hasattr(self, "permissions"):
            self.permissions.discard("publish")


class ClinicalSectionPermissionTester(SitePagePermissionTester):
    """The Conditions or Treatments section: it may be published like any page, but a new page
    created in it is never published in the same step ("create and publish", copies with
    "publish copies", aliases): it goes to review like any change."""

    def can_publish_subpage(self) -> bool:
        return self.user.is_superuser and super().can_publish_subpage()


class ClinicalReviewPermissions:
    """Mixin for condition and treatment pages: see :class:`ClinicalPagePermissionTester`."""

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return ClinicalPagePermissionTester(user, self)


class ClinicalSectionPermissions:
    """Mixin for the Conditions and Treatments sections: see
    :class:`ClinicalSectionPermissionTester`."""

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return ClinicalSectionPermissionTester(user, self)
