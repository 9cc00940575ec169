"""The public calculator endpoints (/api/v1/calculators/…) and the H5 calculator and help pages:
exact JSON for the worked examples, a Chinese 400 naming the field for every kind of bad input,
public access for anyone (the outsider too) without CSRF, and the server-side form."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from niangjia.core import nav
from niangjia.rights import calculator_api

API = "/api/v1/calculators/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the anonymous throttle counts requests in the default cache
    yield
    cache.clear()


def post(client, slug, body):
    return client.post(f"{API}{slug}/", body, content_type="application/json")


# -- exact JSON for the worked examples ------------------------------------------------------------


def test_c1_economic_compensation_exact_json(client):
    response = post(client, "economic-compensation", {
        "monthly_wage": "8000.00", "start_date": "2021-03-01", "end_date": "2024-09-30",
        "local_average_monthly_wage": "9000.00", "local_minimum_monthly_wage": "2490.00",
        "unlawful_termination": False,
    })  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {
        "compensation_months": "4",
        "wage_base": "8000.00",
        "capped": False,
        "multiplier": 1,
        "amount": "32000.00",
        "legal_basis": ["劳动合同法第四十七条"],
        "counted_from": "2021-03-01",
        "service_years": 3,
        "service_months": 7,
        "service_days": 0,
        "months_before_limit": "4",
        "floored": False,
        "pre_2008_service": False,
        "notes": [],
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"monthly_wage": "8000", "start_date": "2021-06-01", "end_date": "2024-08-31"},  # C2
         {"compensation_months": "3.5", "amount": "28000.00"}),
        ({"monthly_wage": "6000", "start_date": "2024-01-01", "end_date": "2024-05-31"},  # C3
         {"compensation_months": "0.5", "amount": "3000.00"}),
        ({"monthly_wage": "45000", "start_date": "2009-07-01", "end_date": "2024-08-31",
          "local_average_monthly_wage": "10000"},  # C4
         {"compensation_months": "12", "months_before_limit": "15.5", "wage_base": "30000.00",
          "capped": True, "amount": "360000.00"}),
        ({"monthly_wage": "20000", "start_date": "2009-07-01", "end_date": "2024-08-31",
          "local_average_monthly_wage": "10000"},  # C5
         {"compensation_months": "15.5", "capped": False, "amount": "310000.00"}),
        ({"monthly_wage": "1900", "start_date": "2022-01-01", "end_date": "2023-12-31",
          "local_minimum_monthly_wage": "2490"},  # C6
         {"wage_base": "2490.00", "floored": True, "amount": "4980.00",
          "legal_basis": ["劳动合同法第四十七条", "劳动合同法实施条例第二十七条"]}),
        ({"monthly_wage": "8000", "start_date": "2021-03-01", "end_date": "2024-09-30",
          "local_average_monthly_wage": "9000", "unlawful_termination": True},  # C1′
         {"multiplier": 2, "amount": "64000.00",
          "legal_basis": ["劳动合同法第四十七条", "劳动合同法第八十七条", "劳动合同法第四十八条",
                          "劳动合同法实施条例第二十五条"]}),
        ({"monthly_wage": "45000", "start_date": "2009-07-01", "end_date": "2024-08-31",
          "local_average_monthly_wage": "10000", "unlawful_termination": True},  # C4′
         {"multiplier": 2, "capped": True, "amount": "720000.00"}),
        ({"monthly_wage": "5000", "start_date": "2005-03-01", "end_date": "2012-08-31"},  # pre-2008
         {"pre_2008_service": True, "counted_from": "2008-01-01", "amount": "25000.00"}),
    ],
)  # fmt: skip
def test_economic_compensation_worked_examples(client, body, expected):
    response = post(client, "economic-compensation", body)
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in expected} == expected


def test_d1_d2_double_wage_exact_json(client):
    d1 = post(client, "double-wage", {"monthly_wage": "6000.00", "start_date": "2024-01-10",
                                      "contract_signed_date": "2024-09-10"}).json()  # fmt: skip
    assert {k: d1[k] for k in ("months", "amount", "deemed_open_ended", "legal_basis")} == {
        "months": "7",
        "amount": "42000.00",
        "deemed_open_ended": False,
        "legal_basis": ["劳动合同法第八十二条", "劳动合同法实施条例第六条"],
    }
    d2 = post(client, "double-wage", {"monthly_wage": "6000.00", "start_date": "2024-01-10",
                                      "end_date": "2025-05-31"}).json()  # fmt: skip
    assert d2 == {
        "months": "11",
        "amount": "66000.00",
        "deemed_open_ended": True,
        "legal_basis": ["劳动合同法第八十二条", "劳动合同法实施条例第七条", "劳动合同法第十四条"],
        "period_start": "2024-02-10",
        "period_end": "2025-01-09",
        "whole_months": 11,
        "extra_days": 0,
        "open_ended_from": "2025-01-10",
        "notes": d2["notes"],
    }


def test_w1_work_injury_exact_json(client):
    response = post(client, "work-injury", {"disability_grade": 9, "monthly_wage": "6000.00",
                                            "regional_average_monthly_wage": "8000.00"})  # fmt: skip
    assert response.json() == {
        "wage_base": "6000.00",
        "wage_adjusted": None,
        "disability_grade": 9,
        "one_time_subsidy_months": 9,
        "one_time_disability_subsidy": "54000.00",
        "monthly_disability_allowance": None,
        "allowance_percent": None,
        "allowance_payer": None,
        "allowance_topped_up": False,
        "funeral_subsidy": None,
        "death_benefit": None,
        "legal_basis": ["工伤保险条例第三十七条", "工伤保险条例第六十四条"],
        "notes": [
            "解除或终止劳动关系时另有一次性工伤医疗补助金和一次性伤残就业补助金，"
            "标准由各省规定，未计入本结果。"
        ],
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"disability_grade": "9", "monthly_wage": "3500"},  # W2
         {"wage_base": "4800.00", "wage_adjusted": "floor", "one_time_disability_subsidy": "43200.00"}),
        ({"disability_grade": 9, "monthly_wage": "30000"},  # W3
         {"wage_base": "24000.00", "wage_adjusted": "cap", "one_time_disability_subsidy": "216000.00"}),
        ({"disability_grade": 5, "monthly_wage": "6000"},  # W4
         {"one_time_disability_subsidy": "108000.00", "monthly_disability_allowance": "4200.00",
          "allowance_payer": "employer"}),
        ({"disability_grade": 5, "monthly_wage": "2000", "regional_average_monthly_wage": "4000",
          "local_minimum_monthly_wage": "2490"},  # W4, topped up to the minimum wage
         {"monthly_disability_allowance": "2490.00", "allowance_topped_up": True}),
        ({"disability_grade": 1, "monthly_wage": "10000"},  # W5
         {"one_time_disability_subsidy": "270000.00", "monthly_disability_allowance": "9000.00",
          "allowance_payer": "fund"}),
        ({"death": True, "monthly_wage": "6000",
          "previous_year_national_urban_disposable_income": "54188"},  # WD1
         {"funeral_subsidy": "48000.00", "death_benefit": "1083760.00",
          "one_time_disability_subsidy": None, "legal_basis": ["工伤保险条例第三十九条"]}),
    ],
)  # fmt: skip
def test_work_injury_worked_examples(client, body, expected):
    data = post(client, "work-injury", {"regional_average_monthly_wage": "8000", **body}).json()
    assert {k: data[k] for k in expected} == expected


def test_o1_overtime_exact_json(client):
    response = post(client, "overtime", {"monthly_wage": "6525.00", "workday_hours": "10",
                                         "rest_day_hours": "16", "holiday_hours": "8"})  # fmt: skip
    assert response.json() == {
        "daily_wage": "300.00",
        "hourly_wage": "37.50",
        "workday_amount": "562.50",
        "rest_day_amount": "1200.00",
        "holiday_amount": "900.00",
        "amount": "2662.50",
        "legal_basis": ["劳动法第四十四条", "劳社部发〔2008〕3号"],
        "notes": [],
    }


def test_l1_annual_leave_exact_json(client):
    response = post(client, "annual-leave", {"monthly_wage": "6525.00",
                                             "cumulative_work_years": "12", "unused_days": 4})  # fmt: skip
    data = response.json()
    assert {k: data[k] for k in ("entitled_days", "daily_wage", "amount", "total_pay")} == {
        "entitled_days": 10,
        "daily_wage": "300.00",
        "amount": "2400.00",
        "total_pay": "3600.00",
    }
    assert data["legal_basis"][0] == "职工带薪年休假条例第三条"


@pytest.mark.parametrize(("years", "days"), [("0", 0), ("1", 5), ("10", 10), ("20", 15)])
def test_annual_leave_bands_over_the_api(client, years, days):
    body = {"monthly_wage": "6000", "cumulative_work_years": years, "unused_days": 0}
    assert post(client, "annual-leave", body).json()["entitled_days"] == days


def test_unpaid_wage_surcharge_exact_json(client):
    response = post(client, "unpaid-wage-surcharge", {"amount_owed": "20000.00"})
    data = response.json()
    assert {k: data[k] for k in ("amount_owed", "min", "max", "legal_basis")} == {
        "amount_owed": "20000.00",
        "min": "10000.00",
        "max": "20000.00",
        "legal_basis": ["劳动合同法第八十五条"],
    }


# -- 400 with a Chinese detail naming the field ------------------------------------------------------

ECON = {"monthly_wage": "8000", "start_date": "2020-01-01", "end_date": "2022-01-01"}


@pytest.mark.parametrize(
    ("slug", "body", "detail"),
    [
        ("economic-compensation", {**ECON, "monthly_wage": "-1"},
         "monthly_wage（月工资）：不能为负数。"),
        ("economic-compensation", {**ECON, "monthly_wage": "0"}, "monthly_wage（月工资）：应大于 0。"),
        ("economic-compensation", {**ECON, "end_date": "2019-12-31"},
         "end_date（离职日期）：不能早于入职日期 start_date。"),
        ("economic-compensation", {k: v for k, v in ECON.items() if k != "start_date"},
         "start_date（入职日期）：缺少此字段。"),
        ("economic-compensation", {**ECON, "monthly_wage": "八千"},
         "monthly_wage（月工资）：应为金额数字，如“6000.00”。"),
        ("economic-compensation", {**ECON, "monthly_wage": "8000.123"},
         "monthly_wage（月工资）：最多保留两位小数。"),
        ("economic-compensation", {**ECON, "monthly_wage": "1" * 15},
         "monthly_wage（月工资）：数值过大。"),
        ("economic-compensation", {**ECON, "monthly_wage": None}, "monthly_wage（月工资）：不能为空。"),
        ("economic-compensation", {**ECON, "start_date": "2020/01/01"},
         "start_date（入职日期）：日期“2020/01/01”无效，格式应为 YYYY-MM-DD。"),
        ("economic-compensation", {**ECON, "end_date": "2021-02-30"},
         "end_date（离职日期）：日期“2021-02-30”无效，格式应为 YYYY-MM-DD。"),
        ("economic-compensation", {**ECON, "start_date": "1900-01-01"},
         "start_date（入职日期）：日期应在1950年至2100年之间。"),
        ("economic-compensation", {**ECON, "local_average_monthly_wage": "-3"},
         "local_average_monthly_wage（当地上年度职工月平均工资）：不能为负数。"),
        ("economic-compensation", {**ECON, "unlawful_termination": "maybe"},
         "unlawful_termination（是否违法解除）：应为 true 或 false。"),
        ("double-wage", {"monthly_wage": "6000", "start_date": "2024-01-10"},
         "contract_signed_date（补签书面合同日期）：请填写补签书面合同日期，"
         "或填写离职日期 end_date（一直未签时）。"),
        ("double-wage", {"monthly_wage": "6000", "start_date": "2024-01-10", "end_date": "2023-01-01"},
         "end_date（离职日期）：不能早于入职日期 start_date。"),
        ("work-injury", {"disability_grade": 11, "monthly_wage": "6000",
                         "regional_average_monthly_wage": "8000"},
         "disability_grade（伤残等级）：应为 1 至 10 级。"),
        ("work-injury", {"disability_grade": "九", "monthly_wage": "6000",
                         "regional_average_monthly_wage": "8000"},
         "disability_grade（伤残等级）：应为整数。"),
        ("work-injury", {"monthly_wage": "6000", "regional_average_monthly_wage": "8000"},
         "disability_grade（伤残等级）：缺少此字段（未因工死亡时必填）。"),
        ("work-injury", {"disability_grade": 9, "monthly_wage": "6000"},
         "regional_average_monthly_wage（统筹地区上年度职工月平均工资）：缺少此字段。"),
        ("work-injury", {"death": True, "monthly_wage": "6000", "regional_average_monthly_wage": "8000"},
         "previous_year_national_urban_disposable_income（上一年度全国城镇居民人均可支配收入）："
         "缺少此字段。"),
        ("overtime", {"monthly_wage": "6000", "rest_day_hours": "-2"},
         "rest_day_hours（休息日加班（小时））：不能为负数。"),
        ("overtime", {"workday_hours": "2"}, "monthly_wage（月工资）：缺少此字段。"),
        ("annual-leave", {"monthly_wage": "6000", "cumulative_work_years": "5", "unused_days": 6},
         "unused_days（应休未休天数）：未休天数不能超过当年应休天数（5天）；跨年度的请分年度计算。"),
        ("annual-leave", {"monthly_wage": "6000", "cumulative_work_years": "5", "unused_days": "1.5"},
         "unused_days（应休未休天数）：应为整数。"),
        ("annual-leave", {"monthly_wage": "6000", "cumulative_work_years": "-1", "unused_days": 0},
         "cumulative_work_years（累计工作年限（年））：不能为负数。"),
        ("unpaid-wage-surcharge", {"amount_owed": "-100"}, "amount_owed（应付未付金额）：不能为负数。"),
        ("unpaid-wage-surcharge", {}, "amount_owed（应付未付金额）：缺少此字段。"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_a_chinese_detail_naming_the_field(client, slug, body, detail):
    response = post(client, slug, body)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    "slug",
    ["economic-compensation", "double-wage", "work-injury", "overtime", "annual-leave",
     "unpaid-wage-surcharge"],
)  # fmt: skip
def test_a_body_that_is_not_a_json_object_is_a_400(client, slug):
    for body in ([1, 2], "6000", 6000, "null", '"text"'):
        response = post(client, slug, body)
        assert response.status_code == 400
        assert response.json() == {"detail": "请求体应为 JSON 对象。"}
    response = client.post(f"{API}{slug}/", "{不是json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容不是有效的 JSON，请检查格式。"}


def test_numbers_as_json_numbers_are_accepted_too(client):
    data = post(client, "overtime", {"monthly_wage": 6525, "workday_hours": 10}).json()
    assert data["amount"] == "562.50"


# -- public, stateless, throttled, in the schema -----------------------------------------------------


@pytest.mark.django_db
def test_anyone_may_call_them_without_a_csrf_token_even_when_logged_in(world):
    body = {"amount_owed": "20000"}
    for user in (
        None,
        world.users["outsider"],
        world.users["worker"],
        world.users["rights_officer"],
    ):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        response = post(client, "unpaid-wage-surcharge", body)
        assert response.status_code == 200, user
        assert response.json()["max"] == "20000.00"


@pytest.mark.django_db
def test_a_calculation_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = post(client, "work-injury", {"disability_grade": 9, "monthly_wage": "6000",
                                                "regional_average_monthly_wage": "8000"})  # fmt: skip
    assert response.status_code == 200


def test_only_post_is_allowed(client):
    assert client.get(f"{API}overtime/").status_code == 405
    assert client.put(f"{API}overtime/", {}, content_type="application/json").status_code == 405


def test_anonymous_callers_are_throttled(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    body = {"amount_owed": "100"}
    assert post(client, "unpaid-wage-surcharge", body).status_code == 200
    assert post(client, "unpaid-wage-surcharge", body).status_code == 200
    assert post(client, "unpaid-wage-surcharge", body).status_code == 429


@pytest.mark.django_db
def test_the_endpoints_are_in_the_openapi_schema_beside_the_deadline_one(client, world):
    slugs = ["economic-compensation", "double-wage", "work-injury", "overtime", "annual-leave",
             "unpaid-wage-surcharge"]  # fmt: skip
    assert reverse("calculator-deadline") == f"{API}deadline/"
    for slug in slugs:
        assert reverse(f"calculator-{slug}") == f"{API}{slug}/"
    client.force_login(world.users["superuser"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/calculators/deadline/" in schema["paths"]
    for slug in slugs:
        operation = schema["paths"][f"/api/v1/calculators/{slug}/"]
        assert set(operation) == {"post"}
        assert operation["post"]["security"] == [{}]
        assert {"200", "400"} <= set(operation["post"]["responses"])
    components = schema["components"]["schemas"]
    assert "work_injury_disability_grade" not in components  # plain fields, not enums
    assert set(components["EconomicCompensationRequest"]["required"]) == {
        "monthly_wage", "start_date", "end_date"}  # fmt: skip
    for field in (
        "compensation_months",
        "wage_base",
        "capped",
        "multiplier",
        "amount",
        "legal_basis",
    ):
        assert field in components["EconomicCompensationResult"]["properties"]
    for field in ("monthly_disability_allowance", "funeral_subsidy", "death_benefit"):
        assert field in components["WorkInjuryResult"]["properties"]


# -- the H5 pages ----------------------------------------------------------------------------------


def test_the_public_home_lists_the_calculators_entry():
    entry = next(e for e in nav.PUBLIC_ENTRIES if e.url_name == "rights_public:calculators")
    assert (str(entry.label), entry.icon) == ("维权计算器", "calculator")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/rights/calculators/", "/rights/help/"]
    + [f"/rights/calculators/{s}/" for s in ("economic-compensation", "double-wage", "work-injury",
                                              "overtime", "annual-leave", "unpaid-wage-surcharge")]
    + [f"/rights/help/{s}/" for s in ("unpaid-wages", "work-injury", "dismissal", "no-contract",
                                       "platform-workers")],
)  # fmt: skip
def test_every_page_renders_for_anyone(client, world, url):
    for user in (None, world.users["outsider"]):
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "public/base_h5.html" in [t.name for t in response.templates]


def test_unknown_calculator_or_topic_is_a_404(client):
    assert client.get("/rights/calculators/lottery/").status_code == 404
    assert client.get("/rights/help/lottery/").status_code == 404


def _complaint_link(html: str) -> dict:
    href = re.search(r'id="complaint-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path == "/rights/complaint/"
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_a_server_side_post_computes_explains_and_links_to_a_prefilled_complaint(client):
    response = client.post("/rights/calculators/work-injury/", {
        "disability_grade": "9", "monthly_wage": "6000", "regional_average_monthly_wage": "8000"})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="result-amount">54,000.00 元<' in html
    assert "9级伤残，一次性伤残补助金 = 9个月 × 本人工资 6,000.00 元 = 54,000.00 元" in html
    assert "工伤保险条例第三十七条" in html
    assert "九级伤残为9个月的本人工资" in html  # the article's own text
    params = _complaint_link(html)
    assert params["category"] == "injury"
    assert params["amount"] == "54000.00"
    assert "9级伤残" in params["facts"] and "54,000.00 元" in params["facts"]
    assert 'value="6000"' in html  # the form keeps the figures for another try


@pytest.mark.parametrize(
    ("slug", "data", "shown", "category", "amount"),
    [
        ("economic-compensation", {"monthly_wage": "8000", "start_date": "2021-03-01",
                                   "end_date": "2024-09-30", "unlawful_termination": "on"},
         "64,000.00 元", "compensation", "64000.00"),
        ("double-wage", {"monthly_wage": "6000", "start_date": "2024-01-10",
                         "end_date": "2025-05-31"}, "66,000.00 元", "compensation", "66000.00"),
        ("work-injury", {"death": "on", "monthly_wage": "6000", "regional_average_monthly_wage": "8000",
                         "previous_year_national_urban_disposable_income": "54188"},
         "113.18 万元", "injury", "1131760.00"),
        ("overtime", {"monthly_wage": "6525", "workday_hours": "10", "rest_day_hours": "16",
                      "holiday_hours": "8"}, "2,662.50 元", "overtime", "2662.50"),
        ("annual-leave", {"monthly_wage": "6525", "cumulative_work_years": "12", "unused_days": "4"},
         "2,400.00 元", "wages", "2400.00"),
        ("unpaid-wage-surcharge", {"amount_owed": "20000"}, "10,000.00 元 – 20,000.00 元", "wages",
         "20000.00"),
    ],
)  # fmt: skip
def test_every_calculator_page_computes_server_side(client, slug, data, shown, category, amount):
    html = client.post(f"/rights/calculators/{slug}/", data).content.decode()
    assert f'id="result-amount">{shown}<' in html
    params = _complaint_link(html)
    assert (params["category"], params["amount"]) == (category, amount)
    assert params["facts"].startswith("按维权计算器：")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"monthly_wage": "-5", "start_date": "2020-01-01", "end_date": "2022-01-01"},
         "monthly_wage", "不能为负数。"),
        ({"monthly_wage": "八千", "start_date": "2020-01-01", "end_date": "2022-01-01"},
         "monthly_wage", "输入一个数字。"),
        ({"monthly_wage": "8000", "start_date": "2022-01-01", "end_date": "2020-01-01"},
         "end_date", "不能早于入职日期 start_date。"),
        ({"monthly_wage": "8000", "start_date": "2020-01-01"}, "end_date", "该字段是必填项。"),
    ],
)  # fmt: skip
def test_bad_input_on_the_page_keeps_what_was_typed_and_says_why(client, data, field, message):
    response = client.post("/rights/calculators/economic-compensation/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="result"' not in html
    assert message in response.context["form"].errors[field]
    assert message in html
    assert f'value="{data["monthly_wage"]}"' in html
    assert f'value="{data["start_date"]}"' in html
    assert 'aria-invalid="true"' in html


def test_dates_out_of_range_on_the_page_are_a_form_error_not_a_500(client):
    response = client.post("/rights/calculators/double-wage/", {
        "monthly_wage": "6000", "start_date": "2024-01-10", "end_date": "9999-12-31"})  # fmt: skip
    assert response.status_code == 200
    assert "日期应在1950年至2100年之间。" in response.context["form"].errors["end_date"]


@pytest.mark.django_db
def test_labels_follow_the_visitor_language(client):
    html = client.get("/rights/calculators/work-injury/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "月工资（元）" in html.content.decode()


def test_the_grade_11_trick_is_refused_on_the_page(client):
    response = client.post("/rights/calculators/work-injury/", {
        "disability_grade": "11", "monthly_wage": "6000", "regional_average_monthly_wage": "8000"})  # fmt: skip
    assert "disability_grade" in response.context["form"].errors
    assert 'id="result"' not in response.content.decode()


def test_the_page_post_is_csrf_protected(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/rights/calculators/overtime/", {"monthly_wage": "6525"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_help_pages_link_to_their_calculator_and_the_complaint_form(client):
    html = client.get("/rights/help/work-injury/").content.decode()
    assert 'href="/rights/calculators/work-injury/"' in html
    assert _complaint_link(html) == {"category": "injury"}
    html = client.get("/rights/help/dismissal/").content.decode()
    assert 'href="/rights/calculators/economic-compensation/"' in html
    assert _complaint_link(html) == {"category": "termination"}
    html = client.get("/rights/help/platform-workers/").content.decode()
    assert "新就业形态人员职业伤害保障" in html and "行政复议" in html


@pytest.mark.django_db
def test_the_complaint_form_reads_the_prefilled_figures(client, world):
    html = client.get("/rights/calculators/work-injury/")  # sanity: the page exists
    assert html.status_code == 200
    response = client.get("/rights/complaint/", {"category": "injury", "amount": "54000.00",
                                                 "facts": "按维权计算器：9级伤残"})  # fmt: skip
    form = response.context["form"]
    assert form.initial == {
        "category": "injury",
        "amount": "54000.00",
        "facts": "按维权计算器：9级伤残",
    }
    assert 'value="54000.00"' in response.content.decode()


# -- the fast path validates exactly as the serializers do --------------------------------------------

_PROBES = [
    {},
    {"monthly_wage": "6000.00"},
    {"monthly_wage": "-1"},
    {"monthly_wage": "abc", "start_date": "2020-01-01"},
    {"monthly_wage": "6000.001"},
    {"monthly_wage": None},
    {"monthly_wage": 6000, "start_date": "2020-02-30", "end_date": "2024-01-01"},
    {"monthly_wage": "8000", "start_date": "2021-03-01", "end_date": "2024-09-30"},
    {"monthly_wage": "8000", "start_date": "1900-01-01", "end_date": "2024-09-30"},
    {"monthly_wage": "8000", "start_date": "2021-03-01", "contract_signed_date": "2021-09-01"},
    {"monthly_wage": "8000", "start_date": "2021-03-01", "unlawful_termination": "maybe"},
    {"monthly_wage": "8000", "start_date": "2021-03-01", "end_date": "2024-09-30",
     "unlawful_termination": True, "local_average_monthly_wage": "2000"},
    {"disability_grade": 9, "monthly_wage": "6000", "regional_average_monthly_wage": "8000"},
    {"disability_grade": "九", "monthly_wage": "6000", "regional_average_monthly_wage": "8000"},
    {"death": True, "monthly_wage": "6000", "regional_average_monthly_wage": "8000"},
    {"monthly_wage": "6525", "workday_hours": "10.5", "holiday_hours": "x"},
    {"monthly_wage": "6525", "cumulative_work_years": "12", "unused_days": "4"},
    {"monthly_wage": "6525", "cumulative_work_years": "12", "unused_days": 4.5},
    {"amount_owed": "20000.00"},
    {"amount_owed": "1e3"},
]  # fmt: skip


@pytest.mark.parametrize("slug", sorted(calculator_api.SERIALIZERS))
def test_fast_validation_agrees_with_the_serializer(slug):
    serializer_class = calculator_api.SERIALIZERS[slug]
    for probe in _PROBES:
        serializer = serializer_class(data=probe)
        if serializer.is_valid():
            fast = calculator_api.validate_fields(serializer_class, probe)
            assert fast == dict(serializer.validated_data)
            continue
        first, messages = next(iter(serializer.errors.items()))
        with pytest.raises(calculator_api.CalculatorInputError) as refused:
            calculator_api.validate_fields(serializer_class, probe)
        assert refused.value.field == first, (slug, probe)
        assert refused.value.detail.endswith(str(messages[0]))


def test_a_form_post_takes_drf_s_path_with_the_same_answer(client):
    form = client.post(f"{API}unpaid-wage-surcharge/", {"amount_owed": "20000.00"})
    json_ = post(client, "unpaid-wage-surcharge", {"amount_owed": "20000.00"})
    assert form.status_code == json_.status_code == 200
    assert form.json() == json_.json()


@pytest.mark.django_db
def test_public_endpoints_share_an_address_without_tripping_each_other(client):
    """The counter throttles (nearby, calculators) and DRF's throttles keep separate cache keys:
    sharing one made the next DRF-throttled request from that address a 500."""
    assert client.get("/api/v1/stations/nearby/?lat=43.88&lng=125.32").status_code == 200
    assert post(client, "unpaid-wage-surcharge", {"amount_owed": "100"}).status_code == 200
    r = client.post(f"{API}deadline/", {"rule": "mediation", "start": "2025-09-30"})  # DRF path
    assert r.status_code == 200
    r = client.post(f"{API}unpaid-wage-surcharge/", {"amount_owed": "100"})  # DRF path
    assert r.status_code == 200
    r = client.post(
        f"{API}deadline/",
        '{"rule": "mediation", "start": "2025-09-30"}',
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["rule"] == "mediation"
