"""The systemd units in deploy/systemd/: valid for systemd, and each command they run is one of
the site's management commands, with options it accepts."""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from pages.tasks import sync_page_translations
from tests.deploy.topology import PROJECT_DIR

UNITS = PROJECT_DIR / "deploy" / "systemd"


def exec_starts() -> list[tuple[str, list[str]]]:
    """(unit, ExecStart split into words) of every unit."""
    found = []
    for unit in sorted(UNITS.iterdir()):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                found.append((unit.name, shlex.split(line.removeprefix("ExecStart="))))
    return found


def test_the_units_are_valid_systemd_units(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        message = "systemd-analyze not found (apt-get install systemd)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Pointed at this checkout, so that systemd finds the programs they start.
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/srv/clinic", str(PROJECT_DIR))
        (tmp_path / unit.name).write_text(text)
    names = [name.replace("@.service", "@8001.service") for name in sorted(os.listdir(tmp_path))]

    result = subprocess.run(
        [analyze, "verify", *names], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


def test_every_timer_starts_a_unit_that_is_shipped():
    for timer in UNITS.glob("*.timer"):
        assert (UNITS / timer.name.replace(".timer", ".service")).exists(), timer.name


def test_the_worker_runs_every_queue_the_site_queues_its_tasks_in(settings):
    """Production queues the site's tasks in the database for the worker (``clinic-worker``):
    a queue it does not read would keep its tasks for ever, e.g. the translations of every
    published page (``pages.tasks``)."""
    [words] = [words for _unit, words in exec_starts() if "db_worker" in words]
    assert words[words.index("--backend") + 1] == "notifications"
    queues = words[words.index("--queue-name") + 1].split(",")
    assert sorted(queues) == sorted(settings.TASKS["notifications"]["QUEUES"])
    assert sync_page_translations.queue_name in queues


def test_every_command_the_units_run_exists_with_the_options_they_give_it(settings):
    # As clinic_site/settings/production.py queues them: the commands check the backend.
    settings.TASKS = {
        **settings.TASKS,
        "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    commands = get_commands()
    checked = []
    for unit, words in exec_starts():
        if "manage.py" not in words:
            continue
        name, *arguments = words[words.index("manage.py") + 1 :]
        assert name in commands, f"{unit}: no management command {name!r}"
        command = load_command_class(commands[name], name)
        # argparse exits (SystemExit) on an option the command does not have.
        command.create_parser("manage.py", name).parse_args(arguments)
        checked.append(name)

    assert sorted(checked) == [
        "count_proxy_views",
        "db_worker",
        "prune_db_task_results",
        "publish_scheduled",
        "purge_requests",
        "retry_notifications",
        "send_review_reminders",
    ]
