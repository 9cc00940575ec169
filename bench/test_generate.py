"""The benchmark generator at toy size: it must keep building a valid tree and valid people as the
models evolve, and the runner must refuse a database that is not a benchmark database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import generate as gen
from bench.run import check_target
from niangjia.core.validators import resident_id_error
from niangjia.orgs.models import Org, Person
from niangjia.orgs.selectors import org_subtree
from niangjia.orgs.services import person_find


@pytest.fixture
def tree(db):
    gen.generate_orgs(600, seed=7)
    return gen.shape_for(600)


def test_tree_is_what_treebeard_would_build(tree):
    assert Org.objects.find_problems() == ([], [], [], [], [])
    assert gen.tree_problems() == dict.fromkeys(
        ["wrong_depth", "orphans", "wrong_numchild", "misplaced_agencies"], 0
    )
    counts = gen.level_counts()
    assert counts[Org.Level.PROVINCE] == tree.provinces
    assert counts[Org.Level.DISTRICT] == tree.districts
    assert counts[Org.Level.AGENCY] == tree.agencies
    assert counts[Org.Level.GRASSROOTS] == tree.grassroots
    assert Org.objects.count() == 600
    root = Org.objects.get(depth=1)
    assert len(Org.objects.get_children(root)) == root.numchild == tree.provinces
    # treebeard keeps working on the generated tree
    district = Org.objects.filter(level=Org.Level.DISTRICT).first()
    district.refresh_from_db()
    added = Org.objects.add_child(
        district, instance=Org(name="新增街道总工会", level=Org.Level.STREET, region_code="110101")
    )
    assert added.path.startswith(district.path)
    assert added.depth == district.depth + 1


def test_subtree_is_one_query(tree):
    province = Org.objects.filter(level=Org.Level.PROVINCE).order_by("-numchild").first()
    with CaptureQueriesContext(connection) as ctx:
        count = org_subtree(province).count()
    assert len(ctx.captured_queries) == 1
    assert count == Org.objects.filter(path__startswith=province.path).count() > 1


def test_people_have_valid_unique_encrypted_ids(tree):
    gen.generate_people(300, seed=7, workers=1, chunk=70)
    people = list(Person.objects.select_related("org"))
    assert len(people) == 300
    assert all(p.org.level == Org.Level.GRASSROOTS for p in people)
    assert all(resident_id_error(p.id_number) is None for p in people)
    assert len({p.id_number for p in people}) == 300
    with connection.cursor() as cursor:  # the column holds ciphertext, not the ID number
        cursor.execute(f"SELECT id_number_encrypted FROM {Person._meta.db_table} LIMIT 1")
        assert cursor.fetchone()[0].startswith("gAAAAA")  # a Fernet token
    sample = people[123]
    assert person_find(id_number=sample.id_number) == sample
    assert sample.birth_date.isoformat().replace("-", "") == sample.id_number[6:14]


def test_fictional_ids_do_not_repeat_across_regions():
    ids = {gen.resident_id(i, "640202")[0][6:17] for i in range(0, gen.MAX_PEOPLE, 9973)}
    assert len(ids) == len(range(0, gen.MAX_PEOPLE, 9973))


def test_runner_refuses_a_database_not_named_bench(db):
    if "bench" in str(connection.settings_dict["NAME"]):
        pytest.skip("the test database itself is named *bench*")
    with pytest.raises(SystemExit) as exc:
        check_target(force=False)
    assert exc.value.code == 2


def test_runner_refuses_foreign_data_even_with_force(db):
    Org.objects.add_root(
        instance=Org(name="真实的总工会", level=Org.Level.NATIONAL, region_code="110000")
    )
    with pytest.raises(SystemExit):
        check_target(force=True)
