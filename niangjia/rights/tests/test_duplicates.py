"""Duplicate complaints (#11 §3): the rule works within one union, shows no other union's
number, never answers 500, and identical submissions at once make one case."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from niangjia.orgs.models import StaffRole
from niangjia.rights import services
from niangjia.rights.models import Case, CaseShare, CaseWorker, TimelineEntry
from niangjia.rights.services import WorkerInput

EMPLOYER = "石嘴山某劳务有限公司"
PHONE = "13912340001"


def _complaint(org, **extra) -> dict:
    return {
        "name": "张建军",
        "phone": PHONE,
        "id_number": "",
        "org": str(org.pk),
        "employer_name": EMPLOYER,
        "category": "wages",
        "workers_count": "1",
        "amount": "8000",
        "facts": "拖欠两个月工资",
        "consent": "on",
        **extra,
    }


def _number(html: str) -> str:
    return re.search(r'id="case-number">([^<]+)<', html).group(1)


@pytest.fixture
def two_unions(world):
    """乙区 (D2) gets a rights officer too, so the public form offers both districts."""
    officer = get_user_model().objects.create_user("d2_rights", password="pw")
    StaffRole.objects.create(user=officer, org=world.D2, role=StaffRole.Role.RIGHTS_OFFICER)
    return officer


def _api_case(org, **extra) -> dict:
    return {
        "org": org.pk,
        "source": "walk_in",
        "category": "wages",
        "employer_name": EMPLOYER,
        "facts": "拖欠工资",
        "workers": [{"name": "张建军", "phone": PHONE}],
        **extra,
    }


# --- within one union ----------------------------------------------------------------------------


def test_duplicate_complaint_to_a_second_union_is_never_dropped(client, world, two_unions):
    first = client.post("/rights/complaint/", _complaint(world.D1))
    second = client.post("/rights/complaint/", _complaint(world.D2))
    d1, d2 = _number(first.content.decode()), _number(second.content.decode())
    assert d1 != d2
    assert d2.startswith("乙区") and d1 not in second.content.decode()
    assert Case.objects.filter(org=world.D1).count() == 1
    assert Case.objects.filter(org=world.D2).count() == 1
    # and within one union the rule still holds
    again = client.post("/rights/complaint/", _complaint(world.D2))
    assert _number(again.content.decode()) == d2
    assert Case.objects.count() == 2


def test_duplicate_rule_in_the_service_is_per_union(world):
    worker = [WorkerInput(name="张建军", phone=PHONE)]
    base = {"actor": None, "source": "online", "category": "wages", "facts": "拖欠工资"}
    base["consent_version"] = "test"
    base["employer_name"] = EMPLOYER
    first, created = services.case_create(org=world.D1, workers=worker, **base)
    assert created
    second, created = services.case_create(org=world.D2, workers=worker, **base)
    assert created and second.pk != first.pk and second.org == world.D2


def test_duplicate_case_api_does_not_500_on_another_unions_case(world, officer_api):
    """It did: the duplicate found was 乙区's case, which the 甲区 officer may not read."""
    root = APIClient()
    root.force_authenticate(world.users["superuser"])
    assert root.post("/api/v1/cases/", _api_case(world.D2), format="json").status_code == 201
    other = Case.objects.get()
    response = officer_api.post("/api/v1/cases/", _api_case(world.D1), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("甲区") and other.number not in response.content.decode()
    assert Case.objects.filter(org=world.D1).count() == 1


def test_duplicate_case_api_answers_409_when_the_union_case_is_not_the_callers(world, make_case):
    """A court entrusting what the union registered itself: a clear refusal, no number, no 500."""
    make_case(workers=[WorkerInput(name="张建军", phone=PHONE)], employer_name=EMPLOYER, claims=[])
    existing = Case.objects.get()
    before = (Case.objects.count(), CaseShare.objects.count(), TimelineEntry.objects.count())
    court = APIClient()
    court.force_authenticate(world.users["agency_liaison"])
    response = court.post(
        "/api/v1/cases/", _api_case(world.D1, source="court_entrusted"), format="json"
    )
    assert response.status_code == 409
    assert "已由甲区总工会登记" in response.json()["detail"]
    assert existing.number not in response.content.decode()
    assert (
        Case.objects.count(),
        CaseShare.objects.count(),
        TimelineEntry.objects.count(),
    ) == before


# --- idempotency keys ----------------------------------------------------------------------------


def test_public_complaint_form_carries_an_idempotency_key(client, world):
    html = client.get("/rights/complaint/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert key is not None
    other = client.get("/rights/complaint/").content.decode()
    assert key.group(1) not in other  # one key per form issued


def test_same_idempotency_key_is_one_case_even_after_the_duplicate_window(
    client, world, monkeypatch
):
    monkeypatch.setattr(services, "DUPLICATE_WINDOW", datetime.timedelta(0))
    data = _complaint(world.D1, idempotency_key="k-1234")
    first = _number(client.post("/rights/complaint/", data).content.decode())
    second = _number(client.post("/rights/complaint/", data).content.decode())
    assert first == second
    assert Case.objects.count() == 1 and CaseWorker.objects.count() == 1
    # the key alone returns nothing: other content under the same key is another complaint
    changed = dict(data, facts="另一件事：拖欠加班费")
    third = _number(client.post("/rights/complaint/", changed).content.decode())
    assert third != first and Case.objects.count() == 2


def test_api_accepts_an_idempotency_key_header_or_field(world, officer_api, monkeypatch):
    monkeypatch.setattr(services, "DUPLICATE_WINDOW", datetime.timedelta(0))
    body = _api_case(world.D1)
    first = officer_api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = officer_api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    field = dict(body, idempotency_key="xyz")
    third = officer_api.post("/api/v1/cases/", field, format="json")
    fourth = officer_api.post("/api/v1/cases/", field, format="json")
    assert (third.status_code, fourth.status_code) == (201, 200)
    assert third.json()["number"] == fourth.json()["number"] != first.json()["number"]
    assert Case.objects.count() == 2
    bad = officer_api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert bad.status_code == 400 and Case.objects.count() == 2


def test_staff_case_form_sent_twice_is_one_case(client, world, monkeypatch):
    monkeypatch.setattr(services, "DUPLICATE_WINDOW", datetime.timedelta(0))
    client.force_login(world.users["rights_officer"])
    form = client.get("/staff/rights/new/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form).group(1)
    data = {
        "source": "walk_in", "category": "wages", "employer_name": EMPLOYER,
        "workers": f"张建军 {PHONE}", "employment_form": "standard", "claim_kind": "wages",
        "claim_amount": "1000", "facts": "拖欠工资", "idempotency_key": key,
    }  # fmt: skip
    first = client.post("/staff/rights/new/", data)
    second = client.post("/staff/rights/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


# --- at once (PostgreSQL) ------------------------------------------------------------------------


def _fire(n: int, post) -> tuple[list, list]:
    barrier = threading.Barrier(n)
    answers, errors = [], []

    def work(i):
        try:
            barrier.wait()
            answers.append(post(i))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", ["form-key-1", ""], ids=["with-key", "without-key"])
def test_twenty_concurrent_identical_complaints_make_one_case(world, key):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    data = _complaint(world.D1, idempotency_key=key)

    def post(i):
        # each its own address: the per-address complaint limit is not what is tested here
        response = Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post("/rights/complaint/", data)
        assert response.status_code == 200
        return _number(response.content.decode())

    numbers, errors = _fire(20, post)
    assert errors == []
    assert len(numbers) == 20 and len(set(numbers)) == 1
    assert Case.objects.count() == 1
    assert CaseWorker.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_complaints_to_two_unions_make_one_case_each(world, two_unions):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")

    def post(i):
        org = world.D1 if i % 2 else world.D2
        response = Client(REMOTE_ADDR=f"10.0.1.{i + 1}").post("/rights/complaint/", _complaint(org))
        return _number(response.content.decode())

    numbers, errors = _fire(10, post)
    assert errors == []
    assert len(set(numbers)) == 2
    assert Case.objects.filter(org=world.D1).count() == 1
    assert Case.objects.filter(org=world.D2).count() == 1


def test_case_api_claim_for_a_worker_not_on_the_case_is_a_400_not_a_500(world, officer_api):
    body = _api_case(world.D1, claims=[{"kind": "wages", "amount": "100", "worker_index": 3}])
    response = officer_api.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "第4名职工不存在" in response.content.decode()
    assert not Case.objects.exists()
