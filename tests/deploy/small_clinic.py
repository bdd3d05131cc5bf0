"""A small clinic in the topology test's own database, written by a process of the site itself
(production settings, the test's environment) rather than by the test: the test process holds
pytest-django's database, not this one.

``python -m tests.deploy.small_clinic build`` creates a home page, a standard page, a condition
page with an image and the consultation form, under the Site www.example.org:443, and prints
their addresses as JSON. ``python -m tests.deploy.small_clinic publish PATH`` publishes a new
revision of the page at PATH, as an editor would: whatever the site does on publishing (purging
the proxy's copy) happens."""

import json
import sys

import django


def build() -> dict[str, str]:
    from wagtail.models import Page, Site

    from appointments.models import IntakeSettings
    from core.models import ClinicSettings
    from tests.factories.pages import (
        ConditionPageFactory,
        ConsultationRequestPageFactory,
        HomePageFactory,
        StandardPageFactory,
    )

    root = Page.get_first_root_node()
    # Wagtail's installer leaves a welcome page that would take the "home" slug.
    root.get_children().delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="www.example.org", port=443, root_page=home, is_default_site=True
    )
    standard = StandardPageFactory(parent=home, title="About the clinic", slug="about")
    condition = ConditionPageFactory(parent=home, title="Synkinesis", slug="synkinesis")
    consultation = ConsultationRequestPageFactory(parent=home)

    clinic = ClinicSettings.for_site(site)
    clinic.name = "Meridian Facial Nerve Center"
    clinic.phone = "(555) 555-0100"
    clinic.consultation_page = consultation
    clinic.save()
    intake = IntakeSettings.for_site(site)
    intake.intake_email = "intake@example.org"
    intake.save()

    return {
        "home": home.get_url_parts()[2],
        "standard": standard.get_url_parts()[2],
        "condition": condition.get_url_parts()[2],
        "consultation": consultation.get_url_parts()[2],
        "image": condition.image.file.url,
    }


def publish(path: str) -> None:
    from wagtail.models import Page

    for page in Page.objects.live().specific():
        parts = page.get_url_parts()
        if parts is not None and parts[2] == path:
            page.save_revision().publish()
            return
    sys.exit(f"No live page at {path}")


def main(argv: list[str]) -> None:
    django.setup()
    if argv[:1] == ["build"]:
        print(json.dumps(build()))
    elif argv[:1] == ["publish"] and len(argv) == 2:
        publish(argv[1])
    else:
        sys.exit("usage: python -m tests.deploy.small_clinic build | publish PATH")


if __name__ == "__main__":
    main(sys.argv[1:])
