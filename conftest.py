"""Shared personas over a small org tree, for scope and permission tests.

    全国总工会 N
    ├── 甲省 P1 ── 甲市 C1 ─┬─ 甲区 D1 ─┬─ 甲区法院 AG1 (agency), 甲区人社局 AG2 (agency)
    │                       │           └─ 甲街道 S1 ── 甲企业工会 G1   (E1 with union G1)
    │                       └─ 乙区 D2 ── 乙企业工会 G2                  (E2 covered by D2)
    └── 乙省 P2 ── 乙市 C2 ── 丙区 D3 ── 丙企业工会 G3                   (E3 covered by D3)

Staff personas hold their role at D1; `outsider` has an account and no role.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from niangjia.core.demo import fake_credit_code, fake_resident_id
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole

L = Org.Level
R = StaffRole.Role


def _child(parent: Org, name: str, level: str, **extra) -> Org:
    extra.setdefault("region_code", parent.region_code)
    return Org.objects.add_child(parent, {"name": name, "level": level, **extra})


def _agency(parent: Org, name: str, agency_type: str) -> Org:
    return Org.objects.add_child(
        parent,
        {
            "name": name,
            "kind": Org.Kind.AGENCY,
            "level": L.AGENCY,
            "agency_type": agency_type,
            "region_code": parent.region_code,
        },
    )


def make_person(name: str, org: Org, employer: Enterprise | None, id_seed: int, **extra) -> Person:
    import random

    person = Person(name=name, org=org, employer=employer, **extra)
    person.id_number = fake_resident_id(random.Random(id_seed), "640202")
    person.phone = f"138{id_seed:08d}"
    person.save()
    return person


@pytest.fixture(autouse=True)
def _fresh_cache():
    # throttle counters live in the cache; one test's requests must not throttle the next
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # uploads in tests never land in the checkout's var/
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for production; here it would dominate the suite's time
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rates(settings):
    """Set one throttle scope's rate for a test: rates("lookup", "2/minute")."""

    def set_rate(scope: str, rate: str) -> None:
        rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **{scope: rate})
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        cache.clear()

    return set_rate


@pytest.fixture
def world(db):
    import random

    rng = random.Random(7)
    w = SimpleNamespace()
    w.N = Org.objects.add_root({"name": "全国总工会", "level": L.NATIONAL, "region_code": "110000"})
    w.P1 = _child(w.N, "甲省总工会", L.PROVINCE, region_code="640000")
    w.C1 = _child(w.P1, "甲市总工会", L.CITY, region_code="640200")
    w.D1 = _child(w.C1, "甲区总工会", L.DISTRICT, region_code="640202")
    w.AG1 = _agency(w.D1, "甲区人民法院", Org.AgencyType.COURT)
    w.AG2 = _agency(w.D1, "甲区人社局", Org.AgencyType.HRSS)
    w.S1 = _child(w.D1, "甲街道工会", L.STREET)
    w.G1 = _child(w.S1, "甲企业工会", L.GRASSROOTS, grassroots_type="enterprise")
    w.D2 = _child(w.C1, "乙区总工会", L.DISTRICT, region_code="640205")
    w.G2 = _child(w.D2, "乙企业工会", L.GRASSROOTS, grassroots_type="enterprise")
    w.P2 = _child(w.N, "乙省总工会", L.PROVINCE, region_code="220000")
    w.C2 = _child(w.P2, "乙市总工会", L.CITY, region_code="220100")
    w.D3 = _child(w.C2, "丙区总工会", L.DISTRICT, region_code="220102")
    w.G3 = _child(w.D3, "丙企业工会", L.GRASSROOTS, grassroots_type="enterprise")

    def enterprise(name, org, union):
        return Enterprise.objects.create(
            name=name,
            credit_code=fake_credit_code(rng, org.region_code),
            industry="C",
            size="small",
            employee_count=50,
            org=org,
            union=union,
        )

    w.E1 = enterprise("甲企业", w.S1, w.G1)
    w.E2 = enterprise("乙企业", w.D2, w.G2)
    w.E3 = enterprise("丙企业", w.D3, w.G3)

    User = get_user_model()
    w.users = {}
    for role in [
        R.RIGHTS_OFFICER,
        R.STATION_MANAGER,
        R.CARE_OFFICER,
        R.CRAFTSMAN_COORDINATOR,
        R.VENUE_MANAGER,
        R.ORG_ADMIN,
    ]:
        user = User.objects.create_user(role.value, password="pw")
        StaffRole.objects.create(user=user, org=w.D1, role=role)
        w.users[role.value] = user
    liaison = User.objects.create_user("agency_liaison", password="pw")
    StaffRole.objects.create(user=liaison, org=w.AG1, role=R.AGENCY_LIAISON)
    w.users["agency_liaison"] = liaison
    contact = User.objects.create_user("enterprise_contact", password="pw")
    StaffRole.objects.create(user=contact, org=w.S1, role=R.ENTERPRISE_CONTACT, enterprise=w.E1)
    w.users["enterprise_contact"] = contact
    w.users["worker"] = User.objects.create_user("worker", password="pw")
    w.users["outsider"] = User.objects.create_user("outsider", password="pw")
    w.users["superuser"] = User.objects.create_superuser("root", password="pw")

    w.p_worker = make_person("甲工人", w.S1, w.E1, 1, user=w.users["worker"])
    w.p_e1 = make_person("甲职工", w.S1, w.E1, 2)
    w.p_e2 = make_person("乙职工", w.D2, w.E2, 3)
    w.p_e3 = make_person("丙职工", w.D3, w.E3, 4)
    # registered in D2 but a member in D1's subtree: visible to D1 staff through the membership
    w.p_moved = make_person("调入职工", w.D2, w.E1, 5)
    join = datetime.date(2020, 1, 1)
    w.m_worker = Member.objects.create(person=w.p_worker, union=w.G1, join_date=join)
    w.m_moved = Member.objects.create(person=w.p_moved, union=w.G1, join_date=join)
    w.m_e2 = Member.objects.create(person=w.p_e2, union=w.G2, join_date=join)
    w.m_e3 = Member.objects.create(person=w.p_e3, union=w.G3, join_date=join)
    return w
