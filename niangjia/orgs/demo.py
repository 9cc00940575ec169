"""Demo world for orgs: the union tree of the places in DESIGN.md, partner agencies, enterprises,
fictional people and members, and the demo accounts. Loads once; re-running changes nothing."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model

from niangjia.core.demo import fake_credit_code, fake_mobile, fake_name, fake_resident_id
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole

L = Org.Level
A = Org.AgencyType
R = StaffRole.Role

# (name, level, region, children); agencies are ("agency", name, type)
TREE = (
    "中华全国总工会",
    L.NATIONAL,
    "110000",
    [
        (
            "宁夏回族自治区总工会",
            L.PROVINCE,
            "640000",
            [
                (
                    "石嘴山市总工会",
                    L.CITY,
                    "640200",
                    [
                        (
                            "大武口区总工会",
                            L.DISTRICT,
                            "640202",
                            [
                                ("agency", "大武口区人民法院", A.COURT),
                                (
                                    "agency",
                                    "大武口区人力资源和社会保障局（劳动保障监察大队）",
                                    A.HRSS,
                                ),
                                (
                                    "agency",
                                    "石嘴山市劳动人事争议仲裁委员会大武口仲裁院",
                                    A.ARBITRATION,
                                ),
                                ("agency", "大武口区司法局", A.JUSTICE),
                                ("agency", "石嘴山市公安局大武口区分局", A.POLICE),
                                (
                                    "石嘴山高新技术产业开发区工会（职工维权服务工作室）",
                                    L.STREET,
                                    "640202",
                                    [],
                                ),
                                ("长胜街道总工会", L.STREET, "640202", []),
                            ],
                        ),
                        (
                            "惠农区总工会",
                            L.DISTRICT,
                            "640205",
                            [
                                ("agency", "惠农区人民法院", A.COURT),
                                ("河滨街道总工会", L.STREET, "640205", []),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "吉林省总工会",
            L.PROVINCE,
            "220000",
            [
                (
                    "长春市总工会",
                    L.CITY,
                    "220100",
                    [
                        ("南关区总工会", L.DISTRICT, "220102", []),
                        ("宽城区总工会", L.DISTRICT, "220103", []),
                        ("朝阳区总工会", L.DISTRICT, "220104", []),
                        ("二道区总工会", L.DISTRICT, "220105", []),
                        ("绿园区总工会", L.DISTRICT, "220106", []),
                    ],
                ),
            ],
        ),
        (
            "天津市总工会",
            L.PROVINCE,
            "120000",
            [
                (
                    "天津经济技术开发区总工会",
                    L.DISTRICT,
                    "120116",
                    [
                        ("泰达快递物流联合工会", L.STREET, "120116", []),
                    ],
                ),
            ],
        ),
        (
            "河北省总工会",
            L.PROVINCE,
            "130000",
            [
                (
                    "石家庄市总工会",
                    L.CITY,
                    "130100",
                    [
                        ("长安区总工会", L.DISTRICT, "130102", []),
                        ("裕华区总工会", L.DISTRICT, "130108", []),
                    ],
                ),
            ],
        ),
        (
            "安徽省总工会",
            L.PROVINCE,
            "340000",
            [
                (
                    "六安市总工会",
                    L.CITY,
                    "341500",
                    [
                        (
                            "寿县总工会",
                            L.DISTRICT,
                            "341521",
                            [
                                ("张李乡工会", L.STREET, "341521", []),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "广东省总工会",
            L.PROVINCE,
            "440000",
            [
                (
                    "广州市总工会",
                    L.CITY,
                    "440100",
                    [
                        (
                            "越秀区总工会",
                            L.DISTRICT,
                            "440104",
                            [
                                ("人民街道总工会", L.STREET, "440104", []),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)

ZHANGLI_VILLAGES = [
    "张李村",
    "新桥村",
    "杨仙村",
    "安城村",
    "楼塘村",
    "七门堰村",
    "枣林村",
    "兴隆村",
    "凉亭村",
    "芮岗村",
    "双塘村",
]
# (covering org, region, [(enterprise name, industry, size, employees, has union)])
ENTERPRISES = {
    "石嘴山高新技术产业开发区工会（职工维权服务工作室）": (
        "640202",
        [
            ("宁夏星河新材料有限公司", "C", "medium", 420, True),
            ("石嘴山市恒达机械制造有限公司", "C", "medium", 260, True),
            ("宁夏瑞丰碳基材料股份有限公司", "C", "large", 1150, True),
            ("大武口区宏远建筑劳务有限公司", "E", "small", 85, False),
            ("石嘴山市鑫泰物流有限公司", "G", "small", 64, True),
            ("宁夏北方硅业有限公司", "C", "large", 880, True),
            ("石嘴山市顺捷快递服务有限公司", "G", "small", 48, False),
            ("大武口区金穗餐饮管理有限公司", "H", "micro", 22, False),
        ],
    ),
    "长胜街道总工会": (
        "640202",
        [
            ("大武口区安居物业服务有限公司", "K", "small", 95, True),
            ("石嘴山市友谊商厦有限公司", "F", "medium", 210, True),
        ],
    ),
    "河滨街道总工会": (
        "640205",
        [
            ("惠农区兴达冶金有限公司", "C", "medium", 330, True),
            ("惠农区恒通运输有限公司", "G", "small", 70, False),
        ],
    ),
    "泰达快递物流联合工会": (
        "120116",
        [
            ("天津泰达顺达快递服务有限公司（经开区站点）", "G", "small", 120, True),
            ("天津中捷速递有限公司经开区分部", "G", "small", 96, True),
            ("天津韵通快运有限公司开发区营业部", "G", "small", 88, True),
            ("天津饿了么骑手配送站（经开区）", "G", "small", 150, False),
            ("天津美团众包配送站（第二大街）", "G", "small", 132, False),
            ("天津一汽丰田汽车有限公司（演示）", "C", "large", 2600, True),
            ("天津经开区环卫服务有限公司", "N", "medium", 310, True),
        ],
    ),
    "长安区总工会": (
        "130102",
        [
            ("石家庄华北精工制造有限公司", "C", "medium", 380, True),
            ("石家庄冀中智能装备有限公司", "C", "medium", 290, True),
            ("石家庄长安区阳光纺织有限公司", "C", "small", 140, False),
        ],
    ),
    "裕华区总工会": (
        "130108",
        [
            ("河北裕华生物医药有限公司", "C", "medium", 450, True),
        ],
    ),
    "张李乡工会": (
        "341521",
        [
            (f"寿县张李乡{name}", industry, size, employees, True)
            for name, industry, size, employees in [
                ("瓦埠湖水产养殖合作社", "A", "small", 40),
                ("丰源米业有限公司", "C", "small", 65),
                ("绿野农产品加工厂", "C", "small", 52),
                ("晨光服装厂", "C", "small", 88),
                ("安丰塘生态农业有限公司", "A", "small", 35),
                ("寿州香草莓种植基地", "A", "micro", 18),
                ("鑫源建材有限公司", "C", "small", 46),
                ("永安家具厂", "C", "small", 58),
                ("楚都电子元件厂", "C", "small", 120),
                ("张李乡卫生院", "Q", "small", 45),
                ("惠民超市有限公司", "F", "micro", 16),
                ("顺通运输有限公司", "G", "micro", 21),
                ("正阳关茶叶有限公司", "A", "small", 33),
                ("淮南王豆腐食品厂", "C", "small", 42),
                ("八公山旅游开发有限公司", "R", "small", 37),
            ]
        ],
    ),
    "人民街道总工会": (
        "440104",
        [
            ("广州越秀北京路百货有限公司", "F", "medium", 260, True),
            ("广州人民街餐饮服务有限公司", "H", "small", 75, False),
            ("广州越秀城市更新建设有限公司", "E", "medium", 180, True),
        ],
    ),
}

ACCOUNTS = [
    # username, full name, role, org name, enterprise name (for contacts)
    ("dwk_rights", "马文静", R.RIGHTS_OFFICER, "大武口区总工会", None),
    ("szs_rights", "王立新", R.RIGHTS_OFFICER, "惠农区总工会", None),
    ("dwk_court", "杨法官", R.AGENCY_LIAISON, "大武口区人民法院", None),
    (
        "dwk_hrss",
        "李监察",
        R.AGENCY_LIAISON,
        "大武口区人力资源和社会保障局（劳动保障监察大队）",
        None,
    ),
    ("cc_stations", "赵春雪", R.STATION_MANAGER, "长春市总工会", None),
    ("tj_care", "刘海燕", R.CARE_OFFICER, "天津经济技术开发区总工会", None),
    ("sjz_craft", "张建国", R.CRAFTSMAN_COORDINATOR, "石家庄市总工会", None),
    ("yx_venues", "陈晓东", R.VENUE_MANAGER, "越秀区总工会", None),
    ("ent_demo", "孙经理", R.ENTERPRISE_CONTACT, "长安区总工会", "石家庄华北精工制造有限公司"),
]


def _add(parent: Org, **fields) -> Org:
    return Org.objects.add_child(parent, fields)


def _build(parent: Org | None, node, orgs: dict[str, Org]) -> None:
    if node[0] == "agency":
        _, name, agency_type = node
        orgs[name] = _add(
            parent,
            name=name,
            kind=Org.Kind.AGENCY,
            level=L.AGENCY,
            agency_type=agency_type,
            region_code=parent.region_code,
            address=f"{parent.name}辖区",
        )
        return
    name, level, region, children = node
    fields = {"name": name, "level": level, "region_code": region, "contact_name": "办公室"}
    org = Org.objects.add_root(fields) if parent is None else Org.objects.add_child(parent, fields)
    orgs[name] = org
    for child in children:
        _build(org, child, orgs)


def load(stdout, full: bool = False) -> None:  # noqa: ARG001 - the org world has one size
    if Org.objects.exists():
        stdout.write("组织与人员：已加载，跳过")
        return
    rng = random.Random(2025)
    orgs: dict[str, Org] = {}
    _build(None, TREE, orgs)
    zhangli = orgs["张李乡工会"]
    for village in ZHANGLI_VILLAGES:
        orgs[village] = _add(
            zhangli,
            name=f"寿县张李乡{village}工会",
            level=L.GRASSROOTS,
            grassroots_type=Org.GrassrootsType.VILLAGE,
            region_code="341521",
        )

    enterprises: dict[str, Enterprise] = {}
    for covering_name, (region, rows) in ENTERPRISES.items():
        covering = orgs[covering_name]
        for name, industry, size, employees, has_union in rows:
            union = None
            if has_union:
                union = _add(
                    covering,
                    name=f"{name}工会",
                    level=L.GRASSROOTS,
                    grassroots_type=Org.GrassrootsType.ENTERPRISE,
                    region_code=region,
                )
            enterprises[name] = Enterprise.objects.create(
                name=name,
                credit_code=fake_credit_code(rng, region),
                industry=industry,
                size=size,
                employee_count=employees,
                org=covering,
                union=union,
                address=f"{covering.name}辖区",
            )

    # short names print on case numbers: 石嘴山高新区维〔2026〕0001号
    Org.objects.filter(pk=orgs["石嘴山高新技术产业开发区工会（职工维权服务工作室）"].pk).update(
        short_name="石嘴山高新区"
    )
    _people_and_members(rng, enterprises)
    _accounts(orgs, enterprises)
    stdout.write(
        f"组织与人员：{Org.objects.count()} 个组织，{Enterprise.objects.count()} 家企业，"
        f"{Person.objects.count()} 名人员，{Member.objects.count()} 名会员"
    )


def _people_and_members(rng: random.Random, enterprises: dict[str, Enterprise]) -> None:
    for enterprise in enterprises.values():
        region = enterprise.credit_code[2:8]
        for _ in range(min(12, max(3, enterprise.employee_count // 30))):
            person = Person(name=fake_name(rng), org=enterprise.org, employer=enterprise)
            person.id_number = fake_resident_id(rng, region)
            person.phone = fake_mobile(rng)
            person.save()
            if enterprise.union_id and rng.random() < 0.85:
                Member.objects.create(
                    person=person,
                    union_id=enterprise.union_id,
                    join_date=datetime.date(rng.randint(2008, 2024), rng.randint(1, 12), 1),
                )


def _accounts(orgs: dict[str, Org], enterprises: dict[str, Enterprise]) -> None:
    User = get_user_model()
    password = settings.DEMO_PASSWORD
    User.objects.create_superuser("admin", "admin@example.org", password, first_name="系统管理员")
    for username, full_name, role, org_name, enterprise_name in ACCOUNTS:
        user = User.objects.create_user(username, password=password, first_name=full_name)
        StaffRole.objects.create(
            user=user,
            org=orgs[org_name],
            role=role,
            enterprise=enterprises[enterprise_name] if enterprise_name else None,
        )
    rng = random.Random(12351)
    # a model worker and an ordinary worker: people with accounts, who see their own records
    craft = User.objects.create_user("craft_demo", password=password, first_name="郭铁成")
    craftsman = Person(
        name="郭铁成",
        org=orgs["长安区总工会"],
        employer=enterprises["石家庄华北精工制造有限公司"],
        user=craft,
    )
    craftsman.id_number = fake_resident_id(rng, "130102", min_age=40, max_age=55)
    craftsman.phone = fake_mobile(rng)
    craftsman.save()
    worker = User.objects.create_user("worker_demo", password=password, first_name="田小军")
    employer = enterprises["宁夏星河新材料有限公司"]
    person = Person(name="田小军", org=employer.org, employer=employer, user=worker)
    person.id_number = fake_resident_id(rng, "640202", min_age=25, max_age=35)
    person.phone = "13895270001"
    person.save()
    Member.objects.create(
        person=person, union_id=employer.union_id, join_date=datetime.date(2021, 3, 1)
    )
    for member in (craftsman,):
        Member.objects.create(
            person=member, union_id=member.employer.union_id, join_date=datetime.date(2009, 5, 1)
        )
