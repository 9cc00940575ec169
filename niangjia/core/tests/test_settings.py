from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _import_settings(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import niangjia.settings"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_secret():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_encryption_key():
    result = _import_settings(DEBUG="0", SECRET_KEY="a-real-secret-for-this-test-0123456789")
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


GOOD_SECRET = "k9#Vq2!mZr7$Lw4@Xt8%Bn1^Hs6&Jd3*Pc5(Fg0)Ya-Ue=Oi+Ty"  # noqa: S105 - 50 chars
GOOD_FERNET = "u4yYjbW0pS6Yd3-9cO7w1pG6kO3uF3o0yQKk2m9b0Jc="


def test_production_starts_with_its_own_secrets():
    result = _import_settings(DEBUG="0", SECRET_KEY=GOOD_SECRET, FIELD_ENCRYPTION_KEY=GOOD_FERNET)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key",
    ["x", "a-real-secret-for-this-test-0123456789", "django-insecure-" + "a" * 50, "ab" * 30],
)
def test_production_refuses_a_short_or_known_secret_key(key):
    """#11 §4: with DEBUG off `SECRET_KEY=x` started; now fewer than 50 characters, a known
    development key or a key of a few repeated characters stops the start."""
    result = _import_settings(DEBUG="0", SECRET_KEY=key, FIELD_ENCRYPTION_KEY=GOOD_FERNET)
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def _setup_django(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environ.update(DJANGO_SETTINGS_MODULE="niangjia.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_console_sms_backend():
    """#11 §4: the development SMS backend prints phones and receipt codes; with DEBUG off the
    start stops until SMS_BACKEND names a real provider class."""
    production = {"DEBUG": "0", "SECRET_KEY": GOOD_SECRET, "FIELD_ENCRYPTION_KEY": GOOD_FERNET}
    result = _setup_django(**production)
    assert result.returncode != 0
    assert "SMS_BACKEND is niangjia.core.notify.ConsoleSMSBackend" in result.stderr
    result = _setup_django(**production, SMS_BACKEND="niangjia.nowhere.Backend")
    assert "cannot be imported" in result.stderr
    result = _setup_django(**production, SMS_BACKEND="niangjia.core.notify.DisabledSMSBackend")
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_is_a_clear_error():
    result = _import_settings(DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only"
)
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # the in-memory test database cannot use WAL; a file database must
    assert mode in {"wal", "memory"}
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5
