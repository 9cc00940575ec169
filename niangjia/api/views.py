from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.api.throttling import ScopedThrottle
from niangjia.core.lockout import is_locked_out, lockout_message
from niangjia.core.permissions import SUBTREE_PERMS, grants_for
from niangjia.orgs.models import Person
from niangjia.orgs.serializers import StaffRoleSerializer


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())


class TokenView(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token"}`; then send `Authorization: Token …`.

    The login lockout applies: after AXES_FAILURE_LIMIT failures for a username, a 429 with a
    Chinese `detail`, even for the right password."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    def get_serializer_context(self):
        # authenticate() gets the HttpRequest, so axes' flags land where its middleware looks
        return {**super().get_serializer_context(), "request": self.request._request}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if is_locked_out(request):
            raise LockedOut
        if not valid:
            raise exceptions.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


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
