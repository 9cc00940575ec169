"""Excel import of beneficiaries and hand-outs: read, validate EVERY row (reporting each bad row
with its Excel row number and a Chinese reason), then save all rows in one transaction or none.

The save path is set-based (bulk inserts, tallies aggregated per org/item/category) so 100,000 rows
fit in well under a minute; the demo and the benchmark use the same `save_rows`.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.care import services
from niangjia.care.models import (
    Beneficiary,
    Campaign,
    Distribution,
    ItemTally,
    ItemType,
    Reach,
    ReachTally,
    TargetGroup,
)
from niangjia.core import exports, spreadsheets, validators
from niangjia.core.money import quantize
from niangjia.core.pii import blind_index
from niangjia.orgs.exceptions import PersonRegisteredElsewhere
from niangjia.orgs.models import Enterprise, Member, Person, subtree_q

# header → key; a header may be written with or without the "（选填）" hint
COLUMNS = [
    ("姓名", "name", True),
    ("身份证号码", "id_number", True),
    ("手机号码", "phone", False),
    ("类别", "category", True),
    ("工作单位", "employer", False),
    ("平台", "platform", False),
    ("站点", "depot", False),
    ("慰问项目", "item", True),
    ("数量", "quantity", False),
    ("金额", "amount", False),
    ("说明", "note", False),
]
CHUNK = 1000


@dataclass
class Row:
    line: int
    name: str
    id_number: str
    id_hash: str
    phone: str
    category: str
    employer: Enterprise | None
    platform: str
    depot: Enterprise | None
    item: ItemType
    quantity: int
    amount: Decimal
    note: str = ""
    person_id: int | None = None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_workbook(data) -> list[tuple[int, dict[str, str]]]:
    """(Excel row number, {key: text}) for each non-empty data row of the first sheet.

    `data` is bytes or a binary file; size, format and row count are checked before and while
    reading (core.spreadsheets), so a bad or oversized file is a ValidationError, never a 500."""
    header, rows = spreadsheets.read_sheet(data, max_rows=settings.IMPORT_MAX_ROWS)
    names = [_text(h).replace("（选填）", "").replace("*", "").strip() for h in header]
    index: dict[str, int] = {}
    for label, key, _required in COLUMNS:
        if label in names:
            index[key] = names.index(label)
    missing = [label for label, key, required in COLUMNS if required and key not in index]
    if missing:
        rows.close()
        raise ValidationError(_("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    out = []
    for number, values in rows:
        record = {key: _text(values[i]) for key, i in index.items()}
        if any(record.values()):
            out.append((number, record))
    return out


def _label_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices:
        if value:
            mapping[str(label)] = value
            mapping[value] = value
    return mapping


def validate_rows(
    campaign: Campaign,
    records: list[tuple[int, dict[str, str]]],
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[dict]]:
    """Check every row; returns the good rows and one error entry per bad row."""
    errors: list[dict] = []
    if campaign.status != Campaign.Status.ACTIVE:
        return [], [{"row": "—", "message": _("活动不在进行中，不能导入发放记录")}]
    items = {i.name: i for i in campaign.items.all()}
    categories = _label_map(TargetGroup.choices)
    platforms = _label_map(Beneficiary.Platform.choices)
    enterprises: dict[str, Enterprise] = {}
    for e in Enterprise.objects.filter(org__path__startswith=campaign.org.path).select_related(
        "org"
    ):
        enterprises[e.name] = e
        enterprises[e.credit_code] = e
    rows: list[Row] = []
    seen: dict[tuple[str, int], int] = {}
    for done, (line, rec) in enumerate(records, start=1):
        problems: list[str] = []
        name = rec.get("name", "")
        if not name:
            problems.append(_("姓名不能为空"))
        id_number = validators.normalize_resident_id(rec.get("id_number", ""))
        if not id_number:
            problems.append(_("身份证号码不能为空"))
        elif message := validators.resident_id_error(id_number):
            problems.append(message)
        phone = validators.normalize_mobile(rec.get("phone", ""))
        if phone and (message := validators.mobile_error(phone)):
            problems.append(message)
        category = categories.get(rec.get("category", ""))
        if category is None:
            problems.append(
                _("类别“%(v)s”无效，应为：%(all)s")
                % {
                    "v": rec.get("category", ""),
                    "all": "、".join(str(label) for _v, label in TargetGroup.choices),
                }
            )
        employer = depot = None
        if rec.get("employer"):
            employer = enterprises.get(rec["employer"])
            if employer is None:
                problems.append(
                    _("工作单位“%(v)s”不在本活动范围内的企业名录中") % {"v": rec["employer"]}
                )
        if rec.get("depot"):
            depot = enterprises.get(rec["depot"])
            if depot is None:
                problems.append(_("站点“%(v)s”不在本活动范围内的企业名录中") % {"v": rec["depot"]})
        platform = ""
        if rec.get("platform"):
            platform = platforms.get(rec["platform"], "")
            if not platform:
                problems.append(_("平台“%(v)s”无效") % {"v": rec["platform"]})
        item = items.get(rec.get("item", ""))
        if item is None:
            problems.append(_("慰问项目“%(v)s”不是本活动的项目") % {"v": rec.get("item", "")})
        quantity = 1
        if rec.get("quantity"):
            try:
                quantity = int(Decimal(rec["quantity"]))
                if quantity != Decimal(rec["quantity"]) or quantity < 1:
                    raise ValueError
            except (InvalidOperation, ValueError):
                problems.append(_("数量应为正整数"))
                quantity = 1
        amount = None
        if rec.get("amount"):
            try:
                amount = Decimal(rec["amount"])
            except InvalidOperation:
                problems.append(_("金额“%(v)s”不是有效数字") % {"v": rec["amount"]})
        value = Decimal(0)
        if item is not None and not problems:
            try:
                value = services.compute_amount(item, quantity, amount)
            except ValidationError as exc:
                problems.extend(exc.messages)
        id_hash = blind_index(id_number) if id_number else ""
        if item is not None and id_hash:
            first = seen.setdefault((id_hash, item.pk), line)
            if first != line:
                problems.append(_("与第 %(n)s 行重复（同一人同一项目）") % {"n": first})
        if problems:
            errors.append({"row": line, "message": "；".join(problems)})
        elif item is not None:
            rows.append(
                Row(
                    line,
                    name,
                    id_number,
                    id_hash,
                    phone,
                    category,
                    employer,
                    platform,
                    depot,
                    item,
                    quantity,
                    value,
                    rec.get("note", ""),
                )
            )
        if progress and done % CHUNK == 0:
            progress(done)
    _check_against_database(campaign, rows, errors)
    if not errors:
        total = sum((r.amount for r in rows), Decimal(0))
        campaign.refresh_from_db(fields=["spent_amount", "approved_extra_amount", "budget_amount"])
        if campaign.spent_amount + total > campaign.total_budget:
            errors.append(
                {
                    "row": "—",
                    "message": _("本文件合计 %(total)s 元，超出活动剩余预算 %(left)s 元")
                    % {"total": quantize(total), "left": campaign.remaining_amount},
                }
            )
    errors.sort(key=lambda e: (e["row"] == "—", e["row"] if e["row"] != "—" else 0))
    if progress:
        progress(len(records))
    return rows, errors


def _persons_by_hash(hashes: Iterable[str]) -> dict[str, int]:
    hashes = list(dict.fromkeys(hashes))
    found: dict[str, int] = {}
    for start in range(0, len(hashes), CHUNK):
        found.update(
            Person.objects.filter(id_number_hash__in=hashes[start : start + CHUNK]).values_list(
                "id_number_hash", "pk"
            )
        )
    return found


def _outside_campaign_scope(campaign: Campaign, ids: list[int]) -> set[int]:
    """People on file elsewhere: registered outside the campaign's org subtree, not a member of a
    union in it and not on its care register. A row naming one is refused, saying nothing of
    that person (#11: a create-or-match path returns no field of a person outside scope)."""
    path = campaign.org.path
    members = Member.objects.filter(subtree_q(path, "union__path")).values("person_id")
    registered = Beneficiary.objects.filter(subtree_q(path, "org__path")).values("person_id")
    inside: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        inside.update(
            Person.objects.filter(pk__in=ids[start : start + CHUNK])
            .filter(subtree_q(path, "org__path") | Q(pk__in=members) | Q(pk__in=registered))
            .values_list("pk", flat=True)
        )
    return set(ids) - inside


def _check_against_database(campaign: Campaign, rows: list[Row], errors: list[dict]) -> None:
    """Already served in this campaign, or aided this season by a related campaign (no reason);
    or the ID number is a person on file with another union."""
    persons = _persons_by_hash(r.id_hash for r in rows)
    for row in rows:
        row.person_id = persons.get(row.id_hash)
    known = [r for r in rows if r.person_id]
    if not known:
        return
    outside = _outside_campaign_scope(campaign, list({r.person_id for r in known}))
    if outside:
        message = PersonRegisteredElsewhere().message_dict["id_number"][0]
        for row in known:
            if row.person_id in outside:
                errors.append({"row": row.line, "message": message})
        known = [r for r in known if r.person_id not in outside]
    served: set[tuple[int, int]] = set()
    ids = list({r.person_id for r in known})
    for start in range(0, len(ids), CHUNK):
        served.update(
            Distribution.objects.filter(
                campaign=campaign, person_id__in=ids[start : start + CHUNK], voided_at__isnull=True
            ).values_list("person_id", "item_id")
        )
    prior: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        prior.update(services.prior_aid(campaign, ids[start : start + CHUNK]))
    for row in known:
        problems = []
        if (row.person_id, row.item.pk) in served:
            problems.append(
                _("已在本活动中领取过“%(item)s”，不能重复发放") % {"item": row.item.name}
            )
        if row.person_id in prior and not row.note:
            problems.append(
                _("本季已在“%(c)s”中获得帮扶，如确需发放请在“说明”列填写理由")
                % {"c": "、".join(prior[row.person_id])}
            )
        if problems:
            errors.append({"row": row.line, "message": "；".join(problems)})
    bad = {e["row"] for e in errors}
    rows[:] = [r for r in rows if r.line not in bad]


class _Writer:
    """Inserts new model rows inside the caller's transaction and reports progress.

    On PostgreSQL (method "copy") the rows go in with `COPY … FROM STDIN` into the real tables, so
    every constraint — the partial unique index against double hand-outs included — still holds;
    primary keys that are needed later are drawn from the table's sequence first. Elsewhere
    (method "bulk") it is Django's `bulk_create`. Either way each column value is prepared exactly
    as `bulk_create` prepares it (`pre_save` + `get_db_prep_save`: timestamps, encryption), so the
    two methods store the same rows."""

    def __init__(self, method: str, progress: Callable[[int, int], None] | None, total: int):
        self.method = method
        self.progress = progress
        self.total = total
        self.done = 0

    def step(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(min(self.done, self.total), self.total)

    def insert(self, model, objs: list, *, need_pk: bool = False) -> None:
        if not objs:
            return
        if self.method != "copy":
            for start in range(0, len(objs), CHUNK * 2):
                chunk = objs[start : start + CHUNK * 2]
                model.objects.bulk_create(chunk)
                self.step(len(chunk))
            if need_pk and any(o.pk is None for o in objs):  # SQLite < 3.35: no RETURNING
                raise RuntimeError("this database cannot return primary keys from bulk inserts")
            return
        meta = model._meta
        db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
        ops = db.ops
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        with db.wrap_database_errors, db.cursor() as cursor:
            if need_pk:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(objs)],
                )
                for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                    obj.pk = pk
                fields = [meta.pk, *fields]
            columns = ", ".join(ops.quote_name(f.column) for f in fields)
            sql = f"COPY {ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, len(objs), CHUNK * 5):
                    chunk = objs[start : start + CHUNK * 5]
                    for obj in chunk:
                        copy.write_row(
                            [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]
                        )
                    self.step(len(chunk))
        for obj in objs:
            obj._state.adding = False
            obj._state.db = db.alias


def default_method() -> str:
    return "copy" if connection.vendor == "postgresql" else "bulk"


def save_rows(
    campaign: Campaign,
    rows: list[Row],
    *,
    actor,
    receipt_kind=None,
    progress: Callable[[int, int], None] | None = None,
    method: str | None = None,
) -> int:
    """Save validated rows in one transaction (all or nothing); returns hand-outs created.

    Locks the campaign row like a single hand-out does, re-checks the budget under the lock, and
    lets the partial unique index catch any duplicate that slipped in since validation.
    `progress(done, total)` is called as rows are written (total = rows to insert in all tables);
    `method` is "copy" (PostgreSQL COPY, the default there) or "bulk" (bulk_create)."""
    receipt_kind = receipt_kind or Distribution.ReceiptKind.LIST
    method = method or default_method()
    if method not in {"copy", "bulk"} or (method == "copy" and connection.vendor != "postgresql"):
        raise ValueError(f"unsupported import method {method!r}")
    now = timezone.now()
    # per-row change history would be 100,000 log entries; the import job is the audit record
    with disable_auditlog(), transaction.atomic():
        campaign = services.campaign_for_update(campaign.pk)
        services._require_active(campaign)
        total = sum((r.amount for r in rows), Decimal(0))
        services._check_budget(campaign, total)

        # people: one Person per human, found by blind index, created in bulk when new
        persons = _persons_by_hash(r.id_hash for r in rows)
        known_people = set(persons.values())
        new_people: dict[str, Person] = {}
        for row in rows:
            if row.id_hash in persons or row.id_hash in new_people:
                continue
            person = Person(name=row.name, org=_org_for(campaign, row), employer=row.employer)
            person.id_number = row.id_number
            person.phone = row.phone
            new_people[row.id_hash] = person
        # an upper bound for the progress bar: people, beneficiaries, hand-outs, reach rows
        writer = _Writer(method, progress, 2 * len(new_people) + 2 * len(rows))
        writer.step(0)
        writer.insert(Person, list(new_people.values()), need_pk=True)
        persons.update({h: p.pk for h, p in new_people.items()})

        # beneficiaries: one register row per person and org (only people already known can
        # have one)
        wanted = {(persons[r.id_hash], _org_for(campaign, r).pk): r for r in rows}
        existing: dict[tuple[int, int], Beneficiary] = {}
        person_ids = list({k[0] for k in wanted if k[0] in known_people})
        for start in range(0, len(person_ids), CHUNK):
            for b in Beneficiary.objects.filter(person_id__in=person_ids[start : start + CHUNK]):
                existing[(b.person_id, b.org_id)] = b
        new_beneficiaries = {
            key: Beneficiary(
                person_id=key[0],
                org_id=key[1],
                category=r.category,
                employer=r.employer,
                platform=r.platform,
                depot=r.depot,
            )
            for key, r in wanted.items()
            if key not in existing
        }
        writer.insert(Beneficiary, list(new_beneficiaries.values()), need_pk=True)
        existing.update(new_beneficiaries)

        distributions = []
        for row in rows:
            person_id = persons[row.id_hash]
            beneficiary = existing[(person_id, _org_for(campaign, row).pk)]
            distributions.append(
                Distribution(
                    campaign=campaign,
                    item=row.item,
                    beneficiary=beneficiary,
                    person_id=person_id,
                    org_id=beneficiary.org_id,
                    category=row.category,
                    quantity=row.quantity,
                    amount=row.amount,
                    staff=actor,
                    distributed_at=now,
                    receipt_kind=receipt_kind,
                    receipt_confirmed_at=now,
                    payment_method=Distribution.PaymentMethod.IN_PERSON if row.item.is_cash else "",
                    payment_status=Distribution.PaymentStatus.PAID if row.item.is_cash else "",
                    override_reason=row.note[:200],
                )
            )
        try:
            with transaction.atomic():
                writer.insert(Distribution, distributions)
        except IntegrityError as exc:
            raise ValidationError(
                _("导入期间有人重复登记了同一发放记录，请重新校验后再导入")
            ) from exc
        apply_tallies(campaign, distributions, now=now, writer=writer, known_people=known_people)
        Campaign.objects.filter(pk=campaign.pk).update(spent_amount=F("spent_amount") + total)
        writer.step(writer.total)
    return len(distributions)


def _org_for(campaign: Campaign, row: Row):
    if row.employer is not None:
        return row.employer.org
    if row.depot is not None:
        return row.depot.org
    return campaign.org


def apply_tallies(
    campaign: Campaign,
    distributions: list[Distribution],
    *,
    now,
    writer: _Writer | None = None,
    known_people: set[int] | None = None,
) -> None:
    """Add a batch of new live hand-outs to the summary rows (caller holds the campaign lock).

    `known_people`, when given, are the only people who may already have a Reach row in this
    campaign (everyone else was created by this import), which saves the lookup for the rest."""
    writer = writer or _Writer(default_method(), None, 0)
    items: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for d in distributions:
        acc = items[(d.org_id, d.item_id, d.category)]
        acc[0] += 1
        acc[1] += d.quantity
        acc[2] += d.amount
    existing = {
        (t.org_id, t.item_id, t.category): t for t in ItemTally.objects.filter(campaign=campaign)
    }
    new, changed = [], []
    for key, (times, quantity, amount) in items.items():
        tally = existing.get(key)
        if tally is None:
            new.append(
                ItemTally(
                    campaign=campaign,
                    org_id=key[0],
                    item_id=key[1],
                    category=key[2],
                    times=times,
                    quantity=quantity,
                    amount=amount,
                )
            )
        else:
            tally.times += times
            tally.quantity += quantity
            tally.amount += amount
            changed.append(tally)
    ItemTally.objects.bulk_create(new)
    ItemTally.objects.bulk_update(changed, ["times", "quantity", "amount"])

    first: dict[int, Distribution] = {}
    per_person = Counter()
    for d in distributions:
        first.setdefault(d.person_id, d)
        per_person[d.person_id] += 1
    reaches: dict[int, Reach] = {}
    ids = [p for p in first if known_people is None or p in known_people]
    for start in range(0, len(ids), CHUNK):
        for r in Reach.objects.filter(campaign=campaign, person_id__in=ids[start : start + CHUNK]):
            reaches[r.person_id] = r
    new_reach, changed_reach = [], []
    persons: Counter = Counter()
    for person_id, d in first.items():
        reach = reaches.get(person_id)
        if reach is None:
            new_reach.append(
                Reach(
                    campaign=campaign,
                    person_id=person_id,
                    org_id=d.org_id,
                    category=d.category,
                    live=per_person[person_id],
                    first_at=now,
                )
            )
            persons[(d.org_id, d.category)] += 1
        else:
            if reach.live == 0:
                reach.org_id, reach.category = d.org_id, d.category
                persons[(d.org_id, d.category)] += 1
            reach.live += per_person[person_id]
            changed_reach.append(reach)
    writer.insert(Reach, new_reach)
    Reach.objects.bulk_update(changed_reach, ["live", "org", "category"], batch_size=2000)
    tallies = {(t.org_id, t.category): t for t in ReachTally.objects.filter(campaign=campaign)}
    new_tallies, changed_tallies = [], []
    for key, count in persons.items():
        tally = tallies.get(key)
        if tally is None:
            new_tallies.append(
                ReachTally(campaign=campaign, org_id=key[0], category=key[1], persons=count)
            )
        else:
            tally.persons += count
            changed_tallies.append(tally)
    ReachTally.objects.bulk_create(new_tallies)
    ReachTally.objects.bulk_update(changed_tallies, ["persons"])


def template_workbook(campaign: Campaign) -> bytes:
    """An empty list with the expected columns and one example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "发放名单"
    exports.append(sheet, [label for label, _key, _required in COLUMNS])
    item = campaign.items.order_by("pk").first()
    exports.append(
        sheet,
        [
            "张三",
            "120116199001011234",
            "13800000000",
            "一线职工",
            "",
            "",
            "",
            item.name if item else "",
            1,
            "",
            "",
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def today() -> datetime.date:
    return timezone.localdate()
