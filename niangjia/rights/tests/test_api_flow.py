from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from niangjia.core.models import AccessLog
from niangjia.rights.models import Case, Deadline, TimelineEntry


def _post(client, url, data):
    return client.post(url, data, format="json")


def test_a_case_goes_from_complaint_to_closed_with_the_court(world, officer_api):
    # given a complaint registered through the API
    created = _post(
        officer_api,
        "/api/v1/cases/",
        {
            "org": world.D1.pk, "source": "hotline", "category": "wages",
            "employer_name": "宁夏某建筑劳务有限公司", "facts": "拖欠工资三个月",
            "employment_ended_on": "2026-06-30", "received_on": "2026-07-02",
            "workers": [{"name": "张建军", "phone": "13912345678", "id_number": "11010519491231002X"}],
            "claims": [{"kind": "wages", "amount": "140000.00", "worker_index": 0}],
        },
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    case_id = body["id"]
    assert body["number"] == "甲区维〔2026〕0001号"
    assert body["workers"][0]["phone_masked"] == "139****5678"
    assert body["amount_claimed"] == "140000.00"
    url = f"/api/v1/cases/{case_id}/"

    # when the officer accepts, mediates and shares the case with the court
    assert (
        _post(
            officer_api, url + "transitions/", {"action": "accept", "on": "2026-07-03"}
        ).status_code
        == 200
    )
    assert (
        _post(
            officer_api, url + "transitions/", {"action": "mediate", "on": "2026-07-03"}
        ).status_code
        == 200
    )
    share = _post(officer_api, url + "shares/", {"agency": world.AG1.pk, "access": "act"})
    assert share.status_code == 201, share.json()

    # then the court's liaison sees this case and records judicial confirmation after the agreement
    court = APIClient()
    court.force_authenticate(world.users["agency_liaison"])
    assert [c["id"] for c in court.get("/api/v1/cases/").json()["results"]] == [case_id]
    early = _post(court, url + "acts/", {"kind": "judicial_confirmation", "on": "2026-07-10"})
    assert early.status_code == 400
    assert "调解协议" in str(early.json())
    agreement = _post(
        officer_api, url + "agreement/",
        {"terms": "分两期支付", "amount": "140000.00", "signed_on": "2026-07-10",
         "payment_due_on": "2026-07-17"},
    )  # fmt: skip
    assert agreement.status_code == 200, agreement.json()
    confirmed = _post(court, url + "acts/", {"kind": "judicial_confirmation", "on": "2026-07-12"})
    assert confirmed.status_code == 201, confirmed.json()
    # a court may not change stages
    assert (
        _post(court, url + "transitions/", {"action": "close", "outcome": "mediated"}).status_code
        == 403
    )

    # and the officer records the money and closes
    recovery = _post(
        officer_api, url + "recoveries/",
        {"amount": "140000.00", "on": "2026-07-16", "payer": "宁夏某建筑劳务有限公司", "kind": "wages"},
    )  # fmt: skip
    assert recovery.status_code == 201, recovery.json()
    closed = _post(
        officer_api,
        url + "transitions/",
        {"action": "close", "outcome": "mediated", "on": "2026-07-17"},
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["stage"] == "closed"
    assert closed.json()["amount_recovered"] == "140000.00"

    # the worker's lookup shows closed with the amount
    lookup = APIClient().post(
        "/api/v1/cases/lookup/", {"number": body["number"], "phone": "13912345678"}
    )
    assert lookup.status_code == 200
    assert lookup.json()["stage_display"] == "已结案"
    assert lookup.json()["amount_recovered"] == "140000.00"
    # both sides' acts are on the one timeline
    kinds = list(TimelineEntry.objects.filter(case_id=case_id).values_list("kind", flat=True))
    assert "share" in kinds
    assert "agency_act" in kinds
    assert all(d.status != "open" for d in Deadline.objects.filter(case_id=case_id))


def test_an_impossible_transition_is_a_400_naming_the_guard(officer_api, make_case):
    case = make_case()
    response = _post(
        officer_api,
        f"/api/v1/cases/{case.pk}/transitions/",
        {"action": "close", "outcome": "mediated"},
    )
    assert response.status_code == 400
    assert "不能" in str(response.json())
    case.refresh_from_db()
    assert case.stage == Case.Stage.INTAKE


def test_rejecting_needs_a_reason(officer_api, make_case):
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/transitions/"
    assert "理由" in str(_post(officer_api, url, {"action": "reject"}).json())
    ok = _post(officer_api, url, {"action": "reject", "reason": "不属于劳动争议"})
    assert ok.json()["outcome"] == "not_accepted"


def test_closing_as_mediated_needs_the_agreement(officer_api, make_case):
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/transitions/"
    _post(officer_api, url, {"action": "accept"})
    _post(officer_api, url, {"action": "mediate"})
    response = _post(officer_api, url, {"action": "close", "outcome": "mediated"})
    assert response.status_code == 400
    assert "调解协议" in str(response.json())


def test_a_wrong_lookup_pair_says_nothing_about_the_number(make_case, client):
    case = make_case()
    wrong_phone = client.post(
        "/api/v1/cases/lookup/", {"number": case.number, "phone": "13800000000"}
    )
    no_number = client.post("/api/v1/cases/lookup/", {"number": "不存在", "phone": "13912345678"})
    assert wrong_phone.status_code == no_number.status_code == 404
    assert wrong_phone.json() == no_number.json()


def test_the_same_complaint_twice_within_minutes_is_one_case(make_case):
    first = make_case()
    second = make_case()
    assert first.pk == second.pk
    assert Case.objects.count() == 1


def test_out_of_scope_cases_are_404_and_agencies_see_only_shared(world, make_case):
    other = make_case(org=world.D3, actor=None, employer_name="别处企业")
    mine = make_case(employer_name="本区企业")
    client = APIClient()
    client.force_authenticate(world.users["rights_officer"])
    assert client.get(f"/api/v1/cases/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{mine.pk}/").status_code == 200
    assert AccessLog.objects.filter(target_id=str(mine.pk)).count() == 1
    court = APIClient()
    court.force_authenticate(world.users["agency_liaison"])
    assert court.get("/api/v1/cases/").json()["results"] == []
    assert court.get(f"/api/v1/cases/{mine.pk}/").status_code == 404


def test_a_recovery_over_the_claim_needs_a_reason(world, officer_api, make_case):
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/recoveries/"
    data = {"amount": "100000.01", "on": "2026-07-20", "payer": "公司", "kind": "wages"}
    refused = _post(officer_api, url, data)
    assert refused.status_code == 400
    assert "超过" in str(refused.json())
    assert case.recoveries.count() == 0
    ok = _post(officer_api, url, {**data, "over_claim_reason": "含利息"})
    assert ok.status_code == 201
    # split evenly between the two workers, the odd fen to the last
    assert sorted(s["amount"] for s in ok.json()["shares"]) == ["50000.00", "50000.01"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_on", "2999-01-01", "日期不能晚于今天"),
        ("claims", [{"kind": "wages", "amount": "-5"}], "大于或者等于 0"),
    ],
)
def test_bad_case_input_is_refused_and_nothing_saved(world, officer_api, field, value, message):
    data = {
        "org": world.D1.pk, "source": "walk_in", "category": "wages", "employer_name": "某公司",
        "facts": "欠薪", "workers": [{"name": "王五", "phone": "13900001111"}],
    }  # fmt: skip
    data[field] = value
    response = _post(officer_api, "/api/v1/cases/", data)
    assert response.status_code == 400
    assert message in str(response.json())
    assert Case.objects.count() == 0


def test_limitation_deadline_opens_at_intake(make_case):
    case = make_case()
    deadline = case.deadlines.get()
    assert deadline.rule == "arbitration_limitation_wage_arrears"
    assert deadline.due == datetime.date(2027, 6, 30)


def test_reminders_go_once_a_day_for_due_and_overdue_deadlines(make_case, world):
    from django.core.management import call_command

    from niangjia.rights import services

    case = make_case(
        employment_ended_on=datetime.date(2025, 11, 30), officer=world.users["rights_officer"]
    )
    assert services.deadline_reminders(on=datetime.date(2026, 11, 29)) == 1
    assert services.deadline_reminders(on=datetime.date(2026, 11, 29)) == 0
    call_command("send_deadline_reminders")
    assert case.timeline.filter(text__contains="已发送期限提醒").count() >= 1


def test_a_court_entrusts_a_mediation_and_acts_on_it(world):
    client = APIClient()
    client.force_authenticate(world.users["agency_liaison"])
    response = _post(
        client, "/api/v1/cases/",
        {"org": world.D1.pk, "source": "court_entrusted", "category": "wages",
         "employer_name": "某公司", "facts": "法院委派调解", "workers": [{"name": "孙七", "phone": "13700001111"}]},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["shares"][0]["kind"] == "entrusted"
    # but not to a union it does not work beside, nor as an ordinary case
    far = _post(client, "/api/v1/cases/", {"org": world.D3.pk, "source": "court_entrusted",
        "category": "wages", "employer_name": "x", "facts": "x", "workers": [{"name": "x"}]})  # fmt: skip
    assert far.status_code == 404
    plain = _post(client, "/api/v1/cases/", {"org": world.D1.pk, "source": "walk_in",
        "category": "wages", "employer_name": "x", "facts": "x", "workers": [{"name": "x"}]})  # fmt: skip
    assert plain.status_code == 404


def test_case_lookup_never_takes_the_phone_from_the_url(make_case, client):
    """#11 §4: phones never travel in URLs; the lookup is a POST, page and API."""
    case = make_case()
    query = {"number": case.number, "phone": "13912345678"}
    assert client.get("/api/v1/cases/lookup/", query).status_code == 405
    page = client.get("/rights/lookup/", query).content.decode()
    assert 'id="lookup-result"' not in page
    assert case.number in page  # a link may fill in the number alone
    assert 'id="lookup-result"' in client.post("/rights/lookup/", query).content.decode()
