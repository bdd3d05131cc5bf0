"""Production settings for the benchmarks, with one change: collected static files go to the
throwaway folder named by ``BENCH_STATIC_ROOT``. The production module keeps them in ``var/static``,
which a benchmark run must not overwrite, and has no variable to move them."""

import os
from pathlib import Path

from clinic_site.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
