"""Staff pages for the org tree, enterprises and people. Thin: parse, call a selector or service,
render. Every object comes through `get_for_user`, so out-of-scope rows are a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core import consent
from niangjia.core.audit import history_for, log_access
from niangjia.core.forms import apply_errors
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.core.ratelimit import over_limit
from niangjia.core.redact import search_term
from niangjia.orgs import selectors, services
from niangjia.orgs.forms import (
    BindConfirmForm,
    BindRequestForm,
    EnterpriseForm,
    LinkUserForm,
    OrgForm,
    PersonForm,
)
from niangjia.orgs.models import Enterprise, Org, Person, subtree_q

PAGE_SIZE = 25


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    orgs = selectors.org_list(request.user, search=search)
    return render(request, "orgs/org_list.html", {"page": _page(request, orgs), "q": search})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request.user, Perm.ORG_VIEW, Org, pk=pk)
    children = filter_for(
        request.user,
        Perm.ORG_VIEW,
        Org.objects.filter(subtree_q(org.path), depth=org.depth + 1),
    ).order_by("kind", "name")
    ancestors = filter_for(request.user, Perm.ORG_VIEW, Org.objects.get_ancestors(org))
    context = {
        "org": org,
        "ancestors": ancestors,
        "children": children,
        "enterprises": selectors.enterprise_list(request.user, org=org)[:20],
        "staff_roles": org.staff_roles.select_related("user").order_by("role"),
        "history": history_for(org)[:50],
        "can_edit": has_perm(request.user, Perm.ORG_EDIT, org),
    }
    return render(request, "orgs/org_detail.html", context)


@login_required
def org_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_for_user(request.user, Perm.ORG_EDIT, Org, pk=pk)
    form = OrgForm(request.POST or None, initial={"region_code": parent.region_code})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建组织：%(name)s") % {"name": org.name})
            return redirect("orgs:org-detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "parent": parent})


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    enterprises = selectors.enterprise_list(request.user, search=search)
    return render(
        request,
        "orgs/enterprise_list.html",
        {
            "page": _page(request, enterprises),
            "q": search,
            "can_create": has_perm(request.user, Perm.ENTERPRISE_EDIT),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_for_user(
        request.user, Perm.ENTERPRISE_VIEW, selectors.enterprise_list(request.user), pk=pk
    )
    context = {
        "enterprise": enterprise,
        "history": history_for(enterprise)[:50],
        "can_edit": has_perm(request.user, Perm.ENTERPRISE_EDIT, enterprise),
    }
    return render(request, "orgs/enterprise_detail.html", context)


def _editable_orgs(user):
    return filter_for(user, Perm.ENTERPRISE_EDIT, Org.objects.filter(kind=Org.Kind.UNION)).order_by(
        "path"
    )


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.ENTERPRISE_EDIT):
        return render(request, "403.html", status=403)
    form = EnterpriseForm(request.POST or None, orgs=_editable_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            enterprise = services.enterprise_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记企业：%(name)s") % {"name": enterprise.name})
            return redirect("orgs:enterprise-detail", pk=enterprise.pk)
    return render(request, "orgs/enterprise_form.html", {"form": form})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_for_user(request.user, Perm.ENTERPRISE_EDIT, Enterprise, pk=pk)
    form = EnterpriseForm(
        request.POST or None, instance=enterprise, orgs=_editable_orgs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(
                actor=request.user, enterprise=Enterprise.objects.get(pk=pk), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("orgs:enterprise-detail", pk=pk)
    return render(request, "orgs/enterprise_form.html", {"form": form, "enterprise": enterprise})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    # the search box is posted: an ID number or phone never travels in a URL
    search = search_term(request)
    people = selectors.person_list(request.user, search=search)
    return render(
        request,
        "orgs/person_list.html",
        {
            "page": _page(request, people),
            "q": search,
            "can_create": has_perm(request.user, Perm.PERSON_EDIT),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(
        request.user,
        Perm.PERSON_VIEW,
        Person.objects.select_related("org", "employer", "user"),
        pk=pk,
    )
    log_access(request, person)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("union").order_by("-join_date"),
        "history": history_for(person)[:50],
        "can_edit": has_perm(request.user, Perm.PERSON_EDIT, person),
        "can_reveal": has_perm(request.user, Perm.PERSON_REVEAL, person),
        "link_form": LinkUserForm(),
        "can_audit": has_perm(request.user, Perm.PRIVACY_AUDIT, person),
    }
    if context["can_audit"]:
        context["access_log"] = selectors.access_log_rows(
            selectors.person_access_log(request.user, person)[:10]
        )
    return render(request, "orgs/person_detail.html", context)


@login_required
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Who looked at my file" (个人信息保护法): every view, reveal and export of the person and of
    their cases and care files in the reader's subtree; for staff with data-protection duty."""
    if not has_perm(request.user, Perm.PRIVACY_AUDIT):
        return render(request, "403.html", status=403)
    person = get_for_user(request.user, Perm.PRIVACY_AUDIT, Person, pk=pk)
    page = Paginator(selectors.person_access_log(request.user, person), 50).get_page(
        request.GET.get("page")
    )
    context = {"person": person, "page": page, "rows": selectors.access_log_rows(page)}
    return render(request, "orgs/person_access_log.html", context)


@require_POST
@login_required
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, Perm.PERSON_REVEAL, Person, pk=pk)
    log_access(request, person, AccessLog.Action.REVEAL, detail=_("显示完整身份证号码和手机号码"))
    return render(request, "orgs/_person_revealed.html", {"person": person})


def _person_orgs_and_enterprises(user):
    orgs = filter_for(user, Perm.PERSON_EDIT, Org.objects.filter(kind=Org.Kind.UNION))
    enterprises = filter_for(user, Perm.ENTERPRISE_VIEW, Enterprise.objects.all()).order_by("name")
    return orgs, enterprises


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.PERSON_EDIT):
        return render(request, "403.html", status=403)
    orgs, enterprises = _person_orgs_and_enterprises(request.user)
    form = PersonForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        active = getattr(request.user, "active_role", None)
        org = active.org if active is not None else orgs.order_by("depth", "path").first()
        try:
            person, created = services.person_upsert(
                actor=request.user, org=org, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, _("已登记人员：%(name)s") % {"name": person.name})
            else:
                messages.info(request, _("该身份证号码已登记，已打开现有人员"))
            return redirect("orgs:person-detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, Perm.PERSON_EDIT, Person, pk=pk)
    _orgs, enterprises = _person_orgs_and_enterprises(request.user)
    # the phone is not put into the page: an empty field keeps it, so editing reveals nothing
    initial = {"name": person.name, "employer": person.employer}
    form = PersonForm(request.POST or None, initial=initial, enterprises=enterprises)
    form.fields["id_number"].disabled = True
    form.fields["phone"].help_text = _("当前：%(phone)s；留空则不修改") % {
        "phone": person.phone_masked
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"] or person.phone,
                employer=form.cleaned_data["employer"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("orgs:person-detail", pk=pk)
    return render(request, "orgs/person_form.html", {"form": form, "person": person})


# --- identity binding ----------------------------------------------------------------------


@require_POST
@login_required
def person_link_user(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff with person-edit rights link an account to the person on purpose (audited)."""
    person = get_for_user(request.user, Perm.PERSON_EDIT, Person, pk=pk)
    form = LinkUserForm(request.POST)
    if form.is_valid():
        try:
            services.person_link_user(
                actor=request.user, person=person, username=form.cleaned_data["username"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已绑定平台账号"))
    else:
        messages.error(request, _("请填写平台账号"))
    return redirect("orgs:person-detail", pk=pk)


@require_POST
@login_required
def person_unlink_user(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, Perm.PERSON_EDIT, Person, pk=pk)
    try:
        services.person_unlink_user(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已解除账号绑定"))
    return redirect("orgs:person-detail", pk=pk)


@login_required
def bind_my_file(request: HttpRequest) -> HttpResponse:
    """绑定我的档案: a signed-in account without a person proves the phone on file."""
    person = Person.objects.filter(user=request.user).first()
    request_form = BindRequestForm(request.POST if request.POST.get("step") == "request" else None)
    confirm_form = BindConfirmForm(request.POST if request.POST.get("step") == "confirm" else None)
    if person is None and request.method == "POST":
        if request_form.is_bound and request_form.is_valid():
            if over_limit(request, "bind"):
                request_form.add_error(None, _("操作过于频繁，请稍后再试"))
            else:
                data = request_form.cleaned_data
                try:
                    services.binding_request(
                        user=request.user,
                        id_number=data["id_number"],
                        phone=data["phone"],
                        consent_version=consent.version_if_given(data["consent"]),
                    )
                except ValidationError as exc:
                    apply_errors(request_form, exc)
                else:
                    messages.info(request, services.BIND_SENT)
                    return redirect("orgs:bind")
        elif confirm_form.is_bound and confirm_form.is_valid():
            try:
                services.binding_confirm(user=request.user, code=confirm_form.cleaned_data["code"])
            except ValidationError as exc:
                apply_errors(confirm_form, exc)
            else:
                messages.success(request, _("绑定成功，您现在可以查看自己的案件和帮扶记录"))
                return redirect("orgs:bind")
    pending = person is None and hasattr(request.user, "binding_request")
    return render(
        request,
        "orgs/bind.html",
        {
            "person": person,
            "request_form": request_form,
            "confirm_form": confirm_form,
            "pending": pending,
            "notice": consent.notice_context("binding"),
        },
    )
