"""The full addresses the site writes (canonical, sitemap, robots.txt, og:image, staff e-mails)
come from the Site and WAGTAILADMIN_BASE_URL, and the deployment check says when those are not
the public HTTPS host."""

import pytest
from bs4 import BeautifulSoup
from django.core.checks import run_checks
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def deploy_errors(databases=("default",)) -> set[str]:
    return {
        error.id
        for error in run_checks(include_deployment_checks=True, databases=databases)
        if error.id and error.id.startswith("core.")
    }


@pytest.fixture
def public_https_site(settings, clinic_site):
    settings.ALLOWED_HOSTS = ["www.example-clinic.org"]
    settings.WAGTAILADMIN_BASE_URL = "https://www.example-clinic.org"
    Site.objects.filter(is_default_site=True).update(hostname="www.example-clinic.org", port=443)
    return clinic_site


def test_the_deployment_check_passes_when_site_and_admin_use_the_public_https_host(
    public_https_site,
):
    assert deploy_errors() == set()


def test_the_deployment_check_fails_while_the_site_still_points_at_the_development_host(
    public_https_site,
):
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    assert deploy_errors() == {"core.E002"}


def test_the_deployment_check_fails_when_the_site_is_not_served_over_https(public_https_site):
    Site.objects.filter(is_default_site=True).update(port=80)
    assert deploy_errors() == {"core.E002"}


@pytest.mark.parametrize(
    "base_url", ["http://www.example-clinic.org", "https://127.0.0.1:8000", "http://127.0.0.1:8000"]
)
def test_the_deployment_check_fails_when_staff_email_links_lead_elsewhere(
    public_https_site, settings, base_url
):
    settings.WAGTAILADMIN_BASE_URL = base_url
    assert deploy_errors() == {"core.E001"}


def test_the_deployment_check_reads_the_site_only_when_given_the_database(public_https_site):
    """``check --deploy`` without ``--database`` must work before the database exists."""
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    assert deploy_errors(databases=None) == set()


def test_robots_txt_and_og_image_use_the_sites_host_not_the_requests(client, clinic_site):
    Site.objects.filter(is_default_site=True).update(hostname="testserver", port=443)
    robots = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    assert "Sitemap: https://testserver/sitemap.xml" in robots
    html = BeautifulSoup(
        client.get(clinic_site.condition.url, HTTP_HOST="localhost").content, "html.parser"
    )
    assert html.find("link", rel="canonical")["href"].startswith("https://testserver/")
    assert html.find("meta", property="og:image")["content"].startswith("https://testserver/media/")
