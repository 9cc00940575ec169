"""Claims computed inside a case with the statutory calculators: same validation as the public
endpoints, inputs and result kept, shown on the case page with the working."""

from __future__ import annotations

import datetime
from decimal import Decimal

from rest_framework.test import APIClient

from niangjia.rights.models import ClaimItem, TimelineEntry
from niangjia.rights.services import WorkerInput

INJURY = {
    "disability_grade": 9,
    "monthly_wage": "6000.00",
    "regional_average_monthly_wage": "8000.00",
}


def injury_case(make_case):
    return make_case(
        category="injury",
        facts="外卖骑手送餐途中摔伤，经鉴定为九级伤残，平台拒赔。",
        workers=[WorkerInput(name="王小骑", phone="13912340000")],
        claims=[],
        employer_name="某平台科技有限公司",
        employment_ended_on=datetime.date(2026, 6, 30),
    )


def compute_url(case):
    return f"/api/v1/cases/{case.pk}/claims/compute/"


def test_compute_without_saving_shows_the_result_and_articles(world, make_case, officer_api):
    case = injury_case(make_case)
    response = officer_api.post(
        compute_url(case), {"calculator": "work-injury", "inputs": INJURY}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["amount"] == "54000.00" and body["kind"] == "injury" and body["claim"] is None
    assert "工伤保险条例第三十七条" in body["legal_basis"]
    assert body["result"]["one_time_subsidy_months"] == 9
    assert not ClaimItem.objects.filter(case=case).exists()


def test_saving_keeps_inputs_and_result_on_the_claim(world, make_case, officer_api):
    case = injury_case(make_case)
    worker = case.workers.get()
    response = officer_api.post(
        compute_url(case),
        {"calculator": "work-injury", "inputs": INJURY, "save": True, "worker": worker.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    claim = ClaimItem.objects.get(pk=response.json()["claim"])
    assert claim.amount == Decimal("54000.00") and claim.worker == worker
    assert claim.calculator == "work-injury"
    assert claim.calculator_inputs["monthly_wage"] == "6000.00"
    assert claim.calculator_inputs["disability_grade"] == 9
    assert claim.calculator_result["one_time_disability_subsidy"] == "54000.00"
    entry = TimelineEntry.objects.filter(case=case, kind="note").last()
    assert "工伤待遇 54000.00 元" in entry.text and "王小骑" in entry.text
    # the case API shows the working with the claim
    detail = officer_api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["claims"][0]["calculator_result"]["legal_basis"]


def test_same_validation_as_the_public_endpoints(world, make_case, officer_api):
    case = injury_case(make_case)
    bad = dict(INJURY, disability_grade=11)
    ours = officer_api.post(
        compute_url(case), {"calculator": "work-injury", "inputs": bad}, format="json"
    )
    public = APIClient().post("/api/v1/calculators/work-injury/", bad, format="json")
    assert ours.status_code == public.status_code == 400
    assert ours.json()["detail"] == public.json()["detail"]
    assert "disability_grade（伤残等级）" in ours.json()["detail"]
    negative = officer_api.post(
        compute_url(case),
        {"calculator": "overtime", "inputs": {"monthly_wage": "-1"}, "save": True},
        format="json",
    )
    assert negative.status_code == 400 and "monthly_wage（月工资）" in negative.json()["detail"]
    unknown = officer_api.post(
        compute_url(case), {"calculator": "lottery", "inputs": {}}, format="json"
    )
    assert unknown.status_code == 400 and "未知的计算器" in unknown.json()["detail"]
    assert not ClaimItem.objects.filter(case=case).exists()


def test_unlawful_termination_is_claimed_as_damages(world, make_case, officer_api):
    case = make_case(category="termination", claims=[])
    response = officer_api.post(
        compute_url(case),
        {
            "calculator": "economic-compensation",
            "inputs": {"monthly_wage": "8000.00", "start_date": "2021-03-01",
                       "end_date": "2024-09-30", "unlawful_termination": True},
            "save": True,
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    claim = ClaimItem.objects.get(pk=response.json()["claim"])
    assert claim.kind == "damages" and claim.amount == Decimal("64000.00")


def test_scope_and_who_may_save(world, make_case):
    case = injury_case(make_case)
    outsider = APIClient()
    outsider.force_authenticate(world.users["outsider"])
    payload = {"calculator": "work-injury", "inputs": INJURY, "save": True}
    # no rights role at all: refused before any case is looked at
    assert outsider.post(compute_url(case), payload, format="json").status_code == 403
    # an officer of another district: the case does not exist for them
    root = world.users["superuser"]
    other = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    officer = APIClient()
    officer.force_authenticate(world.users["rights_officer"])
    assert officer.post(compute_url(other), payload, format="json").status_code == 404
    assert (
        officer.post(compute_url(other), {**payload, "save": False}, format="json").status_code
        == 404
    )
    court = APIClient()
    court.force_authenticate(world.users["agency_liaison"])
    assert court.post(compute_url(case), payload, format="json").status_code in {403, 404}
    assert not ClaimItem.objects.filter(case=case).exists()


def test_the_case_page_computes_prefills_and_saves(world, make_case, client):
    case = injury_case(make_case)
    client.force_login(world.users["rights_officer"])
    url = f"/staff/rights/{case.pk}/claims/compute/work-injury/"
    page = client.get(url).content.decode()
    # the grade named in the facts is prefilled
    assert 'value="9" selected' in page and "已按案件信息预填" in page
    shown = client.post(url, {**INJURY, "action": "compute"}).content.decode()
    assert 'id="compute-result"' in shown and "54,000.00" in shown
    assert "工伤保险条例第三十七条" in shown and "九级伤残为9个月的本人工资" in shown
    refused = client.post(url, {**INJURY, "monthly_wage": "abc", "action": "save"}).content.decode()
    assert "monthly_wage（月工资）" in refused and not ClaimItem.objects.exists()
    saved = client.post(url, {**INJURY, "action": "save"})
    assert saved.status_code == 302 and saved["Location"].endswith("#claims")
    detail = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert "计算依据" in detail and "工伤待遇计算" not in detail
    assert "月工资" in detail and "6000.00" in detail and "工伤保险条例第六十四条" in detail
    # a later calculator starts from what was typed before
    overtime = client.get(f"/staff/rights/{case.pk}/claims/compute/overtime/").content.decode()
    assert 'value="6000.00"' in overtime


def test_a_body_that_is_not_an_object_is_refused_without_a_field_name(
    world, make_case, officer_api
):
    case = injury_case(make_case)
    response = officer_api.post(compute_url(case), ["work-injury"], format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "期待为字典类型" in detail and "non_field_errors" not in detail


def test_a_result_too_large_for_a_claim_is_refused_not_stored(
    world, make_case, officer_api, client
):
    case = injury_case(make_case)
    huge = {"monthly_wage": "999999999999.99", "holiday_hours": "999999.99"}
    response = officer_api.post(
        compute_url(case), {"calculator": "overtime", "inputs": huge, "save": True}, format="json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "金额过大"
    client.force_login(world.users["rights_officer"])
    page = client.post(
        f"/staff/rights/{case.pk}/claims/compute/overtime/", {**huge, "action": "save"}
    )
    assert page.status_code == 200 and "金额过大" in page.content.decode()
    assert not ClaimItem.objects.filter(case=case).exists()


def test_the_case_page_refuses_a_worker_not_on_the_case(world, make_case, client):
    case = injury_case(make_case)
    other = make_case(employer_name="另一家公司").workers.first()
    client.force_login(world.users["rights_officer"])
    url = f"/staff/rights/{case.pk}/claims/compute/work-injury/"
    for worker in (str(other.pk), "abc"):
        page = client.post(url, {**INJURY, "worker": worker, "action": "save"})
        assert page.status_code == 200 and 'id="id_worker"' in page.content.decode()
        assert page.context["worker_form"].errors["worker"]
    assert not ClaimItem.objects.filter(case=case).exists()


def test_the_arbitration_application_shows_the_working_of_a_computed_claim(
    world, make_case, officer_api
):
    from niangjia.rights import documents

    case = make_case(
        category="termination",
        claims=[],
        workers=[WorkerInput(name="张建军", id_number="11010519491231002X", phone="13912345678")],
    )
    inputs = {"monthly_wage": "8000.00", "start_date": "2021-03-01", "end_date": "2024-09-30",
              "unlawful_termination": True}  # fmt: skip
    saved = officer_api.post(
        compute_url(case),
        {"calculator": "economic-compensation", "inputs": inputs, "save": True},
        format="json",
    )
    assert saved.status_code == 201, saved.json()
    text = documents.layout(case, "arbitration_application").text()
    working = next(line for line in text.splitlines() if line.startswith("赔偿金按"))
    assert "月工资8000.00，入职日期2021-03-01，离职日期2024-09-30，是否违法解除是" in working
    assert "依据《劳动合同法第" in working and working.endswith("计64,000.00元。")
    assert "当地月最低工资标准" not in working  # left empty: not shown


def test_the_working_lists_the_inputs_in_the_form_s_order_whatever_the_json_order():
    from niangjia.rights import documents

    # as PostgreSQL's jsonb hands them back: shorter keys first
    stored = {"end_date": "2024-09-30", "start_date": "2021-03-01", "monthly_wage": "8000.00",
              "unlawful_termination": True, "local_minimum_monthly_wage": None}  # fmt: skip
    rows = documents.input_rows(stored, "economic-compensation")
    assert rows == [("月工资", "8000.00"), ("入职日期", "2021-03-01"),
                    ("离职日期", "2024-09-30"), ("是否违法解除", "是")]  # fmt: skip
    assert documents.input_rows({"x": "1", "monthly_wage": "5"}) == [("x", "1"), ("月工资", "5")]


def test_one_table_maps_a_case_category_to_its_usual_claim():
    """The public complaint, the hotline and the intake assistant all take one amount and need a
    claim kind for it; they read this one table (they had four copies that disagreed)."""
    from niangjia.rights.models import ClaimItem

    kind = ClaimItem.kind_for_category
    assert kind("wages") == "wages"
    assert kind("unknown") == "other"
    assert kind("termination") == kind("compensation") == "economic_compensation"
    assert kind("injury") == "injury"
    assert kind("relationship") == kind("other") == "other"
