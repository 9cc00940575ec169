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


def test_production_starts_with_its_own_secrets():
    result = _import_settings(
        DEBUG="0",
        SECRET_KEY="a-real-secret-for-this-test-0123456789",
        FIELD_ENCRYPTION_KEY="u4yYjbW0pS6Yd3-9cO7w1pG6kO3uF3o0yQKk2m9b0Jc=",
    )
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
