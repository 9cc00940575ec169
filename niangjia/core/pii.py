"""Personal data at rest: Fernet encryption plus a keyed hash (blind index) for exact lookup.

The ciphertext is randomised, so equal values never look equal in the database; the HMAC is
deterministic, so `Person.objects.filter(id_number_hash=blind_index(x))` finds a person without
decrypting anything. The HMAC key is separate from the encryption keys so keys can rotate.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: fail loudly, never show ciphertext as data
        raise ValueError(
            "cannot decrypt a personal-data field: check FIELD_ENCRYPTION_KEY"
        ) from exc


def blind_index(value: str) -> str:
    """Keyed SHA-256 of a normalised value; equal inputs give equal digests."""
    return hmac.new(settings.FIELD_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext, exposes plaintext. Not searchable: pair it with a blind index."""

    def from_db_value(self, value, expression, connection):  # noqa: ARG002
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
