"""What keeps health data safe and the site honest when its parts fail: the admin's response
headers, the absolute lifetime of a staff session, the health check for load balancers, and the
error pages shown when the database is down or something breaks."""

import logging
import sys
import time
from typing import cast

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"

# The admin is the site's own code plus Wagtail's, which still needs inline scripts and styles
# and, for the content checks, scripts built at run time. Everything stays on this origin.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# A preview is the public page, under the public policy; only the admin's editor may frame it.
PREVIEW_CSP_CHANGES = {"frame-ancestors": ["'self'"]}
# The editor's content checks run axe in the preview, which builds each check's function from
# its source text (eval); no inline script is allowed.
PREVIEW_CSP_ADDITIONS = {"script-src": ["'unsafe-eval'"]}


# What a public page may load from an origin in THIRD_PARTY_ORIGINS; never connect-src (a script
# of ours sends nothing anywhere else), form-action or anything that widens who may frame us.
THIRD_PARTY_DIRECTIVES = (
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "media-src",
    "frame-src",
)


def third_party_sources() -> dict[str, list[str]]:
    """The public policy's loading directives with the deployer's THIRD_PARTY_ORIGINS added, or
    nothing when none is listed. Read on each response rather than once when the settings load,
    so that what is allowed is always what the setting says."""
    origins = list(settings.THIRD_PARTY_ORIGINS)
    if not origins:
        return {}
    directives = cast(dict[str, list[str]], settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    return {
        # 'none' means nothing at all, so it gives way to the origins rather than stand by them.
        name: [source for source in directives.get(name, []) if source != "'none'"] + origins
        for name in THIRD_PARTY_DIRECTIVES
    }


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with THIRD_PARTY_ORIGINS in the public site's policy.

    Only the site-wide policy gains them: a response with a policy of its own (the admin's) is
    left alone, and what a page adds for itself (the reCAPTCHA hosts on the consultation form)
    still comes on top."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        sources = third_party_sources()
        if sources:
            parts.replace = {**sources, **(parts.replace or {})}
        return parts


class AdminSecurityMiddleware:
    """Every admin response carries personal data or could: never stored by a browser or a
    proxy, under the admin's own Content-Security-Policy, framed only by the admin itself.

    A staff session ends ``SESSION_ABSOLUTE_SECONDS`` after signing in however active it is
    (the idle timeout is Django's ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.session_expired(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # Wagtail renders previews (the editor's, a revision's, a workflow's, a translation's)
        # through the middleware again, with a "dummy" request for the page's public URL. What
        # they show is a page's content, unreviewed and typed by anybody who can edit it: it is
        # served under the public site's policy, which runs no inline script, framed only by
        # the admin's editor. The preview's headers are set on this inner pass, and the
        # CSP middleware keeps a header that is already there on the admin view's way out.
        if getattr(request, "is_dummy", False):
            add_never_cache_headers(response)
            response._csp_replace = PREVIEW_CSP_CHANGES
            response._csp_update = PREVIEW_CSP_ADDITIONS
            response._clinic_preview = True
            response["X-Frame-Options"] = "SAMEORIGIN"
        elif request.path.startswith("/admin/"):
            add_never_cache_headers(response)
            if not getattr(response, "_clinic_preview", False):
                response._csp_config = ADMIN_CONTENT_SECURITY_POLICY
            # The page editor shows its preview, and runs its checks, in a frame of its own.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @staticmethod
    def session_expired(request: HttpRequest) -> bool:
        if not request.user.is_authenticated:
            return False
        signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
        return time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS


@receiver(user_logged_in)
def remember_sign_in_time(sender, request: HttpRequest | None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the cause is a database that does not answer.

    Both render without the database, the cache or anything but the visitor's language, and
    tell a visitor who was sending a request that it may not have arrived: never a false
    confirmation. The exception has already been logged by Django."""
    exception = sys.exc_info()[1]
    unavailable = isinstance(exception, OperationalError | InterfaceError)
    template = "503.html" if unavailable else "500.html"
    response = HttpResponse(
        render_to_string(template, {"request": request}), status=503 if unavailable else 500
    )
    if unavailable:
        response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response
