"""Staff pages of the rights studio. Thin: parse a form, call a service or selector, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core.audit import log_access
from niangjia.core.forms import apply_errors, run_posted
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.orgs.models import Org, StaffRole
from niangjia.rights import document_views, documents, forms, selectors, services
from niangjia.rights.calculator_views import CALCULATORS
from niangjia.rights.models import Case, CaseDocument, Deadline


def _filter_orgs(user):
    """Org choices for filters: union nodes down to streets and parks (a city has thousands of
    grassroots unions; listing them would make the page slow and the menu useless)."""
    return filter_for(
        user, Perm.CASE_VIEW, Org.objects.filter(kind=Org.Kind.UNION).exclude(level="grassroots")
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CASE_VIEW):
        raise PermissionDenied
    orgs = _filter_orgs(request.user)
    officers = (
        get_user_model()
        .objects.filter(
            staff_roles__role=StaffRole.Role.RIGHTS_OFFICER,
            staff_roles__org__in=orgs.values("pk"),
        )
        .distinct()
    )
    form = forms.CaseFilterForm(request.GET or None, orgs=orgs.order_by("path"), officers=officers)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user,
        stage=filters.get("stage", ""),
        category=filters.get("category", ""),
        officer=filters["officer"].pk if filters.get("officer") else None,
        overdue=filters.get("overdue", False),
        received_from=filters.get("received_from"),
        received_to=filters.get("received_to"),
        org=filters.get("org"),
        search=filters.get("q", ""),
        today=services.today(),
    )
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rights/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": has_perm(request.user, Perm.CASE_EDIT),
        },
    )


# GET parameters the intake form takes as initial values (the intake assistant links here with
# the values an operator confirmed); only initial data: everything is validated on POST as usual
PREFILL_FIELDS = (
    "source",
    "category",
    "employer_name",
    "project_name",
    "employment_form",
    "claim_kind",
    "claim_amount",
    "infringed_on",
    "employment_ended_on",
    "injury_on",
)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    orgs = filter_for(request.user, Perm.CASE_EDIT, Org.objects.filter(kind=Org.Kind.UNION))
    court_orgs = services.entrustable_orgs(request.user)
    if not orgs.exists() and not court_orgs.exists():
        raise PermissionDenied
    initial = {"received_on": services.today()}
    if request.method == "GET":
        initial |= {f: request.GET[f][:200] for f in PREFILL_FIELDS if request.GET.get(f)}
    form = forms.CaseForm(request.POST or None, initial=initial)
    if court_orgs.exists() and not orgs.exists():
        # a court registers entrusted mediations with the union it works beside
        form.fields["source"].choices = [
            (Case.Source.COURT_ENTRUSTED, Case.Source.COURT_ENTRUSTED.label)
        ]
        orgs = court_orgs
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        active = getattr(request.user, "active_role", None)
        org = (
            active.org
            if active is not None and not active.org.is_agency
            else orgs.order_by("depth", "path").first()
        )
        workers = [
            services.WorkerInput(employment_form=data["employment_form"], **w)
            for w in data["workers"]
        ]
        try:
            case, created = services.case_create(
                actor=request.user,
                org=org,
                source=data["source"],
                category=data["category"],
                employer_name=data["employer_name"],
                project_name=data["project_name"],
                facts=data["facts"],
                workers=workers,
                claims=[services.ClaimInput(kind=data["claim_kind"], amount=data["claim_amount"])],
                received_on=data["received_on"],
                infringed_on=data["infringed_on"],
                employment_ended_on=data["employment_ended_on"],
                injury_on=data["injury_on"],
                idempotency_key=data.get("idempotency_key", ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, _("已登记案件 %(n)s") % {"n": case.number})
            elif not has_perm(request.user, Perm.CASE_VIEW, case):
                # registered by the union on a case this account may not open: no number
                messages.info(
                    request,
                    _("该投诉已由%(org)s登记（同一手机号和用人单位），请与该工会联系")
                    % {"org": org.name},
                )
                return redirect("rights:case-list")
            else:
                messages.info(request, _("同一投诉几分钟前已登记，已打开该案件"))
            return redirect("rights:case-detail", pk=case.pk)
    return render(request, "rights/case_form.html", {"form": form})


def _agencies_for(case: Case):
    """Partner agencies of the case's jurisdiction (services.share_agencies)."""
    return services.share_agencies(case)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_for_user(
        request.user, Perm.CASE_VIEW, selectors.case_detail_queryset(request.user), pk=pk
    )
    log_access(request, case)
    if services.is_worker_view(request.user, case):
        return _worker_case_detail(request, case)
    can_edit = has_perm(request.user, Perm.CASE_EDIT, case)
    agency = services.acting_agency(request.user, case)
    union_staff = can_edit and agency is None or request.user.is_superuser
    actions = [
        (name, services.ACTION_LABELS[name])
        for name, (sources, _target) in services.TRANSITIONS.items()
        if case.stage in sources
    ]
    context = {
        "case": case,
        "timeline": services.timeline_for(request.user, case),
        "union_staff": union_staff,
        "agency": agency,
        "can_act": services.acting_agency(request.user, case, act=True) is not None,
        # notes and evidence: union staff or an agency sharing to act; a read-only share reads
        "can_write": services.can_write_case(request.user, case),
        "related": selectors.related_cases(request.user, case),
        "actions": actions,
        "screening": services.screening_issues(case, request.user)
        if case.stage == Case.Stage.INTAKE
        else [],
        "transition_form": forms.TransitionForm(),
        "agreement_form": forms.AgreementForm(prefix="agreement"),
        "share_form": forms.ShareForm(agencies=_agencies_for(case), prefix="share"),
        "recovery_form": forms.RecoveryForm(initial={"on": services.today()}, prefix="recovery"),
        "act_form": forms.ActForm(initial={"on": services.today()}, prefix="act"),
        "note_form": forms.NoteForm(prefix="note"),
        "evidence_form": forms.EvidenceForm(),
        "routes": [
            (w, services.route_for(w, case.category), _party_diffs(request.user, w))
            for w in case.workers.select_related("person__employer")
        ],
        "today": services.today(),
        # case documents and claims computed with the calculators (rights/document_views.py)
        "documents": documents.documents_for(case),
        "document_kinds": CaseDocument.Kind.choices,
        "sign_form": document_views.SignForm(),
        "calculators": CALCULATORS.values(),
    }
    return render(request, "rights/case_detail.html", context)


def _deadline(case: Case, post) -> Deadline:
    deadline = Deadline.objects.filter(case=case, pk=post.get("deadline")).first()
    if deadline is None:
        raise ValidationError(_("期限不存在"))
    return deadline


def _share(case: Case, post):
    share = case.shares.filter(pk=post.get("share"), returned_at__isnull=True).first()
    if share is None:
        raise ValidationError(_("该共享不存在或已交回"))
    return share


# what -> (form class, service call given (case, user, request.POST, cleaned data))
ACTIONS = {
    "transition": (
        forms.TransitionForm,
        lambda case, user, post, d: services.case_transition(case=case, actor=user, **d),
    ),
    "agreement": (
        forms.AgreementForm,
        lambda case, user, post, d: services.agreement_record(case=case, actor=user, **d),
    ),
    "recovery": (
        forms.RecoveryForm,
        lambda case, user, post, d: services.recovery_record(case=case, actor=user, **d),
    ),
    "act": (
        forms.ActForm,
        lambda case, user, post, d: services.agency_act_record(case=case, actor=user, **d),
    ),
    "note": (
        forms.NoteForm,
        lambda case, user, post, d: services.note_add(case=case, actor=user, **d),
    ),
    "evidence": (
        forms.EvidenceForm,
        lambda case, user, post, d: services.evidence_add(
            case=case, actor=user, upload=d["file"], description=d["description"]
        ),
    ),
    "return": (
        forms.ReturnForm,
        lambda case, user, post, d: services.share_return(
            share=_share(case, post), actor=user, note=d["note"]
        ),
    ),
    "complete": (
        forms.NoteForm,
        lambda case, user, post, d: services.deadline_complete(
            deadline=_deadline(case, post), actor=user, note=d["text"]
        ),
    ),
    "interrupt": (
        forms.DeadlineEventForm,
        lambda case, user, post, d: services.deadline_interrupt(
            deadline=_deadline(case, post), on=d["start"], actor=user, reason=d["reason"]
        ),
    ),
    "suspend": (
        forms.DeadlineEventForm,
        lambda case, user, post, d: services.deadline_suspend(
            deadline=_deadline(case, post),
            start=d["start"],
            end=d["end"] or d["start"],
            actor=user,
            reason=d["reason"],
        ),
    ),
}


# forms rendered together on the case page get prefixes so their field ids stay unique
FORM_PREFIXES = {"agreement": "agreement", "recovery": "recovery", "act": "act", "note": "note"}


@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Every form on the case page posts here; the service decides who may do what."""
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    if what == "share":
        form = forms.ShareForm(request.POST, agencies=_agencies_for(case), prefix="share")
        call = lambda d: services.case_share(case=case, actor=request.user, **d)  # noqa: E731
    elif what in ACTIONS:
        form_class, service = ACTIONS[what]
        form = form_class(request.POST, request.FILES, prefix=FORM_PREFIXES.get(what))
        call = lambda d: service(case, request.user, request.POST, d)  # noqa: E731
    else:
        raise Http404
    run_posted(request, form, call, _("已保存"))
    return redirect("rights:case-detail", pk=case.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Stream an evidence file to someone who may see the case; every download is logged."""
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    evidence = case.evidence.filter(pk=evidence_id).first()
    if evidence is None or services.is_worker_view(request.user, case):
        raise Http404  # evidence is the case file's, not given to the worker (#11)
    log_access(request, case, AccessLog.Action.EXPORT, detail=evidence.original_name)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.CASE_VIEW):
        raise PermissionDenied
    orgs = _filter_orgs(request.user)
    form = forms.FiguresForm(request.GET or None, orgs=orgs.order_by("path"))
    today = services.today()
    start, end, org = datetime.date(today.year, 1, 1), today, None
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        org = form.cleaned_data["org"]
    data = selectors.figures(request.user, org=org, start=start, end=end)
    return render(
        request,
        "rights/figures.html",
        {"form": form, "data": data, "start": start, "end": end, "org": org},
    )


def deadlines_panel(request: HttpRequest) -> dict | None:
    """The officer's home page: overdue deadlines and those due within three days."""
    if not has_perm(request.user, Perm.CASE_EDIT) or request.user.is_superuser:
        return None
    today = services.today()
    rows = list(selectors.deadlines_due(request.user, today=today)[:20])
    return {"template": "rights/_deadlines_panel.html", "deadlines": rows, "today": today}


# --- what was typed for a party vs. the person's file (#11) ---------------------------------


def _party_diffs(user, case_worker) -> list[dict]:
    """Where ("与档案不一致") the name or phone typed for this case differ from the file. The
    file's values only for a viewer who may see that person."""
    from niangjia.orgs.services import typed_differences

    return typed_differences(
        case_worker.person,
        name=case_worker.typed_name,
        phone=case_worker.typed_phone,
        show_file=has_perm(user, Perm.PERSON_VIEW, case_worker.person),
    )


@require_POST
@login_required
def party_apply_typed(request: HttpRequest, pk: int, worker_id: int) -> HttpResponse:
    """The officer decides: the value typed for this party replaces the one on file (audited)."""
    case = get_for_user(request.user, Perm.CASE_EDIT, Case, pk=pk)
    case_worker = case.workers.filter(pk=worker_id).select_related("person").first()
    if case_worker is None:
        raise Http404
    try:
        services.case_worker_apply_typed(
            actor=request.user, case_worker=case_worker, field=request.POST.get("field", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied:
        messages.error(request, _("您没有权限修改该人员档案"))
    else:
        messages.success(request, _("已按本案填写的信息更新档案"))
    return redirect("rights:case-detail", pk=case.pk)


def _worker_case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    """A worker's own case: stage, dates, amounts, the steps and the notes shown to the worker,
    and the signed documents; never internal notes, evidence, deadlines or partner details."""
    mine = case.workers.filter(person__user=request.user).select_related("person").first()
    context = {
        "case": case,
        "me": mine,
        "claims": case.claims.all(),
        "recoveries": case.recoveries.order_by("on", "pk"),
        "timeline": services.timeline_for(request.user, case),
        "documents": case.documents.filter(signed=True).order_by("kind", "-version"),
    }
    return render(request, "rights/case_worker.html", context)
