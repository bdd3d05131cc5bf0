"""The admin's "forgot your password?" form, throttled and sent in the background.

Wagtail's own form sends its e-mail inside the request and has no limit: anyone could make the
site send reset e-mails as fast as they can post, to one inbox or to every address they guess,
and a slow mail server would hold a worker each time. Here each client address and each e-mail
address gets a few requests an hour, and the e-mail is queued on the "notifications" task
backend (``manage.py db_worker`` in production), like every other e-mail of the site.

A throttled request gets the same "if an account exists, we sent an e-mail" page as any other:
a different answer would tell a stranger when they were throttled, and the page already tells
nobody whether the account exists. Someone who really forgot their password is not stopped by
a limit of five an hour; the refusal is logged for the administrators.

The task is given the account and the templates, not the rendered message: it makes the reset
link itself when it runs, so the link (valid for days) is never stored in the task queue's table
or its backups."""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language, override
from django_ratelimit.core import is_ratelimited
from django_tasks import task
from wagtail.admin.forms.auth import PasswordResetForm

logger = logging.getLogger(__name__)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset form (``WAGTAILADMIN_USER_PASSWORD_RESET_FORM``), with a limit
    per client address and per e-mail address, and its e-mail sent by a background task."""

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        if request is not None and self.throttled(request):
            logger.warning("Password reset throttled: too many requests; no e-mail sent.")
            return
        super().save(*args, request=request, **kwargs)

    def throttled(self, request: HttpRequest) -> bool:
        """Whether this address, or this e-mail address, asked too often. Every valid request
        counts, whether or not an account has the address, so the limit reveals nothing. A
        throttled address does not count against the e-mail addresses it tries: one client
        cannot use up the allowance of everyone else's."""
        email = self.cleaned_data["email"].strip().lower()
        return is_ratelimited(
            request,
            group="password-reset-address",
            key="ip",
            rate=settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT,
            increment=True,
        ) or is_ratelimited(
            request,
            group="password-reset-email",
            key=lambda _group, _request: email,
            rate=settings.PASSWORD_RESET_EMAIL_RATE_LIMIT,
            increment=True,
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queue the e-mail rather than send it: only what the task needs to write it again,
        and nothing secret (no reset token)."""
        user = context["user"]
        send_password_reset_email.enqueue(
            user_pk=user._meta.pk.value_to_string(user),
            to_email=to_email,
            from_email=from_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            html_template=html_email_template_name,
            link={
                "domain": context["domain"],
                "site_name": context["site_name"],
                "protocol": context["protocol"],
            },
            language=get_language() or settings.LANGUAGE_CODE,
        )


@task(backend="notifications")
def send_password_reset_email(
    user_pk: str,
    to_email: str,
    from_email: str | None,
    subject_template: str,
    body_template: str,
    html_template: str | None,
    link: dict[str, str],
    language: str,
) -> bool:
    """Write and send a password reset e-mail, with a fresh reset link, in the language the
    person asked in. Nothing is sent if the account can no longer reset its password (made
    inactive, its password made unusable, or its e-mail address changed) since it asked. A
    failure to send is logged and re-raised, so the task is marked failed; the person can ask
    again."""
    user = get_user_model()._default_manager.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    if (getattr(user, user.get_email_field_name(), "") or "").lower() != to_email.lower():
        return False
    context = {
        **link,
        "email": to_email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user._meta.pk.value_to_string(user))),
        "token": default_token_generator.make_token(user),
    }
    with override(language):
        # Rendered as Django's PasswordResetForm.send_mail does; a subject has no line breaks.
        subject = "".join(loader.render_to_string(subject_template, context).splitlines())
        body = loader.render_to_string(body_template, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_template:
            message.attach_alternative(loader.render_to_string(html_template, context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the password reset e-mail to user %s.", user_pk)
        raise
    return True
