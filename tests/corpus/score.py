"""Score kinerja-xl on the corpus of real published tables.

    python tests/corpus/score.py [case-id ...]

For each case: the table kinds recognised, the expected findings found or
missed, the false alarms (an error at a cell the case lists under ``holds``)
and the "silent pass" (no finding and no recognised table). A finding matches
an expected one when it stands at the expected cell (any rule but the
reading rules KX0xx/KX1xx, so a new rule for the same identity still counts);
``kode`` says whether its code is one of the identity family's known codes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def _load_builder():
    # by file, under a name of our own: a bare "import build" could pick up the PyPA 'build' package
    name = "kinerja_corpus_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("build.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_builder = _load_builder()
build, case_paths, column_index, load_case = (_builder.build, _builder.case_paths, _builder.column_index,
                                              _builder.load_case)

from kinerja_xl.findings import Severity
from kinerja_xl.runner import validate_file

# identity family -> rule codes known today for it (new rules for the same identity match by cell)
FAMILIES: dict[str, set[str]] = {
    "sisa": {"KX301"},
    "selisih": {"KX301"},
    "percent": {"KX302", "KX701"},
    "parent-sum": {"KX401"},
    "total": {"KX402", "KX418", "KX503", "KX551"},
    "pengurangan": {"KX501", "KX502"},
    "capaian": {"KX701", "KX302"},
    "perubahan": set(),
    "surplus": set(),
    "pembiayaan": set(),
    "silpa": set(),
    "skm-jumlah": {"KX601", "KX610", "KX614"},
    "skm-skor": {"KX610"},
    "skm-nrr": {"KX602", "KX614"},
    "skm-nrr-tertimbang": {"KX609", "KX614"},
    "skm-ikm": {"KX603", "KX614"},
    "skm-mutu": {"KX604"},
    "skm-sample": {"KX606"},
    "kode": {"KX111", "KX112", "KX113"},
}

# case kind -> the table kinds of kinerja-xl that mean it was read as what it is
# (names a future reader may use are listed too, so recognising them needs no change here)
KIND_MAP: dict[str, set[str]] = {
    "realisasi": {"realisasi"},
    "capaian-budget": {"realisasi"},
    "refocusing": {"refocusing"},
    "pk": {"pk", "pk_program"},
    "iku": {"iku", "perbandingan", "renstra"},
    "renstra": {"renstra", "perbandingan"},
    "perbandingan": {"perbandingan", "renstra", "iku"},
    "lra-desa": {"lra", "lra-desa", "lra_desa", "apbdes"},
    "lra-skpd": {"lra", "lra-skpd", "lra_skpd"},
    "lra-pemda": {"lra", "lra-pemda", "lra_pemda"},
    "apbdes": {"apbdes", "anggaran", "apbdes-penjabaran"},
    "apbd-perubahan": {"apbd-perubahan", "apbd_perubahan", "perubahan"},
    "skm-recap": {"skm"},
    "skm-responses": {"skm_responden", "skm"},
}

_CELL = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def _reading_rule(code: str) -> bool:
    return code.startswith("KX0") or code.startswith("KX1") and code not in {"KX111", "KX112", "KX113"}


@dataclass
class CaseScore:
    case_id: str
    kind: str
    supported: bool
    kinds_found: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # "F7 sisa (KX301)"
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    silent: bool = False
    kind_ok: bool = False
    findings: int = 0
    errors: int = 0

    @property
    def perfect(self) -> bool:
        return self.kind_ok and not self.missed and not self.false_alarms and not self.silent


def _row_of(cell: str | None) -> int | None:
    m = _CELL.match(cell or "")
    return int(m.group(2)) if m else None


def holds_cells(case: dict, where) -> dict[str, str]:
    """A1 cell -> the identity the case says holds there."""
    cells: dict[str, str] = {}
    for h in case.get("holds") or []:
        col = column_index(case, h["column"])
        rows = h["rows"]
        if rows == "all":
            rows = [i for i, row in enumerate(case["rows"], 1)
                    if str(row[col - 1]).strip() not in ("", "-")]
        for i in rows:
            cells[where.cell(i, col)] = h["identity"]
    return cells


def score_case(case: dict, out_dir: Path) -> CaseScore:
    path, where = build(case, out_dir)
    report = validate_file(path)
    score = CaseScore(case["id"], case["kind"], bool(case.get("supported")))
    score.kinds_found = sorted({t.kind for t in report.tables})
    score.kind_ok = bool(KIND_MAP.get(case["kind"], set()) & set(score.kinds_found))
    score.findings = len(report.findings)
    score.errors = report.count(Severity.ERROR)
    flagged = [f for f in report.findings
               if f.severity in (Severity.ERROR, Severity.WARNING) and not _reading_rule(f.code)]
    expected_cells = set()
    for exp in case.get("expected") or []:
        col = column_index(case, exp["column"])
        cell = where.cell(exp["row"], col)
        expected_cells.add(cell)
        codes = FAMILIES.get(exp["family"], set())
        at_cell = [f for f in flagged if f.cell == cell]
        label = f"{cell} {exp['family']}"
        if at_cell:
            known = [f for f in at_cell if f.code in codes]
            score.found.append(f"{label} ({(known or at_cell)[0].code}{'' if known else ', kode lain'})")
            continue
        same_row = [f for f in flagged if _row_of(f.cell) == where.row_of(exp["row"]) and f.code in codes]
        if same_row:
            score.found.append(f"{label} (baris: {same_row[0].code} di {same_row[0].cell})")
        else:
            score.missed.append(label)
    holds = holds_cells(case, where)
    for f in report.findings:
        if f.severity == Severity.ERROR and f.cell in holds and f.cell not in expected_cells:
            score.false_alarms.append(f"{f.cell} {f.code} ({holds[f.cell]})")
    score.silent = not report.findings and not report.tables
    return score


def show_findings(case_id: str) -> str:
    """Every finding of one case, for a human working on it (``--findings ID``)."""
    with tempfile.TemporaryDirectory() as tmp:
        case = next(load_case(p) for p in case_paths() if load_case(p)["id"] == case_id)
        path, _ = build(case, Path(tmp))
        report = validate_file(path)
        lines = [f"{t.kind} {t.sheet}!{t.first_row}-{t.last_row} kolom {t.columns}" for t in report.tables]
        lines += [f"{f.code} {f.severity.value} {f.cell} {f.message()}" for f in report.findings]
        return "\n".join(lines)


def score_all(ids: list[str] | None = None) -> list[CaseScore]:
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in case_paths():
            case = load_case(path)
            if ids and case["id"] not in ids:
                continue
            scores.append(score_case(case, Path(tmp)))
    return scores


def render(scores: list[CaseScore]) -> str:
    lines = [f"{'kasus':34} {'jenis':15} {'dukung':6} {'dikenali':22} {'ok':2} {'temuan':>6} "
             f"{'ketemu':>6} {'lolos':>5} {'alarm':>5} diam"]
    for s in scores:
        lines.append(f"{s.case_id[:34]:34} {s.kind[:15]:15} {'ya' if s.supported else '-':6} "
                     f"{(','.join(s.kinds_found) or '-')[:22]:22} {'ya' if s.kind_ok else '-':2} {s.findings:>6} "
                     f"{len(s.found):>3}/{len(s.found) + len(s.missed):<2} {len(s.missed):>5} "
                     f"{len(s.false_alarms):>5} {'DIAM' if s.silent else ''}")
    lines.append("")
    for s in scores:
        if s.missed or s.false_alarms:
            lines.append(f"{s.case_id}:")
            for m in s.missed:
                lines.append(f"  lolos  {m}")
            for a in s.false_alarms:
                lines.append(f"  alarm  {a}")
    total_exp = sum(len(s.found) + len(s.missed) for s in scores)
    lines.append(f"\n{len(scores)} kasus; temuan yang diharapkan ditemukan {sum(len(s.found) for s in scores)}"
                 f"/{total_exp}; alarm palsu {sum(len(s.false_alarms) for s in scores)}; "
                 f"diam {sum(s.silent for s in scores)}; sempurna {sum(s.perfect for s in scores)}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--findings"]:
        print(show_findings(sys.argv[2]))
    else:
        print(render(score_all(sys.argv[1:] or None)))
