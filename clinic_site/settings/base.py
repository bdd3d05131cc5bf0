"""Settings shared by every environment. Everything that differs between machines comes from the
environment (see ``.env.example``); the dev, test and production modules only change defaults."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, empty items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; unset or empty (as ``.env.example`` leaves most
    variables) is ``default``."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The site's own apps, in the order their imports run: each may use those above it only.
    "core",
    "pages",
    "appointments",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    # Promoted results of the public search, chosen by editors per search term from the "Site
    # searches" report (pages.search_terms_admin). Its own search-term counting (Query.add_hit)
    # is not used: it writes in the visitor's request.
    "wagtail.contrib.search_promotions",
    # Wagtail's frontend cache (purging the proxy), with the site's own signal handlers in place
    # of Wagtail's (core.frontend_cache says why).
    "core.frontend_cache.FrontendCacheConfig",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_recaptcha",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Two-factor sign-in to the admin (core.two_factor). wagtail-2fa is used but not installed
    # as an app: its wagtail_hooks module imports what Wagtail 8 removed, which would break the
    # whole admin; core.wagtail_hooks registers its views instead.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",
]
# Widgets render through the project's templates, so the site can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's, with the deployer's THIRD_PARTY_ORIGINS added to the public policy.
    "core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # What the proxy in front may keep (Cache-Control). Outside the page cache, so that it marks
    # the pages that cache serves as well as those it stores, by the same test.
    "core.http_cache.PublicCacheMiddleware",
    # Counts page views (no cookie, no address): outside the page cache, so that it sees the
    # pages that cache serves as well as those it does not.
    "core.view_counts.ViewCountMiddleware",
    # Before the session middleware, so that it sees every cookie a response sets.
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.languages.LocaleMiddleware",
    # The site and the page a URL leads to, from the cache rather than a walk down the page tree.
    "core.cache.RoutingCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.security.AdminSecurityMiddleware",
    # After the session limits above (an expired session ends, whatever its second factor) and
    # before every view: the second factor, for those who must or chose to use one.
    "core.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"
WSGI_APPLICATION = "clinic_site.wsgi.application"

TEMPLATES = [
    # Visitors' pages (core/jinja2.py says why and how). Each app adds what its templates use
    # through a Jinja2 extension of its own.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "core.jinja2.environment",
            "extensions": ["core.jinja2.CoreExtension", "pages.jinja2.ChromeExtension"],
        },
    },
    # The admin, form widgets and everything else.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: an SQLite file in the project unless DATABASE_URL names another database
# (postgres://user@host:port/name is served through psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must give visitors an honest error page within seconds.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )
    # PostgreSQL binds the parameters, and psycopg prepares a query the fifth time a connection
    # runs it: the queries every page view repeats are then planned once per connection, not
    # each time (half of PostgreSQL's work for a page). Set DATABASE_PREPARED_STATEMENTS=false
    # behind a connection pooler in transaction mode that cannot keep prepared statements.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis when REDIS_URL is set, otherwise this process's memory. "pages" holds whole pages
# and the site's header and footer for anonymous visitors (core.cache), all invalidated at once
# when content changes; "ratelimit" the request forms' rate-limit counters, apart, so that
# emptying or filling the pages never resets them; "default" what Wagtail and the reCAPTCHA
# pause keep there.
#
# A Redis outage must cost the site little (core.redis_cache): a call waits at most
# REDIS_SOCKET_TIMEOUT seconds, and after a failure this process skips Redis for
# REDIS_RETRY_SECONDS, serving pages uncached, before it tries again.
if os.environ.get("REDIS_URL"):
    _redis_timeout = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
    _redis = {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": _redis_timeout,
            "SOCKET_TIMEOUT": _redis_timeout,
            "RETRY_SECONDS": env_float("REDIS_RETRY_SECONDS", 30),
        },
    }
    CACHES = {
        "default": _redis,
        "pages": {**_redis, "KEY_PREFIX": "pages"},
        "ratelimit": {**_redis, "KEY_PREFIX": "ratelimit"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit",
        },
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Image renditions, which Wagtail looks up for every image it shows: in each process's memory,
# per content generation (saving an image or deleting a rendition starts a new one), rather than
# one round trip to Redis per image.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "KEY_FUNCTION": "core.cache.generation_key",
    "OPTIONS": {"MAX_ENTRIES": 10000},
}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 * 60)
# The most addresses one sitemap file holds (each page's own and its alternates, one per language
# of the site); a language with more is split into sections (/sitemap-en.xml?p=2), each listed by
# the sitemap index (pages.sitemaps.section_size).
SITEMAP_SECTION_SIZE = env_int("SITEMAP_SECTION_SIZE", 1000)

# The proxy or CDN in front of the site (core.http_cache, core.frontend_cache; docs/deploy.md).
# Anonymous visitors' pages say "Cache-Control: public, max-age=0, s-maxage=PUBLIC_CACHE_SECONDS":
# the proxy may keep them that long, browsers ask again each time. 0: no such header at all.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# Where the proxy takes "PURGE <path>" (with the page's Host), e.g. http://127.0.0.1:8081: what a
# change shows on is purged when it is committed. Unset: nothing is purged; pages age out.
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "core.frontend_cache.ProxyPurgeBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
            # Seconds a publish waits for the proxy before giving up its purges.
            "TIMEOUT": env_float("FRONTEND_CACHE_PURGE_TIMEOUT", 2),
        }
    }
# Each page is purged at its own address in each of its languages. Otherwise Wagtail purges every
# address again under each language prefix, with the same slug, which a translation rarely has.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []

# A condition or treatment page falls due for its next medical review this many days after its
# last one, unless an editor chose another date (pages.models.base.MedicallyReviewedMixin).
MEDICAL_REVIEW_INTERVAL_DAYS = env_int("MEDICAL_REVIEW_INTERVAL_DAYS", 365)

# Security. Production adds HTTPS-only settings (production.py).
#
# Content-Security-Policy: the public site runs only its own files; pages that need reCAPTCHA
# add its hosts (appointments.models.form_pages); the admin has a policy of its own
# (core.security). JSON-LD blocks are data, not scripts, and need no exception.
#
# THIRD_PARTY_ORIGINS: the only other origins (scheme://host[:port], e.g.
# https://player.video.example) a public page may load a script, style, font, image, frame or
# media from; empty by default, and every origin listed here is someone who learns which page a
# visitor reads (docs/privacy.md). core.security.ContentSecurityPolicyMiddleware adds them to
# those directives, and media embeds come only from them (core.embeds).
THIRD_PARTY_ORIGINS = env_list("THIRD_PARTY_ORIGINS")
WAGTAILEMBEDS_FINDERS = [{"class": "core.embeds.AllowedOriginsOEmbedFinder"}]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # A nonce is added only to responses that use one (the error pages' inline style).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in: five failed attempts for one account from one address lock that pair out for an hour.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin_locked_out.html"
# Sessions end after 30 minutes without a request, and 12 hours after signing in whatever
# happens (core.security.AdminSecurityMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60

# Two-factor sign-in (wagtail-2fa and django-otp; core.two_factor). A code from an authenticator
# app, or a one-time recovery code, after the password. Required of those who hold the
# "wagtailadmin.enable_2fa" permission: superusers (who hold every permission) and the Intake
# staff group, who see patients' health data (appointments migration 0013). Anyone else may
# enrol from their account page, and then always signs in with a code. The test settings turn
# it off for the tests that only need a signed-in user; tests/security/test_two_factor.py
# turns it on.
WAGTAIL_2FA_REQUIRED = True
# Where an ended session (core.security) and wagtail-2fa send someone to sign in again: the
# admin's sign-in page, not Django's default /accounts/login/, which this site does not have.
LOGIN_URL = "wagtailadmin_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The client's address behind proxies, and the limits counted by address (core.client_address).
# TRUSTED_PROXY_COUNT is how many proxies in front of the site append to X-Forwarded-For (nginx
# alone: 1; a CDN and nginx: 2); 0 ignores the header, and REMOTE_ADDR is the client. The header
# is believed only from a peer in TRUSTED_PROXY_ADDRESSES (addresses or CIDR networks), and then
# only the address the proxies wrote, counted from the right: never what a client forged.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_ADDRESSES = env_list("DJANGO_TRUSTED_PROXY_ADDRESSES") or ["127.0.0.1", "::1"]
RATELIMIT_IP_META_KEY = "core.client_address.client_address"
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
# Besides the lock of one account from one address above, an address with this many failed
# sign-ins within the cool-off, whatever the accounts, is locked for every account (core.sign_in).
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_SIGN_IN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "core.sign_in.SignInLimitsHandler"
# The admin's "forgot your password?" form: a few requests an hour per client address and per
# e-mail address, its e-mail sent by the "notifications" task backend (core.password_reset).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "core.password_reset.ThrottledPasswordResetForm"
PASSWORD_RESET_ADDRESS_RATE_LIMIT = (
    os.environ.get("DJANGO_PASSWORD_RESET_ADDRESS_RATE_LIMIT") or "5/h"
)
PASSWORD_RESET_EMAIL_RATE_LIMIT = os.environ.get("DJANGO_PASSWORD_RESET_EMAIL_RATE_LIMIT") or "3/h"

# Languages: English is the source; Spanish and French are translated with wagtail-localize.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded images and documents on S3-compatible storage (django-storages) when a bucket is
# named, so that several app servers share them; credentials come from boto3's usual sources
# (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role). Visitors' browsers must
# not fetch from another origin: set AWS_S3_CUSTOM_DOMAIN to the site's own host and "/media"
# (for example www.example.org/media), which the proxy passes to the bucket (deploy/).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Plain, stable URLs that the page cache and the proxy can keep; two uploads of
            # the same name never overwrite each other.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    # A private document is checked by the site on every download, never handed out as a
    # bucket address that would stay valid for anyone.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Email. The console backend unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# A mail server that never answers must not hold a visitor's request hostage.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "website@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# reCAPTCHA v3 (django-recaptcha). Without keys the consultation form runs with the captcha off.
RECAPTCHA_PUBLIC_KEY = os.environ.get("RECAPTCHA_PUBLIC_KEY", "")
RECAPTCHA_PRIVATE_KEY = os.environ.get("RECAPTCHA_PRIVATE_KEY", "")
RECAPTCHA_DOMAIN = os.environ.get("RECAPTCHA_DOMAIN", "www.google.com")
RECAPTCHA_REQUIRED_SCORE = env_float("RECAPTCHA_REQUIRED_SCORE", 0.5)
# Seconds to wait for the verification service before keeping the request as "unverified".
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env_int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", 3)

# Background tasks (django-tasks). Wagtail's own tasks run in the request; the site's own work
# after a request has a backend of its own, "notifications", that production queues in the
# database for its worker (deploy/systemd/clinic-worker.service): the e-mails in the "default"
# queue, and bringing the translations of a published English page up to date in "translations"
# (pages.tasks), a queue of its own so that it can be watched, or given a worker of its own, apart.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "translations"],
    },
}
# Bringing a published page's translations up to date (pages.tasks) is tried this many times in
# all, the first retry this many seconds after a failure and each further one twice as late.
TRANSLATION_SYNC_ATTEMPTS = env_int("TRANSLATION_SYNC_ATTEMPTS", 5)
TRANSLATION_SYNC_RETRY_SECONDS = env_int("TRANSLATION_SYNC_RETRY_SECONDS", 60)

# Consultation requests
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "US")
# A form sent back faster than this (seconds) is flagged for review, not rejected.
CONSULTATION_MIN_SUBMIT_SECONDS = env_int("CONSULTATION_MIN_SUBMIT_SECONDS", 3)
# The same request sent again within this many seconds is treated as the first one.
CONSULTATION_DUPLICATE_WINDOW_SECONDS = 600
# A new request is overdue after this many working hours (Monday to Friday) without an answer.
INTAKE_OVERDUE_WORKING_HOURS = env_int("INTAKE_OVERDUE_WORKING_HOURS", 24)
# Per visitor address (django-ratelimit, counted in the cache).
CONSULTATION_RATE_LIMIT = os.environ.get("CONSULTATION_RATE_LIMIT", "10/h")
# "Was this page helpful?" answers and comments stored per visitor address (appointments.feedback).
PAGE_FEEDBACK_RATE_LIMIT = os.environ.get("PAGE_FEEDBACK_RATE_LIMIT", "20/h")
# The limit is counted in the cache: when the cache is down, let requests through rather than
# turn patients away.
RATELIMIT_FAIL_OPEN = True
# Closed and spam requests older than this are deleted by `manage.py purge_requests`.
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 730)
# The intake team aims to contact each patient within this many hours (elapsed, nights and
# weekends included) of their request: the "Response times" report (appointments.reports).
INTAKE_RESPONSE_TARGET_HOURS = env_int("INTAKE_RESPONSE_TARGET_HOURS", 24)

# Machine translation in wagtail-localize's editor, only when a DeepL key is given. Its output
# fills the editor as suggestions; nothing is published until a translator submits the page.
if os.environ.get("DEEPL_API_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_API_KEY"]},
    }
# "Translate this page" starts a translation as a draft. By default wagtail-localize publishes it
# at once when the source page is live: the English text would appear in the other language's
# tree before anyone translated or reviewed it. It goes live through clinical review instead.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Approving a workflow's last task publishes the page. Wagtail's own action asks whether the
# approver may publish, and on condition and treatment pages nobody but superusers may:
# approval is the permission (pages/workflows.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "pages.workflows.publish_approved_revision"

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Meridian Facial Nerve Center")
# The name an authenticator app shows next to the admin's sign-in code.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # The database backend uses PostgreSQL's full-text search when the database is PostgreSQL
    # (SQLite's FTS5 otherwise). The public search adds accents and typos forgiven on PostgreSQL
    # and "did you mean" (pages/search.py; the extensions and index: pages migration 0011).
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
# The admin must not call other hosts: no avatar service, no release check, no usage ping.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING: dict[str, Any] = {
    "version": 1,
    # Keep Django's and Wagtail's own loggers: errors must never be silently dropped.
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per background task run is noise; failures are still logged as errors.
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# First-party counts (core.analytics; docs/privacy.md): page views and search terms are tallied in
# each process's memory and written to the database every ANALYTICS_FLUSH_SECONDS (0: only when
# flushed explicitly, as in the tests). A visit whose address has a utm_source listed here is
# counted as a campaign; any other utm_source is ignored.
ANALYTICS_FLUSH_SECONDS = env_float("ANALYTICS_FLUSH_SECONDS", 60)
ANALYTICS_CAMPAIGN_SOURCES = env_list("ANALYTICS_CAMPAIGN_SOURCES")
# Page views (core.view_counts) are counted unless this is false (the load benchmark compares the
# two), and every daily count is deleted once it is this many months old (purge_view_counts).
ANALYTICS_COUNT_VIEWS = env_bool("ANALYTICS_COUNT_VIEWS", True)
ANALYTICS_RETENTION_MONTHS = env_int("ANALYTICS_RETENTION_MONTHS", 25)
