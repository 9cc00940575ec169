"""Database connections are bounded by the pool (issue #11 §5): a burst of concurrent requests
waits for a pooled connection instead of opening one per thread until PostgreSQL refuses."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24
REQUESTS = 15


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_concurrent_requests_never_hold_more_connections_than_the_pool():
    pool = settings.DATABASES["default"]["OPTIONS"].get("pool")
    assert pool, "PostgreSQL connections come from the pool by default"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    start = threading.Barrier(THREADS + 1)
    done = threading.Event()
    statuses: list[int] = []
    errors: list[str] = []

    def work():
        client = Client()
        try:
            start.wait()
            for _ in range(REQUESTS):
                statuses.append(client.get("/healthz").status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    start.wait()
    peak = 0
    while any(t.is_alive() for t in threads):
        peak = max(peak, _backends())
    for t in threads:
        t.join()
    done.set()
    assert errors == []
    assert statuses == [200] * (THREADS * REQUESTS)
    # the test's own connection is excluded; the pool may also hold it, so ≤ max_size
    assert peak <= pool["max_size"], f"{peak} connections for {THREADS} concurrent clients"


def test_pooled_connections_keep_the_prepared_statement_option():
    if not settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold"):
        pytest.skip("PG_PREPARED_STATEMENTS=0")
    connection.ensure_connection()
    assert connection.pool is not None
    assert connection.connection.prepare_threshold is not None
