"""Benchmark of the stations nearby search: 100,000 stations, exactness against a brute-force
scan on 1,000 random points, latency, an optional PostGIS KNN anchor and wrk throughput.

    createdb -h 127.0.0.1 -U postgres niangjia_stations_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/niangjia_stations_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.stations                 # generate, check, time (+ PostGIS if present)
    .venv/bin/python -m bench.stations --reuse --wrk   # also wrk vs a minimal pk view
    DATABASE_URL=sqlite:////tmp/stations_bench.sqlite3 .venv/bin/python -m bench.stations --points 200

The database must be named *bench*; its station tables are wiped and refilled. Results are printed
and saved as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import shutil
import statistics
import subprocess  # noqa: S404 - the benchmark starts gunicorn and wrk
import sys
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
MARKER = "niangjia-bench stations"
R = 6371008.8


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.stations")
    p.add_argument("--stations", type=int, default=100_000)
    p.add_argument("--points", type=int, default=1000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--wrk", action="store_true", help="measure throughput with wrk (PostgreSQL)")
    p.add_argument("--wrk-seconds", type=int, default=15)
    p.add_argument("--no-postgis", action="store_true")
    return p.parse_args(argv)


def random_point_in_china(rng):
    from niangjia.stations.coords import in_china

    while True:
        lat, lng = rng.uniform(18.5, 53.0), rng.uniform(74.0, 134.5)
        if in_china(lat, lng) and (lng > 98 or lat > 27):  # weight towards where people live
            return lat, lng


def generate(n: int, seed: int) -> dict:
    from django.db import connection

    from niangjia.orgs.models import Org
    from niangjia.stations.hours import parse_hours
    from niangjia.stations.models import Amenity, Station

    rng = random.Random(seed)
    started = time.perf_counter()
    with connection.cursor() as c:
        for model in (
            "stations_checkin",
            "stations_rating",
            "stations_report",
            "stations_tally",
            "stations_stationevent",
            "stations_stationexception",
            "stations_station",
        ):
            c.execute(f"DELETE FROM {model}")
    org = Org.objects.filter(depth=1, address=MARKER).first() or Org.objects.add_root(
        {"name": "基准测试总工会", "level": "national", "region_code": "110000", "address": MARKER}
    )
    cities = [random_point_in_china(rng) for _ in range(340)]
    hours = [parse_hours(h) for h in ("24小时", "每天 07:00-19:00", "周一至周五 08:00-18:00")]
    codes = list(Amenity.values)
    batch: list = []
    for i in range(n):
        if rng.random() < 0.8:  # most stations are in cities, a few hundred metres apart
            c = rng.choice(cities)
            lat, lng = c[0] + rng.gauss(0, 0.08), c[1] + rng.gauss(0, 0.1)
        else:
            lat, lng = random_point_in_china(rng)
        batch.append(
            Station(
                code=f"B{i:07d}",
                name=f"基准驿站{i}",
                org=org,
                address="—",
                lat=lat,
                lng=lng,
                input_lat=lat,
                input_lng=lng,
                coord_system="wgs84",
                amenities={a: "2026-01-01" for a in rng.sample(codes, rng.randint(2, 7))},
                hours=rng.choice(hours),
                status="open" if rng.random() < 0.97 else "suspended",
            )
        )
        if len(batch) == 5000:
            Station.objects.bulk_create(batch)
            batch = []
    Station.objects.bulk_create(batch)
    created = time.perf_counter() - started
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"generate_s": round(created, 1), "cities": len(cities)}


def query_points(n: int, seed: int) -> list[tuple[float, float]]:
    """Half near where stations cluster (a phone in a city), half anywhere in China."""
    from niangjia.stations.models import Station

    rng = random.Random(seed + 1)
    sample = list(Station.objects.order_by("?").values_list("lat", "lng")[: n // 2])
    pts = [(la + rng.gauss(0, 0.02), ln + rng.gauss(0, 0.02)) for la, ln in sample]
    pts += [random_point_in_china(rng) for _ in range(n - len(pts))]
    return pts


def timed(fn, points, reps=1):
    times = []
    for p in points:
        t = time.perf_counter()
        for _ in range(reps):
            fn(*p)
        times.append((time.perf_counter() - t) * 1000 / reps)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1], 3),
        "mean_ms": round(statistics.fmean(times), 3),
        "n": len(times),
    }


HAVERSINE_SQL = (
    "2 * %s * asin(least(1, sqrt(power(sin(radians(lat - %s) / 2), 2) + cos(radians(%s)) *"
    " cos(radians(lat)) * power(sin(radians(lng - %s) / 2), 2))))"
)


def brute_force_sql(lat, lng, limit=10):
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            f"SELECT id, {HAVERSINE_SQL} AS d FROM stations_station WHERE status = 'open'"
            " ORDER BY d, id LIMIT %s",
            [R, lat, lat, lng, limit],
        )
        return c.fetchall()


_ALL: list = []


def brute_force_python(lat, lng, limit=10):
    from niangjia.stations.coords import haversine_m
    from niangjia.stations.models import Station

    if not _ALL:
        _ALL.extend(Station.objects.filter(status="open").values_list("pk", "lat", "lng"))
    return sorted((haversine_m(lat, lng, la, ln), pk) for pk, la, ln in _ALL)[:limit]


def check_exact(points) -> dict:
    """Our answer against a brute-force scan: same ids in the same order (a reordering counts
    only if the two distances differ by more than float noise)."""
    from django.db import connection

    from niangjia.stations import selectors
    from niangjia.stations.coords import haversine_m
    from niangjia.stations.models import Station

    coords_by_pk = {}
    mismatches = []
    for lat, lng in points:
        ours = [h.station.pk for h in selectors.nearby(lat, lng, limit=10)]
        if connection.vendor == "postgresql":
            ref = [pk for pk, _d in brute_force_sql(lat, lng)]
        else:
            ref = [pk for _d, pk in brute_force_python(lat, lng)]
        if ours != ref:
            missing = [pk for pk in set(ours) | set(ref) if pk not in coords_by_pk]
            coords_by_pk.update(
                {
                    pk: (la, ln)
                    for pk, la, ln in Station.objects.filter(pk__in=missing).values_list(
                        "pk", "lat", "lng"
                    )
                }
            )
            d_ours = [haversine_m(lat, lng, *coords_by_pk[pk]) for pk in ours]
            d_ref = [haversine_m(lat, lng, *coords_by_pk[pk]) for pk in ref]
            if any(abs(a - b) > 1e-6 for a, b in zip(d_ours, d_ref, strict=True)):
                mismatches.append({"point": (lat, lng), "ours": ours, "ref": ref})
    return {"points": len(points), "mismatches": len(mismatches), "examples": mismatches[:3]}


def postgis(points) -> dict:
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except DatabaseError as exc:
        return {"available": False, "reason": str(exc).splitlines()[0]}
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_station_geog")
        c.execute(
            "CREATE TABLE bench_station_geog AS SELECT id, status, "
            "ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography AS geog FROM stations_station"
        )
        c.execute("CREATE INDEX bench_station_geog_gist ON bench_station_geog USING gist (geog)")
        c.execute("VACUUM ANALYZE bench_station_geog")

    def knn(lat, lng):
        with connection.cursor() as c:
            c.execute(
                "SELECT id, ST_Distance(geog, p, false) FROM bench_station_geog,"
                " (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS p) q"
                " WHERE status = 'open' ORDER BY geog <-> p LIMIT 10",
                [lng, lat],
            )
            return c.fetchall()

    from niangjia.stations import selectors

    same = sum(
        [pk for pk, _d in knn(la, ln)] == [h.station.pk for h in selectors.nearby(la, ln)]
        for la, ln in points[:200]
    )
    result = {"available": True, "knn": timed(knn, points), "same_order_of_200": same}
    with connection.cursor() as c:
        c.execute("SELECT postgis_lib_version()")
        result["version"] = c.fetchone()[0]
        c.execute("DROP TABLE bench_station_geog")
    return result


def bbox_sql(points) -> dict:
    """Our search's first step as raw SQL (no ORM, no Python re-ranking): for the plan and for
    comparing like with like against the PostGIS query."""
    from django.db import connection

    from niangjia.stations import coords

    def q(lat, lng):
        b = coords.bounding_box(lat, lng, 2_000.0)
        with connection.cursor() as c:
            c.execute(
                "SELECT id, lat, lng FROM stations_station WHERE status = 'open' AND lat BETWEEN"
                " %s AND %s AND lng BETWEEN %s AND %s",
                [b[0], b[1], b[2], b[3]],
            )
            return c.fetchall()

    result = timed(q, points)
    lat, lng = points[0]
    b = coords.bounding_box(lat, lng, 2_000.0)
    with connection.cursor() as c:
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS)"
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN"
        )
        c.execute(
            f"{prefix} SELECT id, lat, lng FROM stations_station WHERE status = 'open' AND lat"
            " BETWEEN %s AND %s AND lng BETWEEN %s AND %s",
            [b[0], b[1], b[2], b[3]],
        )
        result["plan"] = [" ".join(str(x) for x in row) for row in c.fetchall()]
    return result


def run_wrk(points, seconds: int) -> dict:
    """wrk against the nearby endpoint and a minimal pk view, same gunicorn, same run."""
    wrk = shutil.which("wrk")
    if not wrk:
        return {"available": False, "reason": "wrk not installed"}
    from niangjia.stations.models import Station

    ids = list(Station.objects.values_list("pk", flat=True)[:5000])
    lua = ROOT / "bench" / "results" / "stations_wrk.lua"
    lua.parent.mkdir(exist_ok=True)
    pts = ",".join(f"{{{la:.5f},{ln:.5f}}}" for la, ln in points[:500])
    lua.write_text(
        "local pts = {" + pts + "}\nlocal ids = {" + ",".join(map(str, ids)) + "}\n"
        "math.randomseed(7)\n"
        "request = function()\n"
        "  if wrk.path == '/pk' then\n"
        "    return wrk.format('GET', '/bench/pk/' .. ids[math.random(#ids)] .. '/')\n"
        "  end\n"
        "  local p = pts[math.random(#pts)]\n"
        "  return wrk.format('GET', '/api/v1/stations/nearby/?lat=' .. p[1] .. '&lng=' .. p[2]"
        " .. '&limit=10')\n"
        "end\n"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.stations_settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0000000000000000000000",
        "SMS_BACKEND": "niangjia.core.notify.DisabledSMSBackend",
        "HTTPS": "0",  # wrk speaks plain HTTP to gunicorn: no redirect to https
        "FIELD_ENCRYPTION_KEY": "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA=",
        "THROTTLE_ANON": "100000000/minute",
        "THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    port = "8765"
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "gunicorn",
            "niangjia.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out: dict = {
        "available": True,
        "workers": 2,
        "connections": 8,
        "threads": 2,
        "seconds": seconds,
    }
    try:
        time.sleep(3)
        for name, path in (("pk_view", "/pk"), ("nearby", "/nearby"), ("pk_view_again", "/pk")):
            url = f"http://127.0.0.1:{port}{path}"
            subprocess.run(  # noqa: S603 - fixed argv
                [wrk, "-t2", "-c8", "-d3s", "-s", str(lua), url], capture_output=True, check=False
            )  # warm-up
            r = subprocess.run(  # noqa: S603 - fixed argv
                [wrk, "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", str(lua), url],
                capture_output=True,
                text=True,
                check=False,
            )
            text = r.stdout
            rps = next(
                (
                    float(line.split()[1])
                    for line in text.splitlines()
                    if line.startswith("Requests/sec")
                ),
                None,
            )
            non2xx = next((line.strip() for line in text.splitlines() if "Non-2xx" in line), "")
            out[name] = {
                "requests_per_s": rps,
                "non_2xx": non2xx,
                "latency_line": next(
                    (ln.strip() for ln in text.splitlines() if ln.strip().startswith("Latency")), ""
                ),
            }
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = statistics.fmean(
        [out["pk_view"]["requests_per_s"], out["pk_view_again"]["requests_per_s"]]
    )
    out["nearby_over_pk"] = round(out["nearby"]["requests_per_s"] / base, 3)
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    from niangjia.stations import selectors
    from niangjia.stations.models import Station

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name.lower():
        print(f"refusing: database {name!r} is not a *bench* database", file=sys.stderr)
        return 2
    load_start = os.getloadavg()
    result: dict = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": name,
        "stations": args.stations,
        "loadavg_start": [round(x, 2) for x in load_start],
    }
    if not (args.reuse and Station.objects.count() == args.stations):
        print(f"generating {args.stations:,} stations …", flush=True)
        result["generation"] = generate(args.stations, args.seed)
    points = query_points(args.points, args.seed)
    print(f"checking exactness on {len(points)} points …", flush=True)
    result["exact"] = check_exact(points)
    print(json.dumps(result["exact"], ensure_ascii=False)[:300], flush=True)
    print("timing …", flush=True)
    for lat, lng in points[:20]:  # warm-up
        selectors.nearby(lat, lng)
    result["nearby_ranked_limit10"] = timed(
        lambda la, ln: selectors.nearby_ranked(la, ln, limit=10), points
    )
    result["nearby_limit10"] = timed(lambda la, ln: selectors.nearby(la, ln, limit=10), points)
    result["nearby_limit10_hot_water_open_now"] = timed(
        lambda la, ln: selectors.nearby(la, ln, limit=10, amenities=["hot_water"], open_now=True),
        points,
    )
    result["bbox_sql_first_step"] = bbox_sql(points)
    bf_points = points[:: max(1, len(points) // 100)]
    if connection.vendor == "postgresql":
        result["brute_force_sql"] = timed(brute_force_sql, bf_points)
    else:
        result["brute_force_python"] = timed(brute_force_python, bf_points)
    if connection.vendor == "postgresql" and not args.no_postgis:
        print("PostGIS …", flush=True)
        result["postgis"] = postgis(points)
    if result.get("postgis", {}).get("available"):
        knn = result["postgis"]["knn"]["median_ms"]
        result["nearby_over_postgis_knn"] = {
            "nearby_limit10": round(result["nearby_limit10"]["median_ms"] / knn, 2),
            "nearby_ranked_limit10": round(result["nearby_ranked_limit10"]["median_ms"] / knn, 2),
        }
    if args.wrk and connection.vendor == "postgresql":
        print("wrk …", flush=True)
        result["wrk"] = run_wrk(points, args.wrk_seconds)
    result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False, indent=2))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = (
        RESULTS_DIR
        / f"stations-{connection.vendor}-{args.stations}-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    )
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"saved {path}")
    return 1 if result["exact"]["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
