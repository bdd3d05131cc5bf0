"""Local development: debug on, a throwaway secret, every host on this machine allowed."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# Plain static storage so that runserver needs no collectstatic.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Page-created/published lines from Wagtail would drown `make run`'s own output.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405
