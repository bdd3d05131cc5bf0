"""The project starts with each of its settings modules, and production has no insecure defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-check-only-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "www.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.org",
}


def manage(settings_module: str, *args: str, extra_env: dict | None = None):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RECAPTCHA_")) and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "settings_module", ["clinic_site.settings.dev", "clinic_site.settings.test"]
)
def test_manage_py_check_passes(settings_module):
    result = manage(settings_module, "check")
    assert result.returncode == 0, result.stderr


def test_manage_py_check_passes_with_production_settings():
    result = manage("clinic_site.settings.production", "check", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_warns_when_recaptcha_keys_are_missing():
    result = manage("clinic_site.settings.production", "check", extra_env=PRODUCTION_ENV)
    assert "appointments.W001" in result.stderr + result.stdout
    with_keys = {**PRODUCTION_ENV, "RECAPTCHA_PUBLIC_KEY": "k", "RECAPTCHA_PRIVATE_KEY": "s"}
    result = manage("clinic_site.settings.production", "check", extra_env=with_keys)
    assert "appointments.W001" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = manage("clinic_site.settings.production", "check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def env_example() -> dict[str, str]:
    """The variables of ``.env.example`` as a deployer copies it: most of them left empty."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    variables = dict(
        line.split("=", 1) for line in lines if "=" in line and not line.lstrip().startswith("#")
    )
    variables.pop("DJANGO_SETTINGS_MODULE", None)  # each test names its own
    return variables


def test_production_starts_from_env_example_with_the_required_values_filled_in():
    """An empty value means "the default", never a crash (int('')) nor "off" for a safety."""
    result = manage(
        "clinic_site.settings.production",
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.PAGE_CACHE_SECONDS, "
        "s.EMAIL_PORT)",
        extra_env={**env_example(), **PRODUCTION_ENV},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        str(60 * 60 * 24 * 365),
        "3600",
        "587",
    ]


S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "clinic-media",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_S3_CUSTOM_DOMAIN": "www.example.org/media",
    "AWS_ACCESS_KEY_ID": "test-only",
    "AWS_SECRET_ACCESS_KEY": "test-only",
}


def test_media_go_to_the_bucket_with_addresses_on_the_sites_own_host_when_one_is_named():
    """Several app servers share uploads through S3-compatible storage, and images keep plain
    addresses under the site's /media/, which the proxy passes to the bucket."""
    result = manage(
        "clinic_site.settings.production",
        "shell",
        "-c",
        "from django.conf import settings; from django.core.files.storage import storages; "
        "media = storages['default']; "
        "print(type(media).__name__, media.url('original_images/face.jpg'), "
        "settings.WAGTAILDOCS_SERVE_METHOD)",
        extra_env={**PRODUCTION_ENV, **S3_ENV},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "S3Storage",
        "https://www.example.org/media/original_images/face.jpg",
        "serve_view",
    ]


def test_the_deployment_check_warns_when_bucket_media_would_come_from_another_host():
    on_our_host = manage(
        "clinic_site.settings.production",
        "check",
        "--deploy",
        extra_env={**PRODUCTION_ENV, **S3_ENV},
    )
    assert "core.W003" not in on_our_host.stdout + on_our_host.stderr
    env = {**PRODUCTION_ENV, **S3_ENV, "AWS_S3_CUSTOM_DOMAIN": ""}
    from_the_bucket = manage("clinic_site.settings.production", "check", "--deploy", extra_env=env)
    assert "core.W003" in from_the_bucket.stdout + from_the_bucket.stderr
