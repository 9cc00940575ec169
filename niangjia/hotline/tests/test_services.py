from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from niangjia.core.pii import blind_index
from niangjia.hotline import services
from niangjia.hotline.models import Callback, Consultation
from niangjia.rights.models import Case, TimelineEntry

from .conftest import PHONE


@pytest.mark.django_db
class TestRecord:
    def test_saves_with_the_phone_encrypted_and_indexed(self, record, world):
        c = record(caller_phone="+86 139 7777 0001")
        c = Consultation.objects.get(pk=c.pk)
        assert c.caller_phone == PHONE
        assert c.caller_phone_hash == blind_index(PHONE)
        assert c.caller_phone_masked == "139****0001"
        assert c.org_path == world.D1.path
        assert c.outcome == "answered" and c.case is None
        # the stored column is ciphertext, never the number
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT caller_phone_encrypted FROM hotline_consultation WHERE id = %s", [c.pk]
            )
            assert PHONE not in cursor.fetchone()[0]

    def test_rejects_bad_input_with_chinese_messages(self, record):
        with pytest.raises(ValidationError) as exc:
            record(caller_phone="12345", question=" ", category="nope")
        errors = exc.value.message_dict
        assert "手机号码" in errors["caller_phone"][0]
        assert errors["question"] == ["请记录来电人咨询的问题"]
        assert errors["category"] == ["请选择咨询类别"]
        assert not Consultation.objects.exists()

    def test_callback_needed_requires_a_time_and_schedules_it(self, record, officer, soon):
        with pytest.raises(ValidationError) as exc:
            record(outcome="callback_needed")
        assert "回访时间" in exc.value.message_dict["callback_due_at"][0]
        c = record(outcome="callback_needed", callback_due_at=soon)
        callback = c.callbacks.get()
        assert callback.assigned_to == officer and callback.due_at == soon

    def test_converted_is_not_an_outcome_to_type(self, record):
        with pytest.raises(ValidationError) as exc:
            record(outcome="converted_to_case")
        assert "转为案件" in exc.value.message_dict["outcome"][0]

    def test_out_of_scope_org_is_refused(self, record, world):
        with pytest.raises(PermissionDenied):
            record(org=world.D3)

    def test_anonymous_caller_is_allowed(self, record):
        c = record(caller_phone="", caller_name="")
        assert c.caller_phone_hash == "" and c.caller_phone_masked == ""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("", 0), ("5", 300), ("5:30", 330), ("0:45", 45), ("1:02:05", 3725), ("１２：０５", 725)],
)
def test_parse_duration(text, seconds):
    assert services.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "5:75", "7:00:00", "-3"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValidationError):
        services.parse_duration(text)


@pytest.mark.django_db
class TestConvert:
    def test_carries_everything_over(self, record, officer, world):
        c = record(category="wages", duration_seconds=421)
        case, created = services.consultation_convert(consultation=c, actor=officer)
        assert created
        case = Case.objects.get(pk=case.pk)
        assert case.source == Case.Source.HOTLINE
        assert case.category == "wages"
        assert case.facts == "工地拖欠三个月工资，包工头联系不上。"
        assert case.employer_name == "宁夏某建筑劳务有限公司"
        assert case.org == world.D1
        assert case.received_on == timezone.localdate()
        worker = case.workers.select_related("person").get()
        assert worker.person.name == "王建国"
        assert worker.person.phone == PHONE
        c.refresh_from_db()
        assert c.case == case and c.outcome == "converted_to_case"
        note = case.timeline.filter(kind=TimelineEntry.Kind.NOTE).get()
        assert "12351热线" in note.text and "7:01" in note.text and "总承包单位" in note.text

    def test_converting_twice_gives_the_same_case(self, record, officer):
        c = record()
        first, _ = services.consultation_convert(consultation=c, actor=officer)
        again, created = services.consultation_convert(consultation=c, actor=officer)
        assert again == first and not created
        assert Case.objects.count() == 1

    def test_missing_case_fields_raise_and_change_nothing(self, record, officer):
        c = record(caller_name="", employer_name="")
        with pytest.raises(ValidationError) as exc:
            services.consultation_convert(consultation=c, actor=officer)
        assert "employer_name" in exc.value.message_dict
        assert not Case.objects.exists()
        c.refresh_from_db()
        assert c.case is None and c.outcome == "answered"

    def test_intake_fields_override_and_policy_becomes_other(self, record, officer):
        from niangjia.rights.services import WorkerInput

        c = record(category="policy", caller_name="", employer_name="")
        case, _ = services.consultation_convert(
            consultation=c,
            actor=officer,
            employer_name="补充的用人单位",
            workers=[WorkerInput(name="补充姓名", phone=PHONE)],
        )
        assert case.category == "other" and case.employer_name == "补充的用人单位"
        assert case.workers.get().person.name == "补充姓名"

    def test_walk_in_becomes_a_walk_in_case(self, record, officer):
        c = record(channel="walk_in")
        case, _ = services.consultation_convert(consultation=c, actor=officer)
        assert case.source == Case.Source.WALK_IN


@pytest.mark.django_db
class TestCallbacks:
    def test_due_time_must_be_future_and_aware(self, record, officer):
        c = record()
        for due, message in [
            (timezone.now() - datetime.timedelta(minutes=1), "晚于现在"),
            (datetime.datetime(2099, 1, 1, 9, 0), "时区"),
            (timezone.now() + datetime.timedelta(days=400), "一年"),
            (None, "请填写"),
        ]:
            with pytest.raises(ValidationError) as exc:
                services.callback_schedule(consultation=c, actor=officer, due_at=due)
            assert message in exc.value.message_dict["due_at"][0]
        assert not Callback.objects.exists()

    def test_assignee_must_handle_cases_there(self, record, officer, world, soon):
        c = record()
        with pytest.raises(ValidationError) as exc:
            services.callback_schedule(
                consultation=c, actor=officer, due_at=soon, assigned_to=world.users["care_officer"]
            )
        assert "回访人" in exc.value.message_dict["assigned_to"][0]
        admin = world.users["org_admin"]
        cb = services.callback_schedule(
            consultation=c, actor=officer, due_at=soon, assigned_to=admin
        )
        assert cb.assigned_to == admin
        c.refresh_from_db()
        assert c.outcome == "callback_needed"

    def test_complete_once_with_a_result(self, record, officer, soon):
        cb = services.callback_schedule(consultation=record(), actor=officer, due_at=soon)
        with pytest.raises(ValidationError):
            services.callback_complete(callback=cb, actor=officer, result_note="  ")
        cb = services.callback_complete(callback=cb, actor=officer, result_note="已回电")
        assert cb.done_at is not None and cb.done_on_time
        with pytest.raises(ValidationError) as exc:
            services.callback_complete(callback=cb, actor=officer, result_note="再次")
        assert exc.value.message_dict["result_note"] == ["该回访已完成"]
        cb.refresh_from_db()
        assert cb.result_note == "已回电"


@pytest.mark.django_db
class TestReminders:
    @pytest.fixture
    def sms(self, monkeypatch):
        sent = []
        monkeypatch.setattr(
            "niangjia.core.notify.send_sms", lambda phone, text: sent.append((phone, text))
        )
        return sent

    @pytest.fixture
    def officer_with_phone(self, officer, world):
        from niangjia.orgs.models import Person

        person = Person(name="回访干部", org=world.D1, user=officer)
        person.phone = "13600000042"
        person.save()
        return officer

    def _callback(self, record, officer, due, now):
        c = record(started_at=now - datetime.timedelta(hours=1), now=now)
        return services.callback_schedule(consultation=c, actor=officer, due_at=due, now=now)

    def test_each_callback_is_reminded_once(self, record, officer_with_phone, sms):
        officer = officer_with_phone
        now = timezone.now()
        past = now - datetime.timedelta(days=1)
        overdue = self._callback(record, officer, now - datetime.timedelta(hours=3), past)
        soon = self._callback(record, officer, now + datetime.timedelta(minutes=20), past)
        later = self._callback(record, officer, now + datetime.timedelta(hours=5), past)
        done = self._callback(record, officer, now - datetime.timedelta(hours=1), past)
        services.callback_complete(callback=done, actor=officer, result_note="已回电")

        assert services.callback_reminders(now=now) == 2
        assert len(sms) == 2
        assert "已逾期" in sms[0][1] and "139****0001" in sms[0][1]
        assert "即将到时" in sms[1][1]
        assert services.callback_reminders(now=now) == 0  # claimed: never sent twice
        overdue.refresh_from_db()
        soon.refresh_from_db()
        later.refresh_from_db()
        assert overdue.reminded_at == now and soon.reminded_at == now
        assert later.reminded_at is None

    def test_a_concurrent_sweep_does_not_send_the_same_reminder(
        self, record, officer_with_phone, monkeypatch
    ):
        officer = officer_with_phone
        now = timezone.now()
        past = now - datetime.timedelta(days=1)
        for hours in (1, 2, 3):
            self._callback(record, officer, now - datetime.timedelta(hours=hours), past)
        sent = []

        def send(phone, text):
            sent.append(text)
            if len(sent) == 1:  # a second worker sweeps while the first is mid-way
                services.callback_reminders(now=now)

        monkeypatch.setattr("niangjia.core.notify.send_sms", send)
        services.callback_reminders(now=now)
        assert len(sent) == 3
        assert Callback.objects.filter(reminded_at=now).count() == 3

    def test_command_runs_the_sweep(self, record, officer, sms):
        import io

        now = timezone.now()
        self._callback(record, officer, now + datetime.timedelta(minutes=5), now)
        out = io.StringIO()
        call_command("send_callback_reminders", stdout=out)
        assert "reminders: 1" in out.getvalue()
        assert Callback.objects.get().reminded_at is not None
