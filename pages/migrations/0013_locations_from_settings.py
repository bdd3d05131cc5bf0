"""The clinic's address and opening hours, kept until now in the clinic settings, become its first
location page (under a new "Locations" section of each site's home page), and each physician's
languages, typed as words ("English, Spanish"), become language codes chosen from a list.

Nothing is lost: the location page is live with the settings' values, and a language this
migration cannot recognise is printed with the page it came from, for an editor to choose from
the list (the typed text is also left in the physician's earlier revisions)."""

import uuid

from django.conf import global_settings, settings
from django.conf.locale import LANG_INFO
from django.db import migrations
from django.utils import timezone, translation
from django.utils.text import slugify

TREE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TREE_STEP = 4


def child_path(parent, page_model) -> str:
    """The treebeard path of a new last child of ``parent`` (what ``add_child`` would give)."""
    last = (
        page_model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-TREE_STEP:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = TREE_ALPHABET[remainder] + digits
    return parent.path + digits.rjust(TREE_STEP, "0")


def free_slug(parent, page_model, wanted: str) -> str:
    siblings = set(
        page_model.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        ).values_list("slug", flat=True)
    )
    slug, number = wanted, 1
    while slug in siblings:
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def add_child(apps, parent, model_name: str, **fields):
    """A live page of ``pages.<model_name>`` as the last child of ``parent``."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model("pages", model_name)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="pages", model=model_name.lower()
    )
    slug = free_slug(parent, Page, fields.pop("slug"))
    now = timezone.now()
    page = model.objects.create(
        path=child_path(parent, Page),
        depth=parent.depth + 1,
        numchild=0,
        slug=slug,
        url_path=f"{parent.url_path}{slug}/",
        draft_title=fields["title"],
        content_type=content_type,
        locale_id=parent.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return page


def settings_into_locations(apps, schema_editor):
    ClinicSettings = apps.get_model("core", "ClinicSettings")
    Page = apps.get_model("wagtailcore", "Page")
    LocationIndexPage = apps.get_model("pages", "LocationIndexPage")
    for clinic in ClinicSettings.objects.select_related("site"):
        if not (clinic.street_address or clinic.locality or clinic.opening_hours.raw_data):
            continue
        home = Page.objects.get(pk=clinic.site.root_page_id)
        index = LocationIndexPage.objects.filter(
            path__startswith=home.path, depth=home.depth + 1
        ).first()
        if index is None:
            index = add_child(
                apps,
                home,
                "LocationIndexPage",
                title="Locations",
                slug="locations",
                intro="Where we see patients.",
            )
        index_page = Page.objects.get(pk=index.pk)
        add_child(
            apps,
            index_page,
            "LocationPage",
            title=clinic.locality or clinic.name or "Main site",
            slug=slugify(clinic.locality) or "main-site",
            street_address=clinic.street_address,
            locality=clinic.locality,
            region=clinic.region,
            postal_code=clinic.postal_code,
            country=clinic.country or "US",
            phone=clinic.phone,
            email=clinic.email,
            opening_hours=list(clinic.opening_hours.raw_data),
        )


def language_names() -> dict[str, str]:
    """Every name of a language a person may have typed, lower case → its code: the English
    name and the language's own, and its names in Spanish and French (Django's translations)."""
    codes = [code for code, _name in global_settings.LANGUAGES]
    names: dict[str, str] = {}
    for code in codes:
        info = LANG_INFO.get(code, {})
        for name in (info.get("name"), info.get("name_local")):
            if name:
                names.setdefault(name.lower(), code)
    for language in ("es", "fr"):
        with translation.override(language):
            for code in codes:
                name = LANG_INFO.get(code, {}).get("name")
                if name:
                    names.setdefault(translation.gettext(name).lower(), code)
    for code in codes:
        names.setdefault(code.lower(), code)
    return names


def codes_of(text: str, names: dict[str, str]) -> tuple[list[str], list[str]]:
    codes, unknown = [], []
    for word in (part.strip() for part in text.replace(";", ",").split(",")):
        if not word:
            continue
        code = names.get(word.lower())
        if code is None:
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def languages_into_codes(apps, schema_editor):
    PhysicianPage = apps.get_model("pages", "PhysicianPage")
    PhysicianLanguage = apps.get_model("pages", "PhysicianLanguage")
    Revision = apps.get_model("wagtailcore", "Revision")
    names = language_names()
    pages = list(PhysicianPage.objects.select_related("locale").order_by("path"))
    # A translation's languages are its original's (they are synchronised from now on).
    originals = {
        page.translation_key: page
        for page in pages
        if page.locale.language_code == settings.LANGUAGE_CODE
    }
    by_key: dict = {}
    for page in pages:
        original = originals.get(page.translation_key, page)
        if original.pk not in by_key:
            codes, unknown = codes_of(original.languages_spoken, names)
            by_key[original.pk] = codes
            for word in unknown:
                print(
                    f"\n  pages.0013: “{word}”, a language of the physician page "
                    f"{original.pk} ({original.title}), is not a language this site knows: "
                    "choose it from the list in the page's editor."
                )
        codes = by_key[original.pk]
        rows = [
            PhysicianLanguage.objects.create(page_id=page.pk, code=code, sort_order=number)
            for number, code in enumerate(codes)
        ]
        # The editor opens a page's latest revision: it must hold the rows too, or the next
        # publish would remove them.
        for revision_id in {page.latest_revision_id, page.live_revision_id} - {None}:
            revision = Revision.objects.filter(pk=revision_id).first()
            if revision is None or not isinstance(revision.content, dict):
                continue
            revision.content["spoken_languages"] = [
                {"pk": row.pk, "page": page.pk, "code": row.code, "sort_order": row.sort_order}
                for row in rows
            ]
            revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    settings_into_locations(apps, schema_editor)
    languages_into_codes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0012_locations_and_physician_facts"),
        ("core", "0004_two_factor_permission"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
