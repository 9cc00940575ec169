"""Demo data for the stations module (called by load_demo after orgs): 长春's 465 stations across
its districts — containers at the ice-and-snow park, stations in shopping streets and at courier
depots — with hours, amenities, exceptions, and visits over last winter. bulk_create throughout,
so it loads in a second or two; loads once (re-running changes nothing)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from niangjia.core.demo import fake_credit_code
from niangjia.orgs.models import Enterprise, Org
from niangjia.stations import coords
from niangjia.stations.hours import parse_hours
from niangjia.stations.models import (
    Checkin,
    Rating,
    Report,
    Station,
    StationEvent,
    StationException,
    Tally,
)

CITY = "长春市总工会"
MARKER_CODE = "220100-0001"
T = Station.Type
H = Station.HostKind

# district union -> (count, centre in GCJ-02 as a 高德 picker gives it, spread in degrees, places)
DISTRICTS = {
    "南关区总工会": (
        95,
        (43.862, 125.345),
        0.035,
        ["人民大街", "解放大路", "亚泰大街", "民康路", "南岭", "自由大路", "净月大街", "全安广场"],
    ),
    "宽城区总工会": (
        85,
        (43.915, 125.328),
        0.035,
        ["长江路", "北京大街", "凯旋路", "团山街道", "青岛路", "长春站北广场", "台北大街"],
    ),
    "朝阳区总工会": (
        100,
        (43.846, 125.292),
        0.035,
        ["红旗街", "桂林路", "西安大路", "湖西路", "延安大街", "前进大街", "工农大路", "朝阳公园"],
    ),
    "二道区总工会": (
        80,
        (43.872, 125.398),
        0.035,
        ["东盛大街", "吉林大路", "远达大街", "荣光路", "东环城路", "八里堡", "劲松路"],
    ),
    "绿园区总工会": (
        80,
        (43.882, 125.255),
        0.035,
        ["青年路", "皓月大路", "西新镇", "普阳街", "景阳大路", "欧亚卖场", "春城大街"],
    ),
}
ICE_PARK = (43.7985, 125.4605)  # 长春冰雪新天地 (GCJ-02), containers in a 1 km square
SHOPPING = [
    ("重庆路商圈", (43.8925, 125.3185)),
    ("红旗街商圈", (43.8672, 125.2932)),
    ("桂林路商圈", (43.8681, 125.3125)),
    ("欧亚卖场", (43.8761, 125.2633)),
    ("长江路步行街", (43.9021, 125.3292)),
]
HOSTS = [
    (H.SHOP, "{p}便利店"),
    (H.SHOP, "{p}药房"),
    (H.SHOP, "{p}银行网点"),
    (H.ENTERPRISE, "中国邮政{p}营业所"),
    (H.ENTERPRISE, "{p}快递服务站"),
    (H.ENTERPRISE, "{p}环卫作业站"),
    (H.ENTERPRISE, "长春公交{p}场站"),
    (H.GOVERNMENT, "{p}街道办事处"),
    (H.GOVERNMENT, "{p}社区服务中心"),
    (H.GOVERNMENT, "{p}交警岗亭"),
    (H.UNION, "{p}工会服务站"),
]
# hosts that are enterprises registered on the platform: their stations link to them
HOST_ENTERPRISES = {
    "中国邮政{p}营业所": ("中国邮政集团有限公司长春市分公司", "G", 4200),
    "长春公交{p}场站": ("长春公交集团有限公司", "G", 9800),
    "{p}环卫作业站": ("长春市城市环境卫生服务有限公司", "N", 3100),
}
TYPES = [(T.UNION, 0.45), (T.OUTDOOR, 0.3), (T.LOVE, 0.2), (T.CONTAINER, 0.05)]
HOURS = [
    ("24小时", 0.12),
    ("每天 07:00-19:00", 0.25),
    ("周一至周五 08:00-18:00；周六、周日 09:00-17:00", 0.3),
    ("每天 06:30-20:30", 0.18),
    ("周一至周六 08:30-17:30", 0.15),
]
AMENITY_ODDS = {
    "hot_water": 0.85,
    "seating": 0.96,
    "charging": 0.8,
    "heating": 0.88,
    "wifi": 0.6,
    "microwave": 0.5,
    "toilet": 0.4,
    "first_aid": 0.6,
    "books": 0.3,
    "fridge": 0.15,
    "tools": 0.2,
    "umbrella": 0.3,
}
EVENTS = [
    "“流动厨房”暖心午餐（快递网点）",
    "冬季送温暖：棉手套、暖贴发放",
    "骑手安全骑行讲座",
    "免费理发、义诊进驿站",
    "腊八粥暖心送",
    "新春饺子宴",
]


def _short(host_tpl: str) -> str:
    short = host_tpl.format(p="")
    if short == "{p}快递服务站".format(p=""):
        return "快递"
    for tail in ("服务站", "作业站", "场站", "服务中心", "营业所", "办事处"):
        short = short.removesuffix(tail)
    return short.replace("中国邮政", "邮政").replace("长春公交", "公交")


def _weighted(rng: random.Random, options):
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _point(rng: random.Random, centre, spread):
    return centre[0] + rng.gauss(0, spread / 2), centre[1] + rng.gauss(0, spread / 1.6)


def _station(
    rng, *, code, name, org, centre, spread, kind, host, hours_text, address, day, status="open"
):
    glat, glng = _point(rng, centre, spread)
    lat, lng = coords.gcj02_to_wgs84(glat, glng)
    amenities = {
        c: (day - datetime.timedelta(days=rng.randint(0, 120))).isoformat()
        for c, p in AMENITY_ODDS.items()
        if rng.random() < p
    }
    return Station(
        code=code,
        name=name,
        type=kind,
        org=org,
        host_kind=host[0],
        host_name=host[1],
        address=address,
        lat=lat,
        lng=lng,
        coord_system=coords.GCJ02,
        input_lat=round(glat, 6),
        input_lng=round(glng, 6),
        amenities=amenities,
        hours=parse_hours(hours_text),
        hours_verified_on=day - datetime.timedelta(days=rng.randint(0, 90)),
        contact_name=rng.choice("王李张刘陈杨赵孙") + rng.choice(["师傅", "站长", "女士", "先生"]),
        contact_phone=f"0431-8{rng.randint(1000000, 9999999)}",
        status=status,
        access=Station.Access.MEMBERS if rng.random() < 0.08 else Station.Access.PUBLIC,
    )


def load(stdout, full: bool = False) -> None:  # noqa: ARG001 - one size
    if Station.objects.filter(code=MARKER_CODE).exists():
        stdout.write("驿站：已加载，跳过")
        return
    orgs = {o.name: o for o in Org.objects.filter(name__in=[CITY, *DISTRICTS])}
    if CITY not in orgs:
        stdout.write("驿站：没有长春市总工会，跳过")
        return
    rng = random.Random(465)
    today = timezone.localdate()
    stations: list[Station] = []
    names: set[str] = set()

    def unique(name: str) -> str:
        n, base = 2, name
        while name in names:
            name, n = f"{base}（{n}号）", n + 1
        names.add(name)
        return name

    # the city union's own: containers at the ice-and-snow park and stations in shopping streets
    city = orgs[CITY]
    seq = 1
    for i in range(1, 13):
        stations.append(
            _station(
                rng,
                code=f"220100-{seq:04d}",
                name=unique(f"冰雪新天地集装箱驿站{i}号"),
                org=city,
                centre=ICE_PARK,
                spread=0.008,
                kind=T.CONTAINER,
                host=(H.UNION, "长春市总工会"),
                hours_text="每天 09:00-21:30",
                address=f"长春冰雪新天地园区{i}号门附近",
                day=today,
            )
        )
        seq += 1
    for i in range(13):
        place, centre = SHOPPING[i % len(SHOPPING)]
        stations.append(
            _station(
                rng,
                code=f"220100-{seq:04d}",
                name=unique(f"{place}工会驿站"),
                org=city,
                centre=centre,
                spread=0.004,
                kind=T.UNION,
                host=(H.SHOP, f"{place}商户联盟"),
                hours_text="每天 09:00-21:00",
                address=f"长春市{place}",
                day=today,
            )
        )
        seq += 1
    for org_name, (count, centre, spread, places) in DISTRICTS.items():
        org = orgs[org_name]
        for i in range(1, count + 1):
            place = rng.choice(places)
            host_kind, host_tpl = rng.choice(HOSTS)
            kind = _weighted(rng, TYPES)
            suffix = {
                T.UNION: "工会驿站",
                T.OUTDOOR: "户外劳动者服务站",
                T.LOVE: "爱心驿站",
                T.CONTAINER: "集装箱驿站",
            }[kind]
            status = "open"
            if i % 23 == 0:
                status = "suspended"
            elif i % 41 == 0:
                status = "closed"
            stations.append(
                _station(
                    rng,
                    code=f"{org.region_code}-{i:04d}",
                    name=unique(f"{place}{_short(host_tpl)}{suffix}"),
                    org=org,
                    centre=centre,
                    spread=spread,
                    kind=kind,
                    host=(host_kind, host_tpl.format(p=place)),
                    hours_text=_weighted(rng, HOURS),
                    address=f"长春市{org_name[:3]}{place}{rng.randint(1, 2999)}号",
                    day=today,
                    status=status,
                )
            )
    hosts = _host_enterprises(rng, orgs[CITY])
    for station in stations:
        template = next((t for t in HOST_ENTERPRISES if _fits(t, station.host_name)), None)
        if template is not None:
            station.host_enterprise = hosts[template]
    Station.objects.bulk_create(stations, batch_size=500)
    stations = list(Station.objects.filter(org__path__startswith=city.path).order_by("pk"))
    _activity(rng, stations, today)
    stdout.write(f"驿站：{len(stations)} 个（长春），含接待、评价、反馈和活动")


def _fits(template: str, host_name: str) -> bool:
    head, _sep, tail = template.partition("{p}")
    return host_name.startswith(head) and host_name.endswith(tail)


def _host_enterprises(rng: random.Random, city: Org) -> dict[str, Enterprise]:
    return {
        template: Enterprise.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": fake_credit_code(rng, city.region_code),
                "industry": industry,
                "size": Enterprise.Size.LARGE,
                "employee_count": employees,
                "org": city,
                "address": "长春市",
            },
        )[0]
        for template, (name, industry, employees) in HOST_ENTERPRISES.items()
    }


def _activity(rng: random.Random, stations: list[Station], today: datetime.date) -> None:
    winter_start = (
        datetime.date(today.year - 1, 12, 1)
        if today.month < 12
        else datetime.date(today.year, 12, 1)
    )
    if winter_start > today - datetime.timedelta(days=30):
        winter_start = datetime.date(winter_start.year - 1, 12, 1)
    winter_end = datetime.date(winter_start.year + 1, 2, 28)
    days = [
        winter_start + datetime.timedelta(days=i)
        for i in range((winter_end - winter_start).days + 1)
    ]
    user = get_user_model().objects.filter(username="cc_stations").first()
    tallies = []
    for s in stations:
        base = 60 if s.type == T.CONTAINER else rng.randint(8, 45)
        for day in days:
            cold = 1.4 if day.month == 1 else 1.0
            weekend = 1.3 if day.weekday() >= 5 and s.type == T.CONTAINER else 1.0
            tallies.append(
                Tally(
                    station=s,
                    date=day,
                    visits=max(0, int(rng.gauss(base * cold * weekend, base / 4))),
                    recorded_by=user,
                )
            )
    Tally.objects.bulk_create(tallies, batch_size=2000)
    # QR check-ins over the last two weeks at a few busy stations
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    checkins = []
    for s in rng.sample(stations, 40):
        for d in range(14):
            for k in range(rng.randint(2, 8)):
                at = now - datetime.timedelta(days=d, hours=rng.randint(1, 10))
                checkins.append(
                    Checkin(station=s, device_id=f"demo-{s.pk}-{d}-{k}", hour=at, at=at)
                )
    Checkin.objects.bulk_create(checkins, batch_size=2000, ignore_conflicts=True)
    ratings = []
    for s in rng.sample(stations, 150):
        for k in range(rng.randint(1, 6)):
            ratings.append(
                Rating(
                    station=s,
                    device_id=f"demo-{s.pk}-{k}",
                    score=rng.choices([5, 4, 3, 2], [6, 3, 1, 0.3])[0],
                    comment=rng.choice(
                        ["", "热水很方便", "冬天很暖和", "工作人员热情", "能充电太好了"]
                    ),
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=1000)
    events = [
        StationEvent(
            station=s, date=rng.choice(days), title=rng.choice(EVENTS), served=rng.randint(30, 300)
        )
        for s in rng.sample(stations, 30)
    ]
    StationEvent.objects.bulk_create(events)
    reports = []
    for s in rng.sample(stations, 12):
        kind = rng.choice([Report.Kind.CLOSED, Report.Kind.NO_HOT_WATER, Report.Kind.AMENITY])
        reports.append(
            Report(
                station=s,
                kind=kind,
                note=rng.choice(["晚上六点来的时候门锁着", "饮水机坏了", "充电线不见了", ""]),
                device_id="demo",
            )
        )
    for r in reports[8:]:
        r.status, r.resolution, r.resolved_by, r.resolved_at = (
            Report.Status.RESOLVED,
            "已联系承办单位处理",
            None,
            timezone.now(),
        )
    Report.objects.bulk_create(reports)
    spring = datetime.date(winter_start.year + 1, 2, 16)
    excs = [
        StationException(
            station=s,
            kind=StationException.Kind.HOLIDAY,
            start_date=spring,
            end_date=spring + datetime.timedelta(days=6),
            reason="春节假期",
        )
        for s in stations[::7]
    ]
    excs += [
        StationException(
            station=s,
            kind=StationException.Kind.CLOSURE,
            start_date=today,
            end_date=today + datetime.timedelta(days=3),
            reason="设备检修",
        )
        for s in stations[5:8]
    ]
    StationException.objects.bulk_create(excs)
