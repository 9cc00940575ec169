from __future__ import annotations

import datetime

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from niangjia.core import pii
from niangjia.orgs.models import Person
from niangjia.orgs.services import person_find

VALID_ID = "11010519491231002X"


@pytest.fixture
def person(db):
    p = Person(name="张三")
    p.id_number = VALID_ID
    p.phone = "+86 138-1234-5678"
    p.save()
    return p


def test_id_number_and_phone_are_not_stored_in_plain_text(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_encrypted, phone_encrypted, id_number_hash FROM orgs_person"
        )
        row = cursor.fetchone()
    assert VALID_ID not in "".join(row)
    assert "13812345678" not in "".join(row)
    # but the model reads them back decrypted and normalised
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.id_number == VALID_ID
    assert fresh.phone == "13812345678"


def test_birth_date_and_gender_follow_the_id_number(person):
    assert person.birth_date == datetime.date(1949, 12, 31)
    assert person.gender == "F"  # 17th digit 2 is even


def test_masked_display_hides_the_middle(person):
    assert person.id_number_masked == "110105********002X"
    assert person.phone_masked == "138****5678"


def test_exact_lookup_uses_the_blind_index_in_any_spelling(person):
    assert person_find(id_number="11010519491231002x") == person
    assert person_find(phone="138 1234 5678") == person
    assert person_find(id_number="110105194912310011") is None


def test_the_same_value_encrypts_differently_each_time(db):
    assert pii.encrypt(VALID_ID) != pii.encrypt(VALID_ID)
    assert pii.blind_index(VALID_ID) == pii.blind_index(VALID_ID)


def test_rotated_keys_still_decrypt_old_values(person, settings):
    # given a new key put in front of the old one
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    pii._fernet.cache_clear()
    try:
        # then old rows read fine and lookups by hash still work (the hash key did not change)
        assert Person.objects.get(pk=person.pk).id_number == VALID_ID
        assert person_find(id_number=VALID_ID) == person
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        pii._fernet.cache_clear()


def test_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(person, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    pii._fernet.cache_clear()
    try:
        with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEY"):
            Person.objects.get(pk=person.pk)
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        pii._fernet.cache_clear()


def test_the_change_log_never_holds_personal_numbers(person):
    from auditlog.models import LogEntry

    person.phone = "13900001111"
    person.save()
    dumped = str(list(LogEntry.objects.values_list("changes", flat=True)))
    assert "13900001111" not in dumped
    assert VALID_ID not in dumped
    assert "id_number_hash" not in dumped
