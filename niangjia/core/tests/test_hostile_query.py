"""#11 §5: a NUL byte in a query string is a 400 page in Chinese on every page (PostgreSQL refused
it in the search filters of staff lists: a 500), anonymous and logged in."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/staff/orgs/",
        "/staff/orgs/enterprises/",
        "/staff/orgs/people/",
        "/staff/care/",
        "/staff/care/beneficiaries/",
        "/staff/stations/",
    ],
)
def test_a_nul_byte_in_a_staff_list_search_is_a_400_page_not_a_database_error(client, world, url):
    client.force_login(world.users["superuser"])
    response = client.get(url + "?q=%00&status=%00&category=%00")
    assert response.status_code == 400
    assert "请求参数包含空字符" in response.content.decode()


def test_a_nul_byte_in_a_public_page_query_is_a_400_for_anonymous_visitors(client, db):
    response = client.get("/stations/?q=a%00b")
    assert response.status_code == 400
    assert "请求参数包含空字符" in response.content.decode()


def test_a_nul_byte_in_a_parameter_name_is_refused_too(client, db):
    response = client.get("/?a%00=1")
    assert response.status_code == 400


def test_ordinary_queries_pass_the_nul_guard(client, world):
    client.force_login(world.users["superuser"])
    assert client.get("/staff/orgs/people/?q=张").status_code == 200


def test_a_nul_in_a_form_field_read_without_a_form_is_a_400_page(client, world):
    """Staff POSTs that read request.POST directly (care replies, reasons) are covered too."""
    client.force_login(world.users["superuser"])
    response = client.post("/staff/switch-role/", {"role": "1\x00"})
    assert response.status_code == 400
    assert "包含空字符" in response.content.decode()


def test_a_django_form_still_receives_posts_without_nul(client, world):
    client.force_login(world.users["superuser"])
    response = client.post("/staff/switch-role/", {"role": ""})
    assert response.status_code in (200, 302)
