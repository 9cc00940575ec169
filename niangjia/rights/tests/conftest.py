from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from niangjia.rights import services
from niangjia.rights.services import ClaimInput, WorkerInput


@pytest.fixture
def officer_api(world):
    client = APIClient()
    client.force_authenticate(world.users["rights_officer"])
    return client


@pytest.fixture
def make_case(world):
    def make(org=None, **overrides):
        data = {
            "actor": world.users["rights_officer"],
            "org": org or world.D1,
            "source": "walk_in",
            "category": "wages",
            "employer_name": "宁夏某建筑劳务有限公司",
            "facts": "拖欠三个月工资",
            "workers": [
                WorkerInput(name="张建军", id_number="11010519491231002X", phone="13912345678"),
                WorkerInput(name="李卫东", phone="13912345679"),
            ],
            "claims": [
                ClaimInput(kind="wages", amount="60000.00", worker_index=0),
                ClaimInput(kind="wages", amount="40000.00", worker_index=1),
            ],
            "employment_ended_on": datetime.date(2026, 6, 30),
            "received_on": datetime.date(2026, 7, 2),
        }
        data.update(overrides)
        case, _created = services.case_create(**data)
        return case

    return make
