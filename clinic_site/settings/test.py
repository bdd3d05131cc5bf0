"""The test suite: fast hashing, in-memory mail, no manifest to build."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    },
    "renditions": CACHES["renditions"],  # noqa: F405
}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Serve static files straight from the source folders, as runserver does: no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Most tests sign a member of staff in and look at what they see next: without a second factor.
# The two-factor tests (tests/security/test_two_factor.py, the browser journey) turn it on.
WAGTAIL_2FA_REQUIRED = False
# Counts are written when a test flushes them (core.analytics.flush), never by a thread.
ANALYTICS_FLUSH_SECONDS = 0
# No autosave in the page editor: a draft saved half a second after a change redraws the action
# menu, and a browser test's click on "Resubmit" could land on the button being replaced (seen in
# CI). Editors keep Wagtail's autosave; what the tests check is what the buttons do.
WAGTAIL_AUTOSAVE_INTERVAL = 0
