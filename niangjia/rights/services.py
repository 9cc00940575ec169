"""Every change to a case goes through these functions: they authorize, validate, lock, write,
put an entry on the case timeline (the audit a person reads), and open or close deadlines."""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core import consent, validators
from niangjia.core.money import quantize
from niangjia.core.permissions import SUBTREE_PERMS, Perm, filter_for, grants_for, has_perm
from niangjia.core.pii import blind_index
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Enterprise, Org, StaffRole, subtree_q
from niangjia.orgs.services import person_apply_typed, person_upsert
from niangjia.rights import deadlines as rules
from niangjia.rights.models import (
    AgencyAct,
    Case,
    CaseCounter,
    CaseRating,
    CaseShare,
    CaseWorker,
    ClaimItem,
    ContractorLink,
    Deadline,
    Evidence,
    Recovery,
    RecoveryShare,
    TimelineEntry,
)

# Statutory rules a stage opens (ids of niangjia.rights.deadlines)
RULE_MEDIATION = "mediation"
RULE_ARBITRATION_LIMITATION = "arbitration_limitation"
RULE_WAGE_ARREARS_LIMITATION = "arbitration_limitation_wage_arrears"
RULE_ARBITRATION_ACCEPTANCE = "arbitration_acceptance"
RULE_ARBITRATION_AWARD = "arbitration_award"
RULE_SUIT_AFTER_AWARD = "suit_after_award"
RULE_JUDICIAL_CONFIRMATION = "judicial_confirmation"
RULE_INJURY_RECOGNITION_WORKER = "work_injury_worker"
RULE_ENFORCEMENT_APPLICATION = "enforcement_application"

Stage = Case.Stage
Outcome = Case.Outcome
K = TimelineEntry.Kind

DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0",
    ".xls": b"\xd0\xcf\x11\xe0",
    ".mp3": b"",  # audio recordings of calls: ID3 or frame sync, checked loosely
    ".m4a": b"",
    ".amr": b"#!AMR",
    ".txt": b"",
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!/", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")

# action -> (from stages, to stage)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({Stage.INTAKE}), Stage.ACCEPTED),
    "reject": (frozenset({Stage.INTAKE}), Stage.CLOSED),
    "mediate": (frozenset({Stage.ACCEPTED}), Stage.MEDIATION),
    "arbitrate": (frozenset({Stage.ACCEPTED, Stage.MEDIATION}), Stage.ARBITRATION),
    "litigate": (frozenset({Stage.ACCEPTED, Stage.MEDIATION, Stage.ARBITRATION}), Stage.LITIGATION),
    "enforce": (
        frozenset({Stage.MEDIATION, Stage.ARBITRATION, Stage.LITIGATION}),
        Stage.ENFORCEMENT,
    ),
    "close": (
        frozenset(
            {
                Stage.ACCEPTED,
                Stage.MEDIATION,
                Stage.ARBITRATION,
                Stage.LITIGATION,
                Stage.ENFORCEMENT,
            }
        ),
        Stage.CLOSED,
    ),
}
ACTION_LABELS = {
    "accept": _("受理"),
    "reject": _("不予受理"),
    "mediate": _("进入调解"),
    "arbitrate": _("进入仲裁"),
    "litigate": _("进入诉讼"),
    "enforce": _("申请执行"),
    "close": _("结案"),
}
AGREEMENT_OUTCOMES = {Outcome.MEDIATED, Outcome.PARTIALLY_MEDIATED}


class TransitionNotAllowed(ValidationError):
    pass


def today() -> datetime.date:
    return timezone.localdate()


# --- who is acting ----------------------------------------------------------------------------


def acting_agency(actor, case: Case, *, act: bool = False) -> Org | None:
    """The partner agency through which `actor` works on `case`, if any."""
    agency_ids = [g.org_id for g in grants_for(actor) if g.role == StaffRole.Role.AGENCY_LIAISON]
    if not agency_ids:
        return None
    shares = case.shares.filter(agency_id__in=agency_ids, returned_at__isnull=True)
    if act:
        shares = shares.filter(access=CaseShare.Access.ACT)
    share = shares.select_related("agency").first()
    return share.agency if share else None


def _actor_org(actor, case: Case) -> Org | None:
    if actor is None:
        return case.org
    agency = acting_agency(actor, case)
    if agency is not None:
        return agency
    grants = [g for g in grants_for(actor) if case.org.path.startswith(g.org.path)]
    return grants[0].org if grants else case.org


def _require_union_staff(actor, case: Case) -> None:
    """Stage changes, shares and the ledger belong to the handling union's staff: a grant with
    case-edit rights on the case's org subtree. Agencies record their own acts instead."""
    if actor is None or actor.is_superuser:
        return
    if not any(
        Perm.CASE_EDIT in SUBTREE_PERMS[g.role] and case.org.path.startswith(g.org.path)
        for g in grants_for(actor)
    ):
        raise NotAllowed(_("只有承办工会的工作人员可以办理此操作"))


def _require_case_writer(actor, case: Case) -> None:
    """Notes and evidence: the handling union's staff, or a partner agency whose open share lets
    it act. A read-only share reads the file and writes nothing into it (#11 §3)."""
    if actor is None or actor.is_superuser or can_edit_case(actor, case):
        return
    if acting_agency(actor, case, act=True) is not None:
        return
    if acting_agency(actor, case) is not None:
        raise NotAllowed(
            _("本单位对此案件为只读共享，不能添加内容；如需办理，请联系承办工会开通办理权限")
        )
    raise NotAllowed(_("您没有权限办理此案件"))


def can_write_case(actor, case: Case) -> bool:
    """Whether `actor` may add notes and evidence to `case` (see _require_case_writer)."""
    try:
        _require_case_writer(actor, case)
    except NotAllowed:
        return False
    return True


def can_edit_case(actor, case: Case) -> bool:
    """Whether `actor` is the handling union's staff for `case` (see _require_union_staff)."""
    try:
        _require_union_staff(actor, case)
    except NotAllowed:
        return False
    return True


def _timeline(case: Case, kind: str, text: str, actor=None, **data) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case, kind=kind, text=text, actor=actor, actor_org=_actor_org(actor, case), data=data
    )


# --- validation helpers -----------------------------------------------------------------------


def parse_amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("金额格式不正确")}) from exc
    if not amount.is_finite():
        raise ValidationError({field: _("金额格式不正确")})
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数")})
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("金额过大")})
    return quantize(amount)


def _not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("日期不能晚于今天")})


# --- numbers ------------------------------------------------------------------------------------


def case_prefix(org: Org) -> str:
    """The org's short name, or 大武口区总工会 → 大武口: the form unions print on case numbers."""
    if org.short_name:
        return org.short_name
    name = org.name.split("（")[0]
    for suffix in ("总工会", "工会"):
        name = name.removesuffix(suffix)
    for suffix in ("区", "县", "市"):
        if len(name) > 2:
            name = name.removesuffix(suffix)
    return name[:8]


def _locked_counter(org: Org, year: int) -> CaseCounter:
    """The union's number counter for the year, locked until the transaction ends: every case
    registration of one union and year runs one at a time from here, so the duplicate checks
    after the lock see a complaint registered a moment before (PostgreSQL's READ COMMITTED
    takes a new snapshot per statement)."""
    counter, _created = CaseCounter.objects.get_or_create(org=org, year=year)
    return CaseCounter.objects.select_for_update().get(pk=counter.pk)


def next_case_number(org: Org, year: int, counter: CaseCounter | None = None) -> str:
    counter = counter or _locked_counter(org, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{case_prefix(org)}维〔{year}〕{counter.last:04d}号"


# --- intake -------------------------------------------------------------------------------------


@dataclass
class WorkerInput:
    name: str
    id_number: str = ""
    phone: str = ""
    employment_form: str = CaseWorker.EmploymentForm.STANDARD
    job: str = ""
    is_representative: bool = False


@dataclass
class ClaimInput:
    kind: str
    amount: Decimal | str
    worker_index: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    calculation: dict | None = None


def _fingerprint(phone: str, employer_name: str) -> str:
    key = f"{validators.normalize_mobile(phone)}|{''.join(employer_name.split())}"
    return hashlib.sha256(key.encode()).hexdigest()


MAX_IDEMPOTENCY_KEY = 200


def _idempotency_key(key: str, org: Org, category: str, employer_name: str, facts: str, workers):
    """The stored key: the client's key hashed with what was submitted, so a key replayed with
    other content (or guessed) never returns somebody else's case."""
    key = (key or "").strip()
    if not key:
        return ""
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ValidationError({"idempotency_key": _("幂等键格式不正确（最长200个可见字符）")})
    people = "|".join(f"{w.name.strip()}/{w.id_number}/{w.phone}" for w in workers)
    content = "\x1f".join(
        [key, str(org.pk), category, "".join(employer_name.split()), facts.strip(), people]
    )
    return hashlib.sha256(content.encode()).hexdigest()


@transaction.atomic
def case_create(
    *,
    actor,
    org: Org,
    source: str,
    category: str,
    employer_name: str,
    facts: str,
    workers: list[WorkerInput],
    claims: list[ClaimInput] = (),
    employer: Enterprise | None = None,
    received_on: datetime.date | None = None,
    infringed_on: datetime.date | None = None,
    employment_ended_on: datetime.date | None = None,
    injury_on: datetime.date | None = None,
    project_name: str = "",
    contractors: list[tuple[str, str]] = (),
    officer=None,
    idempotency_key: str = "",
    consent_version: str = "",
) -> tuple[Case, bool]:
    """Register a case. Returns (case, created): the same complaint sent again to the same union
    within minutes (same phone and employer), or again with the same idempotency key and content
    at any time, returns the first case instead of a second one. A complaint to another union is
    never merged into this one (#11 §3).

    A court's liaison may register a court-entrusted mediation (委派调解) with the union the court
    works beside; the case is then shared back with the court to act on."""
    court = None
    if actor is not None and not has_perm(actor, Perm.CASE_EDIT, org):
        court = entrusting_court(actor, org) if source == Case.Source.COURT_ENTRUSTED else None
        if court is None:
            raise NotAllowed(_("您没有权限在该组织登记案件"))
    if org.is_agency:
        raise ValidationError({"org": _("案件须由工会组织承办")})
    errors: dict[str, list[str]] = {}
    if not workers:
        errors["workers"] = [_("请至少填写一名职工")]
    if not employer_name.strip() and employer is None:
        errors["employer_name"] = [_("请填写用人单位")]
    if not facts.strip():
        errors["facts"] = [_("请简要说明事实与理由")]
    if category not in Case.Category.values:
        errors["category"] = [_("请选择案件类别")]
    if source not in Case.Source.values:
        errors["source"] = [_("请选择案件来源")]
    if actor is None and source == Case.Source.ONLINE and not consent_version:
        # a complaint from the public form: the person's separate consent (PIPL arts. 14, 29)
        errors["consent"] = [str(consent.REQUIRED_MESSAGE)]
    for index, worker in enumerate(workers):
        worker.id_number = validators.normalize_resident_id(worker.id_number)
        worker.phone = validators.normalize_mobile(worker.phone)
        if not worker.name.strip():
            errors.setdefault("workers", []).append(
                _("第%(n)d名职工：请填写姓名") % {"n": index + 1}
            )
        if worker.id_number and (msg := validators.resident_id_error(worker.id_number)):
            errors.setdefault("workers", []).append(f"{worker.name}：{msg}")
        if worker.phone and (msg := validators.mobile_error(worker.phone)):
            errors.setdefault("workers", []).append(f"{worker.name}：{msg}")
    parsed_claims = []
    for claim in claims:
        try:
            amount = parse_amount(claim.amount, "claims")
        except ValidationError as exc:
            errors.setdefault("claims", []).extend(exc.messages)
            continue
        if claim.kind not in ClaimItem.Kind.values:
            errors.setdefault("claims", []).append(_("请求事项类别不正确"))
        if claim.worker_index is not None and not 0 <= claim.worker_index < len(workers):
            errors.setdefault("claims", []).append(
                _("请求事项所指的第%(n)d名职工不存在") % {"n": claim.worker_index + 1}
            )
        if claim.period_start and claim.period_end and claim.period_end < claim.period_start:
            errors.setdefault("claims", []).append(_("请求期间的结束日期早于开始日期"))
        parsed_claims.append((claim, amount))
    received_on = received_on or today()
    for field, value in (
        ("received_on", received_on),
        ("infringed_on", infringed_on),
        ("employment_ended_on", employment_ended_on),
        ("injury_on", injury_on),
    ):
        try:
            _not_future(value, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    employer_name = employer.name if employer is not None else employer_name.strip()
    phone = next((w.phone for w in workers if w.phone), "")
    fingerprint = _fingerprint(phone, employer_name) if phone else ""
    idem = _idempotency_key(idempotency_key, org, category, employer_name, facts, workers)
    # one registration per union and year at a time from here (identical submissions at once
    # used to pass the checks below together: 20 made 13 to 18 cases on PostgreSQL)
    counter = _locked_counter(org, received_on.year)
    if idem:
        same = Case.objects.filter(org=org, idempotency_key=idem).first()
        if same is not None:
            return same, False
    if fingerprint:
        recent = (
            Case.objects.filter(
                org=org,
                intake_fingerprint=fingerprint,
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            )
            .order_by("pk")
            .first()
        )
        if recent is not None:
            return recent, False

    fields = dict(
        number=next_case_number(org, received_on.year, counter),
        org=org,
        org_path=org.path,
        officer=officer,
        source=source,
        category=category,
        employer=employer,
        employer_name=employer_name,
        project_name=project_name,
        facts=facts.strip(),
        received_on=received_on,
        infringed_on=infringed_on,
        employment_ended_on=employment_ended_on,
        injury_on=injury_on,
        intake_fingerprint=fingerprint,
        idempotency_key=idem,
        consent_version=consent_version,
        consent_at=timezone.now() if consent_version else None,
    )
    try:
        with transaction.atomic():
            case = Case.objects.create(**fields)
    except IntegrityError:
        # the same key registered under another year's counter at the same moment
        same = Case.objects.filter(org=org, idempotency_key=idem).first() if idem else None
        if same is None:
            raise
        return same, False
    case_workers = []
    for worker in workers:
        person, _created = person_upsert(
            actor=None,
            name=worker.name,
            id_number=worker.id_number,
            phone=worker.phone,
            org=org,
            employer=employer,
        )
        # the matched person is left as on file: what was typed stays on the party row
        case_worker = CaseWorker.objects.filter(case=case, person=person).first()
        if case_worker is None:
            case_worker = CaseWorker(
                case=case,
                person=person,
                employment_form=worker.employment_form,
                job=worker.job,
                is_representative=worker.is_representative,
                typed_name=worker.name.strip()[:50],
            )
            case_worker.typed_phone = worker.phone
            case_worker.save()
        case_workers.append(case_worker)
    ClaimItem.objects.bulk_create(
        ClaimItem(
            case=case,
            worker=case_workers[c.worker_index] if c.worker_index is not None else None,
            kind=c.kind,
            amount=amount,
            period_start=c.period_start,
            period_end=c.period_end,
            calculation=c.calculation or {},
        )
        for c, amount in parsed_claims
    )
    ContractorLink.objects.bulk_create(
        ContractorLink(case=case, role=role, name=name, position=i)
        for i, (role, name) in enumerate(contractors)
    )
    _timeline(
        case,
        K.CREATED,
        _("登记案件（%(source)s）：%(n)d 名职工，请求金额 %(amount)s 元")
        % {
            "source": case.get_source_display(),
            "n": len(case_workers),
            "amount": sum((a for _c, a in parsed_claims), Decimal("0.00")),
        },
        actor,
    )
    _open_limitation_deadline(case, actor)
    _link_related(case)
    if court is not None:
        share = CaseShare.objects.create(
            case=case,
            agency=court,
            kind=CaseShare.Kind.ENTRUSTED,
            access=CaseShare.Access.ACT,
            created_by=actor,
        )
        _timeline(
            case,
            K.SHARE,
            _("%(court)s委派调解，案件由%(org)s承办") % {"court": court.name, "org": org.name},
            actor,
            agency=court.pk,
            share=share.pk,
        )
    return case, True


def entrusting_court(actor, org: Org) -> Org | None:
    """The court through which `actor` may entrust a mediation to `org`: a court attached to `org`
    or to a union above it."""
    for grant in grants_for(actor):
        agency = grant.org
        if (
            grant.role == StaffRole.Role.AGENCY_LIAISON
            and agency.agency_type == Org.AgencyType.COURT
            and org.kind == Org.Kind.UNION
            and org.path.startswith(agency.path[: -Org.steplen])
        ):
            return agency
    return None


def entrustable_orgs(actor):
    """Union orgs a court liaison may entrust mediations to."""
    q = None
    for grant in grants_for(actor):
        if (
            grant.role == StaffRole.Role.AGENCY_LIAISON
            and grant.org.agency_type == Org.AgencyType.COURT
        ):
            term = subtree_q(grant.org.path[: -Org.steplen])
            q = term if q is None else q | term
    if q is None:
        return Org.objects.none()
    return Org.objects.filter(q, kind=Org.Kind.UNION)


def _link_related(case: Case) -> None:
    """Cases against the same employer (or the same construction project) are shown together."""
    # within the same city (depth 3): related cases rarely cross city lines
    others = Case.objects.exclude(pk=case.pk).filter(subtree_q(case.org.path[:12], "org_path"))
    if case.employer_id:
        others = others.filter(employer_id=case.employer_id)
    elif case.project_name:
        others = others.filter(project_name=case.project_name)
    else:
        others = others.filter(employer_name=case.employer_name)
    case.related.add(*others.order_by("-pk")[:20])


# --- screening ----------------------------------------------------------------------------------


def screening_issues(case: Case, viewer=None) -> list[str]:
    """Reasons to look twice before accepting; accepting over them needs a recorded reason.
    Open cases elsewhere are named by number only when `viewer` may open them; another union's
    cases are a count with the union's name (#11 §3: nobody sees another union's numbers)."""
    issues = []
    limitation = case.deadlines.filter(rule__in=LIMITATION_RULES).order_by("due").first()
    if limitation is not None and limitation.due < today():
        issues.append(
            _("仲裁时效可能已届满（%(due)s），请核实是否存在中断、中止情形")
            % {"due": limitation.due.isoformat()}
        )
    open_same = (
        Case.objects.exclude(pk=case.pk)
        .exclude(stage=Stage.CLOSED)
        .filter(
            employer_name=case.employer_name,
            workers__person__in=case.workers.values("person"),
        )
        .distinct()
    )
    rows = list(open_same.values_list("pk", "number", "org__name").order_by("pk")[:50])
    visible = set()
    if viewer is not None and rows:
        visible = set(
            filter_for(viewer, Perm.CASE_VIEW, Case.objects.filter(pk__in=[r[0] for r in rows]))
            .values_list("pk", flat=True)
            .order_by()
        )
    numbers = [number for pk, number, _org in rows if pk in visible]
    if numbers:
        issues.append(
            _("同一职工对同一用人单位已有在办案件：%(numbers)s")
            % {"numbers": "、".join(numbers[:5])}
        )
    elsewhere: dict[str, int] = {}
    for pk, _number, org_name in rows:
        if pk not in visible:
            elsewhere[org_name] = elsewhere.get(org_name, 0) + 1
    for org_name, n in elsewhere.items():
        issues.append(
            _("同一职工对同一用人单位在%(org)s另有 %(n)d 件在办案件，请与该工会联系核实")
            % {"org": org_name, "n": n}
        )
    return issues


# --- deadlines ----------------------------------------------------------------------------------

LIMITATION_RULES = {RULE_ARBITRATION_LIMITATION, RULE_WAGE_ARREARS_LIMITATION}


def _open_deadline(case: Case, rule_id: str, start: datetime.date, actor=None, note="") -> Deadline:
    result = rules.compute_due(rule_id, start)
    deadline = Deadline.objects.create(
        case=case,
        rule=rule_id,
        name=result.rule.name,
        legal_basis=result.legal_basis,
        start=start,
        due=result.due,
        moved_for_holiday=result.moved_for_holiday,
        calendar_complete=result.calendar_complete,
        note=note,
    )
    _timeline(
        case,
        K.DEADLINE,
        _("期限起算：%(name)s，%(due)s 届满（%(basis)s）")
        % {"name": deadline.name, "due": deadline.due.isoformat(), "basis": deadline.legal_basis},
        actor,
        rule=rule_id,
    )
    return deadline


def _close_deadlines(case: Case, rule_ids: set[str] | None = None) -> None:
    open_deadlines = case.deadlines.filter(status=Deadline.Status.OPEN)
    if rule_ids is not None:
        open_deadlines = open_deadlines.filter(rule__in=rule_ids)
    open_deadlines.update(status=Deadline.Status.DONE)


def _open_limitation_deadline(case: Case, actor) -> None:
    if case.category == Case.Category.WAGES and case.employment_ended_on:
        _open_deadline(case, RULE_WAGE_ARREARS_LIMITATION, case.employment_ended_on, actor)
    elif case.category != Case.Category.WAGES and case.infringed_on:
        _open_deadline(case, RULE_ARBITRATION_LIMITATION, case.infringed_on, actor)
    if case.category == Case.Category.INJURY and case.injury_on:
        _open_deadline(case, RULE_INJURY_RECOGNITION_WORKER, case.injury_on, actor)


def _deadline_events(deadline: Deadline) -> list:
    events = []
    for event in deadline.events:
        if event["type"] == "interruption":
            events.append(rules.Interruption(on=datetime.date.fromisoformat(event["on"])))
        else:
            events.append(
                rules.Suspension(
                    start=datetime.date.fromisoformat(event["start"]),
                    end=datetime.date.fromisoformat(event["end"]),
                )
            )
    return events


def _add_deadline_event(deadline: Deadline, event: dict, actor, text: str) -> Deadline:
    """Record an interruption or suspension and recompute the due date from all events."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    _require_union_staff(actor, deadline.case)
    if deadline.status != Deadline.Status.OPEN:
        raise ValidationError({"deadline": _("该期限已不在进行中")})
    deadline.events = [*deadline.events, event]
    try:
        result = rules.compute_due(deadline.rule, deadline.start, events=_deadline_events(deadline))
    except rules.DeadlineError as exc:
        raise ValidationError({"deadline": str(exc)}) from exc
    deadline.due = result.due
    deadline.moved_for_holiday = result.moved_for_holiday
    deadline.calendar_complete = result.calendar_complete
    deadline.note = text
    deadline.save(update_fields=["events", "due", "moved_for_holiday", "calendar_complete", "note"])
    _timeline(
        deadline.case,
        K.DEADLINE,
        _("%(text)s；%(name)s 改为 %(due)s 届满")
        % {"text": text, "name": deadline.name, "due": deadline.due.isoformat()},
        actor,
        rule=deadline.rule,
    )
    return deadline


@transaction.atomic
def deadline_complete(*, deadline: Deadline, actor, note: str) -> Deadline:
    """The officer confirms a deadline is met (e.g. the commission accepted within 5 days)."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    _require_union_staff(actor, deadline.case)
    if deadline.status != Deadline.Status.OPEN:
        raise ValidationError({"deadline": _("该期限已不在进行中")})
    if not note.strip():
        raise ValidationError({"note": _("请说明期限如何已满足")})
    deadline.status = Deadline.Status.DONE
    deadline.note = note.strip()[:200]
    deadline.save(update_fields=["status", "note"])
    _timeline(
        deadline.case,
        K.DEADLINE,
        _("期限已满足：%(name)s（%(note)s）") % {"name": deadline.name, "note": deadline.note},
        actor,
        rule=deadline.rule,
    )
    return deadline


@transaction.atomic
def deadline_interrupt(*, deadline: Deadline, on: datetime.date, actor, reason: str) -> Deadline:
    """Art.27 para 2: a claim, a complaint to an authority, or the employer agreeing to pay
    restarts the limitation period from the interruption."""
    if not reason.strip():
        raise ValidationError({"reason": _("请说明时效中断的事由")})
    _not_future(on, "on")
    text = _("时效中断（%(on)s）：%(r)s") % {"on": on.isoformat(), "r": reason.strip()}
    return _add_deadline_event(
        deadline, {"type": "interruption", "on": on.isoformat()}, actor, text
    )


@transaction.atomic
def deadline_suspend(
    *, deadline: Deadline, start: datetime.date, end: datetime.date, actor, reason: str
) -> Deadline:
    """Art.27 para 3: force majeure or another just cause pauses the period for its span."""
    if not reason.strip():
        raise ValidationError({"reason": _("请说明时效中止的事由")})
    if end < start:
        raise ValidationError({"end": _("中止结束日期早于开始日期")})
    text = _("时效中止 %(a)s 至 %(b)s：%(r)s") % {
        "a": start.isoformat(),
        "b": end.isoformat(),
        "r": reason.strip(),
    }
    event = {"type": "suspension", "start": start.isoformat(), "end": end.isoformat()}
    return _add_deadline_event(deadline, event, actor, text)


# --- workflow -----------------------------------------------------------------------------------


@transaction.atomic
def case_transition(
    *, case: Case, action: str, actor, on: datetime.date | None = None, **data
) -> Case:
    """The one way a case changes stage. Raises TransitionNotAllowed (400) naming the unmet guard."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_union_staff(actor, case)
    if action not in TRANSITIONS:
        raise TransitionNotAllowed({"action": _("未知的操作：%(a)s") % {"a": action}})
    sources, target = TRANSITIONS[action]
    if case.stage not in sources:
        raise TransitionNotAllowed(
            {
                "action": _("案件处于“%(stage)s”阶段，不能“%(action)s”")
                % {"stage": case.get_stage_display(), "action": ACTION_LABELS[action]}
            }
        )
    on = on or today()
    _not_future(on, "on")
    if on < case.received_on:
        raise ValidationError({"on": _("日期不能早于登记日期")})
    old_stage = case.stage
    note = str(data.get("note", "")).strip()

    if action == "accept":
        issues = screening_issues(case, actor)
        override = str(data.get("override_reason", "")).strip()
        if issues and not override:
            raise TransitionNotAllowed({"override_reason": [*issues, _("如仍受理，请填写理由")]})
        case.screening_override_reason = override
        if data.get("officer") is not None:
            case.officer = data["officer"]
        elif case.officer_id is None and actor is not None:
            case.officer = actor
    elif action == "reject":
        reason = str(data.get("reason", "")).strip()
        if not reason:
            raise TransitionNotAllowed({"reason": _("不予受理须说明理由")})
        case.not_accepted_reason = reason
        case.outcome = Outcome.NOT_ACCEPTED
        case.closed_on = on
    elif action == "mediate":
        _open_deadline(case, RULE_MEDIATION, on, actor)
    elif action == "arbitrate":
        _close_deadlines(case, {RULE_MEDIATION})
        _open_deadline(case, RULE_ARBITRATION_ACCEPTANCE, on, actor)
    elif action == "litigate":
        _close_deadlines(case, {RULE_ARBITRATION_AWARD, RULE_ARBITRATION_ACCEPTANCE})
    elif action == "enforce":
        _open_deadline(case, RULE_ENFORCEMENT_APPLICATION, case.payment_due_on or on, actor)
    elif action == "close":
        outcome = str(data.get("outcome", ""))
        if outcome not in Outcome.values or outcome == Outcome.NOT_ACCEPTED:
            raise TransitionNotAllowed({"outcome": _("结案须选择结果")})
        if outcome in AGREEMENT_OUTCOMES and not (case.agreement_terms and case.agreement_amount):
            raise TransitionNotAllowed({"outcome": _("调解成功结案须先录入调解协议内容和金额")})
        case.outcome = outcome
        case.outcome_note = note
        case.closed_on = on
        _close_deadlines(case)
    case.stage = target
    case.save()
    _timeline(
        case,
        K.TRANSITION,
        _("%(action)s：%(old)s → %(new)s")
        % {
            "action": ACTION_LABELS[action],
            "old": Stage(old_stage).label,
            "new": Stage(target).label,
        }
        + (f"（{case.get_outcome_display()}）" if case.outcome else "")
        + (f"。{note}" if note else ""),
        actor,
        action=action,
        old=old_stage,
        new=target,
    )
    return case


@transaction.atomic
def agreement_record(
    *,
    case: Case,
    actor,
    terms: str,
    amount,
    signed_on: datetime.date,
    payment_due_on: datetime.date | None = None,
) -> Case:
    """The mediation agreement (调解协议): terms, amount, payment date. Opens the 30-day window for
    judicial confirmation (人民调解法 art.33)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_union_staff(actor, case)
    if case.stage != Stage.MEDIATION:
        raise TransitionNotAllowed({"stage": _("只有调解阶段的案件可以录入调解协议")})
    if not terms.strip():
        raise ValidationError({"terms": _("请填写协议内容")})
    amount = parse_amount(amount, "amount")
    _not_future(signed_on, "signed_on")
    if payment_due_on and payment_due_on < signed_on:
        raise ValidationError({"payment_due_on": _("履行期限不能早于签订日期")})
    case.agreement_terms = terms.strip()
    case.agreement_amount = amount
    case.agreement_signed_on = signed_on
    case.payment_due_on = payment_due_on
    case.save()
    _close_deadlines(case, {RULE_MEDIATION})
    _timeline(
        case,
        K.NOTE,
        _("达成调解协议：金额 %(amount)s 元，%(due)s前履行")
        % {"amount": amount, "due": payment_due_on.isoformat() if payment_due_on else "—"},
        actor,
    )
    _open_deadline(case, RULE_JUDICIAL_CONFIRMATION, signed_on, actor)
    return case


# --- agencies -----------------------------------------------------------------------------------


# levels below a district share their district's agencies (a street's case goes to the court of
# its district); a district, city or higher union's own subtree is its jurisdiction
_WITHIN_DISTRICT = {Org.Level.STREET, Org.Level.GRASSROOTS}


def jurisdiction(org: Org) -> Org:
    """The union whose subtree holds the agencies a case of `org` may be shared with: the
    district for a street or grassroots union, the union itself from district level up."""
    if org.level not in _WITHIN_DISTRICT:
        return org
    ancestors = [org.path[:end] for end in range(Org.steplen, len(org.path), Org.steplen)]
    above = (
        Org.objects.filter(path__in=ancestors, kind=Org.Kind.UNION)
        .exclude(level__in=_WITHIN_DISTRICT)
        .order_by("-depth")
        .first()
    )
    return above or org


def in_jurisdiction(case: Case, agency: Org) -> bool:
    """Whether `agency` may be given `case` (always, with RIGHTS_SHARE_ANY_JURISDICTION)."""
    from django.conf import settings

    if getattr(settings, "RIGHTS_SHARE_ANY_JURISDICTION", False):
        return True
    return agency.path.startswith(jurisdiction(case.org).path)


def share_agencies(case: Case):
    """The partner agencies `case` may be shared with, for the share form's choices."""
    from django.conf import settings

    agencies = Org.objects.filter(kind=Org.Kind.AGENCY)
    if not getattr(settings, "RIGHTS_SHARE_ANY_JURISDICTION", False):
        agencies = agencies.filter(subtree_q(jurisdiction(case.org).path))
    return agencies.order_by("path")


@transaction.atomic
def case_share(
    *, case: Case, agency: Org, actor, access: str = "read", kind: str = "share", note: str = ""
) -> CaseShare:
    _require_union_staff(actor, case)
    if not agency.is_agency:
        raise ValidationError({"agency": _("只能共享给协作单位")})
    if not in_jurisdiction(case, agency):
        raise ValidationError(
            {
                "agency": _(
                    "%(agency)s不在本案承办工会（%(org)s）的辖区内，"
                    "案件只能共享给%(area)s辖区的协作单位"
                )
                % {"agency": agency.name, "org": case.org.name, "area": jurisdiction(case.org).name}
            }
        )
    if kind == CaseShare.Kind.POLICE_REFERRAL and agency.agency_type != Org.AgencyType.POLICE:
        raise ValidationError({"agency": _("涉嫌拒不支付劳动报酬罪的案件只能移送公安机关")})
    if kind in {CaseShare.Kind.TRANSFER, CaseShare.Kind.POLICE_REFERRAL}:
        access = CaseShare.Access.ACT  # a transfer hands over the whole file to act on
    if access not in CaseShare.Access.values:
        raise ValidationError({"access": _("权限不正确")})
    if case.shares.filter(agency=agency, returned_at__isnull=True).exists():
        raise ValidationError({"agency": _("该案件已共享给此单位")})
    share = CaseShare.objects.create(
        case=case, agency=agency, access=access, kind=kind, note=note, created_by=actor
    )
    _timeline(
        case,
        K.SHARE,
        _("%(kind)s给%(agency)s（%(access)s）")
        % {
            "kind": share.get_kind_display(),
            "agency": agency.name,
            "access": share.get_access_display(),
        }
        + (f"：{note}" if note else ""),
        actor,
        agency=agency.pk,
        share_kind=kind,
    )
    return share


@transaction.atomic
def share_return(*, share: CaseShare, actor, note: str = "") -> CaseShare:
    """The agency hands the case back (or the union withdraws the share)."""
    if share.returned_at is not None:
        raise ValidationError({"share": _("该共享已交回")})
    case = share.case
    is_agency = acting_agency(actor, case) == share.agency if actor is not None else False
    if actor is not None and not is_agency:
        _require_union_staff(actor, case)
    share.returned_at = timezone.now()
    share.save(update_fields=["returned_at"])
    _timeline(
        case,
        K.RETURN,
        _("%(agency)s交回案件") % {"agency": share.agency.name} + (f"：{note}" if note else ""),
        actor,
        agency=share.agency_id,
    )
    return share


AGENCY_ACTS_BY_TYPE = {
    Org.AgencyType.COURT: {
        AgencyAct.Kind.FILED,
        AgencyAct.Kind.JUDGMENT,
        AgencyAct.Kind.ENFORCEMENT,
        AgencyAct.Kind.JUDICIAL_CONFIRMATION,
    },
    Org.AgencyType.ARBITRATION: {AgencyAct.Kind.ACCEPTED, AgencyAct.Kind.AWARD},
    Org.AgencyType.HRSS: {AgencyAct.Kind.FILED, AgencyAct.Kind.INSPECTION_ORDER},
    Org.AgencyType.JUSTICE: {AgencyAct.Kind.FILED},
    Org.AgencyType.POLICE: {AgencyAct.Kind.FILED},
}


@transaction.atomic
def agency_act_record(
    *, case: Case, actor, kind: str, on: datetime.date, document_number: str = "", note: str = ""
) -> AgencyAct:
    """An agency records its own act on a shared case (立案, 受理, 裁决, 判决, 执行, 监察指令书, 司法确认)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    agency = acting_agency(actor, case, act=True)
    if agency is None:
        raise NotAllowed(_("只有具有办理权限的协作单位可以记录办理事项"))
    if kind not in AGENCY_ACTS_BY_TYPE.get(agency.agency_type, set()):
        raise ValidationError({"kind": _("%(agency)s不能记录此类事项") % {"agency": agency.name}})
    _not_future(on, "on")
    if kind == AgencyAct.Kind.JUDICIAL_CONFIRMATION and not case.agreement_terms:
        raise ValidationError({"kind": _("案件尚无调解协议，无法司法确认")})
    act = AgencyAct.objects.create(
        case=case,
        agency=agency,
        kind=kind,
        on=on,
        document_number=document_number,
        note=note,
        recorded_by=actor,
    )
    _timeline(
        case,
        K.AGENCY_ACT,
        _("%(agency)s：%(kind)s") % {"agency": agency.name, "kind": act.get_kind_display()}
        + (f"（{document_number}）" if document_number else "")
        + (f"。{note}" if note else ""),
        actor,
        act=kind,
    )
    if kind == AgencyAct.Kind.JUDICIAL_CONFIRMATION:
        _close_deadlines(case, {RULE_JUDICIAL_CONFIRMATION})
    elif kind == AgencyAct.Kind.ACCEPTED:
        _close_deadlines(case, {RULE_ARBITRATION_ACCEPTANCE})
        _open_deadline(case, RULE_ARBITRATION_AWARD, on, actor)
    elif kind == AgencyAct.Kind.AWARD:
        _close_deadlines(case, {RULE_ARBITRATION_AWARD})
        _open_deadline(case, RULE_SUIT_AFTER_AWARD, on, actor)
    return act


# --- notes, evidence ----------------------------------------------------------------------------


NoteVisibility = TimelineEntry.Visibility


@transaction.atomic
def note_add(
    *, case: Case, actor, text: str, visibility: str = NoteVisibility.INTERNAL
) -> TimelineEntry:
    """A note on the case, visible to the handling union and, as chosen, to the partner agencies
    the case is shared with or also to the case's workers. An agency's own note is at least
    shared with partners (it could not read an internal one back). Workers do not write notes."""
    visibility = visibility or NoteVisibility.INTERNAL
    if not text.strip():
        raise ValidationError({"text": _("请填写备注内容")})
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("请选择可见范围")})
    _require_case_writer(actor, case)
    if (
        actor is not None
        and not can_edit_case(actor, case)
        and visibility == NoteVisibility.INTERNAL
    ):
        visibility = NoteVisibility.PARTNER  # an agency's note: it could not read an internal one
    entry = _timeline(case, K.NOTE, text.strip(), actor)
    if visibility != NoteVisibility.INTERNAL:
        entry.visibility = visibility
        entry.save(update_fields=["visibility"])
    return entry


# entry kinds a worker reads about their own case (notes only when shown to the worker)
WORKER_TIMELINE_KINDS = {K.CREATED, K.TRANSITION, K.RECOVERY, K.RATING}


def timeline_for(viewer, case: Case):
    """The case's timeline as `viewer` may read it: the handling union's staff everything,
    a partner agency all but internal notes, anyone else (the worker) the steps of the case and
    the notes shown to the worker."""
    entries = case.timeline.select_related("actor", "actor_org")
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return entries.filter(
            Q(kind__in=WORKER_TIMELINE_KINDS) | Q(kind=K.NOTE, visibility=NoteVisibility.WORKER)
        )
    if viewer.is_superuser or can_edit_case(viewer, case):
        return entries
    if acting_agency(viewer, case) is not None:
        return entries.exclude(kind=K.NOTE, visibility=NoteVisibility.INTERNAL)
    return entries.filter(
        Q(kind__in=WORKER_TIMELINE_KINDS) | Q(kind=K.NOTE, visibility=NoteVisibility.WORKER)
    )


def is_worker_view(viewer, case: Case) -> bool:
    """True when `viewer` reaches `case` only as one of its workers (not as staff or agency)."""
    return not (
        viewer.is_superuser
        or can_edit_case(viewer, case)
        or acting_agency(viewer, case) is not None
        or _union_viewer(viewer, case)
    )


def _union_viewer(viewer, case: Case) -> bool:
    return any(
        Perm.CASE_VIEW in SUBTREE_PERMS[g.role] and case.org.path.startswith(g.org.path)
        for g in grants_for(viewer)
    )


@transaction.atomic
def case_worker_apply_typed(*, actor, case_worker: CaseWorker, field: str) -> None:
    """The officer copies what was typed for a party of this case onto the person's file."""
    _require_union_staff(actor, case_worker.case)
    person_apply_typed(
        actor=actor,
        person=case_worker.person,
        field=field,
        submission=case_worker,
        source=_("案件 %(n)s") % {"n": case_worker.case.number},
    )


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """Size and type checks for evidence: returns (extension, sha256) or raises with the reason."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("文件不能超过 20 MB")})
    if upload.size == 0:
        raise ValidationError({"file": _("文件是空的")})
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": _("不支持的文件类型，请上传 PDF、图片、Word、Excel 或录音文件")}
        )
    head = upload.read(8)
    upload.seek(0)
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC):
        raise ValidationError({"file": _("不能上传可执行文件")})
    if EVIDENCE_TYPES[ext] and not head.startswith(EVIDENCE_TYPES[ext]):
        raise ValidationError({"file": _("文件内容与扩展名不符")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ext, digest.hexdigest()


@transaction.atomic
def evidence_add(*, case: Case, actor, upload: UploadedFile, description: str = "") -> Evidence:
    _require_case_writer(actor, case)
    ext, sha256 = check_upload(upload)
    evidence = Evidence(
        case=case,
        original_name=(upload.name or "")[:200],
        description=description[:200],
        size=upload.size,
        content_type=mimetypes.types_map.get(ext, "application/octet-stream"),
        sha256=sha256,
        uploaded_by=actor,
        uploaded_by_org=_actor_org(actor, case),
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    _timeline(
        case,
        K.EVIDENCE,
        _("上传证据：%(name)s（SHA-256 %(digest)s…）")
        % {"name": evidence.original_name, "digest": sha256[:12]},
        actor,
        evidence=evidence.pk,
    )
    return evidence


# --- money --------------------------------------------------------------------------------------


def claimed_total(case: Case) -> Decimal:
    claimed = case.claims.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return max(claimed, case.agreement_amount or Decimal("0.00"))


@transaction.atomic
def recovery_record(
    *,
    case: Case,
    actor,
    amount,
    on: datetime.date,
    payer: str,
    kind: str,
    shares: dict[int, Decimal | str] | None = None,
    over_claim_reason: str = "",
) -> Recovery:
    """Add a recovered payment to the ledger, split between workers (evenly when not given)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_union_staff(actor, case)
    amount = parse_amount(amount, "amount")
    if amount == 0:
        raise ValidationError({"amount": _("金额必须大于零")})
    if kind not in Recovery.Kind.values:
        raise ValidationError({"kind": _("请选择款项类别")})
    if not payer.strip():
        raise ValidationError({"payer": _("请填写支付方")})
    _not_future(on, "on")
    recovered = case.recoveries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    remaining = quantize(claimed_total(case) - recovered)  # SQLite sums without the places
    if amount > remaining and not over_claim_reason.strip():
        raise ValidationError(
            {
                "over_claim_reason": _(
                    "追回金额 %(amount)s 元超过尚未追回的请求金额 %(remaining)s 元，如确需登记请说明理由"
                )
                % {"amount": amount, "remaining": remaining}
            }
        )
    workers = list(case.workers.order_by("pk"))
    split: dict[int, Decimal] = {}
    if shares:
        ids = {w.pk for w in workers}
        for worker_id, value in shares.items():
            if int(worker_id) not in ids:
                raise ValidationError({"shares": _("分配对象不是本案职工")})
            split[int(worker_id)] = parse_amount(value, "shares")
        if sum(split.values()) != amount:
            raise ValidationError({"shares": _("各职工分配金额之和应等于追回金额")})
    elif workers:
        each = quantize(amount / len(workers))
        for worker in workers:
            split[worker.pk] = each
        split[workers[-1].pk] += amount - each * len(workers)  # the fen left over
    recovery = Recovery.objects.create(
        case=case,
        amount=amount,
        on=on,
        payer=payer.strip(),
        kind=kind,
        over_claim_reason=over_claim_reason.strip(),
        recorded_by=actor,
    )
    RecoveryShare.objects.bulk_create(
        RecoveryShare(recovery=recovery, worker_id=worker_id, amount=value)
        for worker_id, value in split.items()
        if value
    )
    _timeline(
        case,
        K.RECOVERY,
        _("追回%(kind)s %(amount)s 元（支付方：%(payer)s）")
        % {"kind": recovery.get_kind_display(), "amount": amount, "payer": recovery.payer},
        actor,
        recovery=recovery.pk,
    )
    return recovery


# --- claims computed with the statutory calculators ---------------------------------------------


def _injury_total(result: dict) -> Decimal:
    """The lump sums of a work-injury result (the monthly allowance is periodic, not claimed here)."""
    keys = ("one_time_disability_subsidy", "funeral_subsidy", "death_benefit")
    return sum((Decimal(result[k]) for k in keys if result.get(k)), Decimal("0.00"))


# calculator -> (claim kind given the result, claimed amount given the result)
CALCULATOR_CLAIMS = {
    "economic-compensation": (
        lambda r: (
            ClaimItem.Kind.DAMAGES if r["multiplier"] == 2 else ClaimItem.Kind.ECONOMIC_COMPENSATION
        ),
        lambda r: Decimal(r["amount"]),
    ),
    "double-wage": (lambda r: ClaimItem.Kind.DOUBLE_WAGE, lambda r: Decimal(r["amount"])),
    "work-injury": (lambda r: ClaimItem.Kind.INJURY, _injury_total),
    "overtime": (lambda r: ClaimItem.Kind.OVERTIME, lambda r: Decimal(r["amount"])),
    "annual-leave": (lambda r: ClaimItem.Kind.ANNUAL_LEAVE, lambda r: Decimal(r["amount"])),
    # 劳动合同法第八十五条: the upper end of 50%–100% is what a claim asks for
    "unpaid-wage-surcharge": (lambda r: ClaimItem.Kind.DAMAGES, lambda r: Decimal(r["max"])),
}
_GRADE_WORDS = {w: i for i, w in enumerate("一二三四五六七八九十", start=1)}


def calculator_prefill(case: Case, slug: str) -> dict:
    """What the case already knows for a calculator: inputs typed for earlier computed claims,
    the end of employment, the disability grade named in the facts, the amounts claimed."""
    import re

    known: dict = {}
    for claim in case.claims.exclude(calculator="").order_by("pk"):
        known.update(
            {k: v for k, v in (claim.calculator_inputs or {}).items() if v not in (None, "")}
        )
    if case.employment_ended_on and slug in {"economic-compensation", "double-wage"}:
        known.setdefault("end_date", case.employment_ended_on.isoformat())
    match = re.search(
        r"([一二三四五六七八九十]|10|[1-9])级伤残|伤残([一二三四五六七八九十]|10|[1-9])级",
        case.facts,
    )
    if match and slug == "work-injury":
        word = match.group(1) or match.group(2)
        known.setdefault("disability_grade", _GRADE_WORDS.get(word) or int(word))
    if slug == "unpaid-wage-surcharge":
        owed = case.claims.filter(
            kind__in=[
                ClaimItem.Kind.WAGES,
                ClaimItem.Kind.OVERTIME,
                ClaimItem.Kind.ECONOMIC_COMPENSATION,
            ]
        ).aggregate(total=Sum("amount"))["total"]
        if owed:
            known.setdefault("amount_owed", str(owed))
    from niangjia.rights.calculator_api import SERIALIZERS

    fields = SERIALIZERS[slug]().fields if slug in SERIALIZERS else {}
    return {k: v for k, v in known.items() if k in fields}


@transaction.atomic
def claim_compute(
    *,
    case: Case,
    actor,
    calculator: str,
    inputs: dict,
    save: bool = False,
    worker_id: int | None = None,
) -> dict:
    """Compute a claim with one of the statutory calculators (the same validation as the public
    endpoints) and, when `save`, keep it as a claim item with its inputs and whole result."""
    from niangjia.rights.calculator_api import json_inputs, run_calculator

    validated, result = run_calculator(calculator, inputs)  # raises CalculatorInputError
    clean = json_inputs(validated)
    kind_of, amount_of = CALCULATOR_CLAIMS[calculator]
    kind, amount = kind_of(result), quantize(amount_of(result))
    out = {
        "calculator": calculator,
        "inputs": clean,
        "result": result,
        "kind": kind,
        "kind_display": str(ClaimItem.Kind(kind).label),
        "amount": str(amount),
        "legal_basis": result.get("legal_basis", []),
        "claim": None,
    }
    if not save:
        return out
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_union_staff(actor, case)
    if amount <= 0:
        raise ValidationError({"amount": _("计算结果为 0 元，不能作为请求事项保存")})
    parse_amount(amount, "amount")  # beyond the claim's column (1 万亿) 金额过大, not a DB error
    worker = None
    if worker_id not in (None, ""):
        worker = case.workers.filter(pk=worker_id).select_related("person").first()
        if worker is None:
            raise ValidationError({"worker": _("所选职工不是本案当事人")})
    claim = ClaimItem.objects.create(
        case=case,
        worker=worker,
        kind=kind,
        amount=amount,
        period_start=result.get("period_start") or None,
        period_end=result.get("period_end") or None,
        calculator=calculator,
        calculator_inputs=clean,
        calculator_result=result,
    )
    _timeline(
        case,
        K.NOTE,
        _("新增请求事项：%(kind)s %(amount)s 元（按计算器计算%(who)s，依据：%(basis)s）")
        % {
            "kind": claim.get_kind_display(),
            "amount": amount,
            "who": _("，职工%(name)s") % {"name": worker.display_name} if worker else "",
            "basis": "、".join(out["legal_basis"]) or "—",
        },
        actor,
        claim=claim.pk,
        calculator=calculator,
    )
    out["claim"] = claim.pk
    return out


# --- workers' side ------------------------------------------------------------------------------


def case_lookup(*, number: str, phone: str) -> Case | None:
    """A worker follows their case by its number and the phone on file. A wrong pair answers
    None whether or not the number exists."""
    phone = validators.normalize_mobile(phone)
    if validators.mobile_error(phone) or not number.strip():
        return None
    return (
        Case.objects.filter(number=number.strip(), workers__person__phone_hash=blind_index(phone))
        .select_related("org")
        .first()
    )


@transaction.atomic
def rating_submit(*, case: Case, score: int, comment: str = "") -> CaseRating:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != Stage.CLOSED:
        raise ValidationError({"score": _("案件结案后才能评价")})
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("评分应为1至5分")})
    if CaseRating.objects.filter(case=case).exists():
        raise ValidationError({"score": _("您已评价过此案件")})
    rating = CaseRating.objects.create(case=case, score=int(score), comment=comment.strip()[:500])
    _timeline(case, K.RATING, _("职工评价：%(n)d 分") % {"n": rating.score}, None)
    return rating


def route_for(worker: CaseWorker, category: str) -> str:
    """Which road the law gives this worker, decided by the employment form."""
    form = worker.employment_form
    if form == CaseWorker.EmploymentForm.PLATFORM:
        if category == Case.Category.INJURY:
            return _(
                "平台职业伤害保障（新就业形态人员职业伤害保障试点）；如认定劳动关系，则走工伤认定"
            )
        return _("先确认是否存在劳动关系：存在则劳动仲裁前置，不存在则按民事纠纷向法院起诉")
    if form == CaseWorker.EmploymentForm.SERVICE_CONTRACT:
        return _("劳务/承揽关系：不属劳动争议，可调解或直接向人民法院提起民事诉讼")
    if category == Case.Category.INJURY:
        return _("先申请工伤认定（工伤保险条例第十七条），再就待遇争议申请劳动仲裁")
    return _("劳动争议：调解 → 劳动仲裁（仲裁前置）→ 诉讼")


# --- reminders ----------------------------------------------------------------------------------


def deadline_reminders(*, on: datetime.date | None = None, within_days: int = 3) -> int:
    """Remind each case's officer of open deadlines overdue or due within `within_days`, once a
    day. Claims each deadline with a compare-and-swap on `reminded_on`, so two workers running the
    sweep at once never send the same reminder twice. Returns the number sent."""
    from niangjia.core.notify import send_sms

    on = on or today()
    due = (
        Deadline.objects.filter(
            status=Deadline.Status.OPEN, due__lte=on + datetime.timedelta(days=within_days)
        )
        .exclude(reminded_on=on)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case__officer__person")
    )
    sent = 0
    for deadline in due.iterator():
        claimed = (
            Deadline.objects.filter(pk=deadline.pk).exclude(reminded_on=on).update(reminded_on=on)
        )
        if not claimed:
            continue
        officer = deadline.case.officer
        person = getattr(officer, "person", None) if officer else None
        state = _("已逾期") if deadline.due < on else _("即将届满")
        text = _("【职工娘家】案件%(number)s的“%(name)s”%(state)s（%(due)s），请及时办理。") % {
            "number": deadline.case.number,
            "name": deadline.name,
            "state": state,
            "due": deadline.due.isoformat(),
        }
        if person is not None and person.phone:
            send_sms(person.phone, text)
        _timeline(deadline.case, K.DEADLINE, _("已发送期限提醒：%(t)s") % {"t": text}, None)
        sent += 1
    return sent
