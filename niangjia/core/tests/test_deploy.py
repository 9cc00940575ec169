"""#11 §4: production start-up guards and response headers (DEBUG=0)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from niangjia.settings import tile_origin

ROOT = Path(settings.BASE_DIR)
GOOD_SECRET = "k9#Vq2!mZr7$Lw4@Xt8%Bn1^Hs6&Jd3*Pc5(Fg0)Ya-Ue=Oi+Ty"  # noqa: S105 - test only
KEY_A = "u4yYjbW0pS6Yd3-9cO7w1pG6kO3uF3o0yQKk2m9b0Jc="
KEY_B = "Zm9yLXRlc3RzLW9ubHktYW5vdGhlci1rZXktMDAwMDA="


def _manage(*args, **env) -> subprocess.CompletedProcess:
    # the browser journeys' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this process when the
    # whole suite runs; a production start never has it (check --deploy refuses it: async.E001)
    unset = {"SECRET_KEY", "DEBUG", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "HTTPS"}
    unset.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_check_deploy_is_clean_with_a_production_env(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_SECRET,
        FIELD_ENCRYPTION_KEY=KEY_A,
        SMS_BACKEND="niangjia.core.notify.DisabledSMSBackend",
        ALLOWED_HOSTS="niangjia.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_wrong_field_encryption_key_stops_the_start(tmp_path):
    """A database migrated with key A refuses to start with key B (before, every lookup by ID
    number or phone silently said "not found"); B,A (a rotation keeping A) starts."""
    database = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    migrated = _manage("migrate", "--no-input", FIELD_ENCRYPTION_KEY=KEY_A, DATABASE_URL=database)
    assert migrated.returncode == 0, migrated.stderr
    wrong = _manage("check", FIELD_ENCRYPTION_KEY=KEY_B, DATABASE_URL=database)
    assert wrong.returncode != 0
    assert "FIELD_ENCRYPTION_KEY cannot decrypt the key check value" in wrong.stderr
    wsgi = subprocess.run(
        [sys.executable, "-c", "import niangjia.wsgi"],
        env={**os.environ, "FIELD_ENCRYPTION_KEY": KEY_B, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert wsgi.returncode != 0 and "FIELD_ENCRYPTION_KEY cannot decrypt" in wsgi.stderr
    rotated = _manage("check", FIELD_ENCRYPTION_KEY=f"{KEY_B},{KEY_A}", DATABASE_URL=database)
    assert rotated.returncode == 0, rotated.stderr


def test_security_headers_forbid_inline_scripts_and_allow_geolocation_for_the_site(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["Permissions-Policy"].startswith("geolocation=(self)")
    assert response["Referrer-Policy"] == "same-origin"


def test_the_tile_server_origin_is_allowed_for_images():
    assert tile_origin("https://tiles.example/{z}/{x}/{y}.png") == "https://tiles.example"
    assert tile_origin("https://{s}.tile.osm.example/{z}/{x}/{y}.png") == (
        "https://*.tile.osm.example"
    )
    assert tile_origin("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png") == "http://10.0.0.5:8080"
    assert tile_origin("") is None


def test_templates_have_no_inline_script_or_event_handler():
    """CSP without 'unsafe-inline': every script is a static file, no on*= attributes."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    offenders = []
    for folder in [ROOT / "templates", ROOT / "niangjia"]:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if inline_script.search(text) or handler.search(text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
