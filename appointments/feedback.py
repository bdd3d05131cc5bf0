"""“Was this page helpful?” at the foot of every condition, treatment and physician page: the
visitor answers Yes or No with a plain form (no JavaScript), and after “No” may add a short
comment on a second page. What is kept is described in ``appointments.models.feedback``.

The flow, two POSTs at most:

1. The page's form posts ``page`` (its id) and ``helpful`` (yes or no) to :func:`page_feedback`.
   The answer is stored at once. “Yes” shows a thank-you page; “No” shows the comment step,
   carrying a signed token (:data:`TOKEN_SALT`, valid for :data:`TOKEN_MAX_AGE`) that names the
   stored row, so that no database lookup by the visitor's own say-so can reach another row.
2. The comment step posts ``token``, ``comment`` and ``action`` (send or skip) to
   :func:`page_feedback_comment`, which adds the comment, control characters stripped and
   contact details masked, to the row the token names.

Defences, as the request forms have them: a honeypot field (a filled one is thanked and
dropped), a rate limit per client address (``PAGE_FEEDBACK_RATE_LIMIT``, counted by
django-ratelimit on ``core.client_address``; a 429 page past it) and a cross-site check in place
of Django's CSRF token (see :func:`cross_site`). Only live condition, treatment and physician
pages take feedback. A mistake (an unknown page, a comment too long, a token expired or forged)
is a page that says so in the visitor's language, with the comment they typed kept; never a
server error."""

import datetime
from http import HTTPStatus
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from core.text import mask_contact_details
from pages.models import ConditionPage, PhysicianPage, TreatmentPage

from .forms import PAGE_ID, VisitorInputMixin
from .models import PageFeedback
from .models.feedback import COMMENT_MAX_LENGTH

# The page types that ask "Was this page helpful?".
FEEDBACK_PAGE_TYPES = (ConditionPage, TreatmentPage, PhysicianPage)
TOKEN_SALT = "appointments.page-feedback"
TOKEN_MAX_AGE = datetime.timedelta(hours=1)
RATE_LIMIT_GROUP = "page-feedback"
YES, NO = "yes", "no"
SEND, SKIP = "send", "skip"
# Where the honeypot is, in both steps' forms; named like a field a bot would fill in.
HONEYPOT = "website"


class CommentForm(VisitorInputMixin):
    """The optional comment after “No”. Control characters are stripped as in every visitor's
    form (``VisitorInputMixin``); the length is checked on what the visitor typed, and e-mail
    addresses and phone numbers are masked in what is kept."""

    comment = forms.CharField(
        label=_("What were you looking for, or what was unclear? (optional)"),
        help_text=_(
            "Please do not include your name, contact details or anything about your health. "
            "Up to 1,000 characters."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        error_messages={
            "max_length": _(
                "Your comment is %(show_value)s characters long. Please shorten it to "
                "%(limit_value)s characters or fewer: it is kept below."
            )
        },
    )

    def clean_comment(self) -> str:
        return mask_contact_details(self.cleaned_data["comment"])


def cross_site(request: HttpRequest) -> bool:
    """Whether the POST came from another site's page.

    The form sits on condition, treatment and physician pages, which the full-page cache stores
    and serves to everyone (``core.cache.PageCacheMiddleware.storable``): such a page may carry
    no CSRF token (the token is one visitor's, tied to a cookie the page would have to set) and
    set no cookie. So this view is exempt from Django's CSRF check, and refuses forged posts the
    way browsers now allow: every current browser sends ``Sec-Fetch-Site`` with a form's POST,
    and ``same-origin`` only when the form was on this site; ``Origin``, when sent, must be this
    site. A client that sends neither header is not a browser (or a very old one), and so
    cannot be made to post by another site: CSRF needs a victim's browser. Nothing a forged post
    could do here touches a visitor's data either: an answer carries no identity, and the
    comment step needs a token only the "No" answer hands out."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin != own


def rate_limited(request: HttpRequest, count: bool) -> bool:
    """Whether this address has sent more answers than ``PAGE_FEEDBACK_RATE_LIMIT``; ``count``
    counts this one (only what would be stored is counted)."""
    return is_ratelimited(
        request,
        group=RATE_LIMIT_GROUP,
        key="ip",
        rate=settings.PAGE_FEEDBACK_RATE_LIMIT,
        method="POST",
        increment=count,
    )


def feedback_page(page_id: str) -> Page | None:
    """The live condition, treatment or physician page with this id, or None."""
    if not PAGE_ID.fullmatch(page_id or ""):
        return None
    page = Page.objects.live().type(*FEEDBACK_PAGE_TYPES).filter(pk=page_id).first()
    return page.specific if page is not None else None


def make_token(feedback: PageFeedback) -> str:
    return signing.dumps(feedback.pk, salt=TOKEN_SALT)


def read_token(token: str) -> int | None:
    """The id of the feedback row the token names, or None when it is forged or expired."""
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired too
        return None
    return pk if isinstance(pk, int) else None


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = HTTPStatus.OK
) -> HttpResponse:
    """A feedback page: never stored by any cache, never indexed. The page the feedback is about
    is ``feedback_page`` in the context: as ``page``, base.html would take it for the page being
    shown (its canonical address, breadcrumbs and translations)."""
    response = TemplateResponse(
        request, f"appointments/{template}.html", context, status=int(status)
    )
    add_never_cache_headers(response)
    return response


def message(
    request: HttpRequest,
    heading: Any,
    text: Any,
    page: Page | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """A page that says one thing (thanks, a problem, a pause) and links back to the page."""
    context = {"heading": heading, "text": text, "feedback_page": page}
    return render(request, "page_feedback_message", context, status)


def thanks(request: HttpRequest, page: Page | None) -> HttpResponse:
    return message(
        request,
        _("Thank you for your feedback"),
        _("It helps us make our pages clearer."),
        page,
    )


def too_many(request: HttpRequest) -> HttpResponse:
    response = message(
        request,
        _("Thank you: we have had a lot of feedback from your connection"),
        _(
            "We have received many answers from your internet connection in a short time, so "
            "we have paused new ones for a while. Please try again in an hour."
        ),
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = "3600"
    return response


def guarded(view):
    """What both steps share: POST only, no CSRF token (see :func:`cross_site`), refused when
    cross-site, paused past the rate limit, and nothing posted shown in error reports."""

    @csrf_exempt
    @require_POST
    @sensitive_post_parameters()
    def wrapped(request: HttpRequest) -> HttpResponse:
        if cross_site(request):
            raise PermissionDenied("Cross-site feedback post")
        if rate_limited(request, count=False):
            return too_many(request)
        return view(request)

    wrapped.__doc__ = view.__doc__
    wrapped.__name__ = view.__name__
    return wrapped


@guarded
def page_feedback(request: HttpRequest) -> HttpResponse:
    """The first step: the visitor's Yes or No about a page, stored at once."""
    page = feedback_page(request.POST.get("page", ""))
    answer = request.POST.get("helpful")
    if page is None or answer not in (YES, NO):
        return message(
            request,
            _("We could not record your answer"),
            _(
                "The page you answered about is not one we ask about, or is no longer "
                "published. Please go back and try again."
            ),
            status=HTTPStatus.BAD_REQUEST,
        )
    if request.POST.get(HONEYPOT):
        return thanks(request, page)
    if rate_limited(request, count=True):
        return too_many(request)
    feedback = PageFeedback.objects.create(
        page=page,
        language=page.locale.language_code,
        day=timezone.localdate(),
        helpful=answer == YES,
    )
    if feedback.helpful:
        return thanks(request, page)
    return comment_step(request, page, make_token(feedback), CommentForm())


def comment_step(
    request: HttpRequest,
    page: Page | None,
    token: str,
    form: CommentForm,
    expired: bool = False,
) -> HttpResponse:
    context = {"feedback_page": page, "token": token, "form": form, "expired": expired}
    return render(request, "page_feedback_comment", context)


@guarded
def page_feedback_comment(request: HttpRequest) -> HttpResponse:
    """The second step: the comment added to the "No" that the token names, or skipped."""
    pk = read_token(request.POST.get("token", ""))
    feedback = (
        PageFeedback.objects.filter(pk=pk, handled=False).select_related("page").first()
        if pk is not None
        else None
    )
    page = feedback.page.specific if feedback is not None else None
    form = CommentForm(request.POST)
    if request.POST.get("action") == SKIP or request.POST.get(HONEYPOT):
        return thanks(request, page)
    if feedback is None:
        # Expired or forged: say so, and keep what was typed for the visitor to copy.
        form.is_valid()
        return comment_step(request, None, "", form, expired=True)
    if not form.is_valid():
        return comment_step(request, page, request.POST.get("token", ""), form)
    comment = form.cleaned_data["comment"]
    if comment:
        if rate_limited(request, count=True):
            return too_many(request)
        PageFeedback.objects.filter(pk=feedback.pk).update(comment=comment)
    return thanks(request, page)


def purge_page_feedback(now: datetime.datetime) -> int:
    """Delete the answers and comments older than the requests' retention
    (``CONSULTATION_RETENTION_DAYS``, as ``purge_requests``): feedback is kept no longer than a
    patient's own request. Returns how many were deleted."""
    cutoff = timezone.localdate(now) - datetime.timedelta(days=settings.CONSULTATION_RETENTION_DAYS)
    deleted, _by_model = PageFeedback.objects.filter(day__lt=cutoff).delete()
    return deleted
