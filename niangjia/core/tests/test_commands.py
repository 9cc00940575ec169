from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from niangjia.orgs.models import Enterprise, Org, Person, StaffRole


def test_the_demo_loader_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Org.objects.exists()


@pytest.mark.django_db
def test_the_demo_world_loads_once_with_every_account(django_user_model):
    # when loaded twice
    call_command("load_demo", force=True, stdout=StringIO())
    counts = (Org.objects.count(), Enterprise.objects.count(), Person.objects.count())
    call_command("load_demo", force=True, stdout=StringIO())
    # then nothing is duplicated
    assert (Org.objects.count(), Enterprise.objects.count(), Person.objects.count()) == counts
    # and every demo account exists with the documented password and scope
    for username in [
        "admin", "dwk_rights", "szs_rights", "dwk_court", "dwk_hrss", "cc_stations", "tj_care",
        "sjz_craft", "yx_venues", "ent_demo", "craft_demo", "worker_demo",
    ]:  # fmt: skip
        assert django_user_model.objects.get(username=username).check_password("demo-pass-2025")
    assert StaffRole.objects.get(user__username="dwk_rights").org.name == "大武口区总工会"
    assert StaffRole.objects.get(user__username="dwk_court").org.agency_type == "court"
    # Zhangli township: 11 village unions and 15 enterprise unions
    zhangli = Org.objects.get(name="张李乡工会")
    below = Org.objects.filter(path__startswith=zhangli.path, level="grassroots")
    assert below.filter(grassroots_type="village").count() == 11
    assert below.filter(grassroots_type="enterprise").count() == 15
    assert Person.objects.get(user__username="worker_demo").memberships.count() == 1
    # worker_demo's own case is on his file, so he follows it signed in (#11)
    from niangjia.rights.models import Case

    assert Case.objects.filter(workers__person__user__username="worker_demo").count() == 1


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    # given a database with an org
    Org.objects.add_root({"name": "备份测试总工会", "level": "national", "region_code": "110000"})
    target = tmp_path / "round.backup"
    call_command("backup", str(target), stdout=StringIO())
    assert target.stat().st_size > 0
    # when the org is removed and the backup restored
    Org.objects.all().delete()
    call_command("restore", str(target), yes=True, stdout=StringIO())
    # then the org is back
    assert Org.objects.filter(name="备份测试总工会").count() == 1


def test_restore_of_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", str(tmp_path / "none.backup"), yes=True)
