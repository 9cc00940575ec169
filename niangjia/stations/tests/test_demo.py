from __future__ import annotations

import io
import time

from django.core.management import call_command

from niangjia.stations.models import Station


def test_demo_loads_465_changchun_stations_quickly_and_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from niangjia.orgs import demo as orgs_demo
    from niangjia.stations import demo

    orgs_demo.load(io.StringIO())
    started = time.perf_counter()
    demo.load(io.StringIO())
    assert time.perf_counter() - started < 20
    assert Station.objects.filter(org__name__endswith="总工会").count() == 465
    assert Station.objects.filter(name__startswith="冰雪新天地集装箱驿站").count() == 12
    hosted = Station.objects.filter(host_enterprise__name="长春公交集团有限公司")
    assert hosted.exists()
    assert all(s.host_name.startswith("长春公交") for s in hosted)
    demo.load(io.StringIO())
    assert Station.objects.count() == 465
    from django.contrib.auth import get_user_model

    from niangjia.core.permissions import Perm, filter_for

    cc = get_user_model().objects.get(username="cc_stations")
    assert filter_for(cc, Perm.STATION_EDIT, Station.objects.all()).count() == 465
    call_command("check", stdout=io.StringIO())
