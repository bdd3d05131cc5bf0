"""Settings of the scale benchmark (bench/scale.py): the benchmarks' production settings with up
to seven more content languages, for the benchmark only.

``BENCH_LANGUAGES`` (3 or 10) says how many languages the site has: the three it is written in,
then German, Italian, Portuguese, Dutch, Polish, Swedish and Japanese. Every list of languages
in the project reads ``LANGUAGES`` or ``WAGTAIL_CONTENT_LANGUAGES`` (core.languages), so these
two are all it takes: ``migrate`` creates the locales and the translators' groups of the new
ones. The languages are read once per process, and each measurement runs in a process of its
own, so one run measures the site with three languages, then with ten."""

import os

from bench.settings import *  # noqa: F403

# Their names untranslated: the benchmark's languages, kept out of the site's catalogues.
EXTRA_LANGUAGES = [
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("sv", "Swedish"),
    ("ja", "Japanese"),
]

LANGUAGES = [*LANGUAGES, *EXTRA_LANGUAGES][: int(os.environ.get("BENCH_LANGUAGES", "3"))]  # noqa: F405
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
