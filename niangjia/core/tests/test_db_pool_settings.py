"""The pool and prepared-statement settings read from the environment (issue #11 §5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _database_settings(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    environ.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, niangjia.settings as s; d = s.DATABASES['default'];"
            " print(json.dumps({'age': d['CONN_MAX_AGE'], 'options': d.get('OPTIONS', {})}))",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_pool_settings_come_from_the_environment():
    url = "postgres://u@db.example:5432/x"
    pooled = _database_settings(
        DATABASE_URL=url, DB_POOL_MAX="4", DB_POOL_MIN="9", DB_POOL_TIMEOUT="3"
    )
    assert pooled["age"] == 0
    assert pooled["options"]["pool"] == {"min_size": 4, "max_size": 4, "timeout": 3}
    assert pooled["options"]["prepare_threshold"] == 1_000_000_000
    unpooled = _database_settings(DATABASE_URL=url, DB_POOL_MAX="0", DB_CONN_MAX_AGE="60")
    assert unpooled["age"] == 60 and "pool" not in unpooled["options"]
    no_prepare = _database_settings(DATABASE_URL=url, PG_PREPARED_STATEMENTS="0")
    assert "prepare_threshold" not in no_prepare["options"] and no_prepare["options"]["pool"]
    sqlite = _database_settings(DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert "pool" not in sqlite["options"]
