"""Demo year of the industrial-park rights studio at 大武口区总工会: a few hundred cases across
categories and stages, written through the services so the timeline, deadlines and ledger are
exactly what staff would have produced. Loads once."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from niangjia.core.demo import fake_mobile, fake_name, fake_resident_id
from niangjia.orgs.models import Enterprise, Org
from niangjia.rights import services
from niangjia.rights.models import Case, CaseShare, CaseWorker, ClaimItem
from niangjia.rights.services import ClaimInput, WorkerInput

CATEGORY_WEIGHTS = [
    ("wages", 40), ("injury", 12), ("termination", 12), ("compensation", 10),
    ("social_insurance", 8), ("overtime", 8), ("relationship", 5), ("other", 5),
]  # fmt: skip
EMPLOYERS_EXTRA = [
    "大武口区众鑫建筑劳务有限公司", "石嘴山市兴业商贸有限公司", "宁夏顺丰速运有限公司大武口分部",
    "大武口区美佳家政服务有限公司", "石嘴山市永昌汽修厂", "宁夏天元锰业集团大武口分公司",
]  # fmt: skip


def load(stdout, full: bool = False) -> None:
    if Case.objects.exists():
        stdout.write("维权案件：已加载，跳过")
        return
    User = get_user_model()
    officer = User.objects.get(username="dwk_rights")
    other_officer = User.objects.get(username="szs_rights")
    dwk = Org.objects.get(name="大武口区总工会")
    park = Org.objects.get(name__startswith="石嘴山高新技术产业开发区工会")
    huinong = Org.objects.get(name="惠农区总工会")
    court = Org.objects.get(name="大武口区人民法院")
    hrss = Org.objects.get(name__startswith="大武口区人力资源")
    police = Org.objects.get(name="石嘴山市公安局大武口区分局")
    court_user = User.objects.get(username="dwk_court")
    employers = list(Enterprise.objects.filter(org__path__startswith=dwk.path)) + EMPLOYERS_EXTRA
    rng = random.Random(12351)
    today = services.today()
    start = today - datetime.timedelta(days=365)

    _flagship_cases(officer, dwk, park, court, court_user, today)
    count = 300 if not full else 1200
    for i in range(count):
        received = start + datetime.timedelta(days=rng.randint(0, 350))
        _random_case(
            rng, i, officer, dwk if i % 3 else park, employers, received, today, court, hrss, police
        )
    for i in range(25):
        received = start + datetime.timedelta(days=rng.randint(0, 350))
        _random_case(
            rng,
            10_000 + i,
            other_officer,
            huinong,
            EMPLOYERS_EXTRA,
            received,
            today,
            None,
            None,
            None,
        )
    stdout.write(f"维权案件：{Case.objects.count()} 件")


def _workers(rng: random.Random, n: int, form: str = CaseWorker.EmploymentForm.STANDARD):
    return [
        WorkerInput(
            name=fake_name(rng),
            id_number=fake_resident_id(rng, "640202"),
            phone=fake_mobile(rng),
            employment_form=form,
            is_representative=(i == 0 and n > 1),
        )
        for i in range(n)
    ]


def _flagship_cases(officer, dwk, park, court, court_user, today) -> None:
    """The cases the studio tells visitors about."""
    # a group wage-arrears case of about 140,000 yuan recovered in about half a month
    received = today - datetime.timedelta(days=60)
    rng = random.Random(1)
    workers = _workers(rng, 12)
    case, _ = services.case_create(
        actor=officer, org=park, source="hotline", category="wages",
        employer_name="大武口区众鑫建筑劳务有限公司", project_name="高新区标准化厂房二期",
        facts="班组12名农民工被拖欠2024年9月至12月工资共计14万元，包工头称总包未拨款。",
        workers=workers,
        claims=[ClaimInput(kind="wages", amount="11666.67", worker_index=i) for i in range(11)]
        + [ClaimInput(kind="wages", amount="11666.63", worker_index=11)],
        contractors=[("general", "宁夏建工集团第三建筑公司"), ("sub", "大武口区众鑫建筑劳务有限公司"), ("team_leader", "马长贵")],
        received_on=received, employment_ended_on=received - datetime.timedelta(days=20),
    )  # fmt: skip
    services.case_transition(case=case, action="accept", actor=officer, on=received)
    services.case_transition(
        case=case, action="mediate", actor=officer, on=received + datetime.timedelta(days=1)
    )
    services.agreement_record(
        case=case, actor=officer, terms="总承包单位先行垫付全部欠薪，三日内一次付清", amount="140000.00",
        signed_on=received + datetime.timedelta(days=9), payment_due_on=received + datetime.timedelta(days=12),
    )  # fmt: skip
    services.recovery_record(
        case=case, actor=officer, amount="140000.00", on=received + datetime.timedelta(days=14),
        payer="宁夏建工集团第三建筑公司", kind="wages",
    )  # fmt: skip
    services.case_transition(
        case=case,
        action="close",
        actor=officer,
        outcome="mediated",
        on=received + datetime.timedelta(days=15),
    )
    _signed_agreement(case, officer)

    # a delivery rider's grade-9 work-injury claim mediated with the platform company
    received = today - datetime.timedelta(days=40)
    rider = _workers(random.Random(2), 1, CaseWorker.EmploymentForm.PLATFORM)
    case, _ = services.case_create(
        actor=officer, org=dwk, source="walk_in", category="injury",
        employer_name="宁夏顺丰速运有限公司大武口分部",
        facts="外卖骑手送餐途中摔伤，经鉴定为九级伤残，平台以不存在劳动关系为由拒赔。",
        workers=rider, claims=[ClaimInput(kind="injury", amount="86500.00", worker_index=0)],
        received_on=received, injury_on=received - datetime.timedelta(days=90),
    )  # fmt: skip
    services.case_transition(case=case, action="accept", actor=officer, on=received)
    services.case_transition(
        case=case, action="mediate", actor=officer, on=received + datetime.timedelta(days=2)
    )
    services.agreement_record(
        case=case, actor=officer, terms="平台公司一次性支付伤残补助及医疗费用", amount="78000.00",
        signed_on=received + datetime.timedelta(days=12), payment_due_on=received + datetime.timedelta(days=20),
    )  # fmt: skip
    services.case_share(case=case, agency=court, actor=officer, access="act", note="申请司法确认")
    services.agency_act_record(
        case=case, actor=court_user, kind="judicial_confirmation", on=received + datetime.timedelta(days=16),
        document_number="(2025)宁0202民特12号",
    )  # fmt: skip
    services.recovery_record(
        case=case, actor=officer, amount="78000.00", on=received + datetime.timedelta(days=19),
        payer="某平台科技有限公司", kind="injury",
    )  # fmt: skip
    services.case_transition(
        case=case,
        action="close",
        actor=officer,
        outcome="mediated",
        on=received + datetime.timedelta(days=20),
    )
    _signed_agreement(case, officer)

    # the demo worker's own case, in mediation, to follow by number and phone
    received = today - datetime.timedelta(days=5)
    case, _ = services.case_create(
        actor=officer, org=park, source="online", category="overtime",
        employer_name="宁夏星河新材料有限公司",
        facts="连续半年每周六加班未支付加班费。",
        workers=[WorkerInput(name="田小军", phone="13895270001", id_number=_demo_worker_id())],
        received_on=received, infringed_on=received - datetime.timedelta(days=30),
    )  # fmt: skip
    # the officer works the claim out with the overtime calculator: 26 Saturdays, about 160 hours
    services.claim_compute(
        case=case, actor=officer, calculator="overtime", save=True,
        worker_id=case.workers.get().pk,
        inputs={"monthly_wage": "5220.00", "rest_day_hours": "160"},
    )  # fmt: skip
    services.case_transition(case=case, action="accept", actor=officer, on=received)
    services.case_transition(
        case=case, action="mediate", actor=officer, on=received + datetime.timedelta(days=1)
    )
    # shown to labour inspection read-only (dwk_hrss reads it, and may add nothing to it)
    hrss = Org.objects.get(name__startswith="大武口区人力资源")
    services.case_share(
        case=case, agency=hrss, actor=officer, access="read", note="供劳动保障监察参阅"
    )

    # a court-entrusted mediation arriving from the court side
    received = today - datetime.timedelta(days=8)
    services.case_create(
        actor=court_user, org=dwk, source="court_entrusted", category="termination",
        employer_name="石嘴山市友谊商厦有限公司",
        facts="法院立案前委派调解：职工被违法解除劳动合同，主张赔偿金。",
        workers=_workers(random.Random(3), 1),
        claims=[ClaimInput(kind="damages", amount="32000.00", worker_index=0)],
        received_on=received, infringed_on=received - datetime.timedelta(days=25),
    )  # fmt: skip


def _signed_agreement(case: Case, officer) -> None:
    """Version 1 of the mediation agreement, generated from the case and marked signed (PDF and
    DOCX in private storage; about 0.3 s each once the fonts are loaded)."""
    from niangjia.rights import documents

    document = documents.document_generate(case=case, actor=officer, kind="mediation_agreement")
    documents.document_sign(document=document, actor=officer)


def _random_case(rng, i, officer, org, employers, received, today, court, hrss, police) -> None:
    category = rng.choices([c for c, _w in CATEGORY_WEIGHTS], [w for _c, w in CATEGORY_WEIGHTS])[0]
    employer = rng.choice(employers)
    employer_name = employer.name if isinstance(employer, Enterprise) else employer
    n = rng.choice([1, 1, 1, 1, 2, 3]) if category != "wages" else rng.choice([1, 1, 2, 3, 5, 8])
    form = rng.choice(
        [CaseWorker.EmploymentForm.STANDARD] * 6
        + [CaseWorker.EmploymentForm.PLATFORM, CaseWorker.EmploymentForm.DISPATCH]
    )
    workers = _workers(rng, n, form)
    amount = Decimal(rng.randint(30, 900) * 100)
    source = rng.choice(["walk_in", "walk_in", "hotline", "hotline", "online"])
    case, _ = services.case_create(
        actor=officer, org=org, source=source, category=category,
        employer=employer if isinstance(employer, Enterprise) else None, employer_name=employer_name,
        facts=f"{employer_name}涉及{n}名职工的劳动争议（演示案件{i + 1}）。",
        workers=workers,
        claims=[ClaimInput(kind=ClaimItem.kind_for_category(category), amount=amount, worker_index=k) for k in range(n)],
        received_on=received,
        infringed_on=received - datetime.timedelta(days=rng.randint(5, 120)),
        employment_ended_on=received - datetime.timedelta(days=rng.randint(5, 120)),
        injury_on=received - datetime.timedelta(days=rng.randint(5, 200)) if category == "injury" else None,
    )  # fmt: skip
    age = (today - received).days
    roll = rng.random()
    if roll < 0.06:
        services.case_transition(
            case=case, action="reject", actor=officer, reason="不属于劳动争议受理范围", on=received
        )
        return
    if age < 3 and roll < 0.5:
        return  # just registered
    services.case_transition(
        case=case, action="accept", actor=officer, on=received, override_reason="演示数据"
    )
    day = received + datetime.timedelta(days=1)
    services.case_transition(case=case, action="mediate", actor=officer, on=day)
    total = amount * n
    if age < 60 and roll < 0.55:
        return  # mediation still under way (some past their 15 days: overdue on the home page)
    if roll < 0.62 or age < 40:
        agreed = (total * Decimal(rng.choice([60, 80, 90, 100])) / 100).quantize(Decimal("0.01"))
        signed = day + datetime.timedelta(days=rng.randint(3, 12))
        services.agreement_record(
            case=case, actor=officer, terms="用人单位分期支付", amount=agreed, signed_on=min(signed, today),
            payment_due_on=min(signed + datetime.timedelta(days=10), today),
        )  # fmt: skip
        if court is not None and rng.random() < 0.15:
            services.case_share(
                case=case, agency=court, actor=officer, access="act", note="申请司法确认"
            )
        if (today - signed).days > 12:
            services.recovery_record(
                case=case, actor=officer, amount=agreed, on=min(signed + datetime.timedelta(days=10), today),
                payer=case.employer_name, kind="compensation" if category in {"termination", "compensation"} else "wages",
            )  # fmt: skip
            outcome = "mediated" if agreed == total else "partially_mediated"
            services.case_transition(
                case=case,
                action="close",
                actor=officer,
                outcome=outcome,
                on=min(signed + datetime.timedelta(days=11), today),
            )
            if rng.random() < 0.35:
                services.rating_submit(
                    case=case, score=rng.choice([5, 5, 5, 4, 4, 3]), comment="感谢工会帮忙"
                )
        return
    if hrss is not None and category == "wages" and rng.random() < 0.3:
        services.case_share(
            case=case, agency=hrss, actor=officer, access="act", note="请劳动保障监察介入"
        )
    if police is not None and category == "wages" and rng.random() < 0.05:
        services.case_share(
            case=case,
            agency=police,
            actor=officer,
            kind=CaseShare.Kind.POLICE_REFERRAL,
            note="涉嫌拒不支付劳动报酬",
        )
    arbitrated = min(day + datetime.timedelta(days=16), today)
    services.case_transition(case=case, action="arbitrate", actor=officer, on=arbitrated)
    if (today - arbitrated).days > 7 or rng.random() < 0.8:
        acceptance = case.deadlines.get(rule=services.RULE_ARBITRATION_ACCEPTANCE)
        services.deadline_complete(deadline=acceptance, actor=officer, note="仲裁委已按期受理")
    if age > 120:
        end = min(day + datetime.timedelta(days=rng.randint(60, 110)), today)
        if rng.random() < 0.6:
            services.recovery_record(
                case=case,
                actor=officer,
                amount=total,
                on=end,
                payer=case.employer_name,
                kind="wages" if category == "wages" else "compensation",
                over_claim_reason="",
            )
            services.case_transition(
                case=case, action="close", actor=officer, outcome="award", on=end
            )
        else:
            services.case_transition(
                case=case, action="close", actor=officer, outcome="withdrawn", on=end
            )


def _demo_worker_id() -> str:
    """worker_demo's ID number (orgs demo), so that the case is on his file and he sees it
    signed in; the link itself was made by the orgs demo, as staff would."""
    from niangjia.orgs.models import Person

    person = Person.objects.filter(user__username="worker_demo").first()
    return person.id_number if person else ""
