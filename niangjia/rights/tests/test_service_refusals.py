"""Every refusal branch of case_create, recovery_record and agency_act_record (#12 §7): each names
the field and says why in Chinese, and a refused write leaves nothing behind."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Person
from niangjia.rights import services
from niangjia.rights.models import (
    AgencyAct,
    Case,
    CaseCounter,
    CaseWorker,
    ClaimItem,
    Deadline,
    Recovery,
    RecoveryShare,
    TimelineEntry,
)
from niangjia.rights.services import ClaimInput, WorkerInput, today

D = datetime.date
VALID_ID = "11010519491231002X"


def written() -> dict:
    """What a case registration or a write on a case could leave behind."""
    return {
        "cases": Case.objects.count(),
        "counters": list(CaseCounter.objects.values_list("org_id", "year", "last")),
        "workers": CaseWorker.objects.count(),
        "people": Person.objects.count(),
        "claims": ClaimItem.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "recoveries": Recovery.objects.count(),
        "shares": RecoveryShare.objects.count(),
        "acts": AgencyAct.objects.count(),
        "deadlines": list(Deadline.objects.values_list("rule", "status")),
    }


def create_args(world, **overrides) -> dict:
    data = {
        "actor": world.users["rights_officer"],
        "org": world.D1,
        "source": "walk_in",
        "category": "wages",
        "employer_name": "宁夏某建筑劳务有限公司",
        "facts": "拖欠三个月工资",
        "workers": [WorkerInput(name="张建军", id_number=VALID_ID, phone="13912345678")],
        "claims": [ClaimInput(kind="wages", amount="60000.00", worker_index=0)],
        "received_on": D(2026, 7, 2),
    }
    data.update(overrides)
    return data


def refused_create(world, **overrides) -> dict:
    before = written()
    with pytest.raises(ValidationError) as err:
        services.case_create(**create_args(world, **overrides))
    assert written() == before
    return err.value.message_dict


# --- case_create: who may register where ------------------------------------------------------


@pytest.mark.django_db
def test_case_create_refuses_an_officer_outside_their_subtree(world):
    before = written()
    with pytest.raises(NotAllowed) as err:
        services.case_create(**create_args(world, org=world.D3))
    assert str(err.value) == "您没有权限在该组织登记案件"
    assert written() == before


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["outsider", "worker", "care_officer", "enterprise_contact"])
def test_case_create_refuses_accounts_without_case_rights(world, user):
    before = written()
    with pytest.raises(NotAllowed):
        services.case_create(**create_args(world, actor=world.users[user]))
    assert written() == before


@pytest.mark.django_db
def test_case_create_refuses_a_case_handled_by_an_agency(world):
    # the officer's subtree includes the court AG1, but a case belongs to a union
    assert refused_create(world, org=world.AG1) == {"org": ["案件须由工会组织承办"]}


@pytest.mark.django_db
def test_a_court_liaison_may_only_entrust_a_mediation(world):
    liaison = world.users["agency_liaison"]
    before = written()
    with pytest.raises(NotAllowed):
        services.case_create(**create_args(world, actor=liaison, source="walk_in"))
    assert written() == before
    case, created = services.case_create(
        **create_args(world, actor=liaison, source="court_entrusted")
    )
    assert created and case.org == world.D1 and case.source == "court_entrusted"


@pytest.mark.django_db
def test_a_court_liaison_cannot_entrust_a_union_outside_the_courts_area(world):
    before = written()
    with pytest.raises(NotAllowed):
        services.case_create(
            **create_args(
                world, actor=world.users["agency_liaison"], org=world.D3, source="court_entrusted"
            )
        )
    assert written() == before


@pytest.mark.django_db
def test_a_court_liaison_cannot_make_the_court_itself_handle_a_case(world):
    before = written()
    with pytest.raises((NotAllowed, ValidationError)):
        services.case_create(
            **create_args(
                world, actor=world.users["agency_liaison"], org=world.AG1, source="court_entrusted"
            )
        )
    assert written() == before


# --- case_create: what the form must say -------------------------------------------------------


@pytest.mark.django_db
def test_case_create_names_every_missing_field_at_once(world):
    errors = refused_create(
        world, workers=[], employer_name="  ", facts=" ", category="x", source="y", claims=[]
    )
    assert errors == {
        "workers": ["请至少填写一名职工"],
        "employer_name": ["请填写用人单位"],
        "facts": ["请简要说明事实与理由"],
        "category": ["请选择案件类别"],
        "source": ["请选择案件来源"],
    }


@pytest.mark.django_db
def test_an_online_complaint_without_consent_is_refused(world):
    errors = refused_create(world, actor=None, source="online")
    assert list(errors) == ["consent"]
    case, created = services.case_create(
        **create_args(world, actor=None, source="online", consent_version="2025-01")
    )
    assert created and case.consent_version == "2025-01" and case.consent_at is not None


@pytest.mark.django_db
def test_worker_validation_names_each_worker(world):
    errors = refused_create(
        world,
        workers=[
            WorkerInput(name=" "),
            WorkerInput(name="李卫东", id_number="110105194912310021"),
            WorkerInput(name="王芳", phone="12345"),
        ],
        claims=[],
    )
    assert errors["workers"][0] == "第1名职工：请填写姓名"
    assert errors["workers"][1].startswith("李卫东：")
    assert errors["workers"][2].startswith("王芳：")
    assert len(errors["workers"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (ClaimInput(kind="wages", amount="abc"), "金额格式不正确"),
        (ClaimInput(kind="wages", amount="-1"), "金额不能为负数"),
        (ClaimInput(kind="wages", amount="NaN"), "金额格式不正确"),
        (ClaimInput(kind="wages", amount="1000000000000"), "金额过大"),
        (ClaimInput(kind="bonus", amount="1"), "请求事项类别不正确"),
        (ClaimInput(kind="wages", amount="1", worker_index=1), "请求事项所指的第2名职工不存在"),
        (ClaimInput(kind="wages", amount="1", worker_index=-1), "请求事项所指的第0名职工不存在"),
        (
            ClaimInput(kind="wages", amount="1", period_start=D(2026, 3, 1), period_end=D(2026, 2, 28)),
            "请求期间的结束日期早于开始日期",
        ),
    ],
)  # fmt: skip
def test_claim_validation(world, claim, message):
    assert refused_create(world, claims=[claim]) == {"claims": [message]}


@pytest.mark.django_db
def test_a_claim_period_of_one_day_and_the_last_worker_index_are_accepted(world):
    case, created = services.case_create(
        **create_args(
            world,
            claims=[
                ClaimInput(kind="wages", amount="0", worker_index=0,
                           period_start=D(2026, 3, 1), period_end=D(2026, 3, 1)),
            ],
        )
    )  # fmt: skip
    assert created and case.claims.get().amount == Decimal("0.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["received_on", "infringed_on", "employment_ended_on", "injury_on"]
)
def test_dates_in_the_future_are_refused(world, field):
    errors = refused_create(world, **{field: today() + datetime.timedelta(days=1)})
    assert errors == {field: ["日期不能晚于今天"]}


# --- recovery_record ---------------------------------------------------------------------------


@pytest.fixture
def claimed_case(make_case):
    return make_case()  # claims 60,000 + 40,000 for two workers


def refused_recovery(case, actor, exc=ValidationError, **overrides):
    args = {
        "amount": "1000.00",
        "on": D(2026, 8, 1),
        "payer": "宁夏某建筑劳务有限公司",
        "kind": "wages",
    }
    args.update(overrides)
    before = written()
    with pytest.raises(exc) as err:
        services.recovery_record(case=case, actor=actor, **args)
    assert written() == before
    return err.value


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["agency_liaison", "outsider", "worker", "care_officer"])
def test_only_the_handling_unions_staff_record_recoveries(world, claimed_case, user):
    err = refused_recovery(claimed_case, world.users[user], exc=NotAllowed)
    assert str(err) == "只有承办工会的工作人员可以办理此操作"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"amount": "0"}, {"amount": ["金额必须大于零"]}),
        ({"amount": "-5"}, {"amount": ["金额不能为负数"]}),
        ({"amount": "一千"}, {"amount": ["金额格式不正确"]}),
        ({"kind": "gift"}, {"kind": ["请选择款项类别"]}),
        ({"payer": "  "}, {"payer": ["请填写支付方"]}),
    ],
)
def test_recovery_validation(world, claimed_case, overrides, errors):
    err = refused_recovery(claimed_case, world.users["rights_officer"], **overrides)
    assert err.message_dict == errors


@pytest.mark.django_db
def test_a_recovery_dated_tomorrow_is_refused(world, claimed_case):
    err = refused_recovery(
        claimed_case, world.users["rights_officer"], on=today() + datetime.timedelta(days=1)
    )
    assert err.message_dict == {"on": ["日期不能晚于今天"]}


@pytest.mark.django_db
def test_recovering_more_than_is_outstanding_needs_a_reason(world, claimed_case):
    officer = world.users["rights_officer"]
    services.recovery_record(case=claimed_case, actor=officer, amount="99000.00",
                             on=D(2026, 8, 1), payer="甲", kind="wages")  # fmt: skip
    # 1,000 remains: exactly 1,000 is fine, a fen more needs a reason
    err = refused_recovery(claimed_case, officer, amount="1000.01")
    [message] = err.message_dict["over_claim_reason"]  # yuan with two places on every database
    assert message == "追回金额 1000.01 元超过尚未追回的请求金额 1000.00 元，如确需登记请说明理由"
    refused_recovery(claimed_case, officer, amount="1000.01", over_claim_reason="   ")
    recovery = services.recovery_record(case=claimed_case, actor=officer, amount="1000.01",
                                        on=D(2026, 8, 1), payer="甲", kind="wages",
                                        over_claim_reason="含利息")  # fmt: skip
    assert recovery.over_claim_reason == "含利息"


@pytest.mark.django_db
def test_exactly_the_outstanding_amount_needs_no_reason(world, claimed_case):
    recovery = services.recovery_record(case=claimed_case, actor=world.users["rights_officer"],
                                        amount="100000.00", on=D(2026, 8, 1), payer="甲",
                                        kind="wages")  # fmt: skip
    assert recovery.over_claim_reason == ""


@pytest.mark.django_db
def test_recovery_shares_must_be_the_cases_workers_and_add_up(world, claimed_case):
    officer = world.users["rights_officer"]
    first, second = claimed_case.workers.order_by("pk")
    other = services.case_create(**create_args(world, employer_name="别家公司",
                                               workers=[WorkerInput(name="外人")], claims=[]))[0]  # fmt: skip
    stranger = other.workers.get()
    err = refused_recovery(claimed_case, officer, shares={stranger.pk: "1000.00"})
    assert err.message_dict == {"shares": ["分配对象不是本案职工"]}
    err = refused_recovery(claimed_case, officer, shares={first.pk: "600.00", second.pk: "399.99"})
    assert err.message_dict == {"shares": ["各职工分配金额之和应等于追回金额"]}
    err = refused_recovery(claimed_case, officer, shares={first.pk: "-1", second.pk: "1001"})
    assert err.message_dict == {"shares": ["金额不能为负数"]}
    recovery = services.recovery_record(case=claimed_case, actor=officer, amount="1000.00",
                                        on=D(2026, 8, 1), payer="甲", kind="wages",
                                        shares={str(first.pk): "1000.00", second.pk: "0"})  # fmt: skip
    # a zero share is not stored
    assert list(recovery.shares.values_list("worker_id", "amount")) == [
        (first.pk, Decimal("1000.00"))
    ]


@pytest.mark.django_db
def test_an_even_split_gives_the_fen_left_over_to_the_last_worker(world, claimed_case):
    recovery = services.recovery_record(case=claimed_case, actor=world.users["rights_officer"],
                                        amount="100.01", on=D(2026, 8, 1), payer="甲",
                                        kind="wages")  # fmt: skip
    first, second = claimed_case.workers.order_by("pk")
    shares = dict(recovery.shares.values_list("worker_id", "amount"))
    assert shares == {first.pk: Decimal("50.01"), second.pk: Decimal("50.00")}
    assert TimelineEntry.objects.filter(case=claimed_case, kind="recovery").get().text == (
        "追回工资 100.01 元（支付方：甲）"
    )


# --- agency_act_record -------------------------------------------------------------------------


@pytest.fixture
def court_case(world, make_case):
    case = make_case()
    services.case_share(
        case=case, agency=world.AG1, actor=world.users["rights_officer"], access="act"
    )
    return case


def refused_act(case, actor, exc=ValidationError, **overrides):
    args = {"kind": "filed", "on": D(2026, 8, 1)}
    args.update(overrides)
    before = written()
    with pytest.raises(exc) as err:
        services.agency_act_record(case=case, actor=actor, **args)
    assert written() == before
    return err.value


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["rights_officer", "outsider", "worker"])
def test_only_an_agency_with_act_access_records_acts(world, court_case, user):
    err = refused_act(court_case, world.users[user], exc=NotAllowed)
    assert str(err) == "只有具有办理权限的协作单位可以记录办理事项"


@pytest.mark.django_db
def test_a_read_only_share_records_no_act(world, make_case):
    case = make_case()
    services.case_share(
        case=case, agency=world.AG1, actor=world.users["rights_officer"], access="read"
    )
    refused_act(case, world.users["agency_liaison"], exc=NotAllowed)


@pytest.mark.django_db
def test_a_returned_share_records_no_act(world, court_case):
    share = court_case.shares.get()
    services.share_return(share=share, actor=world.users["agency_liaison"])
    refused_act(court_case, world.users["agency_liaison"], exc=NotAllowed)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["award", "accepted", "inspection_order", "nonsense"])
def test_a_court_records_only_a_courts_acts(world, court_case, kind):
    err = refused_act(court_case, world.users["agency_liaison"], kind=kind)
    assert err.message_dict == {"kind": ["甲区人民法院不能记录此类事项"]}


@pytest.mark.django_db
def test_an_act_dated_tomorrow_is_refused(world, court_case):
    err = refused_act(
        court_case, world.users["agency_liaison"], on=today() + datetime.timedelta(days=1)
    )
    assert err.message_dict == {"on": ["日期不能晚于今天"]}


@pytest.mark.django_db
def test_judicial_confirmation_needs_a_mediation_agreement(world, court_case):
    err = refused_act(court_case, world.users["agency_liaison"], kind="judicial_confirmation")
    assert err.message_dict == {"kind": ["案件尚无调解协议，无法司法确认"]}


@pytest.mark.django_db
def test_a_court_records_a_filing_on_the_timeline(world, court_case):
    act = services.agency_act_record(case=court_case, actor=world.users["agency_liaison"],
                                     kind="filed", on=D(2026, 8, 1), document_number="（2026）宁0202民初1号",
                                     note="已排期")  # fmt: skip
    assert (act.agency, act.kind, act.recorded_by) == (
        world.AG1,
        "filed",
        world.users["agency_liaison"],
    )
    entry = TimelineEntry.objects.filter(case=court_case, kind="agency_act").get()
    assert entry.text == "甲区人民法院：立案（（2026）宁0202民初1号）。已排期"
