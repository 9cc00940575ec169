"""API tokens (django-rest-knox): stored as a SHA-512 digest, never in clear; each expires after
API_TOKEN_IDLE_TTL without use and API_TOKEN_MAX_TTL after it was issued, whatever the use; the
owner lists and revokes them; a password change revokes them all.

The API contract is unchanged: `POST /api/v1/auth/token/ {"username", "password"}` → `{"token"}`,
then `Authorization: Token <token>`. The token text is shown once, when it is issued."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from knox.models import AuthToken

security_log = logging.getLogger("niangjia.security")

# the public handle of a token in lists and URLs: the start of its digest (never the token)
TOKEN_ID_LENGTH = 16


def token_id(token: AuthToken) -> str:
    return token.digest[:TOKEN_ID_LENGTH]


def tokens_for(user):
    """The user's tokens that are still valid, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


@transaction.atomic
def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new token for `user`: (the stored row, the token text, shown once).

    A user keeps at most API_TOKEN_MAX_PER_USER tokens; issuing one more drops the oldest (a
    script that signs in on every run must not pile up tokens, each checked on every request)."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    instance, text = AuthToken.objects.create(user=user, expiry=settings.API_TOKEN_IDLE_TTL)
    keep = list(
        AuthToken.objects.filter(user=user)
        .order_by("-created")
        .values_list("digest", flat=True)[: settings.API_TOKEN_MAX_PER_USER]
    )
    AuthToken.objects.filter(user=user).exclude(digest__in=keep).delete()
    security_log.info("api token issued", extra={"event": "token_issued", "user_id": user.pk})
    return instance, text


def token_revoke(*, user, token_id_prefix: str) -> bool:
    """Revoke one of `user`'s own tokens by its id; False when there is none such."""
    prefix = (token_id_prefix or "")[:TOKEN_ID_LENGTH]
    if len(prefix) != TOKEN_ID_LENGTH:
        return False
    deleted, _ = AuthToken.objects.filter(user=user, digest__startswith=prefix).delete()
    if deleted:
        security_log.info("api token revoked", extra={"event": "token_revoked", "user_id": user.pk})
    return bool(deleted)


def tokens_revoke_all(*, user) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    if deleted:
        security_log.info(
            "api tokens revoked",
            extra={"event": "tokens_revoked", "user_id": user.pk, "count": deleted},
        )
    return deleted


@receiver(post_save, sender=get_user_model(), dispatch_uid="niangjia-revoke-tokens-on-password")
def _revoke_tokens_on_password_change(sender, instance, created, **kwargs) -> None:
    """Every path that sets a password (the change page, the admin, `changepassword`, a reset)
    goes through `set_password`, which leaves the new password in `_password` until the save is
    done; a login that only re-hashes the same password clears it first and keeps the tokens."""
    if created or getattr(instance, "_password", None) is None:
        return
    tokens_revoke_all(user=instance)
