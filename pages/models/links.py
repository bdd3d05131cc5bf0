"""Physicians chosen on condition and treatment pages: the link rows and what a page that has
them can do. In a module of its own so that conditions, treatments and physicians each import it
and none of them imports another."""

from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page

from .base import linked_pages


class PhysicianLink(Orderable):
    """A physician chosen on another page, in the order editors arrange them. Subclasses add the
    ``page`` ParentalKey that says which page the physician is linked from."""

    physician = models.ForeignKey(
        "pages.PhysicianPage",
        verbose_name=_("physician"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Choose the physician's profile page."),
    )

    panels = [FieldPanel("physician")]

    class Meta(Orderable.Meta):
        abstract = True


class ListsPhysicians:
    """For a page with ``physician_links`` (rows of a :class:`PhysicianLink` subclass): the live
    physicians it names, in the page's language."""

    # Given by the page class it is mixed into.
    physician_links: Any
    locale_id: int

    @cached_property
    def physicians_by_link(self) -> dict[int, Page]:
        """The physicians by the page each link names (the original language's), in the links'
        order; :attr:`MedicallyReviewedMixin.reviewer` looks the reviewer up here first."""
        links = linked_pages(
            self.physician_links.order_by("sort_order"), "physician", self.locale_id, ("photo",)
        )
        return {link.physician_id: physician for link, physician in links if physician is not None}

    @cached_property
    def physicians(self) -> list[Page]:
        """The physicians in the links' order, with their photos' renditions and the languages
        their cards name (one query each, however many physicians)."""
        physicians = list(self.physicians_by_link.values())
        prefetch_related_objects(physicians, "spoken_languages")
        return with_photo_renditions(physicians)


def with_photo_renditions(physicians: list[Page]) -> list[Page]:
    """Fetch the renditions of the physicians' photos (already selected with them) in one
    query, however many physicians there are."""
    prefetch_related_objects([p.photo for p in physicians if p.photo is not None], "renditions")
    return physicians
