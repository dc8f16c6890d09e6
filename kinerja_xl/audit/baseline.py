"""Baselines: remember today's findings, report only what is new tomorrow.

A finding's fingerprint is built from the unit and period of its report, the
rule, the sheet and the row key (the kode or row label), never from the cell
address, so a row inserted above does not turn every finding into a new
one. The period (year and quarter) is part of the unit's identity: the same
mistake in next quarter's report is a new finding. Reports whose unit is
unknown use their file name instead.

Fingerprints are counted, not just collected: two KX104 in one sheet are two
findings, and fixing one of them shows one as fixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

VERSION = 1


class BaselineError(ValueError):
    pass


def owner(identity: dict[str, Any] | None, path: str) -> str:
    """Who a finding belongs to: 'KECAMATAN LUMAJANG 2021 TW3', else the file name."""
    ident = identity or {}
    if ident.get("unit"):
        period = f" {ident.get('tahun') or '?'} TW{ident.get('triwulan') or '?'}"
        return f"{ident['unit']}{period}"
    return Path(path).name


def fingerprint(owner_key: str, finding: dict[str, Any]) -> str:
    parts = [owner_key, finding.get("code") or "", finding.get("sheet") or "", finding.get("row_key") or ""]
    if not finding.get("sheet") and not finding.get("row_key"):
        # file-level findings (unreadable, no table, cross-report notes): the message tells them apart
        parts.append(finding.get("name") or "")
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def load(path: Path) -> dict[str, dict[str, Any]] | None:
    """Fingerprint -> recorded entry (with ``count``); None when the file does not exist yet."""
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: baseline tidak dapat dibaca ({exc}). Hapus berkasnya atau jalankan dengan --update-baseline.") from exc
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path}: bukan berkas baseline kinerja-xl versi {VERSION}. Jalankan dengan --update-baseline untuk membuatnya ulang.")
    return {e["fingerprint"]: e for e in doc["findings"] if isinstance(e, dict) and "fingerprint" in e}


def save(path: Path, findings: list[dict[str, Any]]) -> None:
    """Write every finding (each carrying ``fingerprint``, ``owner``) as the new baseline, atomically."""
    counts = Counter(f["fingerprint"] for f in findings)
    entries: dict[str, dict[str, Any]] = {}
    for f in findings:
        fp = f["fingerprint"]
        if fp not in entries:
            entries[fp] = {"fingerprint": fp, "count": counts[fp], "owner": f.get("owner"), "code": f["code"],
                           "name": f.get("name"), "severity": f.get("severity"), "sheet": f.get("sheet"),
                           "row_key": f.get("row_key"), "file": f.get("file"), "message": f.get("message")}
    doc = {"version": VERSION, "tool": "kinerja-xl", "kind": "audit-baseline",
           "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "findings": sorted(entries.values(), key=lambda e: (str(e["owner"]), e["code"], str(e["sheet"]), str(e["row_key"])))}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


def compare(recorded: dict[str, dict[str, Any]], findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, list[dict[str, Any]]]:
    """(new findings, number already known, fixed entries with the number fixed as ``count``)."""
    left = Counter({fp: int(e.get("count", 1)) for fp, e in recorded.items()})
    new, known = [], 0
    for f in findings:
        fp = f["fingerprint"]
        if left[fp] > 0:
            left[fp] -= 1
            known += 1
        else:
            new.append(f)
    fixed = [dict(recorded[fp], count=n) for fp, n in left.items() if n > 0]
    fixed.sort(key=lambda e: (str(e.get("owner")), e.get("code", ""), str(e.get("sheet")), str(e.get("row_key"))))
    return new, known, fixed
