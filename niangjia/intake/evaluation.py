"""Precision and recall of the analyser per field over the labelled corpus
(`tests/corpus.jsonl`). Used by `manage.py intake_eval` and by the ratchet test.

Scalar fields (category, workers_count, employer, urgency): a suggestion is a non-empty value;
precision = correct suggestions / suggestions, recall = correct suggestions / texts whose label
is non-empty. List fields (amounts, dates, signals) are counted item by item (micro-averaged):
precision = suggested items that are in the label / suggested items, recall = labelled items
that were suggested / labelled items. `urgency=high` is also reported as its own row.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from niangjia.intake.analyser import FIELDS, VERSION, analyse

CORPUS = Path(__file__).resolve().parent / "tests" / "corpus.jsonl"
LIST_FIELDS = ("amounts", "dates", "signals")


@dataclass
class FieldScore:
    name: str
    suggested: int = 0
    expected: int = 0
    correct_suggested: int = 0  # suggestions that are right
    found_expected: int = 0  # labels that were suggested
    misses: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_suggested / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found_expected / self.expected if self.expected else 1.0


def load_corpus(path: Path = CORPUS) -> list[dict]:
    """The labelled texts: one JSON object a line (id, style, today, text, expected)."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def evaluate(items: list[dict] | None = None) -> dict[str, FieldScore]:
    items = load_corpus() if items is None else items
    scores = {name: FieldScore(name) for name in (*FIELDS, "urgency=high")}
    for item in items:
        today = datetime.date.fromisoformat(item["today"])
        got = analyse(item["text"], today=today).suggestions()
        want = item["expected"]
        for name in FIELDS:
            score = scores[name]
            g, w = got[name], want[name]
            if name in LIST_FIELDS:
                gs, ws = set(g), set(w)
                score.suggested += len(gs)
                score.expected += len(ws)
                score.correct_suggested += len(gs & ws)
                score.found_expected += len(gs & ws)
                if gs != ws:
                    score.misses.append({"id": item["id"], "got": sorted(gs), "want": sorted(ws)})
                continue
            if not _empty(g):
                score.suggested += 1
            if not _empty(w):
                score.expected += 1
            if not _empty(g) and g == w:
                score.correct_suggested += 1
                score.found_expected += 1
            if g != w:
                score.misses.append({"id": item["id"], "got": g, "want": w})
        high = scores["urgency=high"]
        high.suggested += got["urgency"] == "high"
        high.expected += want["urgency"] == "high"
        both = got["urgency"] == want["urgency"] == "high"
        high.correct_suggested += both
        high.found_expected += both
    return scores


def markdown_table(scores: dict[str, FieldScore], texts: int, path: Path = CORPUS) -> str:
    name = path.name if path.resolve().parent == CORPUS.parent else str(path)
    lines = [
        f"Corpus: {texts} texts (`niangjia/intake/tests/{name}`), analyser version {VERSION}.",
        "",
        "| field | suggested | labelled | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for score in scores.values():
        lines.append(
            f"| {score.name} | {score.suggested} | {score.expected} | "
            f"{score.precision:.1%} | {score.recall:.1%} |"
        )
    return "\n".join(lines)
