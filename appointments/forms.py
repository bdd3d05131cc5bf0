"""The visitor-facing forms. Field order, labels and messages are written for anxious patients
using a screen reader or a phone: one question at a time, plain words, and errors that say what
to do."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import phonenumbers
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.analytics import Referrer
from core.jinja2 import FormRenderer
from core.languages import default_language, language_choices
from core.text import strip_control_characters

from .models import ConsultationRequest
from .spam import recaptcha_enabled, timing_token
from .widgets import InvisibleReCaptchaWidget

Request = ConsultationRequest

# Up to 18 digits: any page id, and always within a 64-bit integer column.
PAGE_ID = re.compile(r"[0-9]{1,18}")


def without_control_characters(data: MultiValueDict | dict) -> MultiValueDict | dict:
    """A copy of submitted form data with control characters removed from every value."""
    if isinstance(data, MultiValueDict):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [strip_control_characters(value) for value in values])
        return cleaned
    return {key: strip_control_characters(value) for key, value in data.items()}


class PhoneNumberField(forms.CharField):
    """A phone number checked and normalised with ``phonenumbers`` (E.164, e.g. +15555550100).
    Numbers without a country code are read as numbers of the clinic's country."""

    default_error_messages = {
        "invalid": _(
            "Enter a phone number we can call, with its area code, such as (202) 555-0143 or, "
            "from abroad, +33 1 23 45 67 89."
        ),
    }

    def __init__(self, *args, region: str | None = None, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.region = region or settings.PHONE_DEFAULT_REGION

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            number = phonenumbers.parse(value, self.region)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PageChoiceIterator(forms.models.ModelChoiceIterator):
    """The pages to choose from, read once per form with an ordinary query. Django's iterator
    reads them with ``QuerySet.iterator()`` each time the list is shown, which on PostgreSQL
    opens a server-side cursor: several round trips, and a third of the form page's time."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for page in self.queryset:  # evaluated once, then from the queryset's own cache
            yield self.choice(page)


class PageChoiceField(forms.ModelChoiceField):
    """A page chosen by its id. Anything but a plausible id (a number too large for the
    database, say) is an invalid choice rather than a database error."""

    iterator = PageChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values and not PAGE_ID.fullmatch(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, obj) -> str:
        return obj.title


class VisitorBoundField(forms.BoundField):
    """A visitor's question that says it must be answered with ``aria-required``, not with the
    HTML ``required`` attribute: browsers expose an empty field carrying ``required`` as invalid
    before anything is typed (a screen reader says "invalid entry" at the first question), and
    the server checks every answer anyway. A group of choices says it on its fieldset
    (``components/form_field.html``): ``aria-required`` is not allowed on a radio button."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.field.required and not widget.is_hidden and not self.use_fieldset:
            attrs["aria-required"] = "true"
        return attrs


class VisitorInputMixin(forms.Form):
    """What a visitor sends is kept exactly as typed, less any control characters: a stray one
    pasted from another program is dropped rather than costing the visitor their request.
    Rendered with Jinja2, as the pages that show these forms are.

    One convention on every visitor's form: a question that may be left empty ends its label
    with "(optional)", one that must be answered is not marked (and says so to assistive
    technology with ``aria-required``). A question required only by another answer, listed in
    ``conditionally_required``, is not marked either: its hint or its error says when; nor is a
    single tick box, which left unticked is an answer ("no")."""

    default_renderer = FormRenderer()  # one instance: it compiles each template once
    bound_field_class = VisitorBoundField
    use_required_attribute = False
    conditionally_required: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None:
            data = without_control_characters(data)
        super().__init__(data, *args, **kwargs)


class SpamDefenceMixin(VisitorInputMixin):
    """A honeypot that people never see and a signed time stamp of when the form was shown."""

    # Named like a field a bot would fill in; hidden from people and from assistive technology.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rendered_at"].initial = timing_token()

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))


@dataclass(frozen=True)
class RequestSource:
    """Where a request came from, as stored with it: the page of this site whose link the
    visitor followed (None: none, or one the form could not accept), its language, and the
    category of the address the form was reached from ("" when unknown)."""

    page: Page | None
    language: str
    referrer: str


class RequestSourceMixin(VisitorInputMixin):
    """Carries where the visitor came from, from the form's address to the stored request.

    The links to the forms name the page they are on (``?from=<id>``, see
    ``pages.chrome.consultation_url``); on GET the form page reads it and the category of its
    own referrer (``core.analytics.referrer_category``), and the form keeps both in hidden
    fields until the POST. The page id is not signed: it is not a secret, a visitor who edits
    it can only mislabel their own request, and it is checked again on POST against the same
    pages as on GET (live pages of this site), so a made-up value is dropped all the same.
    Anything that is not acceptable is ignored, never an error: a link or a hidden field can
    never cost a visitor their request."""

    from_page = forms.CharField(required=False, widget=forms.HiddenInput)
    from_category = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, source_pages: Callable[[], QuerySet[Page]] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # The pages a request may name as its source (the form page passes this site's live
        # pages), asked for only when a value is to be checked: a form without one costs no
        # query. None by default.
        self.source_pages = source_pages or Page.objects.none

    def remember_source(self, query: QueryDict, referrer: str) -> None:
        """On GET: keep the page the link named (``?from=<id>``, once) if it is acceptable, and
        the referrer's category, which is "site" when the link was one of ours."""
        values = query.getlist("from")
        page = self.accepted_page(values[0]) if len(values) == 1 else None
        self.initial["from_page"] = page.pk if page else ""
        self.initial["from_category"] = Referrer.SITE if page else accepted_category(referrer)

    def accepted_page(self, value: str) -> Page | None:
        if not PAGE_ID.fullmatch(value or ""):
            return None
        return self.source_pages().filter(pk=int(value)).select_related("locale").first()

    def clean_from_page(self) -> Page | None:
        return self.accepted_page(self.cleaned_data.get("from_page", ""))

    def clean_from_category(self) -> str:
        return accepted_category(self.cleaned_data.get("from_category", ""))

    @property
    def source(self) -> RequestSource:
        """What the valid form says about where the request came from."""
        page = self.cleaned_data.get("from_page")
        category = self.cleaned_data.get("from_category", "")
        if page is None:
            return RequestSource(page=None, language="", referrer=category)
        return RequestSource(page=page, language=page.locale.language_code, referrer=category)


def accepted_category(value: str) -> str:
    return value if value in Referrer.CHOICES else ""


class ConsultationRequestForm(RequestSourceMixin, SpamDefenceMixin, forms.ModelForm):
    """The consultation request: who the visitor is, how to reach them, what it is about."""

    # A phone number when the visitor asks to be called, an email address when written to.
    conditionally_required = ("phone", "email")

    consent = forms.BooleanField(
        label=_(
            "I agree that the clinic may contact me about this request and keep my answers as "
            "described in the privacy notice."
        ),
        error_messages={"required": _("Tick the box to let us contact you about your request.")},
    )

    class Meta:
        model = ConsultationRequest
        fields = [
            "full_name",
            "email",
            "phone",
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
        labels = {
            "full_name": _("Full name"),
            "email": _("Email address"),
            "preferred_contact_method": _("How should we contact you?"),
            "best_time": _("Best time to call"),
            "interpreter_needed": _("I would like an interpreter"),
            "condition": _("What would you like to talk about? (optional)"),
            "physician": _("Preferred physician (optional)"),
            "location": _("Preferred location (optional)"),
            "symptom_onset": _("When did your symptoms begin?"),
            "patient_status": _("Have you been seen at our clinic before?"),
            "referring_clinician": _("Referring doctor or therapist (optional)"),
        }
        help_texts = {
            "email": _("We only use it to reply to this request."),
            # Names no language, so that it stays true whatever languages the site offers.
            "interpreter_needed": _(
                "If your language is not among those offered for your consultation, tell us "
                "which one in your message."
            ),
            # The model's help text is written for the intake team.
            "location": "",
        }
        error_messages = {
            "full_name": {"required": _("Enter your full name.")},
            "email": {"invalid": _("Enter an email address like name@example.com.")},
            "symptom_onset": {"required": _("Choose when your symptoms began.")},
            "patient_status": {
                "required": _("Tell us whether you are a new or returning patient.")
            },
        }
        field_classes = {
            "condition": PageChoiceField,
            "physician": PageChoiceField,
            "location": PageChoiceField,
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "preferred_contact_method": forms.RadioSelect,
            "best_time": forms.RadioSelect,
            "patient_status": forms.RadioSelect,
            "referring_clinician": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    # Declared rather than generated from the model: the choices are the settings' languages,
    # read when the form is shown, and the model's default (a callable) would otherwise add a
    # hidden "initial-" copy of the field to the form.
    preferred_language = forms.ChoiceField(
        label=_("Language for your consultation"), choices=language_choices
    )
    phone = PhoneNumberField(
        label=_("Phone number"),
        required=False,
        help_text=_("Include the country code if you live outside the United States."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Anything you would like us to know (optional)"),
        required=False,
        max_length=1000,
        help_text=_(
            "A sentence or two is enough. Please do not include detailed medical history: we "
            "will talk about it when we call you."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args,
        conditions=None,
        physicians=None,
        locations=None,
        language: str | None = None,
        privacy_url: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if privacy_url:
            # The notice the box asks the visitor to accept, one click away, in the same tab:
            # forms.js keeps the answers typed so far while it is read.
            # The translated text is trusted markup; the address is escaped.
            self.fields["consent"].label = mark_safe(
                _(
                    "I agree that the clinic may contact me about this request and keep my "
                    'answers as described in the <a href="%(url)s">privacy notice</a>.'
                )
                % {"url": escape(privacy_url)}
            )
        # The page passes the live condition and physician pages in the visitor's language.
        for name, pages, empty_label in (
            ("condition", conditions, _("Not sure / something else")),
            ("physician", physicians, _("No preference")),
        ):
            field = cast(PageChoiceField, self.fields[name])
            field.queryset = pages if pages is not None else Page.objects.none()
            field.empty_label = empty_label
        self.choose_location(locations)
        self.fields["symptom_onset"].required = True
        self.fields["patient_status"].required = True
        for name, choices in (
            ("preferred_contact_method", Request.ContactMethod.choices),
            ("best_time", Request.BestTime.choices),
            ("patient_status", Request.PatientStatus.choices),
            ("symptom_onset", [("", _("Choose one")), *Request.SymptomOnset.choices]),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = choices
        if not self.is_bound:
            self.initial.setdefault("preferred_language", language or default_language())
        if recaptcha_enabled():
            widget = InvisibleReCaptchaWidget()
            widget.attrs["data-sitekey"] = settings.RECAPTCHA_PUBLIC_KEY
            self.fields["captcha"] = forms.CharField(required=False, widget=widget, label="")

    def choose_location(self, locations) -> None:
        """Ask for a preferred site only where there is a choice: with a single site the
        request records it without a question, with none it records nothing."""
        field = cast(PageChoiceField, self.fields["location"])
        field.queryset = locations if locations is not None else Page.objects.none()
        field.empty_label = _("No preference")
        # Read once: the same rows then serve the list's options (PageChoiceIterator).
        sites = list(field.queryset)
        if len(sites) > 1:
            return
        del self.fields["location"]
        if len(sites) == 1:
            self.instance.location = sites[0]

    def preselect(self, query: QueryDict) -> None:
        """Show the physician and the site a link chose (``?physician=<id>&location=<id>``,
        see ``pages.chrome.consultation_url``) as the answers given so far; the visitor can
        change them. A value that is not one of the question's choices (an unknown id, a page
        of another language, text, a repeated parameter) is ignored: a link cannot break the
        form."""
        for name in ("physician", "location"):
            values = query.getlist(name)
            field = self.fields.get(name)
            if field is None or len(values) != 1 or not PAGE_ID.fullmatch(values[0]):
                continue
            chosen = int(values[0])
            # The choices are read here once, and the list of options reuses them.
            choices = cast(PageChoiceField, field).queryset
            if choices is not None and any(page.pk == chosen for page in choices):
                self.initial[name] = chosen

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        method = cleaned.get("preferred_contact_method")
        email, phone = cleaned.get("email"), cleaned.get("phone")
        wants_a_call = method in (Request.ContactMethod.PHONE, Request.ContactMethod.EITHER)
        if wants_a_call and not phone and "phone" not in self.errors:
            self.add_error("phone", _("Enter a phone number so that we can call you back."))
        if method == Request.ContactMethod.EMAIL and not email and "email" not in self.errors:
            self.add_error("email", _("Enter an email address so that we can write to you."))
        return cleaned


class AccessibilityRequestForm(RequestSourceMixin, SpamDefenceMixin, forms.Form):
    """Three questions, no puzzle, works without JavaScript."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_details = forms.CharField(
        label=_("How can we reach you?"),
        max_length=255,
        help_text=_("A phone number or an email address, and a good time to call."),
        error_messages={"required": _("Tell us a phone number or an email address.")},
    )
    message = forms.CharField(
        label=_("What do you need?"),
        max_length=2000,
        help_text=_("For example large print, an interpreter, or help filling in a form."),
        error_messages={"required": _("Tell us briefly what would help you.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
