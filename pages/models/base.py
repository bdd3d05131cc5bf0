import datetime
from functools import cached_property
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.cache import cached_for_site, cached_in_generation, shows_list_page
from pages.translation_rules import synchronised

from .image_text import ImageTextMixin, alt_text_field, image_panel
from .medical_review import MedicalReview
from .permissions import SitePagePermissionTester


def in_locale(pages: list[Page], locale_id: int, related: tuple[str, ...] = ()) -> list[Page]:
    """The same pages in another language where a live translation exists, else the pages
    themselves: links between pages lead to the visitor's language. One query for the lot
    (``related`` is passed to ``select_related``)."""
    foreign = [page for page in pages if page.locale_id != locale_id]
    if not foreign:
        return pages
    model = type(foreign[0])
    translations = {
        page.translation_key: page
        for page in model.objects.live()
        .filter(locale_id=locale_id, translation_key__in={page.translation_key for page in foreign})
        .select_related(*related)
    }
    return [translations.get(page.translation_key, page) for page in pages]


def linked_pages(
    links, field: str, locale_id: int, related: tuple[str, ...] = ()
) -> list[tuple[Any, Page | None]]:
    """The rows of ``links`` (in their order), each with the live page its ``field`` names, in
    the language ``locale_id`` where a live translation exists, else in its own (None when
    neither is live). Links are entered once and synchronised between languages, so they name
    the original page: it is looked up by its translation key, and each page is read once, in
    the visitor's language. Two queries however many links (a third only for links whose page
    has no live translation); ``related`` is passed to ``select_related``."""
    model = links.model._meta.get_field(field).related_model
    if isinstance(links, QuerySet):
        rows = list(links.annotate(linked_key=F(f"{field}__translation_key")))
    else:  # a preview's rows, held in memory by modelcluster
        rows = list(links)
        for row in rows:
            row.linked_key = getattr(row, field).translation_key
    pages = {
        page.translation_key: page
        for page in model.objects.live()
        .filter(locale_id=locale_id, translation_key__in={row.linked_key for row in rows})
        .select_related(*related)
        .order_by()  # in the links' order, below
    }
    missing = [getattr(row, f"{field}_id") for row in rows if row.linked_key not in pages]
    originals = model.objects.live().select_related(*related).in_bulk(missing) if missing else {}
    return [
        (row, pages.get(row.linked_key) or originals.get(getattr(row, f"{field}_id")))
        for row in rows
    ]


def linked_from(model_label: str, lookup: str, page: Page) -> list[Page]:
    """Live pages of the model ``model_label`` names ("pages.ConditionPage") in ``page``'s
    language that link to it through ``lookup``: the pages that link to each other name each
    other's models by label, so that none of their modules imports another. Links are
    synchronised from the source language, so a link to any language version of ``page``
    counts: the match is on its translation key. One query, without the pages' StreamFields:
    a list shows their titles and summaries, and a physician's may name hundreds of pages."""
    model = apps.get_model(model_label)
    return list(
        public(model.objects.live())
        .filter(locale_id=page.locale_id, **{f"{lookup}__translation_key": page.translation_key})
        .order_by("title")
        .distinct()
        .defer_streamfields()
    )


def has_view_restrictions() -> bool:
    """Whether any page is private. Most sites restrict none; the answer is kept in the cache
    for the content generation (saving or deleting a restriction starts a new one)."""
    return cached_in_generation(None, "any-view-restriction", PageViewRestriction.objects.exists)


def public(pages: PageQuerySet) -> PageQuerySet:
    """``pages.public()``, which reads every view restriction to exclude the pages under them,
    each time it is called: skipped when no page is private."""
    return pages.public() if has_view_restrictions() else pages


class BasePage(ImageTextMixin, Page):
    """Every public page: social image, search-engine data and an optional summary for listings."""

    # Whether this type's content shows on every page (the footer's locations, say), so that
    # publishing one empties the whole page cache, not only the pages that show it
    # (pages.signals).
    shown_on_every_page = False

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social media. Defaults to the page's image."),
    )
    social_image_alt = alt_text_field()

    promote_panels = [
        *Page.promote_panels,
        image_panel("social_image", _("Social image"), decorative=False),
    ]

    # Foreign keys read in the same query as the page when it is served (its images): see
    # core.cache.RoutingCacheMiddleware.
    serve_related: tuple[str, ...] = ()
    # The same in every language, and never changed by a translator (pages.translation_rules).
    override_translatable_fields = synchronised("social_image")
    # The type of schema.org WebPage this page is; subclasses narrow it.
    schema_page_type = "WebPage"
    # What the page is, as a visitor would say it, in search results.
    listing_label: str | Promise = ""

    class Meta:
        abstract = True

    @property
    def status_string(self) -> str:
        """Wagtail's status ("live", "draft"…), and in the explorer's listing of a language's
        tree, whether the page's translation is out of date
        (``pages.translation_status.mark_out_of_date_translations``)."""
        status = super().status_string
        if getattr(self, "translation_out_of_date", False):
            return _("%(status)s, translation out of date") % {"status": status}
        return status

    def permissions_for_user(self, user: Any) -> SitePagePermissionTester:
        """Wagtail's rules, answered without a query per row of the explorer's listing
        (:class:`SitePagePermissionTester`)."""
        return SitePagePermissionTester(user, self)

    def get_meta_description(self) -> str:
        """The search description if an editor wrote one, else the page's own summary."""
        return self.search_description or getattr(self, "summary", "") or ""

    @cached_property
    def ancestors(self) -> list[Page]:
        """The page's ancestors from the tree's root down, read once for the privacy check and
        the breadcrumb trail."""
        return list(self.get_ancestors().order_by("depth"))

    def get_view_restrictions(self):
        """As Wagtail's, which reads the ancestors and then their restrictions on every page
        view. Most sites restrict no page at all, so whether any restriction exists is kept in
        the cache (saving or deleting one starts a new content generation), and only then are
        they read: from :attr:`ancestors`, or for aliases, which take their source page's
        restrictions, by Wagtail's own lookup."""
        if not has_view_restrictions():
            return PageViewRestriction.objects.none()
        if self.alias_of_id or any(page.alias_of_id for page in self.ancestors):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(
            page_id__in=[self.pk, *(page.pk for page in self.ancestors)]
        )

    def language_code(self, request: HttpRequest | None = None) -> str:
        """The page's language; with a request, from the cached table of locales (no query)."""
        if request is None:
            return self.locale.language_code
        codes = cached_for_site(
            request, "locale-codes", lambda: dict(Locale.objects.values_list("pk", "language_code"))
        )
        return codes.get(self.locale_id) or self.locale.language_code

    def get_url_parts(self, request: HttpRequest | None = None):
        """As Wagtail's, worked out once per request: a linked page's address is written in the
        HTML and again in the structured data, and each time Wagtail compares it with every
        site's root and reverses the serve view in the page's language. Remembered on the
        request, by page and URL path (so a page that moves during the request is not given
        its old address)."""
        if request is None:
            return super().get_url_parts(request)
        remembered = request.__dict__.setdefault("_page_url_parts", {})
        key = (self.pk, self.url_path)
        if key not in remembered:
            remembered[key] = super().get_url_parts(request)
        return remembered[key]

    # The image shared when no social image is chosen (``get_social_image``).
    main_image_field = ""

    def get_social_image(self):
        return self.social_image or (
            getattr(self, self.main_image_field) if self.main_image_field else None
        )

    def get_social_image_alt(self) -> str:
        """The shared image's text for ``og:image:alt``, in the page's language. A decorative
        image shared on its own still needs words: the page's title then."""
        field = "social_image" if self.social_image else self.main_image_field
        if not field:
            return ""
        return self.alt_text_for(field) or self.title

    def get_structured_data(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        """JSON-LD objects for this page, rendered in the head of its HTML."""
        return [
            {
                "@context": "https://schema.org",
                "@type": self.schema_page_type,
                "name": self.seo_title or self.title,
                "url": self.get_full_url(request),
                "inLanguage": self.language_code(request),
                **self.get_main_entity(request),
            }
        ]

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        """Extra properties of the WebPage object (``about``, ``mainEntity``…); none by default."""
        return {}


class IndexPage(BasePage):
    """A section page that introduces and lists its children."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown above the list of pages."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    schema_page_type = "CollectionPage"
    # The listing shows this many children at a time, so its cost does not grow with the section.
    children_per_page = 24
    # The image field each child shows in the listing.
    listing_image_field = "image"
    # Each section exists once, directly under the home page.
    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_listed_children(self):
        """The live children in the order editors arranged them, with their listing images. A
        section holds one page type (``subpage_types``), so they are queried as that type."""
        model = self.specific_class.allowed_subpage_models()[0]
        return (
            public(model.objects.child_of(self).live())
            .select_related(self.listing_image_field)
            .order_by("path")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        listing = Paginator(self.get_listed_children(), self.children_per_page).get_page(
            request.GET.get("page")
        )
        shows_list_page(request, listing.number)
        children = list(listing.object_list)
        images = [getattr(child, self.listing_image_field) for child in children]
        prefetch_related_objects([image for image in images if image], "renditions")
        context["children"] = children
        context["listing"] = listing
        return context


class MedicallyReviewedPageForm(WagtailAdminPageForm):
    """The editor of a condition or treatment page: a changed next review date is checked."""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if "next_review_due" in self.changed_data and "next_review_due" not in self.errors:
            self.instance.next_review_due = cleaned_data.get("next_review_due")
            try:
                self.instance.check_next_review_due()
            except ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned_data


class MedicallyReviewedMixin(models.Model):
    """Clinical content carries who checked it and when (the :class:`MedicalReview` records
    written when a physician approves its clinical review), and when it is due again."""

    # Given by the page class it is mixed into (wagtail.models.TranslatableMixin, Page).
    locale_id: int
    translation_key: Any
    last_published_at: Any

    # Before the review records existed, editors typed the reviewer and the date here; migration
    # 0007 made a record of each. Kept in the database, no longer edited nor shown.
    reviewed_by = models.ForeignKey(
        "pages.PhysicianPage",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The physician who checked this page for medical accuracy."),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("The date of the last medical review, shown to visitors."),
    )
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_(
            "When the page should be reviewed again: a date after its last review. Leave empty "
            "for the clinic's usual interval after the last review. Not shown to visitors."
        ),
    )

    review_panels = [
        MultiFieldPanel([FieldPanel("next_review_due")], heading=_("Medical review")),
    ]
    base_form_class = MedicallyReviewedPageForm

    class Meta:
        abstract = True

    @cached_property
    def medical_review(self) -> MedicalReview | None:
        """The review visitors are shown (see :meth:`latest_medical_review`), kept for the
        content generation: a review is recorded when a physician approves, and the approval
        publishes the page, which starts a new generation (``record_review`` starts one too).
        So the byline costs a query only the first time a page is served after a change."""
        return cached_in_generation(
            None, f"medical-review:{self.translation_key}:{self.pk}", self.latest_medical_review
        )

    def latest_medical_review(self) -> MedicalReview | None:
        """The latest review of the page this one was translated from (the same page in the
        site's language), or this page's own when there is none: a translation is reviewed as
        what it was made from. One query, with the physician."""
        reviews = list(
            MedicalReview.objects.filter(page__translation_key=self.translation_key)
            .filter(Q(page__locale__language_code=settings.LANGUAGE_CODE) | Q(page_id=self.pk))
            .annotate(language=F("page__locale__language_code"))
            .select_related("physician")
            .order_by("-reviewed_on", "-pk")
        )
        source = [review for review in reviews if review.language == settings.LANGUAGE_CODE]
        latest = source or reviews
        return latest[0] if latest else None

    @property
    def review_is_the_sources(self) -> bool:
        review = self.medical_review
        return review is not None and review.page_id != self.pk

    @property
    def source_reviewed_since_translation(self) -> bool:
        """Whether the original was reviewed again after this translation last went live: the
        translation may not carry what that review changed. Compared by day (the byline's)."""
        review = self.medical_review
        if not self.review_is_the_sources or not self.last_published_at or review is None:
            return False
        return review.reviewed_on > timezone.localdate(self.last_published_at)

    @property
    def review_due(self) -> datetime.date | None:
        """When the next review falls due: the editor's date when it is after the last review,
        else ``MEDICAL_REVIEW_INTERVAL_DAYS`` after it; None for a page never reviewed."""
        return review_due(self.medical_review, self.next_review_due)

    @cached_property
    def reviewer(self):
        """The reviewing physician's profile in this page's language, or None (a reviewer
        without one is named by the record alone). The reviewer is very likely one of the
        physicians the page lists, whose page in this language is then already at hand
        (``physicians_by_link``); otherwise it is read with its translation."""
        review = self.medical_review
        if review is None or review.physician is None:
            return None
        listed = getattr(self, "physicians_by_link", {})
        if review.physician_id in listed:
            return listed[review.physician_id]
        return in_locale([review.physician], self.locale_id)[0]

    @property
    def reviewer_name(self) -> str:
        if self.reviewer is not None and self.reviewer.live:
            return self.reviewer.display_name
        return self.medical_review.reviewer_name if self.medical_review else ""

    def check_next_review_due(self) -> None:
        """Refuse a next review date on or before the last review. Asked by the editor's form
        when the date is changed: a date that an approval overtook later is not refused on
        every save (nor when a translation is synchronised); it is ignored, and the page falls
        due the usual interval after its last review (:attr:`review_due`)."""
        review = self.latest_medical_review()
        if self.next_review_due and review and self.next_review_due <= review.reviewed_on:
            raise ValidationError(
                {
                    "next_review_due": _(
                        "The next review must be after the last one, on %(date)s. Choose a "
                        "later date, or leave the field empty for the usual interval."
                    )
                    % {"date": formats.date_format(review.reviewed_on, "DATE_FORMAT")}
                }
            )

    def get_review_structured_data(self, request: HttpRequest | None) -> dict[str, Any]:
        review = self.medical_review
        if review is None:
            return {}
        data: dict[str, Any] = {"lastReviewed": review.reviewed_on.isoformat()}
        if self.reviewer is not None and self.reviewer.live:
            data["reviewedBy"] = {
                "@type": PHYSICIAN_SCHEMA_TYPES,
                "name": self.reviewer.display_name,
                "url": self.reviewer.get_full_url(request),
            }
        elif review.reviewer_name:
            data["reviewedBy"] = {"@type": "Person", "name": review.reviewer_name}
        return data


# A physician in JSON-LD. Schema.org's ``Physician`` is a practice (an organisation); one doctor
# is an ``IndividualPhysician`` and, for the properties of a person (job title, languages,
# honorifics), a ``Person``.
PHYSICIAN_SCHEMA_TYPES = ["Person", "IndividualPhysician"]


def review_due(review: MedicalReview | None, chosen: datetime.date | None) -> datetime.date | None:
    """The next review's date after ``review``: ``chosen`` (an editor's) when it is after it."""
    if review is None:
        return None
    if chosen and chosen > review.reviewed_on:
        return chosen
    return review.default_next_review
