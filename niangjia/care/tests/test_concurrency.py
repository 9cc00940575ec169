"""Concurrent duplicate hand-outs on PostgreSQL: exactly one row is saved."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from niangjia.care.exceptions import DuplicateDistribution
from niangjia.care.models import Campaign, Distribution, ItemTally, Reach
from niangjia.care.tests.conftest import give

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def _fire(care, n: int, **kwargs) -> tuple[list, list]:
    barrier = threading.Barrier(n)
    saved, refused, other = [], [], []

    def work():
        try:
            barrier.wait()
            saved.append(give(care, **kwargs).pk)
        except DuplicateDistribution as exc:
            refused.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            other.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert other == []
    return saved, refused


def test_eight_concurrent_duplicates_save_exactly_one(care):
    saved, refused = _fire(care, 8)
    assert len(saved) == 1 and len(refused) == 7
    assert Distribution.objects.filter(campaign=care.campaign).count() == 1
    campaign = Campaign.objects.get(pk=care.campaign.pk)
    assert campaign.spent_amount == 300
    assert ItemTally.objects.get(campaign=campaign).times == 1
    assert Reach.objects.get(campaign=campaign).live == 1


def test_concurrent_different_people_all_save_and_tallies_add_up(care):
    barrier = threading.Barrier(2)
    errors = []

    def work(b):
        try:
            barrier.wait()
            give(care, beneficiary=b)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(b,)) for b in (care.b1, care.b_worker)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Campaign.objects.get(pk=care.campaign.pk).spent_amount == 600
    assert sum(t.times for t in ItemTally.objects.filter(campaign=care.campaign)) == 2
