"""Pages that hold a visitor's form: the consultation request page and the accessibility page
(the statement, with its accommodation form).

Both follow POST-redirect-GET: a valid POST stores the request and redirects to a confirmation
route that shows the reference, so reloading never submits twice. Neither page, nor its
confirmation, may be stored in a shared cache: they carry a CSRF token and the visitor's own
reference.

The reference travels to the confirmation in a signed cookie, not in the session: the session is
written to the database after the view returns, and if the database went away between the
request's commit and that write (a restart), the visitor would be told "not saved" about a
request that is stored."""

from http import HTTPMethod
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import is_ratelimited
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from appointments.forms import AccessibilityRequestForm, ConsultationRequestForm
from appointments.services import Outcome, record_accessibility, record_consultation
from appointments.spam import recaptcha_enabled
from core.analytics import referrer_category
from core.models import ClinicSettings
from pages.blocks import RICH_TEXT_FEATURES
from pages.chrome import settings_links
from pages.models import BasePage, ConditionPage, LocationPage, PhysicianPage

REFERENCE_COOKIE = "request_reference"
# Kept from when these pages lived in the pages app: changing it would void the references
# of visitors who are between sending a request and seeing its confirmation.
REFERENCE_SALT = "pages.request-reference"


def visitor_language() -> str:
    """The language the visitor is reading in, as one of the site's language codes."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class RequestFormPageMixin(RoutablePageMixin):
    """Serves a request form with POST-redirect-GET, a rate limit and a confirmation route."""

    form_template = ""
    confirmation_template = ""
    # Wagtail answers any other method (PUT, DELETE, PATCH) with 405 Method Not Allowed.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS, HTTPMethod.POST]

    @method_decorator(sensitive_post_parameters())
    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Everything a visitor posts is personal: error reports show none of it."""
        return super().serve(request, *args, **kwargs)

    def get_form(self, request: HttpRequest, data=None):
        raise NotImplementedError

    def record(self, form, request: HttpRequest) -> Outcome:
        raise NotImplementedError

    def privacy_notice(self, request: HttpRequest) -> Page | None:
        """The privacy page chosen in the clinic settings, in the visitor's language when it is
        translated and live."""
        privacy = ClinicSettings.for_request(request).privacy_page
        return privacy.localized if privacy is not None else None

    def privacy_notice_version(self, request: HttpRequest) -> str:
        """Which privacy notice the visitor agreed to: the live revision of the privacy page in
        the language they read it in."""
        privacy = self.privacy_notice(request)
        if privacy is None:
            return "none"
        return f"page-{privacy.pk}-revision-{privacy.live_revision_id}"

    def privacy_notice_url(self, request: HttpRequest) -> str | None:
        """Where the consent box links: the privacy notice, if it is live, in the visitor's
        language when translated (the footer's link, from the cache)."""
        return settings_links({"request": request}).get("privacy")

    def source_pages(self, request: HttpRequest) -> QuerySet[Page]:
        """The pages a request may say it came from: the live pages of this site, in every
        language (each language's home page is a translation of the site's root page), other
        than this form page itself (whose own header links here)."""
        site = Site.find_for_request(request)
        if site is None:
            return Page.objects.none()
        roots = site.root_page.get_translations(inclusive=True).values_list("path", flat=True)
        in_site = Q()
        for root in roots:
            in_site |= Q(path__startswith=root)
        return Page.objects.live().filter(in_site).exclude(pk=self.pk)

    def never_cache(self, response: HttpResponse) -> HttpResponse:
        add_never_cache_headers(response)
        return response

    def content_security_policy(self) -> dict[str, list[str]]:
        """Hosts the form's page loads from besides the site's own (see CONTENT_SECURITY_POLICY)."""
        return {}

    def rate_limited(self, request: HttpRequest, count: bool) -> bool:
        """Whether this address sent more requests than the limit. Only requests that would be
        stored are counted (``count``): a visitor correcting mistakes is never locked out."""
        return is_ratelimited(
            request,
            group="visitor-requests",
            key="ip",
            rate=settings.CONSULTATION_RATE_LIMIT,
            method="POST",
            increment=count,
        )

    def too_many_requests(self, request: HttpRequest) -> HttpResponse:
        response = TemplateResponse(
            request, "appointments/too_many_requests.html", {"page": self}, status=429
        )
        response["Retry-After"] = "3600"
        return self.never_cache(response)

    @path("", name="form")
    def form_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            if self.rate_limited(request, count=False):
                return self.too_many_requests(request)
            form = self.get_form(request, data=request.POST)
            if form.is_valid():
                if self.rate_limited(request, count=True):
                    return self.too_many_requests(request)
                # Worked out before the request is stored: nothing after the commit may need
                # the database.
                confirmation = self.url + self.reverse_subpage("confirmation")
                outcome = self.record(form, request)
                return self.remember(HttpResponseRedirect(confirmation), outcome)
        else:
            form = self.get_form(request)
            # Which page's link led here, and from what kind of address: kept by the form.
            form.remember_source(request.GET, referrer_category(request))
        context = self.get_context(request)
        context["form"] = form
        response = TemplateResponse(request, self.form_template, context)
        # django-csp's per-response addition to the policy (csp.middleware reads it).
        response._csp_update = self.content_security_policy()  # type: ignore[attr-defined]
        return self.never_cache(response)

    def remember(self, response: HttpResponse, outcome: Outcome) -> HttpResponse:
        """Keep the reference for the confirmation page, in a cookie signed with the secret key
        (a visitor cannot make it show another reference) and sent back to this page only. A
        dropped honeypot submission has no reference: any earlier one is forgotten."""
        path = urlsplit(self.url).path
        if not outcome.reference:
            response.delete_cookie(REFERENCE_COOKIE, path=path)
            return response
        response.set_signed_cookie(
            REFERENCE_COOKIE,
            f"{outcome.reference}:{int(outcome.duplicate)}",
            salt=REFERENCE_SALT,
            max_age=settings.SESSION_COOKIE_AGE,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request: HttpRequest) -> HttpResponse:
        context = self.get_context(request)
        remembered = (
            request.get_signed_cookie(
                REFERENCE_COOKIE,
                default="",
                salt=REFERENCE_SALT,
                max_age=settings.SESSION_COOKIE_AGE,
            )
            or ""
        )
        reference, _, duplicate = remembered.partition(":")
        context["reference"] = reference or None
        context["duplicate"] = duplicate == "1"
        return self.never_cache(TemplateResponse(request, self.confirmation_template, context))


class ConsultationRequestPage(RequestFormPageMixin, BasePage):
    """Where every “Schedule a consultation” button leads: the consultation request form."""

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Shown above the form: what happens after the visitor sends it."),
    )
    privacy_note = RichTextField(
        _("privacy note"),
        features=["bold", "italic", "link"],
        help_text=_("Shown next to the consent box: how the answers are used and kept."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Shown with the reference number once the request is sent."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("privacy_note"),
        FieldPanel("thank_you_text"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    form_template = "appointments/consultation_request_page.html"
    confirmation_template = "appointments/consultation_request_confirmation.html"

    class Meta:
        verbose_name = _("consultation request page")

    def get_form(self, request: HttpRequest, data=None) -> ConsultationRequestForm:
        # The choices need only each page's id and title, not its whole content.
        form = ConsultationRequestForm(
            data,
            conditions=ConditionPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("title")
            .only("pk", "title"),
            physicians=PhysicianPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("title")
            .only("pk", "title"),
            # In the editors' order, as the footer and the contact page list them.
            locations=LocationPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("path")
            .only("pk", "title"),
            language=visitor_language(),
            privacy_url=self.privacy_notice_url(request),
            source_pages=lambda: self.source_pages(request),
        )
        if data is None:
            # A link from a physician's profile chooses them (and their site) for the visitor.
            form.preselect(request.GET)
        return form

    def content_security_policy(self) -> dict[str, list[str]]:
        """reCAPTCHA's script and frame, when the keys are set (Google's documented hosts)."""
        if not recaptcha_enabled():
            return {}
        recaptcha = f"https://{settings.RECAPTCHA_DOMAIN}/recaptcha/"
        return {
            "script-src": [recaptcha, "https://www.gstatic.com/recaptcha/"],
            "frame-src": [recaptcha, "https://recaptcha.google.com/recaptcha/"],
        }

    def record(self, form, request: HttpRequest) -> Outcome:
        return record_consultation(
            form, request, visitor_language(), self.privacy_notice_version(request)
        )


class AccessibilityPage(RequestFormPageMixin, BasePage):
    """The accessibility statement: the standard the site aims for, and how to reach the
    accessibility manager (whose details live in the clinic settings) to ask for an
    accommodation."""

    class ConformanceTarget(models.TextChoices):
        WCAG22_AA = "WCAG 2.2 AA", _("WCAG 2.2 level AA")
        WCAG21_AA = "WCAG 2.1 AA", _("WCAG 2.1 level AA")

    intro = models.TextField(
        _("introduction"),
        help_text=_("The clinic's commitment, in one or two sentences."),
    )
    conformance_target = models.CharField(
        _("conformance target"),
        max_length=20,
        choices=ConformanceTarget.choices,
        default=ConformanceTarget.WCAG22_AA,
        help_text=_("The accessibility standard the website aims to meet."),
    )
    statement = RichTextField(
        _("statement"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What has been done, known limitations, and how the site is tested."),
    )
    accommodations = RichTextField(
        _("how to ask for an accommodation"),
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "What visitors can ask for (large print, interpreters, help with forms) "
            "and what happens next. The manager's contact details are added below it."
        ),
    )
    last_reviewed = models.DateField(
        _("last reviewed"), help_text=_("When the statement was last checked.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("conformance_target"),
        FieldPanel("statement"),
        FieldPanel("accommodations"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("statement"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "appointments/accessibility_page.html"
    form_template = "appointments/accessibility_page.html"
    confirmation_template = "appointments/accessibility_confirmation.html"

    class Meta:
        verbose_name = _("accessibility page")

    def get_form(self, request: HttpRequest, data=None) -> AccessibilityRequestForm:
        return AccessibilityRequestForm(data, source_pages=lambda: self.source_pages(request))

    def record(self, form, request: HttpRequest) -> Outcome:
        return record_accessibility(
            form, request, visitor_language(), self.privacy_notice_version(request)
        )

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_main_entity(self, request: HttpRequest | None) -> dict[str, Any]:
        return {"lastReviewed": self.last_reviewed.isoformat()} if self.last_reviewed else {}
