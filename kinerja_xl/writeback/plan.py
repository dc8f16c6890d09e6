"""What the write-back puts into a workbook, decided once for every painter.

``build_plan(report, computed, config)`` turns a ``WorkbookReport`` and the
computed values (``kinerja_xl.kinds.compute_all``) into an
``AnnotationPlan``:

- ``marks``: one ``CellMark`` per blamed cell (several findings on one cell
  share it; the worst severity picks the fill), with the note text;
- ``values``: one ``ValueWrite`` per computed value whose designated cell is
  empty (a formula cell is never written, a typed value that disagrees is
  left alone and gets a mark instead);
- ``findings``: the ``Temuan`` sheet (summary block, header, one row per
  finding, hyperlink targets, widths).

A painter (``painter.Painter``: the zip-patching ``FilePainter`` for files,
the xlwings painter for the live workbook) only carries the plan out, and
``apply_plan``/``clear_workbook`` drive every painter the same way, so the
CLI and the ribbon produce the same workbook.

Colours (both light tints, readable under black text, told apart by people
with red-green colour blindness because they differ on the blue-yellow axis;
the hues are those of the Okabe-Ito palette's orange and sky blue):

- error   ``#F8CBAD`` light orange
- warning ``#BDD7EE`` light sky blue
- info    no fill (note and findings row only)
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

from kinerja_xl.findings import Finding, Percent, Severity
from kinerja_xl.i18n import N_, NP_, translate, translated
from kinerja_xl.numfmt import format_value

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_xl.runner import WorkbookReport
    from kinerja_xl.writeback.painter import Painter

FINDINGS_SHEET = "Temuan"
STATE_SHEET = "_kinerja_xl_state"  # listed in runner.OUR_SHEETS: never validated
STATE_VERSION = 1

FILL = {Severity.ERROR: "F8CBAD", Severity.WARNING: "BDD7EE", Severity.INFO: None}
HEADER_FILL = "D9D9D9"  # the Temuan sheet's header row, in both painters
LINK_COLOR = "0563C1"  # its links to the cells
NOTE_AUTHOR = "kinerja-xl"
NOTE_ORIGINAL = N_("— Catatan asli —")

_TEXT = {
    "title": N_("Temuan pemeriksaan kinerja-xl"),
    "checked": N_("Diperiksa"),
    "file": N_("Berkas"),
    "counts": N_("Jumlah temuan"),
    "ikm": N_("IKM"),
    "mutu": N_("Mutu pelayanan"),
    "serapan": N_("Serapan anggaran keseluruhan"),
    "written": N_("Nilai terhitung yang diisikan"),
    "tables": N_("Tabel yang diperiksa"),
    "coverage": N_("Sel angka diperiksa"),
    "coverage_value": N_("{n} dari {m}"),
    "legend": N_("Warna sel: jingga = galat, biru muda = peringatan. Untuk menghapus semua tanda, tekan tombol Bersihkan di pita kinerja-xl (atau jalankan kinerja-xl clear NAMA-BERKAS di terminal)."),
    "header": (N_("No"), N_("Lembar"), N_("Sel"), N_("Baris"), N_("Kode"), N_("Tingkat"), N_("Pesan"), N_("Seharusnya"), N_("Tertulis"), N_("Selisih")),
    "expected": N_("Seharusnya"),
    "actual": N_("Tertulis"),
    "computed_note": N_("Diisi kinerja-xl: {label} = {value}"),
    "disagree_msg": N_("Nilai terhitung {label} {value} berbeda dari isi sel {existing}; isi sel dibiarkan seperti diketik."),
    "none": NP_("kosong", "-"),
}
WIDTHS = (6, 22, 9, 26, 9, 12, 70, 18, 18, 16)
LABEL_COL = 3  # the row label (Baris): as wide as its longest label, within these bounds
LABEL_WIDTH = (12, 80)
DISAGREE_CODE = "KX-HITUNG"  # a computed value disagrees with what the cell holds (not a rule of its own)


def text(lang: str) -> dict[str, Any]:
    """The findings sheet's texts in ``lang`` (the column headings a tuple)."""
    out = {k: v for k, v in _TEXT.items() if k != "header"}
    return {**translated(out, lang), "header": tuple(translate(h, lang) for h in _TEXT["header"])}


# --------------------------------------------------------------------------- plan data


@dataclass(frozen=True)
class CellMark:
    """Fill one cell and give it a note.

    ``fill`` is ``RRGGBB`` (no ``#``) or None for no fill change (info only).
    ``note`` is our note text; the painter keeps an existing note of the user
    after it (see ``combined_note``) and restores the original on clear.
    """

    sheet: str
    cell: str  # A1, no '$'
    severity: Severity
    fill: str | None
    note: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ValueWrite:
    """Write ``value`` (int, float or str) into an empty cell with ``number_format``, and ``note``.

    ``note`` is empty when the same cell also has a ``CellMark`` (whose note
    then says both): write no note then.
    """

    sheet: str
    cell: str
    value: Any
    number_format: str
    label: str
    note: str


@dataclass(frozen=True)
class FindingsSheet:
    """The ``Temuan`` sheet, laid out the same by every painter.

    Row 1 ``title``; rows 2.. the ``summary`` pairs (label in A
    (``summary_label_col``), bold, spilling over the empty B; value in C
    (``summary_value_col``); values are str/int/float, ``summary_formats``
    gives the number format of numeric ones); one blank row; ``header`` on row ``header_row``; then one
    row per finding (``rows``, values str/int/float/None) with ``formats``
    (number format per column of that row, None = General). ``links[i]`` is
    the internal hyperlink target of row i's cell column (column ``link_col``,
    zero-based), as ``'Sheet'!E12``, or None. ``severity_fills[i]`` colours
    the severity column (``severity_col``). Autofilter over header + rows,
    header frozen (panes split below ``header_row``), ``widths`` in
    characters, printed landscape fitted to one page wide.
    """

    name: str
    title: str
    summary: list[tuple[str, Any]]
    summary_formats: list[str | None]
    header: tuple[str, ...]
    rows: list[list[Any]]
    formats: list[list[str | None]]
    links: list[str | None]
    severity_fills: list[str | None]
    widths: tuple[float, ...]
    link_col: int = 2
    severity_col: int = 5
    message_col: int = 6
    summary_label_col: int = 0  # zero-based column of a summary label (A; it spills over the empty B)
    summary_value_col: int = 2  # zero-based column of the summary value (C)

    @property
    def header_row(self) -> int:
        """Excel row number of the header."""
        return 1 + len(self.summary) + 2

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.rows)

    @property
    def last_col(self) -> int:
        return len(self.header) - 1


@dataclass(frozen=True)
class AnnotationPlan:
    file: str
    lang: str
    marks: list[CellMark]
    values: list[ValueWrite]
    findings: FindingsSheet
    n_findings: int
    counts: dict[str, int]


# --------------------------------------------------------------------------- state


@dataclass
class TouchedCell:
    """One cell the annotation changed, and what it was before (for ``clear``).

    ``fill``: the painter's exact record of the original look. FilePainter:
    ``xf:N`` (the cell's style index), ``xf:`` (cell without ``s``),
    ``new`` (the ``<c>`` element did not exist), ``newrow`` (nor its row),
    followed by ``|key=value`` details (``f=``: the original fill's id, kept
    as XML in ``meta``; ``t=``: the cell's original ``t`` attribute).
    xlwings painter: ``rgb:RRGGBB`` or ``rgb:`` (no fill).
    ``fill_rgb``: the original fill colour as ``RRGGBB``, ``""`` for no fill,
    ``"?"`` unknown (theme/pattern colour): what another painter restores.
    ``note``: the original note text, None when the cell had none.
    ``note_raw``: painter-private exact original note (FilePainter: the
    ``<comment>`` element's XML), ``""`` when none.
    ``value``: what we wrote into the (empty) cell, None when we wrote nothing.
    ``marked``/``noted``: we changed the fill / the note.
    """

    sheet: str
    cell: str
    fill: str = ""
    fill_rgb: str = "?"
    marked: bool = False
    noted: bool = False
    note: str | None = None
    note_raw: str = ""
    value: Any = None


@dataclass
class AnnotationState:
    """Everything ``clear`` needs, saved in the hidden sheet ``_kinerja_xl_state``.

    ``painter`` is ``"file"`` or ``"xlwings"``; ``meta`` is painter-private
    (FilePainter: active tab, style counts before, styles digest after).
    """

    painter: str
    cells: list[TouchedCell] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    version: int = STATE_VERSION

    STATE_COLUMNS = ("sheet", "cell", "fill", "fill_rgb", "marked", "noted", "note", "note_raw", "value")

    def to_rows(self) -> list[list[Any]]:
        """The hidden sheet's content: row 1 magic/version/painter, meta rows, header, one row per cell.

        Every value is written as text except ``value`` (as written), so any
        painter reads it back the same way (see ``from_rows``).
        """
        rows: list[list[Any]] = [["kinerja-xl-state", str(self.version), self.painter]]
        for k, v in sorted(self.meta.items()):
            rows.append(["meta", k, v])
        rows.append(["cells", *self.STATE_COLUMNS])
        for c in self.cells:
            rows.append(["cell", c.sheet, c.cell, c.fill, c.fill_rgb or "-", "1" if c.marked else "0",
                         "1" if c.noted else "0", "" if c.note is None else "n:" + c.note, c.note_raw,
                         "" if c.value is None else c.value])
        return rows

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> "AnnotationState | None":
        """Parse ``to_rows`` output read back from a sheet (None/''-padded, numbers may be floats)."""

        def s(v: Any) -> str:
            if v is None:
                return ""
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            return str(v)

        if not rows or not rows[0] or s(rows[0][0]) != "kinerja-xl-state":
            return None
        head = [s(v) for v in rows[0]] + ["", ""]
        state = cls(painter=head[2] or "file", version=int(head[1] or 1))
        for row in rows[1:]:
            vals = list(row) + [None] * 10
            kind = s(vals[0])
            if kind == "meta":
                state.meta[s(vals[1])] = s(vals[2])
            elif kind == "cell":
                note = s(vals[7])
                fill_rgb = s(vals[4])
                state.cells.append(TouchedCell(
                    sheet=s(vals[1]), cell=s(vals[2]), fill=s(vals[3]), fill_rgb="" if fill_rgb == "-" else fill_rgb,
                    marked=s(vals[5]) == "1", noted=s(vals[6]) == "1",
                    note=note[2:] if note.startswith("n:") else None, note_raw=s(vals[8]),
                    value=None if vals[9] in (None, "") else vals[9]))
        return state


def combined_note(ours: str, original: str | None, lang: str = "id") -> str:
    """The note a painter writes: ours, then the user's own note kept below a rule."""
    if not original:
        return ours
    return f"{ours}\n\n{translate(NOTE_ORIGINAL, lang)}\n{original}"


# --------------------------------------------------------------------------- building


def sheet_value(value: Any) -> tuple[Any, str | None]:
    """A finding/computed value as a cell value and number format."""
    if value is None:
        return None, None
    if isinstance(value, Percent):
        return float(value.value) / 100, "0." + "0" * value.decimals + "%" if value.decimals else "0%"
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value), "#,##0"
        return float(value), "#,##0.00"
    if isinstance(value, int):
        return value, "#,##0"
    if isinstance(value, float):
        value = round(value, 9)  # float noise (86.4 - 86.32) is not a finding
        return value, "#,##0.00" if not value.is_integer() else "#,##0"
    return str(value), None


def _note_for(findings: list[Finding], lang: str) -> str:
    t = text(lang)
    parts = []
    for f in findings:
        lines = [f"{f.code} [{f.severity.label(lang)}] {f.message(lang)}"]
        if f.expected is not None:
            lines.append(f"{t['expected']}: {format_value(f.expected, lang)}")
        if f.actual is not None:
            lines.append(f"{t['actual']}: {format_value(f.actual, lang)}")
        parts.append("\n".join(lines))
    return "kinerja-xl\n" + "\n\n".join(parts)


_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _merge_anchors(sheets: list) -> dict[str, dict[int, list[tuple[int, int, int, int]]]]:
    """Sheet -> Excel row -> merged ranges (zero-based, inclusive) covering that row."""
    out: dict[str, dict[int, list]] = {}
    for sheet in sheets:
        rows: dict[int, list] = {}
        for m in getattr(sheet, "merges", ()) or ():
            r0, c0, r1, c1 = m
            for r in range(r0, min(r1, r0 + 10_000) + 1):
                rows.setdefault(r + 1, []).append(m)
        if rows:
            out[sheet.name] = rows
    return out


def anchor_cell(merges: dict, sheet: str, cell: str) -> str:
    """The top-left cell of the merged range holding ``cell`` (what Excel shows and fills), else ``cell``."""
    by_row = merges.get(sheet)
    m = _REF.match(cell)
    if not by_row or not m:
        return cell
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    for r0, c0, r1, c1 in by_row.get(row, ()):
        if c0 <= col - 1 <= c1 and r0 <= row - 1 <= r1:
            from kinerja_xl.tables import cell_ref

            return cell_ref(r0 + 1, c0)
    return cell


def _worst(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), key=lambda s: s.rank)


def _norm_cell(cell: str) -> str:
    return cell.replace("$", "").upper()


def _column_of(sheet: str, cell: str) -> tuple[str, str]:
    """(sheet, column letters) of a cell reference: 'E12' -> (sheet, 'E')."""
    return sheet, re.sub(r"[^A-Z]", "", _norm_cell(cell))


def _existing_number(existing: Any) -> tuple[float, bool] | None:
    """(number, was_percent_text) of what a cell holds, None when not a number."""
    if isinstance(existing, bool):
        return None
    if isinstance(existing, (int, float, Decimal)):
        return float(existing), False
    if isinstance(existing, str):
        from kinerja_xl.numbers import parse_number

        p = parse_number(existing)
        if p.ok and p.value is not None:
            return float(p.value), p.percent
    return None


def agrees(computed: Any, existing: Any, tolerance: float = 0.005) -> bool:
    """Does a cell's content match a computed value (at half a unit of the printed digit)?

    Percentages may sit in the cell as a fraction (0,7708 shown as 77,08%) or
    in percent units (77,08); both are accepted.
    """
    if existing is None or existing == "":
        return False
    if isinstance(computed, str):
        return str(existing).strip().lower() == computed.strip().lower()
    got = _existing_number(existing)
    if got is None:
        return False
    number, pct_text = got
    if isinstance(computed, Percent):
        tol = 0.5 * 10 ** -computed.decimals if computed.decimals is not None else tolerance * 100
        want = float(computed.value)
        if pct_text:
            return abs(number - want) <= tol + 1e-9
        return abs(number - want) <= tol + 1e-9 or abs(number * 100 - want) <= tol + 1e-9
    want = float(computed)
    return abs(number - want) <= max(tolerance, 0.5) if not isinstance(computed, float) else abs(number - want) <= tolerance


def _percent_unit_columns(computed: list) -> set[tuple[str, str]]:
    """(sheet, column letters) of computed percentages whose filled cells hold percent units (77,08)
    rather than Excel fractions (0,7708 shown as 77,08%): what is written beside them follows them,
    so that a column does not mix the two (an AVERAGE over it would be meaningless)."""
    votes: dict[tuple[str, str], int] = {}
    for c in computed:
        if not c.cell or not isinstance(c.value, Percent):
            continue
        got = _existing_number(c.existing) if c.existing not in (None, "") else None
        if got is None or got[1]:  # empty, or text with a % sign: says nothing about the numbers
            continue
        number, want = got[0], float(c.value.value)
        col = _column_of(c.sheet, c.cell)
        votes[col] = votes.get(col, 0) + (1 if abs(number - want) <= abs(number * 100 - want) else -1)
    return {col for col, v in votes.items() if v > 0}


def _write_value(c: Any, percent_units: bool = False) -> tuple[Any, str]:
    """Computed -> (cell value, number format), respecting the template's format."""
    fmt = c.number_format or "General"
    v = c.value
    if isinstance(v, Percent):
        if percent_units:  # the column's own numbers are percent units: 77,08 shown as 77,08%
            return float(v.value), ("0." + "0" * v.decimals if v.decimals else "0") + '"%"'
        if "%" in fmt:
            return float(v.value) / 100, fmt
        return float(v.value), fmt
    if isinstance(v, Decimal):
        return (int(v) if v == v.to_integral_value() else float(v)), fmt
    return v, fmt


def _survey_summary(report: "WorkbookReport", computed: list, config: Any, t: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[str | None]]:
    """IKM and mutu rows: every value the validators computed (a recap and the raw responses may both
    give one); else the IKM the workbook prints, as ``audit`` reports it (its survey data may be too
    incomplete to compute one, as in the bundled example)."""
    ikm = [c for c in computed if c.kind == "ikm"]
    mutu = [c for c in computed if c.kind == "mutu"]
    printed = _printed_ikm(report, config) if not ikm or not mutu else None
    rows = [(_per_sheet(t["ikm"], c, ikm), _ikm_score(c.value), "0.00") for c in ikm]
    if not ikm:
        rows.append((t["ikm"], t["none"], None) if printed is None else (t["ikm"], printed, "0.00"))
    rows += [(_per_sheet(t["mutu"], c, mutu), str(c.value), None) for c in mutu]
    if not mutu:
        from kinerja_xl.audit.extract import mutu_letter

        rows.append((t["mutu"], t["none"] if printed is None else mutu_letter(printed), None))
    return [(label, value) for label, value, _ in rows], [fmt for _, _, fmt in rows]


def _per_sheet(label: str, c: Any, found: list) -> str:
    return f"{label} ({c.sheet})" if len(found) > 1 else label


def _ikm_score(value: Any) -> Any:
    v = value.value if isinstance(value, Percent) else value  # a 25–100 score, not a percentage
    return float(v) if isinstance(v, (int, float, Decimal)) else str(v)


def _printed_ikm(report: "WorkbookReport", config: Any) -> float | None:
    from kinerja_xl.audit.extract import ikm_value
    from kinerja_xl.config import Config

    value = ikm_value(report, config if isinstance(config, Config) else Config())
    return None if value is None else float(value)


def _summary(report: "WorkbookReport", computed: list, config: Any, lang: str, n_written: int) -> tuple[list[tuple[str, Any]], list[str | None]]:
    t = text(lang)
    counts = ", ".join(f"{s.label(lang)} {report.count(s)}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    from kinerja_xl import __version__

    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    rows: list[tuple[str, Any]] = [
        (t["file"], report.file.replace("\\", "/").rsplit("/", 1)[-1]),
        (t["checked"], f"kinerja-xl {__version__}, {now}"),
        (t["counts"], f"{len(report.findings)} ({counts})"),
    ]
    fmts: list[str | None] = [None, None, None]

    survey_rows, survey_fmts = _survey_summary(report, computed, config, t)
    rows += survey_rows
    fmts += survey_fmts
    serapan = overall_serapan(report, computed)
    rows.append((t["serapan"], serapan if serapan is not None else t["none"]))
    fmts.append("0.00%" if serapan is not None else None)
    rows.append((t["written"], n_written))
    fmts.append("0")
    table_rows = _tables_block(report, lang)
    rows += table_rows
    fmts += [None] * len(table_rows)
    rows.append(("", t["legend"]))
    fmts.append(None)
    return rows, fmts


def _tables_block(report: "WorkbookReport", lang: str) -> list[tuple[str, Any]]:
    """The "Tabel yang diperiksa" block: the numeric cells checked of those present, then the
    terminal report's line per table and per sheet of numbers not understood (a clean Temuan sheet
    must not read as a pass of what was never looked at)."""
    from kinerja_xl.report.human import coverage_lines, ok_sentence

    t = text(lang)
    coverage = getattr(report, "coverage", [])
    unread = getattr(report, "unread_sheets", [])
    if not coverage and not unread:
        return []
    numeric = sum(c.numeric for c in coverage) + sum(u.numeric for u in unread)
    checked = sum(c.checked for c in coverage)
    value = t["coverage_value"].format(n=checked, m=numeric)
    if checked < numeric:
        value += " — " + ok_sentence(report, lang)[0].split("; ", 1)[-1].rstrip(".")
    lines = coverage_lines(report, lang)
    return [(t["coverage"], value), (t["tables"], lines[0])] + [("", line) for line in lines[1:]]


_TOTAL = re.compile(r"^\s*(TOTAL|JUMLAH)\b", re.I)


def overall_serapan(report: "WorkbookReport", computed: list) -> float | None:
    """Σ realisasi / Σ plafon of the realisasi table's total row (a fraction), else of its programs."""
    for table in report.tables:
        if table.kind != "realisasi" or not (table.has("plafon") and table.has("realisasi")):
            continue
        frame = table.frame

        def texts(key: str):
            return frame[key].astype("object").where(frame[key].notna(), "").astype(str).str.strip()

        label_cols = [k for k in ("no", "uraian") if k in frame.columns]
        is_total = None
        for key in label_cols:
            hit = texts(key).str.match(_TOTAL.pattern, case=False)
            is_total = hit if is_total is None else (is_total | hit)
        rows = list(frame.index[is_total.astype(bool)]) if is_total is not None else []
        if rows:
            rows = rows[-1:]
        elif "no" in frame.columns:
            rows = list(frame.index[texts("no").str.fullmatch(r"[A-Z]\.?").astype(bool)])  # programs A, B, ...
        if not rows:
            continue
        plafon = frame.loc[rows, "plafon"].dropna().sum()
        real = frame.loc[rows, "realisasi"].dropna().sum()
        if int(plafon):
            return int(real) / int(plafon)
    for c in computed:
        if c.kind == "serapan" and _TOTAL.match(str(c.row_key or "")) and isinstance(c.value, Percent):
            return float(c.value.value) / 100
    return None


def build_plan(report: "WorkbookReport", computed: list | None = None, config: Any = None, lang: str | None = None) -> AnnotationPlan:
    """Decide every mark, value, note and findings row for one workbook."""
    lang = lang or getattr(config, "lang", "id") or "id"
    tolerance = float(getattr(config, "percent_tolerance", 0.005) or 0.005)
    computed = list(computed or [])
    merges = _merge_anchors(report.sheets)
    values, disagreements = _computed_values(report, computed, merges, tolerance, lang)
    findings = list(report.findings) + disagreements
    marks, values = _one_note_per_cell(_marks(findings, merges, lang), values)
    summary, summary_formats = _summary(report, computed, config, lang, len(values))
    counts = {s.value: sum(1 for f in findings if f.severity == s) for s in Severity}
    return AnnotationPlan(file=report.file, lang=lang, marks=marks, values=values,
                          findings=_findings_sheet(findings, summary, summary_formats, lang),
                          n_findings=len(findings), counts=counts)


def _computed_values(report: "WorkbookReport", computed: list, merges: dict, tolerance: float,
                     lang: str) -> tuple[list[ValueWrite], list[Finding]]:
    """Computed values to write into their empty designated cells, and findings for typed values that disagree."""
    t = text(lang)
    blamed = {(f.sheet, _norm_cell(f.cell)) for f in report.findings if f.sheet and f.cell}
    unit_columns = _percent_unit_columns(computed)
    values: list[ValueWrite] = []
    extra: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for c in computed:
        key = (c.sheet, _norm_cell(c.cell)) if c.cell and not c.formula else None
        # a designated cell hidden inside a merged range has nowhere to show a value
        if key is None or key in seen or anchor_cell(merges, *key) != key[1]:
            continue
        seen.add(key)
        if c.existing is None or (isinstance(c.existing, str) and not c.existing.strip()):
            v, fmt = _write_value(c, _column_of(*key) in unit_columns)
            values.append(ValueWrite(c.sheet, key[1], v, fmt, c.label(lang),
                                     t["computed_note"].format(label=c.label(lang), value=format_value(c.value, lang))))
        elif key not in blamed and not agrees(c.value, c.existing, tolerance):
            extra.append(_disagreement(report, c, key[1], lang))
    return values, extra


def _disagreement(report: "WorkbookReport", c: Any, cell: str, lang: str) -> Finding:
    return Finding(code=DISAGREE_CODE, name="computed-value-differs", severity=Severity.WARNING,
                   message_id=_TEXT["disagree_msg"],
                   params={"label": c.label(lang), "value": c.value, "existing": c.existing},
                   file=report.file, sheet=c.sheet, cell=cell, row_key=c.row_key,
                   expected=c.value, actual=c.existing)


def _marks(findings: list[Finding], merges: dict, lang: str) -> list[CellMark]:
    """One mark per blamed cell (a cell inside a merged range: its top-left cell, the one Excel shows)."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell:
            by_cell.setdefault((f.sheet, anchor_cell(merges, f.sheet, _norm_cell(f.cell))), []).append(f)
    marks = []
    for (sheet, cell), fs in by_cell.items():
        sev = _worst(fs)
        marks.append(CellMark(sheet, cell, sev, FILL[sev], _note_for(fs, lang), tuple(dict.fromkeys(f.code for f in fs))))
    return marks


def _one_note_per_cell(marks: list[CellMark], values: list[ValueWrite]) -> tuple[list[CellMark], list[ValueWrite]]:
    """A cell both marked (e.g. an info finding) and filled in: the mark's note says both."""
    index = {(m.sheet, m.cell): i for i, m in enumerate(marks)}
    for j, v in enumerate(values):
        i = index.get((v.sheet, v.cell))
        if i is not None:
            marks[i] = replace(marks[i], note=f"{marks[i].note}\n\n{v.note}")
            values[j] = replace(v, note="")
    return marks, values


def _findings_sheet(findings: list[Finding], summary: list, summary_formats: list, lang: str) -> FindingsSheet:
    """One row per finding; the file is named once, in the summary, not on every row."""
    rows, formats, links, sev_fills = [], [], [], []
    for i, f in enumerate(findings, 1):
        exp, exp_f = sheet_value(f.expected)
        act, act_f = sheet_value(f.actual)
        dif, dif_f = sheet_value(f.difference)
        rows.append([i, f.sheet or "", _norm_cell(f.cell) if f.cell else "", f.row_key or "", f.code,
                     f.severity.label(lang), f.message(lang), exp, act, dif])
        formats.append([None] * 7 + [exp_f, act_f, dif_f])
        links.append(f.location.replace("$", "") if f.sheet and f.cell else (f.location + "!A1" if f.sheet else None))
        sev_fills.append(FILL[f.severity])
    t = text(lang)
    # the row label (Baris) as wide as the longest one, so it is not cut off at the next column
    longest = max((len(str(r[LABEL_COL])) for r in rows), default=0)
    widths = list(WIDTHS)
    widths[LABEL_COL] = max(LABEL_WIDTH[0], min(LABEL_WIDTH[1], longest + 2), len(t["header"][LABEL_COL]) + 2)
    return FindingsSheet(name=FINDINGS_SHEET, title=t["title"], summary=summary, summary_formats=summary_formats,
                         header=t["header"], rows=rows, formats=formats, links=links, severity_fills=sev_fills,
                         widths=tuple(widths))


# --------------------------------------------------------------------------- driving a painter


def apply_plan(painter: "Painter", plan: AnnotationPlan) -> AnnotationState:
    """Carry out ``plan`` with ``painter``; the caller has cleared any earlier annotation first.

    Order (every painter relies on it): ``mark`` → ``write_values`` →
    ``write_findings_sheet`` → ``save_state``. Returns the state saved.
    """
    touched: dict[tuple[str, str], TouchedCell] = {}
    for rec in list(painter.mark(plan.marks)) + list(painter.write_values(plan.values)):
        key = (rec.sheet, rec.cell)
        if key in touched:  # the same cell marked and written: keep the first original, merge flags
            old = touched[key]
            old.marked |= rec.marked
            old.noted |= rec.noted
            old.value = old.value if rec.value is None else rec.value
            known = {e.split("=", 1)[0] for e in old.fill.split("|")[1:]}
            extra = [e for e in rec.fill.split("|")[1:] if e.split("=", 1)[0] not in known]
            if extra:  # painter details the later step recorded (e.g. the cell's original type)
                old.fill = "|".join([old.fill, *extra])
        else:
            touched[key] = rec
    painter.write_findings_sheet(plan.findings)
    state = AnnotationState(painter=painter.kind, cells=list(touched.values()))
    painter.save_state(state)
    return state


def clear_workbook(painter: "Painter") -> AnnotationState | None:
    """Remove our annotation if there is one; returns the state that was undone (None: nothing to do)."""
    state = painter.load_state()
    if state is None:
        return None
    painter.clear(state)
    return state
