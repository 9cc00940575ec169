from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from niangjia.hotline import selectors, services
from niangjia.rights import services as rights
from niangjia.rights.services import WorkerInput

from .conftest import PHONE


@pytest.fixture
def earlier_case(world, officer):
    case, _ = rights.case_create(
        actor=officer,
        org=world.S1,
        source="online",
        category="overtime",
        employer_name="甲企业",
        facts="周六加班无加班费",
        workers=[WorkerInput(name="王建国", phone=PHONE)],
    )
    return case


@pytest.mark.django_db
class TestCallerHistory:
    def test_shows_earlier_calls_and_cases_of_the_number(
        self, world, officer, record, earlier_case
    ):
        first = record(question="第一次来电")
        second = record(question="第二次来电", org=world.S1)
        record(caller_phone="13977770002", question="别人的来电")
        history = selectors.caller_history(officer, "139 7777 0001")
        assert history["valid"]
        assert history["calls_total"] == 2
        assert [c.pk for c in history["calls"]] == [second.pk, first.pk]
        assert history["cases"] == [earlier_case]

    def test_respects_scope(self, world, officer, record, earlier_case):
        d3_officer = world.users["superuser"]
        record(question="D1 来电")
        # the same number calls a union in another province; its case is there too
        services.consultation_record(
            actor=d3_officer, org=world.D3, caller_phone=PHONE, category="wages", question="D3 来电"
        )
        rights.case_create(
            actor=d3_officer,
            org=world.D3,
            source="hotline",
            category="wages",
            employer_name="丙企业",
            facts="欠薪",
            workers=[WorkerInput(name="王建国", phone=PHONE)],
        )
        mine = selectors.caller_history(officer, PHONE)
        assert [c.question for c in mine["calls"]] == ["D1 来电"]
        assert [c.org_id for c in mine["cases"]] == [world.S1.pk]
        everything = selectors.caller_history(d3_officer, PHONE)
        assert everything["calls_total"] == 2 and len(everything["cases"]) == 2
        # a care officer of D1 (no case rights) sees nothing
        care = selectors.caller_history(world.users["care_officer"], PHONE)
        assert care["calls_total"] == 0 and care["cases"] == []

    def test_incomplete_number_looks_nothing_up(self, officer):
        with CaptureQueriesContext(connection) as queries:
            history = selectors.caller_history(officer, "1397777")
        assert not history["valid"] and history["calls"] == [] and len(queries) == 0
        assert selectors.caller_history(officer, "12977770001")["error"]

    def test_constant_queries(self, world, officer, record, earlier_case):
        record()
        selectors.caller_history(officer, PHONE)  # the user's grants are loaded once
        with CaptureQueriesContext(connection) as few:
            selectors.caller_history(officer, PHONE)
        for i in range(5):
            record(question=f"来电{i}")
        with CaptureQueriesContext(connection) as many:
            selectors.caller_history(officer, PHONE)
        assert len(few) == len(many) == 3


@pytest.mark.django_db
class TestFigures:
    def test_counts_a_recorded_call_and_rolls_up_the_subtree(self, world, officer, record):
        now = timezone.now()
        today = timezone.localdate()
        at = timezone.localtime(now).replace(hour=10, minute=15)
        if at > now:
            at -= datetime.timedelta(days=1)
        a = record(duration_seconds=120, started_at=at, category="wages")
        record(duration_seconds=240, started_at=at, category="policy", org=world.S1)
        record(caller_phone="13977770002", duration_seconds=360, started_at=at, category="wages")
        services.consultation_convert(consultation=a, actor=officer)
        start = today - datetime.timedelta(days=2)
        data = selectors.figures(officer, org=None, start=start, end=today)
        assert data["calls"] == 3
        assert data["distinct_callers"] == 2
        assert data["average_duration_seconds"] == 240
        assert data["average_duration_display"] == "4:00"
        assert data["converted_to_case"] == 1 and data["converted_rate"] == 33.3
        assert {r["category"]: r["calls"] for r in data["by_category"]} == {"wages": 2, "policy": 1}
        assert data["by_category"][0]["label"] == "追索劳动报酬"
        outcomes = {r["outcome"]: r["calls"] for r in data["by_outcome"]}
        assert outcomes["converted_to_case"] == 1 and outcomes["answered"] == 2
        assert data["busiest_hours"][0] == {"hour": 10, "calls": 3}
        street = selectors.figures(officer, org=world.S1, start=start, end=today)
        assert street["calls"] == 1
        before = selectors.figures(officer, org=None, start=start, end=start)
        assert before["calls"] == (3 if at.date() == start else 0)

    def test_callbacks_done_on_time(self, world, officer, record):
        now = timezone.now()
        past = now - datetime.timedelta(days=3)
        c = record(started_at=past, now=past)
        on_time = services.callback_schedule(
            consultation=c, actor=officer, due_at=past + datetime.timedelta(hours=5), now=past
        )
        late = services.callback_schedule(
            consultation=c, actor=officer, due_at=past + datetime.timedelta(hours=6), now=past
        )
        services.callback_schedule(
            consultation=c, actor=officer, due_at=past + datetime.timedelta(hours=7), now=past
        )  # never done: overdue
        services.callback_complete(
            callback=on_time,
            actor=officer,
            result_note="ok",
            now=past + datetime.timedelta(hours=4),
        )
        services.callback_complete(
            callback=late, actor=officer, result_note="ok", now=past + datetime.timedelta(hours=9)
        )
        data = selectors.figures(
            officer, org=None, start=timezone.localdate(past), end=timezone.localdate()
        )
        assert data["callbacks"] == {
            "total": 3,
            "done": 2,
            "done_on_time": 1,
            "overdue": 1,
            "on_time_rate": 50.0,
        }

    def test_query_count_is_constant(self, world, officer, record):
        today = timezone.localdate()
        start = today - datetime.timedelta(days=30)
        selectors.figures(officer, org=world.D1, start=start, end=today)  # grants loaded once
        with CaptureQueriesContext(connection) as empty:
            selectors.figures(officer, org=world.D1, start=start, end=today)
        for i in range(12):
            record(caller_phone=f"1397777{i:04d}", category=["wages", "policy", "injury"][i % 3])
        with CaptureQueriesContext(connection) as full:
            selectors.figures(officer, org=world.D1, start=start, end=today)
        assert len(empty) == len(full) == 3


@pytest.mark.django_db
def test_moved_street_takes_its_calls_along(world, officer, record):
    """Consultations copy their org's path for scope; moving the org rewrites the copies."""
    from niangjia.orgs.models import Org

    record(org=world.S1, question="街道来电")
    Org.objects.move(Org.objects.get(pk=world.S1.pk), Org.objects.get(pk=world.D2.pk), "last-child")
    moved = Org.objects.get(pk=world.S1.pk)
    assert [c.org_path for c in selectors.consultation_list(world.users["superuser"])] == [
        moved.path
    ]
    assert selectors.caller_history(officer, PHONE)["calls_total"] == 0  # no longer in D1
