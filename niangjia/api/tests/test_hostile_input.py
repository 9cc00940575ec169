"""#11 §5: no input crashes the API. Hostile JSON bodies get a 400 in Chinese, never a 500."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from niangjia.api import parsers
from niangjia.core.demo import fake_credit_code
from niangjia.orgs.models import Enterprise
from niangjia.rights.models import Case

DEEP_LIST = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000
TOO_DEEP = "嵌套过深"


def api_urls() -> list[str]:
    """Every /api/v1/ URL, path parameters filled with 1."""

    def walk(resolver, prefix):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    urls = set()
    for pattern in walk(get_resolver(), ""):
        if not pattern.startswith("api/v1/"):
            continue
        url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)  # router regexes first
        url = re.sub(r"<(?:\w+:)?\w+>", "1", url).replace("^", "").replace("$", "")
        if "(" in url or "\\" in url or "format" in pattern:
            continue  # format-suffix patterns (.json) repeat the plain ones
        urls.add("/" + url)
    return sorted(urls)


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def officer(world):
    client = APIClient()
    client.force_authenticate(world.users["rights_officer"])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/auth/token/",  # anonymous, DRF's parser
        "/api/v1/calculators/economic-compensation/",  # anonymous, the plain-Django fast path
        "/api/v1/calculators/deadline/",
        "/api/v1/calculators/work-injury/",
    ],
)
@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_a_json_body_nested_5000_deep_is_a_400_for_anonymous_callers(anonymous, db, url, body):
    response = anonymous.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容嵌套过深。"


@pytest.mark.parametrize(
    "url", ["/api/v1/enterprises/", "/api/v1/people/", "/api/v1/cases/", "/api/v1/intake/analyse/"]
)
def test_a_json_body_nested_5000_deep_is_a_400_for_staff_and_nothing_is_written(
    officer, url, world
):
    before = Enterprise.objects.count(), Case.objects.count()
    response = officer.post(url, DEEP_OBJECT, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容嵌套过深。"
    assert (Enterprise.objects.count(), Case.objects.count()) == before


def test_a_json_body_nested_5000_deep_never_500s_on_any_api_url(world):
    """Every API URL and write method, anonymous and as a superuser (who passes every scope check,
    so the body is parsed everywhere)."""
    anonymous = APIClient()
    root = APIClient()
    root.force_authenticate(world.users["superuser"])
    failures = []
    for url in api_urls():
        for client in (anonymous, root):
            for method in ("post", "put", "patch"):
                response = getattr(client, method)(url, DEEP_LIST, content_type="application/json")
                if response.status_code >= 500:
                    failures.append((method, url, response.status_code))
    assert failures == []


def test_json_nested_up_to_the_limit_still_parses(settings):
    settings.API_JSON_MAX_DEPTH = 64
    assert parsers.loads("[" * 64 + "]" * 64) == parsers.loads("[" * 64 + "]" * 64)
    with pytest.raises(parsers.BadJSON, match=TOO_DEEP):
        parsers.loads("[" * 65 + "]" * 65)


def test_a_lone_surrogate_in_json_is_a_400_in_chinese(officer, world):
    before = Case.objects.count()
    response = officer.post(
        "/api/v1/intake/analyse/", '{"text": "\\ud800拖欠工资"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "无效的 Unicode" in response.json()["detail"]
    assert Case.objects.count() == before


def test_a_lone_surrogate_in_a_choice_field_is_a_400_and_nothing_is_written(officer, world):
    before = Enterprise.objects.count()
    code = fake_credit_code(random.Random(99), "640202")
    response = officer.post(
        "/api/v1/enterprises/",
        '{"name": "新企业", "credit_code": "CODE", "industry": "C", "size": "\\ud800", "org": ORG}'.replace(
            "CODE", code
        ).replace("ORG", str(world.S1.pk)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Enterprise.objects.count() == before


def test_a_lone_surrogate_in_a_json_key_is_a_400(anonymous, db):
    response = anonymous.post(
        "/api/v1/calculators/economic-compensation/",
        '{"\\ud800": 1}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "无效的 Unicode" in response.json()["detail"]


def test_a_nul_character_in_json_text_is_a_400_before_postgresql_sees_it(officer, world):
    before = Enterprise.objects.count()
    code = fake_credit_code(random.Random(99), "640202")
    response = officer.post(
        "/api/v1/enterprises/",
        '{"name": "新\\u0000企业", "credit_code": "CODE", "industry": "C", "size": "small", "org": ORG}'.replace(
            "CODE", code
        ).replace("ORG", str(world.S1.pk)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]
    assert Enterprise.objects.count() == before


def test_nan_and_invalid_utf8_bodies_are_400s(anonymous, db):
    for body in (b'{"a": NaN}', b'{"a": "\xff\xfe"}'):
        response = anonymous.post(
            "/api/v1/calculators/economic-compensation/", body, content_type="application/json"
        )
        assert response.status_code == 400, body


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "0", "9" * 30, "１２"])
def test_a_non_integer_officer_filter_is_a_400_naming_the_parameter(officer, value):
    response = officer.get("/api/v1/cases/", {"officer": value})
    assert response.status_code == 400
    assert response.json() == {"officer": ["请输入有效的编号（正整数）。"]}


def test_an_integer_officer_filter_still_filters(officer, world):
    response = officer.get("/api/v1/cases/", {"officer": world.users["rights_officer"].pk})
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/people/", "/api/v1/cases/", "/api/v1/enterprises/"])
def test_a_nul_byte_in_an_api_query_parameter_is_a_400_in_chinese(officer, url):
    response = officer.get(url + "?q=%00abc")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求参数包含空字符，无法处理。请删除后重试。"
