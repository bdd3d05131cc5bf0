import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from appointments.search import fill_search_columns, with_search_columns
from core.analytics import Referrer
from core.languages import default_language, language_choices

# Unambiguous characters for reference numbers read out over the phone (no 0/O, 1/I/L, U).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6


# The categories ``core.analytics.referrer_category`` gives, as intake and marketing staff read
# them.
REFERRER_CHOICES = [
    (Referrer.DIRECT, _("Direct (no referring site)")),
    (Referrer.SITE, _("This website")),
    (Referrer.SEARCH, _("A search engine")),
    (Referrer.OTHER, _("Another website")),
    (Referrer.CAMPAIGN, _("A campaign")),
]


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def triage_order() -> tuple:
    """The inbox's default order: the new requests first, oldest first (the patient who has
    waited longest), then the others, latest first. An index of the same expressions
    (``request_triage_order``) serves it: without one, each page of the inbox sorts the whole
    table."""
    new = models.Q(status="new")
    return (
        models.Case(models.When(new, then=models.Value(0)), default=models.Value(1)),
        # NULL for the others, which the first expression already put after the new ones.
        models.Case(models.When(new, then=models.F("created_at"))).asc(),
        models.F("created_at").desc(),
        models.F("id").desc(),
    )


class ConsultationRequest(models.Model):
    """A visitor's request to be contacted: a consultation, or an accommodation asked for on the
    accessibility page. Holds health information, so it is only ever shown to intake staff."""

    # Kept out of Wagtail's reference index: a page's "usage" list, which editors see, must not
    # list requests, and indexing each one costs every submission several queries.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        ACCESSIBILITY = "accessibility", _("Accessibility")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    # Leaving "new" for one of these ends the patient's wait (``first_contact_at``).
    CONTACT_STATUSES = (Status.CONTACTED, Status.SCHEDULED)

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        EITHER = "either", _("Either")

    class BestTime(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        ANY = "any", _("Any time")

    class SymptomOnset(models.TextChoices):
        UNDER_3_MONTHS = "lt3m", _("Less than 3 months ago")
        UNDER_1_YEAR = "lt1y", _("3 to 12 months ago")
        UNDER_5_YEARS = "lt5y", _("1 to 5 years ago")
        OVER_5_YEARS = "gt5y", _("More than 5 years ago")
        NOT_SURE = "unknown", _("Not sure")

    class PatientStatus(models.TextChoices):
        NEW = "new", _("New patient")
        RETURNING = "returning", _("Returning patient")

    class Flag(models.TextChoices):
        """Why a request is held for review rather than trusted outright."""

        LOW_SCORE = "low_score", _("Low reCAPTCHA score")
        NO_TOKEN = "no_token", _("No reCAPTCHA token (JavaScript off?)")
        CAPTCHA_FAILED = "captcha_failed", _("reCAPTCHA check failed")
        UNVERIFIED = "unverified", _("Verification service unavailable")
        FAST_SUBMIT = "fast_submit", _("Sent unusually fast")

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, editable=False, default=new_reference
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.CONSULTATION, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_details = models.CharField(
        _("how to reach them"),
        max_length=255,
        blank=True,
        help_text=_("As the visitor wrote it, on the accessibility form."),
    )
    preferred_contact_method = models.CharField(
        _("preferred contact method"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.PHONE,
    )
    best_time = models.CharField(
        _("best time to call"), max_length=10, choices=BestTime.choices, default=BestTime.ANY
    )
    # The site's languages (settings.LANGUAGES), read when used: a new language needs no
    # migration. Room for any code Django knows, such as "zh-hans" or "sr-latn".
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=15,
        choices=language_choices,
        default=default_language,
        db_index=True,
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    submitted_language = models.CharField(
        _("language of the form"),
        max_length=15,
        choices=language_choices,
        default=default_language,
        help_text=_("The language the visitor filled in the form in."),
    )
    condition = models.ForeignKey(
        "pages.ConditionPage",
        verbose_name=_("condition of interest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    physician = models.ForeignKey(
        "pages.PhysicianPage",
        verbose_name=_("preferred physician"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location = models.ForeignKey(
        "pages.LocationPage",
        verbose_name=_("preferred location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The site the visitor would rather be seen at."),
    )
    symptom_onset = models.CharField(
        _("symptoms began"), max_length=10, choices=SymptomOnset.choices, blank=True
    )
    patient_status = models.CharField(
        _("new or returning"), max_length=10, choices=PatientStatus.choices, blank=True
    )
    referring_clinician = models.CharField(_("referring clinician"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)

    consent_given_at = models.DateTimeField(_("consent given at"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=40)

    flags = models.CharField(
        _("review flags"),
        max_length=200,
        blank=True,
        help_text=_("Why the spam defence held this request for review."),
    )
    is_flagged = models.BooleanField(_("flagged for review"), default=False, db_index=True)
    recaptcha_score = models.FloatField(_("reCAPTCHA score"), null=True, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member of the intake team who calls this person back."),
    )
    notified_at = models.DateTimeField(
        _("intake team notified at"),
        null=True,
        blank=True,
        help_text=_("When the notification email went out; empty until it has."),
    )
    first_contact_at = models.DateTimeField(
        _("first contacted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the request first left “New” for “Contacted” or “Scheduled”: the end of the "
            "patient's wait for an answer."
        ),
    )
    # What the inbox's search reads (appointments.search): the name and email address in
    # lower case without accents, and the phone number's digits, kept up to date on save.
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    phone_digits = models.CharField(max_length=32, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(
        _("visitor acknowledged at"),
        null=True,
        blank=True,
        help_text=_(
            "When the acknowledgement email to the visitor went out; empty until it has, and "
            "when they gave no email address."
        ),
    )

    # Where the request came from (``appointments.sources``): the page of this site whose
    # button led to the form, that page's language, and the category of the address the form
    # was reached from. Passed by the link and the form, never read from the visitor: nothing
    # else about how they came is kept.
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("came from page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page of this site whose link led the visitor to the form."),
    )
    source_language = models.CharField(
        _("language of that page"), max_length=16, blank=True, choices=language_choices
    )
    source_referrer = models.CharField(
        _("reached the form from"),
        max_length=16,
        blank=True,
        choices=REFERRER_CHOICES,
        help_text=_("Where the visitor came to the form from: a category, never an address."),
    )

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at"]
        permissions = [("export_consultationrequest", "Can export consultation requests")]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="request_status_created"),
            models.Index(*triage_order(), name="request_triage_order"),
            # "Assigned to me", "Unassigned" (the foreign key's own index serves the first).
            models.Index(fields=["assignee", "status"], name="request_assignee_status"),
            # The inbox sorts by name; without it, each page sorts the whole table.
            models.Index(fields=["full_name"], name="request_full_name"),
        ]
        # The inbox searches reference, search_text and phone_digits with LIKE '%…%'
        # (appointments.search). On PostgreSQL, trigram indexes serve those searches; they are
        # created by migrations 0004_inbox_indexes and 0010_fill_search_columns alone, because
        # SQLite (development, tests) has no such index and would fail to rebuild the table
        # with one in Meta.

    def __str__(self) -> str:
        return f"#{self.reference}"

    def save(self, *args, **kwargs) -> None:
        self.is_flagged = bool(self.flags)
        fill_search_columns(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_search_columns(kwargs["update_fields"])
        if self.first_contact_at is None and self.status in self.CONTACT_STATUSES:
            self.first_contact_at = timezone.now()
        if self._state.adding:
            # A clash of random references is rare but possible: draw again rather than fail.
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        return super().save(*args, **kwargs)
                except IntegrityError:
                    if ConsultationRequest.objects.filter(reference=self.reference).exists():
                        self.reference = new_reference()
                        continue
                    raise
        return super().save(*args, **kwargs)

    @property
    def asked_fields(self) -> list[str]:
        """The questions the visitor's form asked, in its order: an accommodation request
        has no contact method, time to call or condition to show."""
        return ASKED_FIELDS[self.Kind(self.kind)]

    @property
    def flag_list(self) -> list[str]:
        return [flag for flag in self.flags.split(",") if flag]

    def get_source_display(self) -> str:
        """Where the request came from, as intake staff read it: "Facial palsy (Spanish) · This
        website", or "No page recorded" when no page's link led to the form."""
        page = self.source_page
        if page is None:
            parts = [gettext("No page recorded")]
        elif self.source_language:
            parts = [
                gettext("%(page)s (%(language)s)")
                % {"page": page.title, "language": self.get_source_language_display()}
            ]
        else:
            parts = [page.title]
        if self.source_referrer:
            parts.append(str(self.get_source_referrer_display()))
        return " · ".join(parts)

    def get_flags_display(self) -> str:
        labels = dict(self.Flag.choices)
        return ", ".join(str(labels.get(flag, flag)) for flag in self.flag_list)


# What a visitor may send, in the order the inbox shows it.
VISITOR_FIELDS = [
    "full_name",
    "phone",
    "email",
    "contact_details",
    "preferred_contact_method",
    "best_time",
    "preferred_language",
    "interpreter_needed",
    "condition",
    "physician",
    "location",
    "symptom_onset",
    "patient_status",
    "referring_clinician",
    "message",
]
# What each kind of form asks: the accessibility form asks three questions; the consultation
# form every other one.
ASKED_FIELDS = {
    ConsultationRequest.Kind.ACCESSIBILITY: ["full_name", "contact_details", "message"],
    ConsultationRequest.Kind.CONSULTATION: [
        name for name in VISITOR_FIELDS if name != "contact_details"
    ],
}


@register_setting(icon="mail")
class IntakeSettings(ClusterableModel, BaseSiteSetting):
    """Where new-request notifications go. Only superusers may change it (by default nobody
    else is given the permission), because it decides who learns that a request arrived."""

    intake_email = models.EmailField(
        _("intake email"),
        blank=True,
        help_text=_(
            "New requests are announced here, without any personal details. Leave empty to "
            "send no notification."
        ),
    )
    panels = [
        FieldPanel("intake_email"),
        InlinePanel(
            "location_emails",
            heading=_("Addresses of the sites"),
            label=_("Site address"),
            help_text=_(
                "A site that has its own front desk can be told of the consultation requests "
                "that prefer it: they are announced there instead of the intake email."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("intake settings")


class IntakeLocationEmail(Orderable):
    """A site's own address for the announcements of the requests that prefer it."""

    settings = ParentalKey(IntakeSettings, on_delete=models.CASCADE, related_name="location_emails")
    location = models.ForeignKey(
        "pages.LocationPage",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The site, in any language: its translations are the same site."),
    )
    email = models.EmailField(
        _("email"), help_text=_("Announcements carry no personal details, only a link.")
    )

    panels = [FieldPanel("location"), FieldPanel("email")]

    class Meta(Orderable.Meta):
        verbose_name = _("site notification address")
