"""Staff pages of the intake assistant: paste a complaint, confirm or correct each suggestion,
register the case from the confirmed values; the corrections report for improving the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from niangjia.core.audit import log_access
from niangjia.core.forms import apply_errors
from niangjia.intake import selectors, services
from niangjia.intake.analyser import FIELDS, RULES, SIGNALS
from niangjia.intake.forms import AnalyseForm, ReviewForm
from niangjia.intake.models import IntakeCorrection
from niangjia.rights.models import Case

FIELD_LABELS = dict(IntakeCorrection.Field.choices)


def _require_use(request: HttpRequest) -> None:
    if not services.may_use(request.user):
        raise PermissionDenied


@login_required
def analyse_page(request: HttpRequest) -> HttpResponse:
    _require_use(request)
    form = AnalyseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("intake:review", pk=analysis.pk)
    return render(
        request,
        "intake/analyse.html",
        {
            "form": form,
            "recent": [
                (a, _value_label("category", a.suggestions.get("category")))
                for a in selectors.recent_analyses(request.user)
            ],
            "active": "analyse",
            "may_see_report": services.may_see_report(request.user),
        },
    )


def _highlights(text: str, explanations: dict) -> list[dict]:
    """The text cut into pieces, each marked with the fields whose "because" words it holds."""
    marks: list[set[str]] = [set() for _ in text]
    for name, items in explanations.items():
        if name == "urgency":  # urgency repeats the signals' words
            continue
        for item in items:
            for i in range(max(0, item.get("start", 0)), min(len(text), item.get("end", 0))):
                marks[i].add(name)
    pieces: list[dict] = []
    for ch, fields in zip(text, marks, strict=True):
        key = tuple(sorted(fields))
        if pieces and pieces[-1]["key"] == key:
            pieces[-1]["text"] += ch
        else:
            pieces.append({"key": key, "text": ch})
    for piece in pieces:
        piece["fields"] = piece.pop("key")
        piece["title"] = "、".join(str(FIELD_LABELS[f]) for f in piece["fields"])
    return pieces


def _value_label(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "category":
        return str(Case.Category(value).label) if value in Case.Category.values else value
    if name == "signals":
        return _(SIGNALS.get(value, value))
    if name == "urgency":
        return _("紧急") if value == "high" else _("一般")
    return str(value)


def _reasons(suggestions: dict) -> dict[str, list[dict]]:
    reasons = {}
    for name in FIELDS:
        items = []
        for item in suggestions.get("explanations", {}).get(name, []):
            rule = RULES.get(item.get("rule", ""))
            items.append(
                {
                    "value": _value_label(name, item.get("value")),
                    "because": item.get("because", ""),
                    "rule": item.get("rule", ""),
                    "rule_text": _(rule.description) if rule else "",
                    "approximate": item.get("approximate", False),
                }
            )
        reasons[name] = items
    return reasons


@login_required
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require_use(request)
    analysis = selectors.analysis_for(request.user, pk)
    suggestions = analysis.suggestions
    values = services.confirmed_values(analysis)
    form = ReviewForm(request.POST or None, initial=ReviewForm.initial_from(values))
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_review(
                analysis=analysis, actor=request.user, fields=form.review_fields(suggestions)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("核对结果已保存，可以据此登记案件。"))
            return redirect("intake:review", pk=analysis.pk)
    log_access(request, analysis)
    reasons = _reasons(suggestions)
    rows = [
        {
            "field": form[name],
            "name": name,
            "reasons": reasons[name],
            "suggested": _display(name, suggestions.get(name)),
        }
        for name in FIELDS
    ]
    corrections = {c.field: c for c in analysis.corrections.all()}
    for row in rows:
        row["correction"] = corrections.get(row["name"])
    return render(
        request,
        "intake/review.html",
        {
            "analysis": analysis,
            "form": form,
            "rows": rows,
            "pieces": _highlights(analysis.text, suggestions.get("explanations", {})),
            "case_form_url": services.case_form_url(analysis) if analysis.reviewed_at else "",
            "active": "analyse",
            "may_see_report": services.may_see_report(request.user),
        },
    )


@login_required
def corrections_page(request: HttpRequest) -> HttpResponse:
    if not services.may_see_report(request.user):
        raise PermissionDenied
    report = selectors.corrections_report(request.user)
    for row in report["fields"]:
        row["examples"] = [
            {
                "analysis_id": c.analysis_id,
                "suggested": _display(row["field"], c.suggested),
                "corrected": _display(row["field"], c.corrected),
                "by": c.by,
                "at": c.at,
            }
            for c in row["examples"]
        ]
    pairs = [
        {
            "suggested": _display("category", p["suggested"]),
            "corrected": _display("category", p["corrected"]),
            "n": p["n"],
        }
        for p in report["category_pairs"]
    ]
    return render(
        request,
        "intake/corrections.html",
        {
            "report": report,
            "pairs": pairs,
            "active": "corrections",
            "may_see_report": True,
        },
    )


def _display(name: str, value) -> str:
    if isinstance(value, list):
        return "、".join(_value_label(name, v) for v in value) or "—"
    return _value_label(name, value)
