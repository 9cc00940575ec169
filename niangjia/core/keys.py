"""Rotation of the field-encryption key (FIELD_ENCRYPTION_KEY, a comma-separated list).

Fernet encrypts with the first key of the list and decrypts with any of them. Rotating is:
put the new key first and keep the old ones after it; run `manage.py rotate_field_keys`, which
re-encrypts every encrypted column (and the key check value) with the new key; then drop the old
keys. The blind indexes do not change: their key is FIELD_HASH_KEY, which defaults to one derived
from the LAST key of the list, so set FIELD_HASH_KEY explicitly before the old key is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import transaction
from django.db.models import Model

from niangjia.core.pii import EncryptedTextField, encrypt

BATCH = 500


def encrypted_columns() -> Iterator[tuple[type[Model], list[str]]]:
    """Every concrete model with encrypted columns, and those columns' names."""
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and not model._meta.proxy
        ]
        if fields:
            yield model, fields


def rotate_model(model: type[Model], fields: list[str]) -> int:
    """Re-encrypt `fields` of every row with the first key; returns the rows rewritten.

    Reading decrypts with any key in the list and saving encrypts with the first one. Each batch
    is its own transaction, so a long rotation can be stopped and run again: rows already on the
    new key are simply rewritten once more."""
    manager = model._base_manager
    done = 0
    last_pk = None
    while True:
        qs = manager.order_by("pk").only("pk", *fields)
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        rows = list(qs[:BATCH])
        if not rows:
            return done
        with transaction.atomic():
            manager.bulk_update(rows, fields)
        done += len(rows)
        last_pk = rows[-1].pk


def rotate_key_check() -> None:
    from niangjia.core.models import KeyCheck
    from niangjia.core.security import CANARY_NAME, CANARY_PLAINTEXT, key_check_error

    if key_check_error() is None:
        KeyCheck.objects.filter(name=CANARY_NAME).update(token=encrypt(CANARY_PLAINTEXT))
