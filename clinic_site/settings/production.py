"""Production. No insecure defaults: the process refuses to start without a secret key and hosts."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses to start without it.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names the site answers on.")

DEBUG = False

# Keep database connections open between requests; health checks drop a dead one.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405

# Without Redis each worker would keep its own copy of the pages, and an editor's change would
# reach only the worker that saw it: no page cache then, rather than stale pages.
if not os.environ.get("REDIS_URL"):
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405

# Notification e-mails are queued in the database and sent by `manage.py db_worker`, so that a
# slow or absent mail server never holds up a visitor, and a failed send can be retried. The
# same worker brings the translations of a published page up to date (its "translations" queue),
# so that an editor's publish does not wait for them.
TASKS["notifications"] = {  # noqa: F405
    **TASKS["notifications"],  # noqa: F405
    "BACKEND": "django_tasks_db.DatabaseBackend",
}

# Warn (system check appointments.W001) when the consultation form has no reCAPTCHA keys.
RECAPTCHA_EXPECTED = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is on, as the deployment check expects: set DJANGO_SECURE_HSTS_PRELOAD=false (and
# DJANGO_SECURE_HSTS_SECONDS low) for a first deployment, until HTTPS works on every subdomain.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Load balancers check the health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Where collectstatic puts the files that nginx serves at /static/ (deploy/nginx/clinic.conf
# aliases /srv/clinic/var/static/, this default when the site lives in /srv/clinic). Every
# process must agree on it: the site reads the hashed names from its manifest.
if os.environ.get("DJANGO_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["DJANGO_STATIC_ROOT"])
