"""Throughput of the public calculator endpoints under wrk, against a minimal Django JSON view
served by the same gunicorn in the same run (issue #4: each calculator at least half of it).

    .venv/bin/python -m bench.calculators              # 10 s per endpoint
    .venv/bin/python -m bench.calculators --seconds 20

The database is a SQLite file under bench/results/ (or DATABASE_URL), migrated first: the deadline
calculator reads the statutory calendar. Each endpoint gets a POST with a fixed, valid JSON body (the OpenAPI examples); the yardstick runs
before and after the calculators and their mean is the reference. DEBUG is off, the project's full
middleware is on, and only the throttle rate is raised so that wrk measures throughput, not
throttling. Results are printed and saved as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess  # noqa: S404 - the benchmark starts gunicorn and wrk
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PORT = "8766"

BODIES = {
    "economic-compensation": {
        "monthly_wage": "8000.00",
        "start_date": "2021-03-01",
        "end_date": "2024-09-30",
        "local_average_monthly_wage": "9000.00",
        "unlawful_termination": True,
    },
    "double-wage": {
        "monthly_wage": "6000.00",
        "start_date": "2024-01-10",
        "contract_signed_date": "2024-09-10",
    },
    "work-injury": {
        "disability_grade": 9,
        "monthly_wage": "6000.00",
        "regional_average_monthly_wage": "8000.00",
    },
    "overtime": {
        "monthly_wage": "6525.00",
        "workday_hours": "10",
        "rest_day_hours": "16",
        "holiday_hours": "8",
    },
    "annual-leave": {"monthly_wage": "6525.00", "cumulative_work_years": "12", "unused_days": 4},
    "unpaid-wage-surcharge": {"amount_owed": "20000.00"},
    "deadline": {"rule": "arbitration_limitation", "start": "2025-09-30"},
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.calculators")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--connections", type=int, default=8)
    return p.parse_args(argv)


def lua_for(body: dict) -> str:
    payload = json.dumps(body, ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
    return (
        'wrk.method = "POST"\n'
        f'wrk.body = "{payload}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )


def wrk_run(wrk: str, url: str, lua: Path, seconds: int, connections: int) -> dict:
    base = [wrk, "-t2", f"-c{connections}", "-s", str(lua)]
    subprocess.run([*base, "-d3s", url], capture_output=True, check=False)  # noqa: S603 - warm-up
    r = subprocess.run(  # noqa: S603 - fixed argv
        [*base, f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=False
    )
    lines = r.stdout.splitlines()
    rps = next((float(ln.split()[1]) for ln in lines if ln.startswith("Requests/sec")), 0.0)
    return {
        "requests_per_s": rps,
        "non_2xx": next((ln.strip() for ln in lines if "Non-2xx" in ln), ""),
        "latency": next((ln.strip() for ln in lines if ln.strip().startswith("Latency")), ""),
    }


def check_bodies(port: str) -> None:
    """Every body must be a 200 (a 400 would measure the error path)."""
    import urllib.request

    for slug, body in BODIES.items():
        req = urllib.request.Request(  # noqa: S310 - fixed local URL
            f"http://127.0.0.1:{port}/api/v1/calculators/{slug}/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            assert resp.status == 200, (slug, resp.status)


def main(argv=None) -> int:
    args = parse_args(argv)
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is not installed (apt-get install wrk)")
        return 1
    RESULTS_DIR.mkdir(exist_ok=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.calculators_settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0000000000000000000000",
        "SMS_BACKEND": "niangjia.core.notify.DisabledSMSBackend",
        "HTTPS": "0",  # wrk speaks plain HTTP to gunicorn: no redirect to https
        "FIELD_ENCRYPTION_KEY": "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA=",
        "THROTTLE_ANON": "100000000/minute",
        "THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        # the deadline calculator reads the statutory calendar: a migrated database of its own
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{RESULTS_DIR / 'calculators-bench.sqlite3'}"
        ),
    }
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "niangjia.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    result: dict = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "workers": 2,
        "connections": args.connections,
        "seconds": args.seconds,
        "loadavg_start": os.getloadavg(),
    }
    try:
        time.sleep(3)
        check_bodies(PORT)
        lua_dir = RESULTS_DIR / "calculators_lua"
        lua_dir.mkdir(exist_ok=True)
        runs: list[tuple[str, str, dict]] = [("json_view", "/bench/json/", {"a": 1, "b": "2"})]
        runs += [(slug, f"/api/v1/calculators/{slug}/", body) for slug, body in BODIES.items()]
        runs.append(("json_view_again", "/bench/json/", {"a": 1, "b": "2"}))
        for name, path, body in runs:
            lua = lua_dir / f"{name}.lua"
            lua.write_text(lua_for(body))
            url = f"http://127.0.0.1:{PORT}{path}"
            result[name] = wrk_run(wrk, url, lua, args.seconds, args.connections)
            print(f"{name:24} {result[name]['requests_per_s']:>9.1f} req/s")
    finally:
        server.terminate()
        server.wait(timeout=10)
    yardstick = statistics.fmean(
        [result["json_view"]["requests_per_s"], result["json_view_again"]["requests_per_s"]]
    )
    result["ratios"] = {
        slug: round(result[slug]["requests_per_s"] / yardstick, 3) for slug in BODIES
    }
    result["loadavg_end"] = os.getloadavg()
    print(json.dumps(result["ratios"], indent=2))
    out = RESULTS_DIR / f"calculators-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
