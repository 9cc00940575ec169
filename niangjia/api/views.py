from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from niangjia.core.permissions import SUBTREE_PERMS, grants_for
from niangjia.orgs.models import Person
from niangjia.orgs.serializers import StaffRoleSerializer


class TokenView(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token"}`; then send `Authorization: Token …`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


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
