from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from . import phones
from .analytics import Referrer
from .cache import cached_for_site
from .taglines import TAGLINES, Tagline, default_languages, parse_codes, unknown_codes


def validate_tagline_languages(value: str) -> None:
    unknown = unknown_codes(value)
    if unknown:
        raise ValidationError(
            _("No tagline is written in: %(codes)s. Available: %(available)s."),
            params={"codes": ", ".join(unknown), "available": ", ".join(TAGLINES)},
        )


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """Clinic-wide facts that staff keep current without a developer: contact details, the
    external portal links in the header and the accessibility manager's details."""

    name = models.CharField(
        _("clinic name"),
        max_length=120,
        help_text=_("Shown in the header, the footer, page titles and search results."),
    )
    phone = models.CharField(
        _("main phone"),
        max_length=40,
        help_text=_("The number patients call, written as it should appear, e.g. (555) 555-0100."),
    )
    email = models.EmailField(
        _("public email"), blank=True, help_text=_("Shown on the contact page.")
    )
    # The sites' addresses and hours are on their location pages (pages.LocationPage); migration
    # pages.0013 made the first of them from the address and hours these settings held.
    region = models.CharField(
        _("state or region"),
        max_length=100,
        blank=True,
        help_text=_(
            "The state the clinic practises in: its most spoken languages are the default "
            "taglines of the language assistance notice."
        ),
    )
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="US",
        help_text=_(
            "Two-letter ISO country code. Phone numbers without a country code are read as "
            "this country's."
        ),
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a page is shared on social media and has no image of its own, such as "
            "the clinic's logo or building. Its description there is the clinic's name."
        ),
    )

    online_payment_url = models.URLField(
        _("online payment link"),
        blank=True,
        help_text=_("The third-party billing system patients pay through. Hidden when empty."),
    )
    patient_portal_url = models.URLField(
        _("patient portal link"),
        blank=True,
        help_text=_("The third-party patient portal. Hidden when empty."),
    )
    consultation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("consultation page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where every “Schedule a consultation” button leads."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page and from forms."),
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page."),
    )

    accessibility_manager_name = models.CharField(
        _("accessibility manager"),
        max_length=120,
        blank=True,
        help_text=_("The person visitors can ask for an accommodation."),
    )
    accessibility_manager_phone = models.CharField(
        _("accessibility manager phone"),
        max_length=40,
        blank=True,
        help_text=_("A direct number, answered by the accessibility manager."),
    )
    accessibility_manager_tty = models.CharField(
        _("TTY number"),
        max_length=40,
        blank=True,
        help_text=_("Text telephone number for deaf or hard-of-hearing callers."),
    )
    accessibility_manager_email = models.EmailField(
        _("accessibility manager email"),
        blank=True,
        help_text=_("Where accommodation requests by email go."),
    )

    # Language access and nondiscrimination (Section 1557 of the Affordable Care Act).
    tty_relay = models.CharField(
        _("TTY or relay number"),
        max_length=40,
        blank=True,
        default="711",
        help_text=_(
            "The number deaf, hard-of-hearing or speech-disabled callers use to reach the clinic: "
            "a TTY line, or 711 for the relay service. Shown in the language assistance notice "
            "and its taglines."
        ),
    )
    tagline_languages = models.CharField(
        _("tagline languages"),
        max_length=255,
        blank=True,
        validators=[validate_tagline_languages],
        help_text=_(
            "Language codes separated by commas, most spoken first, e.g. “es, zh-Hant, vi”. The "
            "language assistance notice says in each of them that help is free. Leave empty "
            "for the 15 languages most spoken in the clinic's state."
        ),
    )
    section_1557_coordinator_name = models.CharField(
        _("Section 1557 coordinator"),
        max_length=120,
        blank=True,
        help_text=_(
            "The person who handles grievances about discrimination. Named in the "
            "nondiscrimination notice."
        ),
    )
    section_1557_coordinator_title = models.CharField(
        _("coordinator's job title"),
        max_length=120,
        blank=True,
        help_text=_("e.g. “Patient Rights Coordinator”. Optional."),
    )
    section_1557_coordinator_phone = models.CharField(
        _("coordinator's phone"),
        max_length=40,
        blank=True,
        help_text=_("A direct number, written as it should appear."),
    )
    section_1557_coordinator_email = models.EmailField(
        _("coordinator's email"), blank=True, help_text=_("Where grievances by email go.")
    )
    section_1557_coordinator_address = models.TextField(
        _("coordinator's postal address"),
        blank=True,
        help_text=_("Where grievances by post go, one line per line of the address."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("phone"), FieldPanel("email")], heading=_("Clinic")
        ),
        MultiFieldPanel([FieldPanel("region"), FieldPanel("country")], heading=_("Where")),
        FieldPanel("default_social_image"),
        MultiFieldPanel(
            [
                FieldPanel("online_payment_url"),
                FieldPanel("patient_portal_url"),
                PageChooserPanel("consultation_page"),
                PageChooserPanel("contact_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("privacy_page"),
            ],
            heading=_("Header and footer links"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accessibility_manager_name"),
                FieldPanel("accessibility_manager_phone"),
                FieldPanel("accessibility_manager_tty"),
                FieldPanel("accessibility_manager_email"),
            ],
            heading=_("Accessibility manager"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("tty_relay"),
                FieldPanel("tagline_languages"),
                FieldPanel("section_1557_coordinator_name"),
                FieldPanel("section_1557_coordinator_title"),
                FieldPanel("section_1557_coordinator_phone"),
                FieldPanel("section_1557_coordinator_email"),
                FieldPanel("section_1557_coordinator_address"),
            ],
            heading=_("Language access and nondiscrimination"),
        ),
    ]

    class Meta:
        verbose_name = _("clinic settings")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Every number must make a ``tel:`` link that dials it from anywhere (E.164), read in the
        clinic's country when it has no country code; the TTY may also be a relay's short number."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        for field, allow_short in (
            ("phone", False),
            ("accessibility_manager_phone", False),
            ("accessibility_manager_tty", True),
            ("tty_relay", True),
            ("section_1557_coordinator_phone", False),
        ):
            try:
                phones.validate(getattr(self, field), self.country, allow_short=allow_short)
            except ValidationError as error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)

    @classmethod
    def for_request(cls, request):
        """As Wagtail's, but kept in the page cache between requests: every page shows these."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            instance = cached_for_site(request, "clinic-settings", lambda: cls._for_site(site))
            instance._request = request
            setattr(request, attr_name, instance)
        return getattr(request, attr_name)

    @classmethod
    def _for_site(cls, site):
        """The site's settings with their image read, so that the cached copy holds it."""
        instance = cls.for_site(site)
        instance.default_social_image  # noqa: B018 - read now, so it is cached with them
        return instance

    @property
    def taglines(self) -> list[Tagline]:
        """The taglines the language assistance notice shows: the languages chosen, else the
        15 most spoken in the clinic's state (``core.taglines``)."""
        codes = parse_codes(self.tagline_languages) or default_languages(self.region)
        return [TAGLINES[code] for code in codes if code in TAGLINES]

    @property
    def section_1557_coordinator_address_lines(self) -> list[str]:
        """The coordinator's postal address, one line of the address each."""
        lines = self.section_1557_coordinator_address.splitlines()
        return [line.strip() for line in lines if line.strip()]


class PageViewCount(models.Model):
    """How many times a page was read in one language on one day, by referrer category: the
    whole of what the site keeps about page views (core.view_counts).

    A count, never a visit: no address, user agent, cookie, full referrer or query string is
    stored, nor the time of day, so no row can be tied to a person or to another row about the
    same person, which is what makes "which condition page a visitor read" no one's health data.
    Rows are purged after ANALYTICS_RETENTION_MONTHS (``core.view_counts.purge_view_counts``)."""

    day = models.DateField(_("day"), help_text=_("The day, in the clinic's time zone."))
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
        help_text=_("The page that was read."),
    )
    language = models.CharField(
        _("language"), max_length=16, help_text=_("The language the page was read in.")
    )
    referrer = models.CharField(
        _("referrer"),
        max_length=16,
        choices=[(value, value) for value in Referrer.CHOICES],
        help_text=_("Where the visit came from, as a category only."),
    )
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page view count")
        verbose_name_plural = _("page view counts")
        constraints = [
            # The key the counts are added to (core.view_counts writes with ON CONFLICT on it).
            models.UniqueConstraint(
                fields=["day", "page", "language", "referrer"], name="page_view_count_key"
            )
        ]
        indexes = [models.Index(fields=["day"], name="page_view_count_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.page_id} {self.language} {self.referrer}: {self.views}"
