"""Demo data for the care module (called by load_demo after orgs): the 天津经开区 winter
send-warmth campaign over 200+ enterprises and courier depots, several thousand workers by default
(80,000+ with --full), gift packages, cash for workers in hardship, a mobile-kitchen lunch, visits,
and a city-level campaign above it that reached some of the same workers. Loads once."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from niangjia.care import imports
from niangjia.care.models import (
    Beneficiary,
    Campaign,
    EnterpriseVisit,
    HardshipFile,
    ItemType,
    TargetGroup,
)
from niangjia.core.demo import fake_credit_code, fake_mobile, fake_name, fake_resident_id
from niangjia.core.pii import blind_index
from niangjia.orgs.models import Enterprise, Org, Person

ZONE = "天津经济技术开发区总工会"
DEPOTS_UNION = "泰达快递物流联合工会"
CITY = "天津市总工会"
DEFAULT_WORKERS = 3_000
FULL_WORKERS = 82_000
FIRMS = [
    "精密机械",
    "汽车零部件",
    "电子科技",
    "生物医药",
    "新材料",
    "食品",
    "智能装备",
    "包装",
    "化工",
    "光电",
    "物流",
    "模具",
    "医疗器械",
    "新能源",
    "软件",
]
DEPOT_BRANDS = [
    ("顺丰速运", "sf"),
    ("中通快递", "zto"),
    ("圆通速递", "yto"),
    ("京东物流", "jd"),
    ("美团配送", "meituan"),
    ("饿了么蜂鸟", "eleme"),
    ("货拉拉", "huolala"),
    ("滴滴出行", "didi"),
]
STREETS = [
    "第一大街",
    "第二大街",
    "第三大街",
    "第五大街",
    "第七大街",
    "第九大街",
    "第十一大街",
    "第十三大街",
    "洞庭路",
    "黄海路",
    "南海路",
    "新城西路",
    "泰华路",
    "西区新业",
]


def season(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    year = today.year if today.month >= 6 else today.year - 1
    return year + 1, datetime.date(year, 11, 15), datetime.date(year + 1, 2, 28)


def load(stdout, full: bool = False) -> None:
    zone = Org.objects.filter(name=ZONE).first()
    depots_union = Org.objects.filter(name=DEPOTS_UNION).first()
    if zone is None or depots_union is None:
        stdout.write("送温暖：缺少天津经开区组织，跳过")
        return
    spring, starts, ends = season(timezone.localdate())
    name = f"{spring}年天津经开区“两节”送温暖活动"
    if Campaign.objects.filter(org=zone, name=name).exists():
        stdout.write("送温暖：已加载，跳过")
        return
    started = time.perf_counter()
    rng = random.Random(20250126)
    officer = get_user_model().objects.filter(username="tj_care").first()
    enterprises, depots = _enterprises(rng, zone, depots_union)
    workers = FULL_WORKERS if full else DEFAULT_WORKERS
    beneficiaries = _workers(rng, workers, zone, enterprises, depots, officer)

    campaign = Campaign.objects.create(
        name=name,
        org=zone,
        starts_on=starts,
        ends_on=ends,
        budget_amount=Decimal(0),
        target_groups=[
            TargetGroup.HARDSHIP,
            TargetGroup.NEW_FORM,
            TargetGroup.FRONTLINE,
            TargetGroup.MODEL_WORKER,
            TargetGroup.MIGRANT,
        ],
        teams="第一慰问组：刘海燕、王磊、张敏（快递物流片区）\n第二慰问组：赵强、李娜（制造业片区）\n"
        "流动餐车组：陈晓、周涛",
        status=Campaign.Status.ACTIVE,
        created_by=officer,
    )
    campaign.enterprises.set([*enterprises, *depots])
    gift = ItemType.objects.create(
        campaign=campaign, name="新春慰问品礼包", kind="gift", unit_value=Decimal("300")
    )
    cash = ItemType.objects.create(
        campaign=campaign, name="困难职工慰问金", kind="cash", unit_value=Decimal("2000")
    )
    lunch = ItemType.objects.create(
        campaign=campaign, name="流动餐车爱心午餐", kind="service", unit_value=Decimal("25")
    )
    brochure = ItemType.objects.create(
        campaign=campaign, name="新就业形态劳动者权益手册", kind="brochure", unit_value=Decimal(0)
    )

    rows: list[imports.Row] = []
    line = 1
    for b, person, id_number in beneficiaries:
        base = {
            "name": person.name,
            "id_number": id_number,
            "id_hash": person.id_number_hash,
            "phone": "",
            "category": b.category,
            "employer": b.employer,
            "platform": b.platform,
            "depot": b.depot,
        }
        picks = []
        if rng.random() < 0.78:
            picks.append((gift, 1, Decimal("300.00")))
        if b.category == TargetGroup.HARDSHIP and rng.random() < 0.9:
            picks.append(
                (cash, 1, Decimal(rng.choice([800, 1000, 1500, 2000])).quantize(Decimal("0.01")))
            )
        if b.category == TargetGroup.NEW_FORM:
            if rng.random() < 0.55:
                picks.append((lunch, 1, Decimal("25.00")))
            if rng.random() < 0.7:
                picks.append((brochure, 1, Decimal("0.00")))
        for item, quantity, amount in picks:
            line += 1
            rows.append(imports.Row(line=line, item=item, quantity=quantity, amount=amount, **base))
    total = sum((r.amount for r in rows), Decimal(0))
    campaign.budget_amount = (total * Decimal("1.15")).quantize(Decimal("10000"))
    campaign.save(update_fields=["budget_amount"])
    created = imports.save_rows(campaign, rows, actor=officer)

    visited = [e for e in [*enterprises, *depots] if rng.random() < 0.72]
    EnterpriseVisit.objects.bulk_create(
        EnterpriseVisit(
            campaign=campaign,
            enterprise=e,
            org=e.org,
            visited_on=starts + datetime.timedelta(days=rng.randint(0, 40)),
            team=rng.choice(["第一慰问组", "第二慰问组", "流动餐车组"]),
            workers_met=rng.randint(5, 60),
            items_left="慰问品、宣传手册",
            staff=officer,
        )
        for e in visited
    )
    _city_campaign(rng, zone, starts, ends, spring, beneficiaries, officer)
    stdout.write(
        f"送温暖：{len(enterprises) + len(depots)} 家企业/站点，{len(beneficiaries)} 名职工，"
        f"{created} 条发放记录（{time.perf_counter() - started:.1f} 秒）"
    )


def _enterprises(rng, zone: Org, depots_union: Org):
    existing = list(Enterprise.objects.filter(org__path__startswith=zone.path))
    depots = [e for e in existing if e.org_id == depots_union.pk]
    firms = [e for e in existing if e.org_id != depots_union.pk]
    new = []
    for i in range(max(0, 130 - len(firms))):
        new.append(
            Enterprise(
                name=f"天津{rng.choice(['泰达', '滨海', '津南', '开发区', '海河'])}{FIRMS[i % len(FIRMS)]}"
                f"有限公司（{STREETS[i % len(STREETS)]}{i + 1}号）",
                credit_code=fake_credit_code(rng, "120116"),
                industry="C",
                size=rng.choice(["small", "medium", "medium", "large"]),
                employee_count=rng.randint(60, 1800),
                org=zone,
                address=f"天津经开区{STREETS[i % len(STREETS)]}",
            )
        )
    for i in range(max(0, 90 - len(depots))):
        brand, _platform = DEPOT_BRANDS[i % len(DEPOT_BRANDS)]
        street = STREETS[i % len(STREETS)]
        new.append(
            Enterprise(
                name=f"{brand}天津经开区{street}站点（{i + 1}）",
                credit_code=fake_credit_code(rng, "120116"),
                industry="G",
                size="small",
                employee_count=rng.randint(15, 120),
                org=depots_union,
                address=f"天津经开区{street}",
            )
        )
    Enterprise.objects.bulk_create(new)
    existing = list(
        Enterprise.objects.filter(org__path__startswith=zone.path).select_related("org")
    )
    return (
        [e for e in existing if e.org_id != depots_union.pk],
        [e for e in existing if e.org_id == depots_union.pk],
    )


def _platform_of(depot: Enterprise) -> str:
    for brand, platform in DEPOT_BRANDS:
        if depot.name.startswith(brand):
            return platform
    return "other"


def _workers(rng, count, zone, enterprises, depots, officer):
    seen = set(
        Person.objects.filter(id_number_hash__isnull=False).values_list("id_number_hash", flat=True)
    )
    people, meta = [], []
    while len(people) < count:
        id_number = fake_resident_id(
            rng, rng.choice(["120116", "120110", "130102", "410102", "370102"])
        )
        digest = blind_index(id_number)
        if digest in seen:
            continue
        seen.add(digest)
        courier = rng.random() < 0.38
        if courier:
            depot, employer = rng.choice(depots), None
            employer = depot
            category = TargetGroup.NEW_FORM
        else:
            depot, employer = None, rng.choice(enterprises)
            roll = rng.random()
            category = (
                TargetGroup.HARDSHIP
                if roll < 0.06
                else TargetGroup.MODEL_WORKER
                if roll < 0.08
                else TargetGroup.MIGRANT
                if roll < 0.25
                else TargetGroup.FRONTLINE
            )
        person = Person(name=fake_name(rng), org=employer.org, employer=employer)
        person.id_number = id_number
        person.phone = fake_mobile(rng)
        people.append(person)
        meta.append((category, employer, depot, id_number))
    Person.objects.bulk_create(people, batch_size=2000)
    beneficiaries = []
    for person, (category, employer, depot, _id) in zip(people, meta, strict=True):
        b = Beneficiary(
            person=person,
            org=employer.org,
            employer=employer if not depot else None,
            category=category,
            depot=depot,
            platform=_platform_of(depot) if depot else "",
        )
        if category == TargetGroup.HARDSHIP and rng.random() < 0.5:
            b.bank_card = f"6222{rng.randint(0, 10**15 - 1):015d}"
            b.bank_name = "中国工商银行天津开发区支行"
        beneficiaries.append(b)
    Beneficiary.objects.bulk_create(beneficiaries, batch_size=2000)
    today = timezone.localdate()
    HardshipFile.objects.bulk_create(
        HardshipFile(
            beneficiary=b,
            level=rng.choice(["deep", "relative", "relative", "accident"]),
            cause=rng.choice(
                ["本人患重病", "子女上学负担重", "配偶失业", "工伤致残", "家庭遭遇火灾"]
            ),
            household_size=rng.randint(2, 5),
            household_income_amount=Decimal(rng.randint(18, 60) * 1000),
            status="helping",
            verified_by=officer,
            verified_on=today - datetime.timedelta(days=300),
            # about one file in eight is past its review date: the register flags it
            next_review_on=today + datetime.timedelta(days=rng.randint(-60, 330)),
        )
        for b in beneficiaries
        if b.category == TargetGroup.HARDSHIP
    )
    return [(b, p, m[3]) for b, p, m in zip(beneficiaries, people, meta, strict=True)]


def _city_campaign(rng, zone, starts, ends, spring, beneficiaries, officer):
    """A city-level campaign above the zone that already reached some of the same workers: the
    cross-campaign warning appears when the zone gives them aid again."""
    city = Org.objects.filter(name=CITY).first()
    if city is None:
        return
    campaign = Campaign.objects.create(
        name=f"{spring}年天津市总工会新春慰问困难职工",
        org=city,
        starts_on=starts,
        ends_on=ends,
        budget_amount=Decimal("200000"),
        target_groups=[TargetGroup.HARDSHIP],
        status=Campaign.Status.ACTIVE,
    )
    item = ItemType.objects.create(
        campaign=campaign, name="市总新春慰问金", kind="cash", unit_value=Decimal("1000")
    )
    hardship = [t for t in beneficiaries if t[0].category == TargetGroup.HARDSHIP][:40]
    rows = [
        imports.Row(
            line=i,
            name=p.name,
            id_number=id_number,
            id_hash=p.id_number_hash,
            phone="",
            category=b.category,
            employer=b.employer,
            platform="",
            depot=b.depot,
            item=item,
            quantity=1,
            amount=Decimal("1000.00"),
            note="市总专项慰问（演示）",
        )
        for i, (b, p, id_number) in enumerate(hardship, start=2)
    ]
    if rows:
        imports.save_rows(campaign, rows, actor=officer)
