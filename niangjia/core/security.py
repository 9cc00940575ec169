"""Start-up and response safeguards of #11 §4 (个人信息保护法).

- The field-encryption key check: a known value is encrypted with FIELD_ENCRYPTION_KEY when the
  database is first migrated (post_migrate); every start (system check, WSGI/ASGI import) must
  decrypt it, so a wrong key stops the start with a clear message instead of every lookup
  silently answering "not found".
- The Permissions-Policy header (settings.PERMISSIONS_POLICY).
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections

CANARY_NAME = "field-encryption"
CANARY_PLAINTEXT = "niangjia field encryption key check"

WRONG_KEY = (
    "FIELD_ENCRYPTION_KEY cannot decrypt the key check value stored in this database (written "
    "with the key in use when it was first migrated): the key is wrong, or it was rotated "
    "without keeping the old key at the end of the comma-separated list. Personal data "
    "(ID numbers, phones) would not decrypt, so the start is refused."
)


def _table_exists(using: str) -> bool:
    from niangjia.core.models import KeyCheck

    connection = connections[using]
    with connection.cursor() as cursor:
        return KeyCheck._meta.db_table in connection.introspection.table_names(cursor)


def write_key_check(using: str = "default", **kwargs) -> None:
    """post_migrate: store the key check value once, encrypted with the current key."""
    from niangjia.core.models import KeyCheck
    from niangjia.core.pii import encrypt

    if not _table_exists(using):
        return
    if not KeyCheck.objects.using(using).filter(name=CANARY_NAME).exists():
        KeyCheck.objects.using(using).create(name=CANARY_NAME, token=encrypt(CANARY_PLAINTEXT))


def key_check_error(using: str = "default") -> str | None:
    """Why the configured key cannot read this database, or None (also None when the database
    is not migrated yet or not reachable: migrate must be able to run on an empty database)."""
    from niangjia.core.models import KeyCheck
    from niangjia.core.pii import decrypt

    try:
        if not _table_exists(using):
            return None
        row = KeyCheck.objects.using(using).filter(name=CANARY_NAME).first()
    except DatabaseError:
        return None
    if row is None:
        return None
    try:
        ok = decrypt(row.token) == CANARY_PLAINTEXT
    except ValueError:
        ok = False
    return None if ok else WRONG_KEY


@checks.register(checks.Tags.security)
def check_field_encryption_key(app_configs=None, **kwargs):
    databases = kwargs.get("databases")
    if databases is not None and "default" not in databases:
        return []
    error = key_check_error()
    return [checks.Critical(error, id="niangjia.E001")] if error else []


def verify_field_encryption_key() -> None:
    """For wsgi/asgi: refuse to serve with a key that cannot read the database."""
    error = key_check_error()
    if error:
        raise ImproperlyConfigured(error)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
