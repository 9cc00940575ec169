"""The zero-setup SQLite default must not fail under concurrent writers ("database is locked")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import threading, django
django.setup()
from django.db import connection, transaction
from django.contrib.auth import get_user_model
User = get_user_model()
errors = []
def work(n):
    try:
        for i in range(40):
            with transaction.atomic():
                # read then write in one transaction: the pattern that deadlocks on lock upgrade
                User.objects.filter(username__startswith="t").count()
                User.objects.create(username=f"t{n}-{i}")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print("errors", len(errors), errors[:1])
print("rows", User.objects.count())
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    print("mode", c.fetchone()[0])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="posix paths")
def test_eight_concurrent_writers_on_the_sqlite_file_all_succeed(tmp_path: Path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    root = Path(__file__).resolve().parents[3]
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=root, env=env, check=True
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "errors 0" in result.stdout, result.stdout
    assert "rows 320" in result.stdout
    assert "mode wal" in result.stdout
