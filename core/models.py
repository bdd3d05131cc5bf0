from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from .blocks import OpeningHoursBlock
from .cache import cached_for_site


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """Clinic-wide facts that staff keep current without a developer: contact details, opening
    hours, the external portal links in the header and the accessibility manager's details."""

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
    street_address = models.CharField(
        _("street address"), max_length=200, help_text=_("Street and number, suite or floor.")
    )
    locality = models.CharField(_("city"), max_length=100, help_text=_("City or town."))
    region = models.CharField(
        _("state or region"), max_length=100, blank=True, help_text=_("State, province or region.")
    )
    postal_code = models.CharField(_("postal code"), max_length=20, help_text=_("ZIP or postcode."))
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="US",
        help_text=_("Two-letter ISO country code, used in search-engine data."),
    )
    opening_hours = StreamField(
        [("period", OpeningHoursBlock())],
        verbose_name=_("opening hours"),
        blank=True,
        help_text=_("One line per day or range of days. Shown in each visitor's language."),
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

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("phone"), FieldPanel("email")], heading=_("Clinic")
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("country"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Address and hours"),
        ),
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
    ]

    class Meta:
        verbose_name = _("clinic settings")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_request(cls, request):
        """As Wagtail's, but kept in the page cache between requests: every page shows these."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            instance = cached_for_site(request, "clinic-settings", lambda: cls.for_site(site))
            instance._request = request
            setattr(request, attr_name, instance)
        return getattr(request, attr_name)

    @property
    def opening_hours_lines(self) -> list[str]:
        """The opening hours, one line per period, in the active language."""
        return [str(block.value) for block in self.opening_hours]

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(
            part for part in (f"{self.locality},", self.region, self.postal_code) if part
        )
        return [line for line in (self.street_address, city_line) if line.strip(", ")]
