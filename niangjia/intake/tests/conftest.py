from __future__ import annotations

import pytest
from rest_framework.test import APIClient

TEXT = (
    "我和3个工友在宏达建筑有限公司第三项目部干钢筋活，包工头拖欠2026年3月至今工资共计十四万元，"
    "春节前再不给我们就去堵门"
)


@pytest.fixture
def api_for(world):
    def make(role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            client.force_authenticate(world.users[role])
        return client

    return make


@pytest.fixture
def officer_api(api_for):
    return api_for("rights_officer")
