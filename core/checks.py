"""Deployment checks (``manage.py check --deploy --database default``): the addresses the site
writes into its pages and e-mails must be ones it really answers on, over HTTPS.

Canonical links, hreflang alternates, the sitemap, robots.txt, ``og:image`` and the links in
staff e-mails are built from the default Site's hostname and port and from
``WAGTAILADMIN_BASE_URL``, never from the request's ``Host``. Left at their development values
(``127.0.0.1:8000``, ``localhost``), every one of them points search engines and patients at a
host that is not the clinic's, and nothing else would say so."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.http.request import validate_host


def served_over_https(site) -> bool:
    """Wagtail builds a Site's root URL with https when its port is 443, http otherwise."""
    return site.root_url.startswith("https://")


@register(Tags.sites, deploy=True)
def public_addresses(app_configs=None, databases=None, **kwargs) -> list[Error]:
    errors = []
    admin = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if admin.scheme != "https" or not validate_host(admin.hostname or "", settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"WAGTAILADMIN_BASE_URL is {settings.WAGTAILADMIN_BASE_URL!r}: links in staff "
                "e-mails would lead elsewhere.",
                hint="Set it to the site's public https:// address, whose host is one of "
                "DJANGO_ALLOWED_HOSTS.",
                id="core.E001",
            )
        )
    # The Site is in the database, which Django's checks read only when asked to
    # (``--database default``), so that ``check --deploy`` also runs before one exists.
    if not databases or "default" not in databases:
        return errors
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return errors  # not migrated yet: `migrate` comes first, and this check after it
    if site is not None and not (
        served_over_https(site) and validate_host(site.hostname, settings.ALLOWED_HOSTS)
    ):
        errors.append(
            Error(
                f"The default site's address is {site.root_url}: canonical links, hreflang, "
                "the sitemap, robots.txt and og:image would point there.",
                hint="In Settings > Sites, set its hostname to the public host name (one of "
                "DJANGO_ALLOWED_HOSTS) and its port to 443.",
                id="core.E002",
            )
        )
    return errors


@register(deploy=True)
def media_on_the_sites_own_host(app_configs=None, **kwargs) -> list[Warning]:
    """With media in a bucket, images must still come from the site's own host: the
    Content-Security-Policy allows no other, and a visitor's browser contacts no third party."""
    options: dict[str, Any] = dict(settings.STORAGES["default"].get("OPTIONS") or {})
    if "bucket_name" not in options:
        return []
    host = (options.get("custom_domain") or "").split("/")[0]
    if host and validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            "Media are stored in a bucket but their addresses are not on the site's own host: "
            "the Content-Security-Policy blocks those images, and visitors' browsers would "
            "contact the storage provider.",
            hint="Set AWS_S3_CUSTOM_DOMAIN to the site's host and /media (for example "
            "www.example.org/media) and let the proxy pass /media/ to the bucket (deploy/).",
            id="core.W003",
        )
    ]
