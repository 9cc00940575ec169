from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.api.throttling import ScopedThrottle
from niangjia.core import tokens
from niangjia.core.lockout import is_locked_out, lockout_message
from niangjia.core.permissions import SUBTREE_PERMS, grants_for
from niangjia.orgs.models import Person
from niangjia.orgs.serializers import StaffRoleSerializer


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())


_TOKEN = inline_serializer("IssuedToken", {"token": serializers.CharField()})
_TOKEN_INFO = inline_serializer(
    "ApiToken",
    {
        "id": serializers.CharField(help_text="令牌编号（摘要的前 16 位，不是令牌本身）"),
        "created": serializers.DateTimeField(),
        "expiry": serializers.DateTimeField(
            help_text="闲置到期时间；每次使用顺延，但不超过最长期限"
        ),
        "current": serializers.BooleanField(help_text="是否为本次请求所用的令牌"),
    },
    many=True,
)


class TokenView(APIView):
    """`POST {"username", "password"}` → `{"token"}`; then send `Authorization: Token …`.

    The token is stored hashed and expires (API_TOKEN_IDLE_TTL unused, API_TOKEN_MAX_TTL in all).
    The login lockout applies: after AXES_FAILURE_LIMIT failures for a username, a 429 with a
    Chinese `detail`, even for the right password."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    @extend_schema(request=AuthTokenSerializer, responses={200: _TOKEN}, auth=[])
    def post(self, request, *args, **kwargs):
        # authenticate() gets the HttpRequest, so axes' flags land where its middleware looks
        serializer = AuthTokenSerializer(data=request.data, context={"request": request._request})
        valid = serializer.is_valid()
        if is_locked_out(request):
            raise LockedOut
        if not valid:
            raise exceptions.ValidationError(serializer.errors)
        _instance, text = tokens.token_issue(user=serializer.validated_data["user"])
        return Response({"token": text})


class TokenListView(APIView):
    """The caller's own API tokens (never the token text); `DELETE` revokes all of them."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: _TOKEN_INFO})
    def get(self, request):
        current = getattr(request.auth, "digest", None)
        return Response(
            [
                {
                    "id": tokens.token_id(t),
                    "created": t.created,
                    "expiry": t.expiry,
                    "current": t.digest == current,
                }
                for t in tokens.tokens_for(request.user)
            ]
        )

    @extend_schema(operation_id="v1_auth_tokens_revoke_all", responses={204: None})
    def delete(self, request):
        tokens.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    """Revoke one of the caller's own tokens by its `id` (from the list)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_auth_tokens_revoke", responses={204: None, 404: None})
    def delete(self, request, token_id: str):
        if not tokens.token_revoke(user=request.user, token_id_prefix=token_id):
            raise NotFound(_("未找到。"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.IntegerField(),
                "username": serializers.CharField(),
                "name": serializers.CharField(),
                "is_superuser": serializers.BooleanField(),
                "person": serializers.IntegerField(allow_null=True),
                "roles": StaffRoleSerializer(many=True),
                "scopes": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        user = request.user
        grants = grants_for(user)
        person = Person.objects.filter(user=user).values_list("pk", flat=True).first()
        scopes = [
            {
                "org": grant.org_id,
                "org_name": grant.org.name,
                "role": grant.role,
                "subtree": True,
                "permissions": sorted(SUBTREE_PERMS[grant.role]),
            }
            for grant in grants
        ]
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "name": user.get_full_name() or user.get_username(),
                "is_superuser": user.is_superuser,
                "person": person,
                "roles": StaffRoleSerializer(grants, many=True).data,
                "scopes": scopes,
            }
        )
