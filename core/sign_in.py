"""Sign-in locks: django-axes' lock of one account from one address, and a lock of a whole
address that tried many accounts.

The per-account lock (``AXES_FAILURE_LIMIT`` failures for one username from one address) does
nothing against password spraying: one or two guesses at each of many accounts from one address
never reaches it. So an address with ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures within the
cool-off, whatever the accounts, is locked too, for every account.

Why a handler (``AXES_HANDLER``), django-axes' documented way to change how it counts, rather
than its settings alone: axes has one failure limit for all its lockout parameters. Adding
``"ip_address"`` to ``AXES_LOCKOUT_PARAMETERS`` would lock an address at the per-account limit,
and with a callable limit it would still make a successful sign-in delete every failure of the
address (axes resets each parameter's attempts on success): a sprayer holding one valid account
could wipe their count at will. Here the parameters stay ``username`` with ``ip_address``, so
a success clears only that account's failures, and the address's count is one more query."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class SignInLimitsHandler(AxesDatabaseHandler):
    """django-axes' database handler, which also locks an address after
    ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures across accounts."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures axes compares with its limit: the account's from this address, or, once
        the address itself is over its own limit, at least the limit, so that axes locks."""
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request: HttpRequest) -> int:
        """Failed sign-ins from the request's address within the cool-off, for any account."""
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
