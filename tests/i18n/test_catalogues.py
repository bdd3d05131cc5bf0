"""Every string a visitor, a translator or intake staff reads is translated: the Spanish and
French catalogues are complete, with nothing fuzzy, and a new untranslated string fails here."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> dict[str, polib.POFile]:
    """The committed catalogues, updated with every string in the code as it is now (what
    `makemessages` would produce), in a copy so that the working tree is untouched."""
    workdir = tmp_path_factory.mktemp("catalogues")
    project = workdir / "project"
    ignore = shutil.ignore_patterns(
        ".venv", "var", "tests", "__pycache__", "*.mo", ".git", "node_modules"
    )
    shutil.copytree(ROOT, project, ignore=ignore)
    previous = Path.cwd()
    try:
        import os

        os.chdir(project)
        settings_locale = settings.LOCALE_PATHS
        settings.LOCALE_PATHS = [project / "locale"]
        call_command(
            "makemessages",
            locale=["es", "fr"],
            ignore_patterns=[".venv/*", "var/*", "tests/*"],
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        settings.LOCALE_PATHS = settings_locale
        os.chdir(previous)
    return {
        language: polib.pofile(str(project / "locale" / language / "LC_MESSAGES" / "django.po"))
        for language in ("es", "fr")
    }


@pytest.mark.parametrize("language", ["es", "fr"])
def test_catalogue_has_every_string_translated_and_none_fuzzy(fresh_catalogues, language):
    catalogue = fresh_catalogues[language]
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in locale/{language}: {untranslated}"
    assert fuzzy == [], f"fuzzy in locale/{language}: {fuzzy}"
    assert len(catalogue) > 300


@pytest.mark.parametrize("language", ["es", "fr"])
def test_placeholders_survive_translation(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in catalogue:
        translations = (
            [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        )
        for text in translations:
            assert set(placeholder.findall(text)) == set(placeholder.findall(entry.msgid)), (
                entry.msgid
            )


def test_compiled_catalogues_are_not_committed():
    tracked = (ROOT / ".gitignore").read_text()
    assert "*.mo" in tracked
