"""The sweep's table: a row per document, totals, and the most frequent failure causes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from scripts.sweep.classify import CLASSES

EXTRA = ("tool-error", "skipped")
PRISM_BROKE = "Prism's own response breaks the schema"
SHORT = {"ok": "ok", "request-rejected": "req-rej", "response-rejected": "resp-rej",
         "parameter-refused": "param", "crash": "crash", "spec-fault": "spec-f",
         "prism-fault": "prism-f", "ambiguous": "ambig", "tool-error": "tool", "skipped": "skipped"}


def table(records: list[dict[str, Any]]) -> list[str]:
    """The printed lines: header, one row per document, totals."""
    columns = [*CLASSES, *EXTRA]
    per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    ops: dict[str, set[str]] = defaultdict(set)
    status: dict[str, str] = {}
    for record in records:
        doc = record["document"]
        if record.get("record") == "document":
            note = _last_line(record.get("note", ""))[:160]
            status[doc] = record.get("status", "?") + (f" ({note})" if note else "")
            continue
        per_doc[doc][record["class"]] += 1
        ops[doc].add(record["operation"])
    head = f"{'ops':>5} {'calls':>6} " + " ".join(f"{SHORT[c]:>8}" for c in columns) + "  document"
    lines = [head]
    totals: Counter[str] = Counter()
    for doc, state in status.items():
        counts = per_doc[doc]
        totals.update(counts)
        cells = " ".join(f"{counts[c]:>8}" for c in columns)
        lines.append(f"{len(ops[doc]):>5} {sum(counts.values()):>6} {cells}  {doc}  [{state}]")
    cells = " ".join(f"{totals[c]:>8}" for c in columns)
    all_ops = sum(len(v) for v in ops.values())
    lines.append(f"{all_ops:>5} {sum(totals.values()):>6} {cells}  TOTAL ({len(status)} documents)")
    return lines


def causes(records: list[dict[str, Any]], limit: int) -> list[str]:
    """The most frequent (class, detail shape) groups, with one example call each."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if record.get("record") == "call" and record["class"] not in ("ok", "skipped"):
            groups[(record["class"], shape(record["detail"]))].append(record)
    lines = []
    for (cls, detail), members in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:limit]:
        example = members[0]
        documents = len({m["document"] for m in members})
        operations = len({(m["document"], m["operation"]) for m in members})
        lines.append(f"{len(members):>6} {cls:18} {documents:>3} docs {operations:>4} ops  {detail[:160]}")
        lines.append(f"{'':>34} e.g. {example['document']} {example['operation']} "
                     f"[{example['variant']}, {example['mode']}] -> {example['status']}")
    return lines


def shape(detail: str) -> str:
    """A detail with its specifics (numbers, quoted text, URLs, model and field names) blanked,
    to group by. A pydantic error is reduced to its first message and type."""
    text = _first_line(detail)
    if text.startswith(PRISM_BROKE):  # grouped by what Prism's response got wrong first
        broke = re.search(r"(Too many violations|must [^;\"']*)", text)
        text = f"{PRISM_BROKE}: … {broke.group(1) if broke else ''}"
    found = re.search(r"\| [^|]+ \| (.+?) ?(?:\[type=(\w+)(?:, input_value=(None|\{|\[))?|$)", text)
    if found:  # the detail may be cut before pydantic's [type=...]
        head = text.split(":", 1)[0]
        message = re.sub(r"instance of \w+", "instance of <Model>", found.group(1).strip())
        message = re.sub(r"expected tags: .*", "expected tags: …", message)
        value = {"None": " (given null)", "{": " (given an object)", "[": " (given a list)"}.get(
            found.group(3) or "", "")
        text = f"{head}: {message}" + (f" [type={found.group(2)}]" if found.group(2) else "") + value
    text = re.sub(r"#/\S+", "#/…", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"https?://\S+", "URL", text)
    return re.sub(r"\d+", "N", text)[:200]


def _last_line(text: str) -> str:
    """A traceback's last line says what went wrong; a one-line note is itself."""
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""
