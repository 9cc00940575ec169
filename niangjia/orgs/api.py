"""REST endpoints for orgs, enterprises, people and members; all scoped, writes via services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from niangjia.api.errors import Conflict
from niangjia.api.filters import IdFilter
from niangjia.api.permissions import ScopedViewSetMixin
from niangjia.core import consent
from niangjia.core.audit import log_access
from niangjia.core.permissions import Perm, get_for_user, has_perm
from niangjia.core.redact import api_search_term
from niangjia.orgs import selectors, services
from niangjia.orgs.exceptions import PersonRegisteredElsewhere
from niangjia.orgs.models import Enterprise, Member, Org, Person, subtree_q
from niangjia.orgs.serializers import (
    AccessLogEntrySerializer,
    BindConfirmSerializer,
    BindRequestSerializer,
    DetailSerializer,
    EnterpriseSerializer,
    LinkUserSerializer,
    MemberSerializer,
    OrgSerializer,
    PersonSerializer,
    SearchSerializer,
)


class OrgFilter(filters.FilterSet):
    within = IdFilter(method="filter_within", label="子树（组织 ID，含自身）")
    parent = IdFilter(method="filter_parent", label="上级组织 ID")

    class Meta:
        model = Org
        fields = ["kind", "level", "region_code", "agency_type"]

    def filter_within(self, qs, name, value):
        org = get_object_or_404(Org, pk=value)
        return qs.filter(subtree_q(org.path))

    def filter_parent(self, qs, name, value):
        org = get_object_or_404(Org, pk=value)
        return qs.filter(subtree_q(org.path), depth=org.depth + 1)


class OrgViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission = Perm.ORG_VIEW
    write_permission = Perm.ORG_EDIT
    serializer_class = OrgSerializer
    filterset_class = OrgFilter

    def get_queryset(self):
        # the parent id from the path (parent path = path minus one step): one query for any page
        parent = Org.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Org.steplen)
        ).values("pk")[:1]
        return self.scoped(Org.objects.all()).annotate(parent_id=Subquery(parent)).order_by("path")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = get_for_user(self.request.user, Perm.ORG_EDIT, Org, pk=data.pop("parent_id"))
        org = services.org_create(actor=self.request.user, parent=parent, **data)
        org.parent_id = parent.pk
        serializer.instance = org


class EnterpriseViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    permission = Perm.ENTERPRISE_VIEW
    write_permission = Perm.ENTERPRISE_EDIT
    serializer_class = EnterpriseSerializer
    filterset_fields = ["industry", "size", "org"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return self.scoped(selectors.enterprise_list(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        org = get_for_user(self.request.user, Perm.ENTERPRISE_EDIT, Org, pk=data.pop("org").pk)
        enterprise = services.enterprise_create(actor=self.request.user, org=org, **data)
        serializer.instance = self.get_queryset().get(pk=enterprise.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "org" in data:
            data["org"] = get_for_user(
                self.request.user, Perm.ENTERPRISE_EDIT, Org, pk=data["org"].pk
            )
        services.enterprise_update(actor=self.request.user, enterprise=serializer.instance, **data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class PersonViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """`?q=` finds by name; `POST search/` with `{"q": …}` finds by exact ID number or phone
    (blind index) or name: an ID number or phone never travels in a URL (400 if it does)."""

    permission = Perm.PERSON_VIEW
    write_permission = Perm.PERSON_EDIT
    serializer_class = PersonSerializer

    def get_queryset(self):
        return self.scoped(
            selectors.person_list(self.request.user, search=api_search_term(self.request))
        )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        log_access(request, self.get_object())
        return response

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        employer = data.pop("employer", None)
        if employer is not None:
            employer = get_for_user(
                self.request.user, Perm.ENTERPRISE_VIEW, Enterprise, pk=employer.pk
            )
        active = getattr(self.request.user, "active_role", None)
        orgs = selectors.org_list(self.request.user).filter(kind=Org.Kind.UNION)
        org = active.org if active is not None else orgs.order_by("depth", "path").first()
        if org is None:
            raise ValidationError({"detail": "您没有可登记人员的组织"})
        try:
            person, _created = services.person_upsert(
                actor=self.request.user, org=org, employer=employer, **data
            )
        except PersonRegisteredElsewhere as exc:
            # no field of that person: only that the number is registered elsewhere, and how
            # to ask for a share
            raise Conflict(exc.message_dict["id_number"][0]) from exc
        serializer.instance = person

    @extend_schema(
        request=LinkUserSerializer,
        responses={200: PersonSerializer, 409: DetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-user")
    def link_user(self, request, pk=None):
        """Link a platform account to this person on purpose (person-edit rights, audited)."""
        person = get_for_user(request.user, Perm.PERSON_EDIT, Person, pk=pk)
        serializer = LinkUserSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person = services.person_link_user(
                actor=request.user, person=person, username=serializer.validated_data["username"]
            )
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise Conflict(exc.messages[0]) from exc
        return Response(PersonSerializer(person).data)

    @extend_schema(request=None, responses={200: PersonSerializer, 409: DetailSerializer})
    @action(detail=True, methods=["post"], url_path="unlink-user")
    def unlink_user(self, request, pk=None):
        """Remove the account link of this person (person-edit rights, audited)."""
        person = get_for_user(request.user, Perm.PERSON_EDIT, Person, pk=pk)
        try:
            person = services.person_unlink_user(actor=request.user, person=person)
        except DjangoValidationError as exc:
            raise Conflict(exc.messages[0]) from exc
        return Response(PersonSerializer(person).data)

    @extend_schema(request=SearchSerializer, responses=PersonSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request, *args, **kwargs):
        """People in scope by exact ID number or phone, or by name (`q` in the body)."""
        return self.list(request, *args, **kwargs)

    @extend_schema(responses=AccessLogEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="access-log")
    def access_log(self, request, pk=None):
        """Who looked at this person's file (个人信息保护法): views, reveals and exports of the
        person and of their cases, care files and calls in the caller's subtree, newest first.
        For staff with data-protection duty (`people.privacy_audit`, union admins)."""
        if not has_perm(request.user, Perm.PRIVACY_AUDIT):
            raise PermissionDenied("您没有查看个人信息访问记录的权限")
        person = get_for_user(request.user, Perm.PRIVACY_AUDIT, Person, pk=pk)
        entries = selectors.person_access_log(request.user, person)
        page = self.paginate_queryset(entries)
        rows = selectors.access_log_rows(page)
        return self.get_paginated_response(AccessLogEntrySerializer(rows, many=True).data)


class MemberViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission = Perm.MEMBER_VIEW
    write_permission = Perm.MEMBER_EDIT
    serializer_class = MemberSerializer
    filterset_fields = ["union", "person"]

    def get_queryset(self):
        return self.scoped(Member.objects.select_related("person", "union")).order_by(
            F("join_date").desc(), "pk"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        union = get_for_user(self.request.user, Perm.MEMBER_EDIT, Org, pk=data["union"].pk)
        person = get_for_user(self.request.user, Perm.PERSON_VIEW, Person, pk=data["person"].pk)
        serializer.instance = services.member_add(
            actor=self.request.user, person=person, union=union, join_date=data["join_date"]
        )


# --- 绑定我的档案 (identity binding by the worker) -----------------------------------------


class BindRequestView(APIView):
    """`POST {"id_number", "phone", "consent": true}`: a code goes to the phone on file of that
    person if the phone matches and the person has no account. The answer is the same either
    way (202); then `POST /api/v1/me/bind/confirm/ {"code"}`."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "bind"

    @extend_schema(request=BindRequestSerializer, responses={202: DetailSerializer})
    def post(self, request):
        serializer = BindRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.binding_request(
            user=request.user,
            id_number=data["id_number"],
            phone=data["phone"],
            consent_version=consent.version_if_given(data["consent"]),
        )
        return Response({"detail": str(services.BIND_SENT)}, status=status.HTTP_202_ACCEPTED)


class BindConfirmView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "bind"

    @extend_schema(
        request=BindConfirmSerializer,
        responses=inline_serializer("BindConfirmed", {"person": serializers.IntegerField()}),
    )
    def post(self, request):
        serializer = BindConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.binding_confirm(user=request.user, code=serializer.validated_data["code"])
        return Response({"person": person.pk})
