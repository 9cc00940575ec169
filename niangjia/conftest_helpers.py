"""Small builders shared by tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import random

from niangjia.core.demo import fake_credit_code
from niangjia.orgs.models import Enterprise, Org


def add_enterprises(org: Org, count: int, seed: int = 1) -> list[Enterprise]:
    rng = random.Random(seed)
    return Enterprise.objects.bulk_create(
        Enterprise(
            name=f"批量企业{i}",
            credit_code=fake_credit_code(rng, org.region_code),
            industry="C",
            size="small",
            org=org,
        )
        for i in range(count)
    )
