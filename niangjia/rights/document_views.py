"""Staff pages for case documents and for claims computed with the statutory calculators.

Thin: scope the case (404 when it is not the user's), call rights.documents / rights.services,
report errors as messages. Files are streamed from private storage to whoever may see the case
(union staff in scope, agencies it is shared with), and every generation and download is logged.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.audit import log_access
from niangjia.core.forms import StyledFormMixin, run_posted
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, get_for_user
from niangjia.orgs.models import Person
from niangjia.rights import calculators, documents, services
from niangjia.rights.calculator_api import CalculatorInputError
from niangjia.rights.calculator_views import CALCULATORS
from niangjia.rights.models import Case, CaseDocument

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# the figures of a calculator result worth a line on the staff page, in this order
RESULT_LABELS = {
    "compensation_months": gettext_lazy("支付月数"),
    "wage_base": gettext_lazy("计算基数（元）"),
    "multiplier": gettext_lazy("倍数"),
    "months": gettext_lazy("二倍工资月数"),
    "period_start": gettext_lazy("期间起"),
    "period_end": gettext_lazy("期间止"),
    "deemed_open_ended": gettext_lazy("视为订立无固定期限劳动合同"),
    "one_time_subsidy_months": gettext_lazy("一次性伤残补助金月数"),
    "one_time_disability_subsidy": gettext_lazy("一次性伤残补助金（元）"),
    "monthly_disability_allowance": gettext_lazy("伤残津贴（元/月）"),
    "funeral_subsidy": gettext_lazy("丧葬补助金（元）"),
    "death_benefit": gettext_lazy("一次性工亡补助金（元）"),
    "hourly_wage": gettext_lazy("小时工资（元）"),
    "daily_wage": gettext_lazy("日工资（元）"),
    "entitled_days": gettext_lazy("应休年休假天数"),
    "unused_days": gettext_lazy("未休天数"),
    "min": gettext_lazy("加付赔偿金下限（元）"),
    "max": gettext_lazy("加付赔偿金上限（元）"),
    "amount": gettext_lazy("金额（元）"),
}


def result_rows(result: dict) -> list[tuple[str, str]]:
    rows = []
    for key, label in RESULT_LABELS.items():
        value = result.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append((str(label), str(value)))
    return rows


def articles(result: dict) -> list[tuple[str, str]]:
    return [(a, calculators.ARTICLE_TEXTS.get(a, "")) for a in result.get("legal_basis", [])]


def _back(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("rights:case-detail", args=[case.pk]) + anchor)


def _attempt(request: HttpRequest, call):
    """The service's answer, or None when it refused: its reasons become messages on the page.
    For the calls whose answer the page needs; a plain posted form goes through run_posted."""
    try:
        return call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有权限执行此操作"))
    return None


# --- documents ------------------------------------------------------------------------------------


@require_POST
@login_required
def document_generate(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    document = _attempt(
        request,
        lambda: documents.document_generate(
            case=case, actor=request.user, kind=request.POST.get("kind", "")
        ),
    )
    if document is not None:
        label = _("生成%(kind)s 第%(v)d版") % {
            "kind": document.get_kind_display(),
            "v": document.version,
        }
        log_access(request, case, AccessLog.Action.EXPORT, detail=label)
        messages.success(request, _("已%(label)s") % {"label": label})
    return _back(case, "#documents")


class SignForm(StyledFormMixin, forms.Form):
    scan = forms.FileField(label=gettext_lazy("签署扫描件（PDF/JPG/PNG，选填）"), required=False)


@require_POST
@login_required
def document_sign(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    document = case.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    run_posted(
        request,
        SignForm(request.POST, request.FILES),
        lambda d: documents.document_sign(document=document, actor=request.user, scan=d["scan"]),
        _("%(kind)s 第%(v)d版已标记为已签署")
        % {"kind": document.get_kind_display(), "v": document.version},
    )
    return _back(case, "#documents")


def stream_document(request, case: Case, document: CaseDocument, what: str) -> FileResponse:
    """The file of one version (docx, pdf or the signed scan), logged as an export of the case."""
    if what == "scan" and document.signed_scan:
        file, content_type = document.signed_scan, None
    elif what in CONTENT_TYPES:
        file, content_type = getattr(document, what), CONTENT_TYPES[what]
    else:
        raise Http404
    name = documents.download_name(document, what)
    log_access(request, case, AccessLog.Action.EXPORT, detail=name)
    response = FileResponse(
        file.open("rb"), as_attachment=what != "pdf", filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stream_worker_copy(request, case: Case, document: CaseDocument, what: str) -> HttpResponse:
    """What a worker reaching their own case is given of a document (#11): the signed versions
    only, as a personal copy in which the other parties' ID numbers and phones are masked. Not
    the DOCX, the stored PDF or the scan of the signed paper: they carry every party's full ID
    number and phone. Logged as an export of the case, like every download."""
    if not document.signed or what != "pdf":
        raise Http404
    person_ids = set(Person.objects.filter(user=request.user).values_list("pk", flat=True))
    try:
        data = documents.personal_copy_pdf(document, person_ids)
    except ValidationError as exc:  # the case no longer holds what the document was made from
        raise Http404 from exc
    name = documents.personal_copy_name(document)
    log_access(request, case, AccessLog.Action.EXPORT, detail=name)
    response = FileResponse(
        io.BytesIO(data), as_attachment=False, filename=name, content_type=CONTENT_TYPES["pdf"]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_download(request: HttpRequest, pk: int, doc_id: int, what: str) -> HttpResponse:
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    document = case.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    if services.is_worker_view(request.user, case):
        return stream_worker_copy(request, case, document, what)
    return stream_document(request, case, document, what)


# --- claims computed with a calculator -----------------------------------------------------------


class WorkerChoiceForm(StyledFormMixin, forms.Form):
    worker = forms.ChoiceField(label=gettext_lazy("职工（选填）"), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", _("全体/不区分"))] + [
            (str(w.pk), w.display_name) for w in case.workers.select_related("person")
        ]


@login_required
def claim_compute(request: HttpRequest, pk: int, calculator: str) -> HttpResponse:
    """Pick a calculator, enter its inputs (prefilled from the case), see the result with the
    articles, save it as a claim that keeps the inputs and the result."""
    case = get_for_user(request.user, Perm.CASE_VIEW, Case, pk=pk)
    if calculator not in CALCULATORS or services.is_worker_view(request.user, case):
        raise Http404
    calc = CALCULATORS[calculator]
    prefill = services.calculator_prefill(case, calculator)
    if request.method == "POST":
        form = calc.form_class(request.POST)
        worker_form = WorkerChoiceForm(request.POST, case=case)
    else:
        form = calc.form_class(initial=prefill)
        worker_form = WorkerChoiceForm(case=case)
    outcome = None
    # a worker who is not (or no longer) on the case is shown on the form, never dropped silently
    if request.method == "POST" and worker_form.is_valid():
        save = request.POST.get("action") == "save"
        # the raw values go to the API serializers: the same validation as the public endpoints
        inputs = {
            name: request.POST.get(name, "").strip()
            for name in form.fields
            if request.POST.get(name, "").strip()
        }
        for name, field in form.fields.items():
            if isinstance(field, forms.BooleanField):
                inputs[name] = name in request.POST
        try:
            outcome = _attempt(
                request,
                lambda: services.claim_compute(
                    case=case,
                    actor=request.user,
                    calculator=calculator,
                    inputs=inputs,
                    save=save,
                    worker_id=worker_form.cleaned_data.get("worker") or None,
                ),
            )
        except CalculatorInputError as exc:
            # the serializer's verdict is the only one shown (the form only draws the fields)
            form.cleaned_data, form._errors = {}, ErrorDict()
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        if outcome and outcome["claim"]:
            messages.success(
                request,
                _("已保存请求事项：%(kind)s %(amount)s 元")
                % {"kind": outcome["kind_display"], "amount": outcome["amount"]},
            )
            return _back(case, "#claims")
    return render(
        request,
        "rights/claim_compute.html",
        {
            "case": case,
            "calc": calc,
            "calculators": CALCULATORS.values(),
            "form": form,
            "worker_form": worker_form,
            "prefilled": sorted(str(calculators.FIELD_LABELS.get(k, k)) for k in prefill),
            "outcome": outcome,
            "result_rows": result_rows(outcome["result"]) if outcome else [],
            "articles": articles(outcome["result"]) if outcome else [],
            "can_save": services.can_edit_case(request.user, case),
        },
    )
