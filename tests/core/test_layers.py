"""Imports run one way: clinic_site → demo → appointments → pages → core, and the page families
inside ``pages.models`` never import each other. ``make check`` runs import-linter with the
contracts in ``pyproject.toml``; these tests run the same check on this tree, and on copies with
one import turned the wrong way, so that a contract that stopped biting would be noticed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("clinic_site", "core", "pages", "appointments", "demo")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_project(tmp_path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            project / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.json", "*.mo", "*.po"),
        )
    return project


def test_the_layers_hold_in_this_tree():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "reversed_import", "complaint"),
    [
        (
            "pages/chrome.py",
            "from appointments.models import ConsultationRequest",
            "pages is not allowed to import appointments",
        ),
        (
            "core/cache.py",
            "from pages.models import BasePage",
            "core is not allowed to import pages",
        ),
        (
            "appointments/services.py",
            "from demo import loader",
            "appointments is not allowed to import demo",
        ),
        (
            "core/jinja2.py",
            "import clinic_site.urls",
            "core is not allowed to import clinic_site",
        ),
        (
            "pages/models/conditions.py",
            "from .physicians import PhysicianPage",
            "pages.models.conditions is not allowed to import pages.models.physicians",
        ),
        (
            "pages/models/base.py",
            "from .links import PhysicianLink",
            "pages.models.base is not allowed to import pages.models.links",
        ),
    ],
)
def test_an_import_against_the_layers_fails_the_check(
    copy_of_the_project, module, reversed_import, complaint
):
    assert lint_imports(copy_of_the_project).returncode == 0  # the copy holds, as this tree does
    path = copy_of_the_project / module
    path.write_text(path.read_text() + f"\n{reversed_import}  # turned the wrong way\n")

    result = lint_imports(copy_of_the_project)

    assert result.returncode == 1, result.stdout + result.stderr
    assert complaint in result.stdout
