"""Staff pages of the care module. Thin: parse a form, call one selector or service, render.
Every object comes through `get_for_user`, so out-of-scope rows are a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.care import imports, reports, selectors, services
from niangjia.care.exceptions import CrossCampaignAid
from niangjia.care.forms import (
    BeneficiaryForm,
    BudgetRequestForm,
    CampaignForm,
    CodeForm,
    DistributionForm,
    HardshipForm,
    ImportForm,
    ItemForm,
    PaymentForm,
    ReasonForm,
    VisitForm,
)
from niangjia.care.models import (
    AidApplication,
    Beneficiary,
    BudgetApproval,
    Campaign,
    Distribution,
    ImportJob,
    TargetGroup,
)
from niangjia.core import lockout
from niangjia.core.audit import history_for, log_access
from niangjia.core.forms import apply_errors, run_posted
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.core.pii import blind_index
from niangjia.core.ratelimit import over_limit
from niangjia.core.redact import search_term
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Enterprise, Org
from niangjia.orgs.services import typed_differences

PAGE_SIZE = 25


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _forbidden(request):
    return render(request, "403.html", status=403)


def _flash_error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _edit_orgs(user):
    return filter_for(user, Perm.CARE_EDIT, Org.objects.filter(kind=Org.Kind.UNION)).order_by(
        "path"
    )


def _campaign(request, pk: int, perm: Perm = Perm.CARE_VIEW) -> Campaign:
    return get_for_user(request.user, perm, Campaign.objects.select_related("org"), pk=pk)


# --- campaigns ----------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CARE_VIEW):
        return _forbidden(request)
    search = request.GET.get("q", "").strip()
    campaigns = selectors.campaign_list(request.user, search=search)
    return render(
        request,
        "care/campaign_list.html",
        {
            "page": _page(request, campaigns),
            "q": search,
            "can_create": has_perm(request.user, Perm.CARE_EDIT),
        },
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CARE_EDIT):
        return _forbidden(request)
    orgs = _edit_orgs(request.user)
    form = CampaignForm(
        request.POST or None,
        orgs=orgs,
        enterprises=_visitable_enterprises(request.user),
        initial={"org": orgs.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建活动：%(name)s") % {"name": campaign.name})
            return redirect("care:campaign-detail", pk=campaign.pk)
    return render(request, "care/campaign_form.html", {"form": form})


def _visitable_enterprises(user):
    return filter_for(user, Perm.ENTERPRISE_VIEW, Enterprise.objects.all()).order_by("name")


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, Perm.CARE_EDIT, Campaign, pk=pk)
    orgs = _edit_orgs(request.user)
    initial = {
        "name": campaign.name,
        "org": campaign.org,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "budget_amount": campaign.budget_amount,
        "target_groups": campaign.target_groups,
        "teams": campaign.teams,
        "enterprises": campaign.enterprises.all(),
    }
    form = CampaignForm(
        request.POST or None,
        orgs=orgs,
        enterprises=_visitable_enterprises(request.user),
        initial=initial,
    )
    form.fields["org"].disabled = True  # the organiser is fixed once the campaign exists
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("org")
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("care:campaign-detail", pk=campaign.pk)
    return render(request, "care/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    can_edit = has_perm(request.user, Perm.CARE_EDIT, campaign)
    services.import_jobs_expire_stale(campaign=campaign)  # dead imports show as failed
    context = {
        "campaign": campaign,
        "figures": selectors.campaign_figures(campaign),
        "items": campaign.items.order_by("pk"),
        "recent": selectors.distribution_list(request.user, campaign=campaign)[:20],
        "visits": campaign.visits.select_related("enterprise").order_by("-visited_on", "-pk")[:20],
        "approvals": campaign.approvals.select_related("requested_by", "decided_by").order_by(
            "-created_at"
        ),
        "imports": filter_for(request.user, Perm.CARE_VIEW, campaign.imports.all()).order_by(
            "-created_at"
        )[:10],
        "can_edit": can_edit and not campaign.is_closed,
        "item_form": ItemForm(),
        "budget_form": BudgetRequestForm(),
        "history": history_for(campaign)[:30],
    }
    return render(request, "care/campaign_detail.html", context)


@require_POST
@login_required
def campaign_transition(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    try:
        services.campaign_transition(
            actor=request.user, campaign=campaign, to=request.POST.get("to", "")
        )
    except (ValidationError, ValueError) as exc:
        _flash_error(
            request, exc if isinstance(exc, ValidationError) else ValidationError(_("无效的状态"))
        )
    else:
        messages.success(request, _("活动状态已更新"))
    return redirect("care:campaign-detail", pk=pk)


@require_POST
@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    run_posted(
        request,
        ItemForm(request.POST),
        lambda data: services.item_add(actor=request.user, campaign=campaign, **data),
        _("已添加慰问项目"),
    )
    return redirect("care:campaign-detail", pk=pk)


@require_POST
@login_required
def budget_request(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    run_posted(
        request,
        BudgetRequestForm(request.POST),
        lambda data: services.budget_request(actor=request.user, campaign=campaign, **data),
        _("已提交追加预算申请，待其他干部审批"),
    )
    return redirect("care:campaign-detail", pk=pk)


@require_POST
@login_required
def budget_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_for_user(request.user, Perm.CARE_EDIT, BudgetApproval, pk=pk)
    try:
        services.budget_decide(
            actor=request.user, approval=approval, approve=request.POST.get("approve") == "1"
        )
    except (ValidationError, NotAllowed) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已处理追加预算申请"))
    return redirect("care:campaign-detail", pk=approval.campaign_id)


# --- distributions ------------------------------------------------------------------------------


@login_required
def distribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    form = DistributionForm(
        request.POST or None,
        request.FILES or None,
        items=campaign.items.order_by("pk"),
    )
    warning = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        beneficiary = (
            filter_for(request.user, Perm.CARE_VIEW, Beneficiary.objects.all())
            .filter(
                person__id_number_hash=blind_index(data["id_number"]),
                org__path__startswith=campaign.org.path,
            )
            .order_by("-org__depth")
            .first()
        )
        if beneficiary is None:
            form.add_error("id_number", _("本活动范围内没有该身份证号码的帮扶对象，请先登记"))
        else:
            try:
                distribution = services.distribution_create(
                    actor=request.user,
                    campaign=campaign,
                    beneficiary=beneficiary,
                    item=data["item"],
                    quantity=data["quantity"],
                    amount=data["amount"],
                    receipt_kind=data["receipt_kind"],
                    signature=data.get("signature"),
                    payment_method=data.get("payment_method") or "",
                    override_reason=data.get("override_reason") or "",
                )
            except CrossCampaignAid as exc:
                warning = exc.messages[0]
                form.add_error("override_reason", warning)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已为 %(name)s 登记发放：%(item)s")
                    % {"name": beneficiary.person.name, "item": distribution.item.name},
                )
                return redirect("care:distribution-detail", pk=distribution.pk)
    return render(
        request,
        "care/distribution_form.html",
        {"form": form, "campaign": campaign, "warning": warning},
    )


@login_required
def distribution_signature(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed receipt image, for those who may see the hand-out."""
    distribution = get_for_user(
        request.user, Perm.CARE_VIEW, selectors.distribution_list(request.user), pk=pk
    )
    if not distribution.signature:
        raise Http404
    return FileResponse(distribution.signature.open("rb"))


@login_required
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = get_for_user(
        request.user,
        Perm.CARE_VIEW,
        selectors.distribution_list(request.user),
        pk=pk,
    )
    can_edit = has_perm(request.user, Perm.CARE_EDIT, distribution)
    return render(
        request,
        "care/distribution_detail.html",
        {
            "d": distribution,
            "can_edit": can_edit and not distribution.campaign.is_closed,
            "code_form": CodeForm(),
            "void_form": ReasonForm(),
            "payment_form": PaymentForm(),
            "history": history_for(distribution)[:30],
        },
    )


def _distribution_action(request, pk: int, action) -> HttpResponse:
    distribution = get_for_user(request.user, Perm.CARE_EDIT, Distribution, pk=pk)
    try:
        action(distribution)
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("care:distribution-detail", pk=pk)


@require_POST
@login_required
def distribution_void(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d):
        services.distribution_void(
            actor=request.user, distribution=d, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已作废该发放记录"))

    return _distribution_action(request, pk, act)


@require_POST
@login_required
def distribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d):
        # wrong codes for one phone count toward a lockout of that phone's codes (#11 §2)
        lockout.guarded(
            request,
            lockout.guard_key("sms", d.person.phone_hash),
            lambda: services.distribution_confirm_code(
                actor=request.user, distribution=d, code=request.POST.get("code", "")
            ),
        )
        messages.success(request, _("已确认签收"))

    return _distribution_action(request, pk, act)


@require_POST
@login_required
def distribution_resend(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d):
        if over_limit(request, "sms"):
            raise ValidationError(_("发送验证码过于频繁，请稍后再试"))
        services.distribution_resend_code(actor=request.user, distribution=d)
        messages.success(request, _("已重新发送验证码"))

    return _distribution_action(request, pk, act)


@require_POST
@login_required
def distribution_payment(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d):
        services.distribution_set_payment(
            actor=request.user,
            distribution=d,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已更新支付状态"))

    return _distribution_action(request, pk, act)


# --- visits -------------------------------------------------------------------------------------


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    enterprises = filter_for(
        request.user,
        Perm.ENTERPRISE_VIEW,
        Enterprise.objects.filter(org__path__startswith=campaign.org.path),
    ).order_by("name")
    form = VisitForm(
        request.POST or None,
        enterprises=enterprises,
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记走访"))
            return redirect("care:campaign-detail", pk=pk)
    return render(request, "care/visit_form.html", {"form": form, "campaign": campaign})


# --- figures and report -------------------------------------------------------------------------


def _figures_node(request, campaign: Campaign) -> Org | None:
    node_id = request.GET.get("org")
    if not node_id:
        return None
    return get_for_user(
        request.user, Perm.CARE_VIEW, selectors.figure_nodes(request.user, campaign), pk=node_id
    )


@login_required
def campaign_figures(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    node = _figures_node(request, campaign)
    figures = selectors.campaign_figures(campaign, node)
    return render(
        request,
        "care/campaign_figures.html",
        {
            "campaign": campaign,
            "figures": figures,
            "nodes": selectors.figure_nodes(request.user, campaign),
            "chart": selectors.figures_json(figures),
        },
    )


@login_required
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    node = _figures_node(request, campaign)
    figures = selectors.campaign_figures(campaign, node)
    distributions = selectors.distribution_list(request.user, campaign=campaign).filter(
        org__path__startswith=(node or campaign.org).path
    )
    log_access(request, campaign, AccessLog.Action.EXPORT, detail=_("导出送温暖统计表"))
    response = HttpResponse(
        reports.campaign_workbook(figures, distributions),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="care-campaign-{campaign.pk}.xlsx"'
    return response


# --- imports ------------------------------------------------------------------------------------


@login_required
def import_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, Perm.CARE_EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user, campaign=campaign, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("care:import-detail", pk=job.pk)
    return render(request, "care/import_form.html", {"form": form, "campaign": campaign})


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    response = HttpResponse(
        imports.template_workbook(campaign),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="care-import-template.xlsx"'
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(
        request.user, Perm.CARE_VIEW, ImportJob.objects.select_related("campaign"), pk=pk
    )
    job = services.import_job_refresh(job)  # a job whose process died shows as failed
    template = (
        "care/_import_status.html"
        if request.headers.get("HX-Request")
        else ("care/import_detail.html")
    )
    return render(
        request,
        template,
        {"job": job, "can_rerun": job.can_rerun and has_perm(request.user, Perm.CARE_EDIT, job)},
    )


@require_POST
@login_required
def import_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(
        request.user, Perm.CARE_EDIT, ImportJob.objects.select_related("campaign"), pk=pk
    )
    try:
        services.import_job_rerun(actor=request.user, job=job)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("已重新运行导入"))
    return redirect("care:import-detail", pk=job.pk)


# --- beneficiaries ------------------------------------------------------------------------------


@login_required
def beneficiary_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CARE_VIEW):
        return _forbidden(request)
    # the search box is posted: an ID number never travels in a URL
    search = search_term(request)
    params = request.POST if request.method == "POST" else request.GET
    category = params.get("category", "")
    overdue = params.get("overdue") == "1"
    beneficiaries = selectors.beneficiary_list(
        request.user, search=search, category=category, overdue=overdue
    )
    return render(
        request,
        "care/beneficiary_list.html",
        {
            "page": _page(request, beneficiaries),
            "q": search,
            "category": category,
            "overdue": overdue,
            "categories": TargetGroup.choices,
            "can_create": has_perm(request.user, Perm.CARE_EDIT),
        },
    )


@login_required
def beneficiary_create(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CARE_EDIT):
        return _forbidden(request)
    orgs = _edit_orgs(request.user)
    enterprises = filter_for(request.user, Perm.ENTERPRISE_VIEW, Enterprise.objects.all()).order_by(
        "name"
    )
    form = BeneficiaryForm(request.POST or None, orgs=orgs, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            beneficiary, created = services.beneficiary_register(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已登记帮扶对象") if created else _("该职工已在册，已更新信息")
            )
            return redirect("care:beneficiary-detail", pk=beneficiary.pk)
    return render(request, "care/beneficiary_form.html", {"form": form})


@login_required
def beneficiary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    beneficiary = get_for_user(
        request.user, Perm.CARE_VIEW, selectors.beneficiary_list(request.user), pk=pk
    )
    log_access(request, beneficiary)
    hardship = getattr(beneficiary, "hardship", None)
    can_edit = has_perm(request.user, Perm.CARE_EDIT, beneficiary)
    form = None
    if can_edit:
        initial = {
            "next_review_on": timezone.localdate().replace(year=timezone.localdate().year + 1)
        }
        if hardship is not None:
            initial = {
                f: getattr(hardship, f)
                for f in (
                    "level",
                    "cause",
                    "household_size",
                    "household_income_amount",
                    "status",
                    "next_review_on",
                )
            }
        form = HardshipForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.hardship_file_save(
                    actor=request.user, beneficiary=beneficiary, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存困难职工档案"))
                return redirect("care:beneficiary-detail", pk=pk)
    distributions = (
        filter_for(
            request.user, Perm.CARE_VIEW, Distribution.objects.filter(person=beneficiary.person)
        )
        .select_related("campaign", "item", "org")
        .order_by("-distributed_at")
    )
    return render(
        request,
        "care/beneficiary_detail.html",
        {
            "b": beneficiary,
            "hardship": hardship,
            "form": form,
            "distributions": distributions,
            "history": history_for(beneficiary)[:30],
        },
    )


# --- worker applications ------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CARE_VIEW):
        return _forbidden(request)
    page = _page(request, selectors.application_list(request.user))
    # "与档案不一致": what the applicant typed vs. the file (file values only to those who may
    # see the person)
    rows = [
        (
            a,
            typed_differences(
                a.person,
                name=a.typed_name,
                phone=a.typed_phone,
                employer_name=a.employer_name,
                show_file=has_perm(request.user, Perm.PERSON_VIEW, a.person),
            ),
        )
        for a in page
    ]
    return render(request, "care/application_list.html", {"page": page, "rows": rows})


@require_POST
@login_required
def application_apply_typed(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for_user(request.user, Perm.CARE_EDIT, AidApplication, pk=pk)
    try:
        services.application_apply_typed(
            actor=request.user, application=application, field=request.POST.get("field", "")
        )
    except ValidationError as exc:
        _flash_error(request, exc)
    except PermissionDenied:
        messages.error(request, _("您没有权限修改该人员档案"))
    else:
        messages.success(request, _("已按申请填写的信息更新档案"))
    return redirect("care:application-list")


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for_user(request.user, Perm.CARE_EDIT, AidApplication, pk=pk)
    try:
        services.application_decide(
            actor=request.user,
            application=application,
            accept=request.POST.get("accept") == "1",
            reply=request.POST.get("reply", ""),
        )
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("已处理帮扶申请"))
    return redirect("care:application-list")
