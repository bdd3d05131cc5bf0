"""What Wagtail asks a page before offering to move or delete it, answered without a query for a
page with no children (every row of a section's listing in the explorer but the sections)."""

from wagtail.models import PagePermissionTester


class SitePagePermissionTester(PagePermissionTester):
    """Wagtail's permission tester, for every page of the site, with the same answers.

    For anyone who may change pages but not publish them, Wagtail's ``can_delete`` (and
    ``can_move``, which asks it) looks for a live page among the page and its descendants with a
    query; for someone who may only add pages, for one owned by someone else. The explorer asks
    both for every row of its listing (the "Move" and "Delete" buttons): two queries a row for
    translators, who never publish, and for every editor on condition and treatment pages, which
    only review publishes (``pages.models.review``). A page with no children is all that would
    be deleted, so its own ``live`` and ``owner`` answer: the same rules, no query."""

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        if (
            self.page.numchild
            or self.page_is_root
            or not self.user.is_active
            or self.user.is_superuser
        ):
            return super().can_delete(ignore_bulk=ignore_bulk)
        may_delete_live = "publish" in self.permissions
        if "change" in self.permissions:
            return may_delete_live or not self.page.live
        if "add" in self.permissions:
            # Only their own pages, as Wagtail's rule for those who may add but not change.
            owned = self.page.owner_id == self.user.pk
            return owned and (may_delete_live or not self.page.live)
        return False
