"""#11 §4 keys and their rotation: after `rotate_field_keys` the old key can be dropped."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from niangjia.core import pii
from niangjia.core.security import key_check_error, write_key_check
from niangjia.orgs.models import Person
from niangjia.orgs.services import person_find

VALID_ID = "11010519491231002X"


@pytest.fixture
def keys(settings):
    """Switch keys inside a test; the Fernet cache follows."""
    original = list(settings.FIELD_ENCRYPTION_KEYS)

    def use(*new_keys: str) -> None:
        settings.FIELD_ENCRYPTION_KEYS = list(new_keys)
        pii._fernet.cache_clear()

    yield original, use
    settings.FIELD_ENCRYPTION_KEYS = original
    pii._fernet.cache_clear()


def _stored(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_encrypted FROM orgs_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_rotate_field_keys_lets_the_old_key_be_dropped(keys):
    old, use = keys
    person = Person(name="张三")
    person.id_number = VALID_ID
    person.phone = "13812345678"
    person.save()
    write_key_check()
    before = _stored(person.pk)
    new = Fernet.generate_key().decode()

    use(new, *old)
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert _stored(person.pk) != before

    use(new)  # the old key is gone: every row and the key check still read
    assert key_check_error() is None
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.phone) == (VALID_ID, "13812345678")
    assert person_find(id_number=VALID_ID) == person  # blind index unchanged


@pytest.mark.django_db
def test_rotate_field_keys_refuses_to_run_with_a_key_that_cannot_read_the_database(keys):
    from django.core.management.base import CommandError

    _old, use = keys
    write_key_check()
    use(Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEY"):
        call_command("rotate_field_keys")
