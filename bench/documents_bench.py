"""Case documents: how long generating each kind takes, DOCX and PDF separately.

    .venv/bin/python -m bench.documents_bench              # 12-worker case, 20 repetitions
    .venv/bin/python -m bench.documents_bench --workers 60 --reps 10

Self-contained: migrates a throw-away SQLite database under /tmp (override with --db), registers
one group wage case (workers, claims, contractor chain, mediation agreement, a recovery) through
the services, then times the layout + rendering of each kind. The first PDF of a process also
loads the vendored CJK fonts into WeasyPrint; it is reported apart ("cold"). Prints Markdown and
writes bench/results/documents.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.documents_bench")
    p.add_argument("--workers", type=int, default=12, help="workers on the case (default 12)")
    p.add_argument("--reps", type=int, default=20, help="repetitions per measurement")
    p.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "niangjia_bench_documents.sqlite3")
    )
    return p.parse_args(argv)


def setup(db: str) -> None:
    Path(db).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="nj-docs-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_case(n_workers: int):
    from django.contrib.auth import get_user_model

    from niangjia.core.demo import fake_mobile, fake_name, fake_resident_id
    from niangjia.orgs.models import Org, StaffRole
    from niangjia.rights import services
    from niangjia.rights.services import ClaimInput, WorkerInput

    rng = random.Random(4)
    org = Org.objects.add_root(
        {"name": "大武口区总工会", "level": Org.Level.DISTRICT, "region_code": "640202"}
    )
    officer = get_user_model().objects.create_user("bench_officer", first_name="马文静")
    StaffRole.objects.create(user=officer, org=org, role=StaffRole.Role.RIGHTS_OFFICER)
    day = datetime.date.today() - datetime.timedelta(days=30)
    workers = [
        WorkerInput(
            name=fake_name(rng),
            id_number=fake_resident_id(rng, "640202"),
            phone=fake_mobile(rng),
            is_representative=i == 0,
        )
        for i in range(n_workers)
    ]
    case, _ = services.case_create(
        actor=officer, org=org, source="hotline", category="wages",
        employer_name="大武口区众鑫建筑劳务有限公司", project_name="高新区标准化厂房二期",
        facts="班组农民工被拖欠2024年9月至12月工资，包工头称总包未拨款。",
        workers=workers,
        claims=[ClaimInput(kind="wages", amount="11666.67", worker_index=i) for i in range(n_workers)],
        contractors=[("general", "宁夏建工集团第三建筑公司"), ("sub", "大武口区众鑫建筑劳务有限公司"),
                     ("team_leader", "马长贵")],
        received_on=day, employment_ended_on=day - datetime.timedelta(days=20),
    )  # fmt: skip
    total = f"{11666.67 * n_workers:.2f}"
    services.case_transition(case=case, action="accept", actor=officer, on=day)
    services.case_transition(case=case, action="mediate", actor=officer, on=day)
    services.agreement_record(
        case=case, actor=officer, terms="总承包单位先行垫付全部欠薪，三日内一次付清", amount=total,
        signed_on=day + datetime.timedelta(days=9), payment_due_on=day + datetime.timedelta(days=12),
    )  # fmt: skip
    services.recovery_record(
        case=case, actor=officer, amount=total, on=day + datetime.timedelta(days=14),
        payer="宁夏建工集团第三建筑公司", kind="wages",
    )  # fmt: skip
    return case, officer


def timed(fn, reps: int) -> list[float]:
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(argv=None) -> int:
    args = parse_args(argv)
    setup(args.db)
    from niangjia.rights import documents

    case, officer = make_case(args.workers)
    start = time.perf_counter()
    documents.render_pdf(documents.layout(case, "case_summary"))
    cold_ms = (time.perf_counter() - start) * 1000

    rows = []
    for kind, label in documents.CaseDocument.Kind.choices:
        doc = documents.layout(case, kind)
        pdf, docx = documents.render_pdf(doc), documents.render_docx(doc)
        layout_ms = timed(lambda kind=kind: documents.layout(case, kind), args.reps)
        docx_ms = timed(lambda doc=doc: documents.render_docx(doc), args.reps)
        pdf_ms = timed(lambda doc=doc: documents.render_pdf(doc), args.reps)
        full_ms = timed(
            lambda kind=kind: documents.document_generate(case=case, actor=officer, kind=kind),
            max(3, args.reps // 4),
        )
        rows.append(
            {
                "kind": kind,
                "label": str(label),
                "layout_ms": statistics.median(layout_ms),
                "docx_ms": statistics.median(docx_ms),
                "pdf_ms": statistics.median(pdf_ms),
                "pdf_p95_ms": sorted(pdf_ms)[int(len(pdf_ms) * 0.95) - 1],
                "generate_ms": statistics.median(full_ms),
                "docx_kb": len(docx) // 1024,
                "pdf_kb": len(pdf) // 1024,
            }
        )
    out = sys.stdout
    out.write(
        f"\nCase documents, {args.workers}-worker wage case, median of {args.reps} "
        f"(first PDF of the process, fonts cold: {cold_ms:.0f} ms)\n\n"
    )
    out.write(
        "| Document | layout (ms) | DOCX (ms) | PDF (ms) | PDF p95 (ms) | generate + store (ms) "
        "| DOCX size | PDF size |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    for r in rows:
        out.write(
            f"| {r['label']} | {r['layout_ms']:.1f} | {r['docx_ms']:.1f} | {r['pdf_ms']:.0f} "
            f"| {r['pdf_p95_ms']:.0f} | {r['generate_ms']:.0f} | {r['docx_kb']} KB "
            f"| {r['pdf_kb']} KB |\n"
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "documents.json").write_text(
        json.dumps(
            {"workers": args.workers, "reps": args.reps, "cold_pdf_ms": cold_ms, "rows": rows},
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
