"""Settings for the stations throughput benchmark: the project's settings plus a minimal
primary-key view to compare the nearby endpoint against (bench/stations_urls.py)."""

from niangjia.settings import *  # noqa: F403

ROOT_URLCONF = "bench.stations_urls"
