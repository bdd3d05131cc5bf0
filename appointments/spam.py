"""Spam defence that never loses a patient.

Nothing here rejects a request on its own: a low reCAPTCHA score, a missing token, a failed or
unreachable verification service, or a suspiciously fast submission only *flag* the request for
intake staff to review. The honeypot is the one signal trusted enough to drop a submission."""

import json
import logging
from dataclasses import dataclass, field
from urllib.error import URLError

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django_recaptcha import client

from .models import ConsultationRequest

logger = logging.getLogger(__name__)

Flag = ConsultationRequest.Flag
TIMING_SALT = "appointments.form-rendered-at"
RECAPTCHA_ACTION = "consultation"
# Once the verification service has failed to answer, requests are flagged without asking it
# for this long. Each request that waits out the time-out holds a worker: with a service that
# is down or slow, two sync workers and a 3 s time-out, the whole site served 0.7 requests per
# second (bench/load_test.py, scenario verification-slow). Kept in the shared cache, so one
# worker's failure spares the others.
SERVICE_PAUSE_SECONDS = 30
SERVICE_PAUSE_KEY = "recaptcha:service-failed"


@dataclass
class Verdict:
    """What the spam checks concluded about one submission."""

    flags: list[str] = field(default_factory=list)
    score: float | None = None

    def flag(self, reason: str) -> None:
        if reason not in self.flags:
            self.flags.append(reason)


def recaptcha_enabled() -> bool:
    return bool(settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY)


def verify_recaptcha(token: str, remote_ip: str | None, verdict: Verdict) -> None:
    """Ask the verification service about ``token`` and flag the verdict when in doubt.

    django-recaptcha's own field only catches ``HTTPError``; a refused connection, a DNS failure,
    a time-out or a malformed answer would escape it as a server error. Here every one of those
    becomes an "unverified" flag, and the visitor's request is kept."""
    if not recaptcha_enabled():
        return
    if not token:
        verdict.flag(Flag.NO_TOKEN)
        return
    if cache.get(SERVICE_PAUSE_KEY):
        verdict.flag(Flag.UNVERIFIED)
        return
    try:
        answer = client.submit(
            recaptcha_response=token,
            private_key=settings.RECAPTCHA_PRIVATE_KEY,
            remoteip=remote_ip or "",
        )
    except (TimeoutError, URLError, OSError, ValueError, KeyError, json.JSONDecodeError) as error:
        # URLError covers HTTPError, refused connections and DNS failures; OSError covers
        # time-outs and TLS errors; ValueError and KeyError a malformed answer.
        logger.warning(
            "reCAPTCHA verification unavailable (%s); not asked again for %s s.",
            type(error).__name__,
            SERVICE_PAUSE_SECONDS,
        )
        cache.set(SERVICE_PAUSE_KEY, True, SERVICE_PAUSE_SECONDS)
        verdict.flag(Flag.UNVERIFIED)
        return

    score = answer.extra_data.get("score")
    try:
        verdict.score = float(score) if score is not None else None
    except (TypeError, ValueError):
        verdict.score = None
    if not answer.is_valid or (answer.action and answer.action != RECAPTCHA_ACTION):
        logger.info("reCAPTCHA check failed: %s", answer.error_codes)
        verdict.flag(Flag.CAPTCHA_FAILED)
    elif verdict.score is None or verdict.score < settings.RECAPTCHA_REQUIRED_SCORE:
        verdict.flag(Flag.LOW_SCORE)


def timing_token() -> str:
    """A signed timestamp put in the form when it is rendered."""
    return signing.TimestampSigner(salt=TIMING_SALT).sign("form")


def check_timing(token: str, verdict: Verdict) -> None:
    """Flag a form sent back faster than a person could fill it in, or with a forged stamp."""
    signer = signing.TimestampSigner(salt=TIMING_SALT)
    try:
        signer.unsign(token, max_age=settings.CONSULTATION_MIN_SUBMIT_SECONDS)
    except signing.SignatureExpired:
        return  # older than the minimum: a human pace
    except signing.BadSignature:
        verdict.flag(Flag.FAST_SUBMIT)
        return
    verdict.flag(Flag.FAST_SUBMIT)
