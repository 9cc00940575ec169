"""The import's save paths: PostgreSQL COPY ("copy") and bulk_create ("bulk") store exactly the same
rows, counters and people, keep the double hand-out constraint, and report progress."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum

from niangjia.care import imports, services
from niangjia.care.models import (
    Beneficiary,
    Campaign,
    Distribution,
    ItemTally,
    Reach,
    ReachTally,
)
from niangjia.care.tests.conftest import give
from niangjia.care.tests.test_imports import ids
from niangjia.orgs.models import Person

pytestmark = pytest.mark.django_db


def methods():
    return ["copy", "bulk"] if connection.vendor == "postgresql" else ["bulk"]


def _records(care) -> list[tuple[int, dict[str, str]]]:
    """New people (some with two items, one listed under two employers' names), a known person
    served before, and a known person whose earlier hand-out was voided."""
    w = care.world
    out = []
    for i, id_ in enumerate(ids(12, seed=11)):
        out.append(
            {
                "name": f"工人{i}",
                "id_number": id_,
                "phone": f"1390000{i:04d}" if i % 3 else "",
                "category": "新就业形态劳动者" if i % 2 else "一线职工",
                "employer": "甲企业" if i % 4 else "",
                "platform": "美团" if i % 2 else "",
                "item": "慰问品礼包",
            }
        )
        if i % 5 == 0:
            out.append(
                {
                    "name": f"工人{i}",
                    "id_number": id_,
                    "category": "困难职工",
                    "item": "困难职工慰问金",
                    "amount": "500",
                }
            )
    out.append(  # already reached by this campaign (gift), now cash: updates Reach, not new
        {
            "name": "甲职工",
            "id_number": w.p_e1.id_number,
            "category": "困难职工",
            "employer": "甲企业",
            "item": "困难职工慰问金",
            "amount": "800",
            "note": "补发慰问金",
        }
    )
    out.append(  # reached before, hand-out voided (live 0): counted again
        {
            "name": w.p_worker.name,
            "id_number": w.p_worker.id_number,
            "category": "一线职工",
            "employer": "甲企业",
            "item": "慰问品礼包",
        }
    )
    return [(n, rec) for n, rec in enumerate(out, start=2)]


def _prepare(care):
    give(care)  # p_e1 receives the gift
    voided = give(care, beneficiary=care.b_worker)
    services.distribution_void(actor=care.officer, distribution=voided, reason="登记错误")
    rows, errors = imports.validate_rows(care.campaign, _records(care))
    assert not errors, errors
    return rows


def _snapshot(campaign) -> dict:
    """Every stored value except surrogate keys, timestamps and ciphertext (plaintext instead)."""
    hashes = dict(Person.objects.values_list("pk", "id_number_hash"))
    ben_key = {b.pk: (hashes[b.person_id], b.org_id) for b in Beneficiary.objects.all()}
    people = sorted(
        (
            p.id_number_hash,
            p.name,
            p.id_number,
            p.phone,
            p.phone_hash,
            p.gender,
            p.birth_date,
            p.org_id,
            p.employer_id,
            p.user_id,
        )
        for p in Person.objects.all()
    )
    skip = {"id", "created_at", "updated_at", "distributed_at", "receipt_confirmed_at", "first_at"}

    def rows(qs):
        out = []
        for r in qs.values():
            r = {k: v for k, v in r.items() if k not in skip}
            if "person_id" in r:
                r["person_id"] = hashes[r["person_id"]]
            if "beneficiary_id" in r:
                r["beneficiary_id"] = ben_key[r["beneficiary_id"]]
            out.append(tuple(sorted((k, str(v)) for k, v in r.items())))
        return sorted(out)

    campaign.refresh_from_db()
    return {
        "people": people,
        "beneficiaries": rows(Beneficiary.objects.all()),
        "distributions": rows(Distribution.objects.all()),
        "item_tallies": rows(ItemTally.objects.all()),
        "reach": rows(Reach.objects.all()),
        "reach_tallies": rows(ReachTally.objects.all()),
        "spent": campaign.spent_amount,
    }


def _save_and_snapshot(care, rows, method):
    with transaction.atomic():
        progress: list[tuple[int, int]] = []
        created = imports.save_rows(
            care.campaign,
            rows,
            actor=care.officer,
            method=method,
            progress=lambda d, t: progress.append((d, t)),
        )
        snap = _snapshot(care.campaign)
        transaction.set_rollback(True)
    return created, snap, progress


@pytest.mark.parametrize("method", ["copy", "bulk"])
def test_each_save_path_dedupes_people_and_keeps_counters_equal_to_a_scan(care, method):
    if method not in methods():
        pytest.skip("COPY needs PostgreSQL")
    rows = _prepare(care)
    people_before = Person.objects.count()
    created = imports.save_rows(care.campaign, rows, actor=care.officer, method=method)
    assert created == len(rows) == 17
    # 12 new people; the two known people were found by the blind index, not created again
    assert Person.objects.count() == people_before + 12
    assert Person.objects.filter(id_number_hash=care.world.p_e1.id_number_hash).count() == 1
    new = Person.objects.get(id_number_hash=rows[0].id_hash)
    assert new.id_number == rows[0].id_number and new.birth_date is not None
    assert new.phone == rows[0].phone and new.org_id == care.world.D1.pk  # no employer
    # counters equal a scan of the live hand-outs
    live = Distribution.objects.filter(campaign=care.campaign, voided_at__isnull=True)
    scan = {
        (r["org_id"], r["item_id"], r["category"]): (r["n"], r["q"], r["a"])
        for r in live.values("org_id", "item_id", "category").annotate(
            n=Count("id"), q=Sum("quantity"), a=Sum("amount")
        )
    }
    tallies = {
        (t.org_id, t.item_id, t.category): (t.times, t.quantity, t.amount)
        for t in ItemTally.objects.filter(campaign=care.campaign, times__gt=0)
    }
    assert tallies == scan
    reach = {r.person_id: r.live for r in Reach.objects.filter(campaign=care.campaign, live__gt=0)}
    per_person = dict(
        live.values("person_id").annotate(n=Count("id")).values_list("person_id", "n")
    )
    assert reach == per_person
    persons = sum(
        ReachTally.objects.filter(campaign=care.campaign).values_list("persons", flat=True)
    )
    assert persons == len(per_person) == 14
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == live.aggregate(s=Sum("amount"))["s"]


def test_copy_and_bulk_store_exactly_the_same_rows(care):
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    rows = _prepare(care)
    before = _snapshot(care.campaign)
    created_copy, copy_snap, _p = _save_and_snapshot(care, rows, "copy")
    assert _snapshot(care.campaign) == before  # rolled back
    created_bulk, bulk_snap, _p = _save_and_snapshot(care, rows, "bulk")
    assert created_copy == created_bulk == len(rows)
    assert copy_snap == bulk_snap
    assert copy_snap != before


@pytest.mark.parametrize("method", ["copy", "bulk"])
def test_a_hand_out_recorded_after_validation_fails_the_whole_import(care, method):
    if method not in methods():
        pytest.skip("COPY needs PostgreSQL")
    rows = _prepare(care)
    before = _snapshot(care.campaign)
    worker_row = next(r for r in rows if r.id_hash == care.world.p_worker.id_number_hash)
    assert worker_row.item == care.gift
    give(care, beneficiary=care.b_worker)  # someone hands it out meanwhile
    after_give = _snapshot(care.campaign)
    with pytest.raises(ValidationError) as exc:
        imports.save_rows(care.campaign, rows, actor=care.officer, method=method)
    assert "重复登记" in exc.value.messages[0]
    assert _snapshot(care.campaign) == after_give != before  # nothing of the import was saved


@pytest.mark.parametrize("method", ["copy", "bulk"])
def test_save_reports_progress_up_to_the_total(care, method):
    if method not in methods():
        pytest.skip("COPY needs PostgreSQL")
    rows = _prepare(care)
    _created, _snap, progress = _save_and_snapshot(care, rows, method)
    done = [d for d, _t in progress]
    assert done == sorted(done) and done[0] == 0
    assert progress[-1][0] == progress[-1][1] > 0


def test_copy_is_refused_outside_postgresql(care):
    if connection.vendor == "postgresql":
        pytest.skip("only meaningful elsewhere")
    rows = _prepare(care)
    with pytest.raises(ValueError, match="unsupported"):
        imports.save_rows(care.campaign, rows, actor=care.officer, method="copy")
    assert Campaign.objects.get(pk=care.campaign.pk).spent_amount == Decimal("300.00")
