"""Settings for the calculators throughput benchmark: the project's settings plus a minimal JSON
view to compare the calculator endpoints against (bench/calculators_urls.py)."""

from niangjia.settings import *  # noqa: F403

ROOT_URLCONF = "bench.calculators_urls"
