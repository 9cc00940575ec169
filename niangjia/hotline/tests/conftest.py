from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from niangjia.hotline import services

PHONE = "13977770001"


@pytest.fixture
def officer(world):
    return world.users["rights_officer"]


@pytest.fixture
def officer_api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def record(world, officer):
    def make(org=None, **overrides):
        data = {
            "actor": officer,
            "org": org or world.D1,
            "caller_phone": PHONE,
            "caller_name": "王建国",
            "employer_name": "宁夏某建筑劳务有限公司",
            "category": "wages",
            "question": "工地拖欠三个月工资，包工头联系不上。",
            "answer": "告知总承包单位先行清偿的规定。",
            "duration_seconds": 300,
        }
        data.update(overrides)
        return services.consultation_record(**data)

    return make


@pytest.fixture
def soon():
    return timezone.now() + datetime.timedelta(hours=2)
