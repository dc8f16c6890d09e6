"""Survei Kepuasan Masyarakat (SKM): the recap, the raw responses, the IKM.

Two table kinds:

- ``skm``: the recap (*Rekapitulasi Nilai Hasil Survei Kepuasan
  Masyarakat*): NO, UNSUR PELAYANAN, PERTANYAAN (its number and its text,
  often two columns under one merged header), JUMLAH NILAI, JUMLAH RTMK,
  NILAI UNSUR PELAYANAN (optionally NRR TERTIMBANG, JUMLAH RESPONDEN per
  question). An unsur spans several question rows; its name, number and
  nilai unsur stand on its first row (or are merged down). The table ends
  with the *Nilai Hasil Survei* (IKM) row; our template adds a MUTU row.
  Around the table (below or beside it) stand the population, the number of
  respondents and the respondent profile (``JENIS KELAMIN L 98 P 90``…):
  ``read_info`` reads them from the sheet (``Table.sheet_data``).
- ``skm_responden``: raw responses, one row per respondent, one column per
  question (``P1``…, ``U1``…, or the question numbers under a
  ``PERTANYAAN`` header), scores 1–4, blanks allowed. The recap can be
  computed from it (``summarize_responses``).

The arithmetic (NRR, IKM conventions, mutu, Krejcie–Morgan) is in
``kinerja_validators.ikm``; this module finds the numbers and blames cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kinerja_validators import ikm as calc

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, NUMBER, PERCENT, TEXT, Field, TableSpec, cell_ref, fold

# --------------------------------------------------------------------------- specs

_PERTANYAAN = r"(?:.* )?(?:NO |NOMOR )?(?:PERTANYAAN|BUTIR PERTANYAAN|SOAL)(?: .*)?"
# the recap's footer row: the table ends there (``TableSpec.end_row``)
IKM_LABEL = r"(?:NILAI )?(?:HASIL SURVEI|IKM|SKM|INDEKS KEPUASAN MASYARAKAT)(?: .*)?|NILAI INDEKS(?: .*)?"

RECAP = TableSpec(
    kind="skm",
    title_id="Rekapitulasi Survei Kepuasan Masyarakat (SKM/IKM)",
    title_en="Public satisfaction survey recap (SKM/IKM)",
    fields=(
        Field("no", (r"NO|NO URUT|NOMOR|NO UNSUR",), LABEL),
        # order matters: the first pattern a column matches wins, specific before general
        Field("jumlah_nilai", (r"(?:.* )?JUMLAH NILAI(?: .*)?|(?:.* )?(?:TOTAL|JUMLAH) SKOR(?: .*)?",), PERCENT, required=True),
        Field("rtmk", (r"(?:.* )?(?:JUMLAH )?RTMK(?: .*)?",), NUMBER),
        Field("dijawab", (r"(?:.* )?JUMLAH (?:RESPONDEN(?: YANG)? MENJAWAB|JAWABAN)(?: .*)?",), NUMBER),
        Field("nrr_tertimbang", (r"(?:.* )?(?:NRR|NILAI(?: RATA RATA)?) TERTIMBANG(?: .*)?",), PERCENT),
        Field("nilai_unsur", (r"(?:.* )?(?:NILAI UNSUR(?: PELAYANAN)?|NRR(?: PER)?(?: UNSUR)?|NILAI RATA RATA(?: PER)?(?: UNSUR)?)",),
              PERCENT),
        Field("unsur", (r"(?:.* )?UNSUR(?: PELAYANAN| SKM)?",), LABEL, required=True),
        # the merged PERTANYAAN header covers the question number and its text (two or three columns)
        Field("pertanyaan_no", (_PERTANYAAN,), TEXT),
        Field("pertanyaan", (_PERTANYAAN,), TEXT),
        Field("pertanyaan_2", (_PERTANYAAN,), TEXT),
    ),
    min_matched=3,
    end_row=IKM_LABEL,
)

_Q_PREFIXED = r"(?:(?P<unsur>.*) )?(?P<prefix>P|Q|U|PERTANYAAN|SOAL|BUTIR) ?(?P<n>\d{1,2})"
_Q_BARE = r"(?:(?P<unsur>.*) )?(?P<n>\d{1,2})"
_RESPONDEN_NO = (r"NO|NO URUT|NOMOR|NO RESPONDEN",)
_RESPONDEN = (r"(?:NAMA |KODE |ID )?RESPONDEN|NAMA(?: RESPONDEN)?",)

RESPONSES = TableSpec(
    kind="skm_responden",
    title_id="Data jawaban responden SKM",
    title_en="Survey responses (one row per respondent)",
    fields=(
        Field("no", _RESPONDEN_NO, LABEL),
        Field("responden", _RESPONDEN, TEXT),
        Field("q_{n}", (_Q_PREFIXED,), NUMBER),
    ),
    min_matched=4,
)
# Question numbers alone as headers ('1 2 3 …' under PERTANYAAN is caught above):
# only with a respondent column, so a row of numbers elsewhere is not taken for a header.
RESPONSES_NUMBERED = TableSpec(
    kind="skm_responden",
    title_id=RESPONSES.title_id,
    title_en=RESPONSES.title_en,
    fields=(
        Field("no", _RESPONDEN_NO, LABEL),
        Field("responden", _RESPONDEN, TEXT, required=True),
        Field("q_{n}", (_Q_BARE,), NUMBER),
    ),
    min_matched=5,
)

SPECS = [RECAP, RESPONSES, RESPONSES_NUMBERED]

# --------------------------------------------------------------------------- the nine unsur

#: (number, official name, keywords of the folded name)
UNSUR: tuple[tuple[int, str, str], ...] = (
    (1, "Persyaratan", r"PERSYARATAN|SYARAT"),
    (2, "Sistem, Mekanisme dan Prosedur", r"SISTEM|MEKANISME|PROSEDUR"),
    (3, "Waktu Penyelesaian", r"WAKTU"),
    (4, "Biaya/Tarif", r"BIAYA|TARIF"),
    (5, "Produk Spesifikasi Jenis Pelayanan", r"PRODUK|SPESIFIKASI"),
    (6, "Kompetensi Pelaksana", r"KOMPETENSI|KEMAMPUAN"),
    (7, "Perilaku Pelaksana", r"PERILAKU|SIKAP"),
    (8, "Sarana dan Prasarana", r"SARANA|PRASARANA|SARPRAS"),
    (9, "Penanganan Pengaduan, Saran dan Masukan", r"PENGADUAN|PENANGANAN|MASUKAN|SARAN|KELUHAN"),
)


def canonical_unsur(name: Any) -> int | None:
    """Which of the nine unsur a printed name is ('Sarana & Prasarana' -> 8), whatever its wording.

    Whole words only ('SARAN' is not 'SARANA'); the unsur with the most
    keywords wins, none or a tie gives None.
    """
    words = fold(name)
    if not words:
        return None
    scores = []
    for number, _, keywords in UNSUR:
        hits = len(re.findall(rf"\b(?:{keywords})\b", words))
        if hits:
            scores.append((hits, number))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def unsur_name(number: int) -> str:
    return UNSUR[number - 1][1]


# --------------------------------------------------------------------------- reading the recap


def _present(v: Any) -> bool:
    """A value that was read (not None, <NA> or NaN)."""
    import pandas as pd

    return v is not None and not pd.isna(v)


def _num(table, key: str, row: int) -> Fraction | None:
    if not table.has(key):
        return None
    v = table.frame.at[row, key]
    if not _present(v):
        return None
    return calc.to_fraction(float(v))


def _dp(table, key: str, row: int, default: int = 2) -> int:
    col = f"{key}__dp"
    if col in table.frame.columns:
        v = table.frame.at[row, col]
        if _present(v):
            return int(v)
    return default


def _text(table, key: str, row: int) -> str | None:
    if not table.has(key):
        return None
    v = table.frame.at[row, key]
    return v.strip() if isinstance(v, str) and v.strip() else None


def _ref(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + cell


def _dec(x: Fraction | None, places: int = 2) -> Decimal | None:
    return calc.as_decimal(x, places)


def _whole(x: Fraction) -> Decimal:
    return Decimal(x.numerator) if x.denominator == 1 else calc.round_half_up(x, 2)


@dataclass
class Question:
    row: int
    number: int | None
    text: str | None
    total: Fraction | None          # jumlah nilai
    rtmk: Fraction | None           # respondents who left it blank
    dijawab: Fraction | None = None  # answers, when the table prints them
    total_dp: int = 0

    def answered(self, respondents: Fraction | None) -> Fraction | None:
        """Answers = printed count, else respondents − RTMK (RTMK blank = 0)."""
        if self.dijawab is not None:
            return self.dijawab
        if respondents is None:
            return None
        return respondents - (self.rtmk or 0)

    def key(self) -> str:
        label = f"P{self.number}" if self.number is not None else f"baris {self.row}"
        if self.text:
            label += " " + (self.text if len(self.text) <= 50 else self.text[:47] + "…")
        return label


@dataclass
class Unsur:
    first_row: int
    label: str | None               # the NO column ('1')
    name: str | None
    canonical: int | None
    questions: list[Question] = field(default_factory=list)
    value_row: int | None = None    # row of the printed nilai unsur
    printed: Fraction | None = None
    printed_dp: int = 2
    weighted_row: int | None = None
    weighted: Fraction | None = None
    weighted_dp: int = 3

    def key(self) -> str:
        parts = ["Unsur", self.label or "", self.name or ""]
        return " ".join(p for p in parts if p)

    @property
    def cell_row(self) -> int:
        """Where the nilai unsur is printed, or belongs (the unsur's first row)."""
        return self.value_row if self.value_row is not None else self.first_row

    def pooled(self, respondents: Fraction | None) -> Fraction | None:
        """Σ jumlah nilai / Σ answers of its questions (None when a number is missing)."""
        parts = []
        for q in self.questions:
            answered = q.answered(respondents)
            if q.total is None or answered is None:
                return None
            parts.append((q.total, answered))
        return calc.pooled_nrr(parts) if parts else None

    def question_means(self, respondents: Fraction | None) -> list[Fraction]:
        out = []
        for q in self.questions:
            answered = q.answered(respondents)
            if q.total is not None and answered:
                out.append(q.total / answered)
        return out


@dataclass
class Stated:
    """A number stated around the table ('Jumlah Responden : 188'), and where."""

    value: Fraction
    cell: str
    label: str


@dataclass
class ProfileGroup:
    """One respondent-profile line: 'JENIS KELAMIN L 98 P 90'."""

    label: str
    cell: str
    items: list[tuple[str, Fraction, str]]  # (category, count, cell)

    @property
    def total(self) -> Fraction:
        return sum((count for _, count, _ in self.items), Fraction(0))


@dataclass
class SurveyInfo:
    population: list[Stated] = field(default_factory=list)
    respondents: list[Stated] = field(default_factory=list)
    ikm: list[Stated] = field(default_factory=list)      # 'NILAI IKM 87,28' printed again
    profile: list[ProfileGroup] = field(default_factory=list)


@dataclass
class Recap:
    table: Any
    unsur: list[Unsur]
    info: SurveyInfo
    ikm_row: int | None = None
    ikm_key: str = "jumlah_nilai"
    ikm_printed: Fraction | None = None
    ikm_dp: int = 2
    mutu_cell: str | None = None
    mutu_text: str | None = None

    @property
    def questions(self) -> list[Question]:
        return [q for u in self.unsur for q in u.questions]

    @property
    def respondents(self) -> Fraction | None:
        return self.info.respondents[0].value if self.info.respondents else None

    @property
    def ikm_cell(self) -> str | None:
        if self.ikm_row is None or not self.table.has(self.ikm_key):
            return None
        return self.table.cell(self.ikm_key, self.ikm_row)

    def nrr_from_sums(self) -> list[Fraction] | None:
        values = [u.pooled(self.respondents) for u in self.unsur]
        return None if not values or any(v is None for v in values) else values

    def question_means(self) -> list[Fraction]:
        return [m for u in self.unsur for m in u.question_means(self.respondents)]

    def printed_unsur(self) -> list[Fraction] | None:
        values = [u.printed for u in self.unsur]
        return None if not values or any(v is None for v in values) else values

    def impossible(self) -> list[Question]:
        """Questions whose jumlah nilai cannot come from their answers (outside 1–4 × answers): KX601."""
        out = []
        for q in self.questions:
            answered = q.answered(self.respondents)
            if q.total is not None and answered is not None and not answered <= q.total <= 4 * answered:
                out.append(q)
        return out

    def ikm_regulation(self) -> Fraction | None:
        values = self.nrr_from_sums()
        return calc.ikm(values) if values else None


_RECAP_SUMMARY = r"(?:JUMLAH|TOTAL|RATA RATA|RERATA|NRR)(?: .*)?"


def _is_ikm_label(text: str | None) -> bool:
    return bool(text) and re.fullmatch(IKM_LABEL, fold(text)) is not None


def _question_number(texts: list[str]) -> tuple[int | None, str | None]:
    """The question number and text out of the PERTANYAAN columns ('1', '', 'Kesesuaian…' or '1. Kesesuaian…')."""
    number, text = None, None
    for t in texts:
        if number is None and re.fullmatch(r"[PQUpqu]?\s*\d{1,2}\.?", t):
            number = int(re.sub(r"\D", "", t))
            continue
        m = re.match(r"^(\d{1,2})[.)]\s+(.+)$", t)
        if m and number is None:
            number, t = int(m.group(1)), m.group(2)
        if text is None or len(t) > len(text):
            text = t
    return number, text


def parse_recap(table) -> Recap:
    """The recap's unsur and questions, its IKM and mutu, and the facts around it."""
    unsur: list[Unsur] = []
    ikm_row = None
    seq = 0
    for row in sorted(table.frame.index):
        texts = [t for t in (_text(table, k, row) for k in ("no", "unsur", "pertanyaan_no", "pertanyaan", "pertanyaan_2")) if t]
        if any(_is_ikm_label(t) for t in texts):
            ikm_row = row
            break
        if any(re.fullmatch(_RECAP_SUMMARY, fold(t)) for t in (_text(table, k, row) for k in ("no", "unsur")) if t):
            continue  # a JUMLAH / rata-rata row between the questions and the IKM
        name = _text(table, "unsur", row)
        q_texts = [t for t in (_text(table, k, row) for k in ("pertanyaan_no", "pertanyaan", "pertanyaan_2")) if t]
        total = _num(table, "jumlah_nilai", row)
        if name and not (unsur and fold(unsur[-1].name) == fold(name)):  # a name repeated on each row continues it
            unsur.append(Unsur(first_row=row, label=_text(table, "no", row), name=name, canonical=canonical_unsur(name)))
        elif not q_texts and total is None:
            continue  # a blank or note row inside the table
        if not unsur:
            continue  # a question before any unsur: nothing to group it with
        u = unsur[-1]
        if q_texts or total is not None:
            seq += 1
            number, text = _question_number(q_texts)
            u.questions.append(Question(
                row=row, number=number if number is not None else seq, text=text, total=total,
                rtmk=_num(table, "rtmk", row), dijawab=_num(table, "dijawab", row), total_dp=_dp(table, "jumlah_nilai", row, 0),
            ))
        value = _num(table, "nilai_unsur", row)
        if value is not None and u.printed is None:
            u.value_row, u.printed, u.printed_dp = row, value, _dp(table, "nilai_unsur", row)
        weighted = _num(table, "nrr_tertimbang", row)
        if weighted is not None and u.weighted is None:
            u.weighted_row, u.weighted, u.weighted_dp = row, weighted, _dp(table, "nrr_tertimbang", row, 3)
    recap = Recap(table=table, unsur=unsur, info=SurveyInfo(), ikm_row=ikm_row)
    if ikm_row is not None:
        for key in ("jumlah_nilai", "nilai_unsur", "nrr_tertimbang", "rtmk", "dijawab"):
            value = _num(table, key, ikm_row)
            if value is not None:
                recap.ikm_key, recap.ikm_printed, recap.ikm_dp = key, value, _dp(table, key, ikm_row)
                break
    recap.info = read_info(table)
    _find_mutu(recap)
    return recap


# --------------------------------------------------------------------------- around the table

_POPULATION = r"(?:PERKIRAAN )?(?:JUMLAH )?POPULASI(?: .*)?"
_RESPONDENTS = r"(?:JUMLAH )?(?:TOTAL )?RESPONDEN(?: (?!TERBANYAK).*)?|JUMLAH SAMPEL(?: .*)?"
_IKM_MENTION = r"NILAI (?:IKM|SKM|INDEKS KEPUASAN MASYARAKAT)(?: .*)?"
_PROFILE = r"(JENIS KELAMIN|PENDIDIKAN(?: TERAKHIR)?|(?:KELOMPOK )?(?:USIA|UMUR)|PEKERJAAN(?: UTAMA)?)(?: RESPONDEN)?"
_MUTU = r"MUTU(?: PELAYANAN)?(?: UNIT)?(?: .*)?|KINERJA UNIT PELAYANAN(?: .*)?|KATEGORI(?: MUTU)?(?: .*)?"
_COUNT = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
_SEPARATORS = {":", "-", "=", "–", "•"}


def _count(text: str) -> Fraction | None:
    text = text.strip()
    if _COUNT.fullmatch(text):
        return Fraction(int(text.replace(".", "")))
    return None


def _tokens(value: Any) -> list[tuple[str, Any]]:
    """A cell as ('num', Fraction) and ('text', str) tokens: '98 P : 90' -> num 98, text P, num 90."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [] if isinstance(value, float) and math.isnan(value) else [("num", calc.to_fraction(value))]
    out: list[tuple[str, Any]] = []
    for part in str(value).split(":"):
        part = part.strip().lstrip("-•").strip()
        if not part:
            continue
        n = _count(part)
        if n is not None:
            out.append(("num", n))
            continue
        m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+|\d+)\s+([A-Za-z].*)", part)
        if m:
            out += [("num", _count(m.group(1))), ("text", m.group(2))]
            continue
        m = re.fullmatch(r"(.*?[A-Za-z].*?)\s+(\d{1,3}(?:\.\d{3})+|\d+)", part)
        if m:
            out += [("text", m.group(1)), ("num", _count(m.group(2)))]
            continue
        out.append(("text", part))
    return out


def _first_number(cells: list[tuple[int, Any]]) -> tuple[Fraction, int] | None:
    for c, v in cells:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return calc.to_fraction(v), c
        if isinstance(v, str):
            m = re.match(r"\s*[:\-=]?\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d.])", v)
            if m:
                return calc.to_fraction(m.group(1).replace(".", "").replace(",", ".")), c
    return None


def _label_and_rest(text: str) -> tuple[str, str | None]:
    """'Jumlah Responden : 188' -> ('JUMLAH RESPONDEN', '188')."""
    label, sep, rest = text.partition(":")
    return fold(label.strip().lstrip("-•").strip()), (rest.strip() or None) if sep else None


def read_info(table) -> SurveyInfo:
    """Population, respondents, a repeated IKM and the profile, read from the sheet around the table.

    Scans the rows from the table's header down to 120 rows below it, every
    column, leaving out the table's own cells. A label cell ('Jumlah
    Responden', 'JENIS KELAMIN') is followed by its value(s) in the cells to
    its right (':' cells skipped) or after a ':' in the same cell; a profile
    continues on the next rows while its label column stays empty ('SMP 17',
    'SMA 116'…). Labels saying what is most frequent ('… terbanyak') are
    statements, not counts, and are skipped.
    """
    info = SurveyInfo()
    sheet = table.sheet_data
    if sheet is None:
        return info
    top = table.header_rows[0] - 1
    bottom = min(sheet.n_rows, table.last_row + 120)
    t_cols = table.columns.values()
    c_lo, c_hi = min(t_cols), max(t_cols)

    def in_table(r: int, c: int) -> bool:
        return top <= r < table.last_row and c_lo <= c <= c_hi

    group: ProfileGroup | None = None
    group_col = -1
    heading_row = -10  # a 'RESPONDEN' heading makes the next 'JUMLAH' the respondent count
    pending_ikm: int | None = None
    for r in range(top, bottom):
        cells = [(c, v) for c, v in enumerate(sheet.rows[r])
                 if v is not None and not (isinstance(v, str) and v.strip() in ("", *_SEPARATORS)) and not in_table(r, c)]
        if not cells:
            group = None
            continue
        c0, v0 = cells[0]
        if pending_ikm is not None:
            found = _first_number(cells)
            if found and r - pending_ikm <= 3:
                info.ikm.append(Stated(found[0], cell_ref(r + 1, found[1]), "NILAI IKM"))
                pending_ikm = None
                continue
        if not isinstance(v0, str):
            if group is not None and c0 > group_col:
                _add_items(group, r, cells)
            continue
        label, rest = _label_and_rest(v0)
        tail = ([(c0, rest)] if rest else []) + cells[1:]
        if group is not None and c0 > group_col:
            _add_items(group, r, cells)
            continue
        group = None
        if "TERBANYAK" in label:
            continue
        if re.fullmatch(_PROFILE, label):
            group, group_col = ProfileGroup(label, cell_ref(r + 1, c0), []), c0
            info.profile.append(group)
            _add_items(group, r, tail)
            continue
        if label == "RESPONDEN" and not tail:
            heading_row = r
            continue
        found = _first_number(tail)
        if re.fullmatch(_POPULATION, label):
            if found:
                info.population.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
        elif re.fullmatch(_RESPONDENTS, label) or (label == "JUMLAH" and r - heading_row <= 3):
            if found:
                info.respondents.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
        elif re.fullmatch(_IKM_MENTION, label):
            if found:
                info.ikm.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
            else:
                pending_ikm = r
    return info


def _add_items(group: ProfileGroup, r: int, cells: list[tuple[int, Any]]) -> None:
    category: list[str] = []
    for c, v in cells:
        for kind, value in _tokens(v):
            if kind == "text":
                category.append(value)
            elif category:
                group.items.append((" ".join(category), value, cell_ref(r + 1, c)))
                category = []


def _find_mutu(recap: Recap) -> None:
    """The MUTU row under the IKM row (our template): its value sits in the IKM's column."""
    table, sheet = recap.table, recap.table.sheet_data
    if sheet is None or recap.ikm_row is None:
        return
    value_col = table.columns.get(recap.ikm_key)
    for r in range(recap.ikm_row, min(sheet.n_rows, recap.ikm_row + 3)):  # zero-based: the rows after the IKM row
        for c, v in enumerate(sheet.rows[r]):
            if not isinstance(v, str):
                continue
            label, rest = _label_and_rest(v)
            if not re.fullmatch(_MUTU, label):
                continue
            if rest:
                recap.mutu_cell, recap.mutu_text = cell_ref(r + 1, c), rest
                return
            col = value_col if value_col is not None and value_col > c else None
            if col is None:
                col = next((cc for cc in range(c + 1, len(sheet.rows[r]))
                            if sheet.rows[r][cc] is not None and str(sheet.rows[r][cc]).strip() not in _SEPARATORS), c + 1)
            value = sheet.value(r, col)
            recap.mutu_cell = cell_ref(r + 1, col)
            recap.mutu_text = str(value).strip() if value is not None and str(value).strip() else None
            return


# --------------------------------------------------------------------------- raw responses


@dataclass
class RawQuestion:
    number: int
    key: str
    unsur: int | None                # canonical unsur from the header, when it says
    total: Fraction = Fraction(0)
    answered: int = 0
    blanks: int = 0
    bad: list[tuple[int, Any]] = field(default_factory=list)  # (row, value) outside 1–4


@dataclass
class RawSummary:
    table: Any
    respondents: int
    rows: list[int]
    questions: dict[int, RawQuestion]
    summary_rows: dict[int, str] = field(default_factory=dict)  # row -> folded label ('JUMLAH', 'NRR', 'IKM')

    def column_range(self, q: RawQuestion) -> str:
        col = self.table.columns[q.key]
        first, last = (self.rows[0], self.rows[-1]) if self.rows else (self.table.first_row, self.table.last_row)
        return _ref(self.table.sheet, f"{cell_ref(first, col)}:{cell_ref(last, col)}")

    def block(self) -> str:
        """The answers' whole range, 'Sheet'!C6:P193."""
        cols = [self.table.columns[q.key] for q in self.questions.values()] or list(self.table.columns.values())
        first, last = (self.rows[0], self.rows[-1]) if self.rows else (self.table.first_row, self.table.last_row)
        return _ref(self.table.sheet, f"{cell_ref(first, min(cols))}:{cell_ref(last, max(cols))}")

    def grouped(self, mapping: dict[int, int] | None = None) -> dict[int, list[RawQuestion]] | None:
        """Questions per canonical unsur: from the header, else ``mapping`` (question -> unsur)."""
        out: dict[int, list[RawQuestion]] = {}
        for q in self.questions.values():
            u = (mapping or {}).get(q.number, q.unsur)
            if u is None:
                return None
            out.setdefault(u, []).append(q)
        return dict(sorted(out.items()))

    def nrr(self, mapping: dict[int, int] | None = None) -> dict[int, Fraction | None] | None:
        groups = self.grouped(mapping)
        if groups is None:
            return None
        return {u: calc.pooled_nrr((q.total, q.answered) for q in qs) for u, qs in groups.items()}


_SUMMARY_ROW = r"(?:JUMLAH|TOTAL|NRR|RATA RATA|NILAI|IKM|RERATA|SKOR)(?: .*)?"


def summarize_responses(table) -> RawSummary:
    """Σ scores, answers and blanks per question, respondents counted (rows with at least one answer).

    Rows labelled JUMLAH / NRR / RATA-RATA… (a summary under the data) are not respondents.
    """
    import pandas as pd

    qkeys = sorted((k for k in table.columns if k.startswith("q_")), key=lambda k: int(k[2:]))
    questions = {}
    for k in qkeys:
        m = re.fullmatch(_Q_PREFIXED, table.labels.get(k, "")) or re.fullmatch(_Q_BARE, table.labels.get(k, ""))
        unsur = None
        if m:
            if m.groupdict().get("prefix") == "U":
                unsur = int(k[2:])
            elif m.group("unsur"):
                unsur = canonical_unsur(m.group("unsur"))
        questions[int(k[2:])] = RawQuestion(int(k[2:]), k, unsur)
    frame = table.frame.sort_index()
    keep = pd.Series(True, index=frame.index)
    summary_rows: dict[int, str] = {}
    for k in ("no", "responden"):
        if k in frame.columns:
            # respondents' labels are numbers or codes: fold only the few cells that start with a letter
            labels = frame[k].dropna()
            labels = labels[labels.str.match(r"\s*[A-Za-z]", na=False)].map(fold)
            summary = labels[labels.map(lambda t: re.fullmatch(_SUMMARY_ROW, t) is not None)]
            keep[summary.index] = False
            for r, label in summary.items():
                summary_rows.setdefault(int(r), label)
    answers = frame[qkeys].astype("Float64") if qkeys else frame[[]]
    if qkeys:
        keep &= answers.notna().any(axis=1)
    answers = answers[keep]
    rows = [int(r) for r in answers.index]
    for q in questions.values():
        column = answers[q.key]
        given = column.notna()
        score = given & column.isin([1, 2, 3, 4]).fillna(False)
        q.bad = [(int(r), float(v)) for r, v in column[given & ~score].items()]
        q.total = Fraction(int(column[score].sum()))  # small whole numbers: the float sum is exact
        q.answered = int(score.sum())
        q.blanks = len(rows) - q.answered  # an unusable answer counts as unanswered
    return RawSummary(table, len(rows), rows, questions, dict(sorted(summary_rows.items())))


# --------------------------------------------------------------------------- rules: the recap


@rule("KX601", "skm-jumlah-nilai-range", tables="skm", message=(
    "Jumlah nilai {question} = {actual} di luar rentang {low}–{high} (1–4 × {answered} responden yang menjawab).",
    "Score sum of {question} = {actual} is outside {low}–{high} (1–4 × {answered} respondents who answered).",
))
def check_jumlah_nilai(table, ctx) -> Iterator:
    """A question's jumlah nilai lies between 1× and 4× the respondents who answered it.

    Every answer scores 1 to 4 (PermenPANRB 14/2017), so the sum of a
    question's scores is at least the number of answers and at most four
    times it. Answers = respondents − RTMK (the seed's note: RTMK counts the
    respondents who left the question blank), or the table's own count.

    *Salah:* 188 respondents, RTMK 0, jumlah nilai 1018 (more than 4 × 188 = 752).
    *Benar:* jumlah nilai 653 (between 188 and 752).
    """
    recap = parse_recap(table)
    for q in recap.impossible():
        answered = q.answered(recap.respondents)
        low, high = answered, 4 * answered
        bound = high if q.total > high else low
        yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), expected=_whole(bound), actual=_whole(q.total),
                          difference=_whole(q.total - bound), question=f"P{q.number}", low=_whole(low), high=_whole(high),
                          answered=_whole(answered))


@rule("KX602", "skm-nilai-unsur", tables="skm", message=(
    "Nilai unsur {unsur} tercetak {actual}, padahal Σ jumlah nilai {total} / Σ jawaban {answered} = {expected}.{variant_id}",
    "Printed value of unsur {unsur} is {actual}, but Σ score sums {total} / Σ answers {answered} = {expected}.{variant_en}",
))
def check_nilai_unsur(table, ctx) -> Iterator:
    """Nilai unsur (NRR) = Σ jumlah nilai of its questions / Σ their answers, pooled.

    An unsur with several questions pools them: the sums are added and
    divided by all answers together (blanks left out of both). The printed
    value is compared at half a unit of its last decimal.

    *Salah:* unsur 9 with questions 657 and 605, 188 answers each, printed 3,37.
    *Benar:* (657 + 605) / (188 + 188) = 3,356… printed 3,36.
    """
    recap = parse_recap(table)
    n = recap.respondents
    for u in recap.unsur:
        if u.printed is None:
            continue
        pooled = u.pooled(n)
        if pooled is None or calc.agrees(u.printed, pooled, u.printed_dp):
            continue
        total = sum((q.total for q in u.questions), Fraction(0))
        answered = sum((q.answered(n) for q in u.questions), Fraction(0))
        variant_id = variant_en = ""
        means = u.question_means(n)
        if len(means) > 1 and calc.agrees(u.printed, sum(means) / len(means), u.printed_dp):
            variant_id = " Nilai tercetak = rata-rata dari rata-rata tiap pertanyaan (tidak dipool)."
            variant_en = " The printed value is the mean of the questions' means (not pooled)."
        elif n and calc.agrees(u.printed, total / (n * len(u.questions)), u.printed_dp):
            variant_id = " Nilai tercetak dibagi jumlah responden tanpa mengurangi RTMK."
            variant_en = " The printed value divides by all respondents, not subtracting RTMK."
        yield ctx.finding(table, "nilai_unsur", u.cell_row, row_key=u.key(), expected=_dec(pooled, u.printed_dp),
                          actual=_dec(u.printed, u.printed_dp), difference=_dec(u.printed - pooled, u.printed_dp),
                          unsur=u.label or u.name, total=_whole(total), answered=_whole(answered),
                          variant_id=variant_id, variant_en=variant_en)


def _conventions_text(printed: Fraction, recap: Recap, dp: int) -> tuple[str, str]:
    values = recap.nrr_from_sums() or []
    variants = calc.ikm_variants(values, recap.question_means(), recap.printed_unsur() or [])
    hits = calc.reproducing(printed, variants, dp)
    if hits:
        return ("Nilai tercetak dihasilkan oleh: " + "; ".join(v.label_id for v in hits) + ".",
                "The printed value is what " + "; ".join(v.label_en for v in hits) + " gives.")
    return ("Tidak satu pun cara hitung yang dikenal (bobot 1/9, 0,111 atau 0,11; rata-rata per pertanyaan; "
            "nilai unsur tercetak) menghasilkan nilai tercetak.",
            "None of the known conventions (weight 1/9, 0.111 or 0.11; mean of the questions; the printed unsur "
            "values) reproduces the printed value.")


@rule("KX603", "skm-ikm", tables="skm", message=(
    "IKM tercetak {actual}; menurut PermenPANRB 14/2017 (25 × rata-rata nilai unsur dari jumlah nilai, bobot 1/9) = {expected}; "
    "25 × rata-rata nilai unsur tercetak = {printed_unsur}. {convention_id}",
    "Printed IKM {actual}; PermenPANRB 14/2017 (25 × mean of the unsur values from the score sums, weight 1/9) gives {expected}; "
    "25 × mean of the printed unsur values = {printed_unsur}. {convention_en}",
))
def check_ikm(table, ctx) -> Iterator:
    """IKM = 25 × mean of the nine nilai unsur (Σ NRR × 1/9 × 25).

    The printed IKM must equal the regulation's value from the jumlah nilai,
    or 25 × the mean of the printed nilai unsur when those are themselves
    right (rounded intermediate values). When it differs, the message says
    which convention reproduces it: the weight printed as 0,111 or 0,11
    (all-4 answers then give 99,90 or 99,00 instead of 100), the mean of the
    questions instead of the unsur, or the printed unsur values.

    *Salah:* nilai unsur 3,41 3,41 3,48 3,73 3,44 3,57 3,44 3,53 3,37, IKM 87,28.
    *Benar:* 25 × (31,38 / 9) = 87,17.
    """
    recap = parse_recap(table)
    printed = recap.ikm_printed
    if printed is None or not recap.unsur:
        return
    dp = recap.ikm_dp
    regulation = recap.ikm_regulation()
    printed_unsur = recap.printed_unsur()
    from_printed = calc.ikm(printed_unsur) if printed_unsur else None
    unsur_right = printed_unsur is not None and regulation is not None and all(
        calc.agrees(u.printed, u.pooled(recap.respondents), u.printed_dp) for u in recap.unsur)
    if regulation is not None and calc.agrees(printed, regulation, dp):
        return
    if from_printed is not None and unsur_right and calc.agrees(printed, from_printed, dp):
        return
    if regulation is None and from_printed is not None:
        # without the respondents the exact values are unknown: each printed unsur may be off by half a unit
        slack = 25 * max(calc.half_unit(u.printed_dp) for u in recap.unsur) + calc.half_unit(dp)
        if abs(printed - from_printed) <= slack:
            return
    expected = regulation if regulation is not None else from_printed
    if expected is None:
        return
    conv_id, conv_en = _conventions_text(printed, recap, dp)
    impossible = ", ".join(f"P{q.number}" for q in recap.impossible())
    if impossible:
        conv_id += f" Jumlah nilai {impossible} tidak mungkin (KX601), sehingga nilai menurut aturan pun belum benar."
        conv_en += f" The score sum of {impossible} is impossible (KX601), so the regulation's value is not right yet either."
    yield ctx.finding(table, recap.ikm_key, recap.ikm_row, row_key="IKM", expected=_dec(expected, dp),
                      actual=_dec(printed, dp), difference=_dec(printed - expected, dp),
                      printed_unsur=_dec(from_printed, dp) if from_printed is not None else None,
                      convention_id=conv_id, convention_en=conv_en)


@rule("KX604", "skm-mutu", tables="skm", message=(
    "Mutu tercetak '{printed}', padahal IKM {ikm} bermutu {expected}.",
    "Printed mutu '{printed}', but an IKM of {ikm} is mutu {expected}.",
))
def check_mutu(table, ctx) -> Iterator:
    """The printed mutu matches the IKM: A ≥ 88,31, B ≥ 76,61, C ≥ 65,00, else D.

    The IKM is rounded half-up to two decimals first (88,305 → 88,31 → A).
    The printed IKM is used when there is one, else the recomputed one.

    *Salah:* IKM 87,28, mutu A.
    *Benar:* IKM 87,28, mutu B (Baik).
    """
    recap = parse_recap(table)
    if recap.mutu_text is None or recap.mutu_cell is None:
        return
    ikm_value = recap.ikm_printed if recap.ikm_printed is not None else recap.ikm_regulation()
    if ikm_value is None:
        return
    band = calc.mutu(ikm_value)
    letter = calc.parse_mutu(recap.mutu_text)
    if letter == band.letter:
        return
    yield ctx.finding(table, cell=recap.mutu_cell, row_key="Mutu", expected=band.letter, actual=recap.mutu_text,
                      printed=recap.mutu_text, ikm=_dec(ikm_value, 2), expected_text=band.text())


@rule("KX605", "skm-unsur", tables="skm", message=(
    "{problem_id}",
    "{problem_en}",
))
def check_unsur(table, ctx) -> Iterator:
    """The recap has the nine unsur of PermenPANRB 14/2017, each once, matched by name.

    The nine: Persyaratan; Sistem, Mekanisme dan Prosedur; Waktu
    Penyelesaian; Biaya/Tarif; Produk Spesifikasi Jenis Pelayanan;
    Kompetensi Pelaksana; Perilaku Pelaksana; Sarana dan Prasarana;
    Penanganan Pengaduan, Saran dan Masukan. The order does not matter and
    the wording may vary ('Sarana & Prasarana').

    *Salah:* eight unsur (Biaya/Tarif left out), or 'Sarana' twice.
    *Benar:* the nine unsur, in any order.
    """
    recap = parse_recap(table)
    if not recap.unsur:
        return
    seen: dict[int, Unsur] = {}
    for u in recap.unsur:
        if u.canonical is None:
            yield ctx.finding(table, "unsur", u.first_row, row_key=u.key(), severity="warning", actual=u.name,
                              problem_id=f"Unsur '{u.name}' bukan salah satu dari sembilan unsur PermenPANRB 14/2017.",
                              problem_en=f"Unsur '{u.name}' is not one of the nine unsur of PermenPANRB 14/2017.")
        elif u.canonical in seen:
            first = seen[u.canonical]
            yield ctx.finding(table, "unsur", u.first_row, row_key=u.key(), actual=u.name,
                              related=(_ref(table.sheet, table.cell("unsur", first.first_row)),),
                              problem_id=f"Unsur '{u.name}' sama dengan '{first.name}' ({unsur_name(u.canonical)}) yang sudah ada.",
                              problem_en=f"Unsur '{u.name}' repeats '{first.name}' ({unsur_name(u.canonical)}).")
        else:
            seen[u.canonical] = u
    if len(recap.unsur) != 9 or len(seen) != 9:
        missing = [unsur_name(n) for n, _, _ in UNSUR if n not in seen]
        gone_id = f" Tidak ada: {', '.join(missing)}." if missing else ""
        gone_en = f" Missing: {', '.join(missing)}." if missing else ""
        header = cell_ref(table.header_rows[0], table.columns["unsur"])
        yield ctx.finding(table, cell=header, row_key="Unsur", expected=9, actual=len(recap.unsur),
                          problem_id=f"Tabel memuat {len(recap.unsur)} unsur, seharusnya sembilan.{gone_id}",
                          problem_en=f"The table has {len(recap.unsur)} unsur instead of nine.{gone_en}")


@rule("KX606", "skm-sample-size", tables="skm", severity="warning", message=(
    "Jumlah responden {actual} kurang dari sampel minimal Krejcie–Morgan {expected} untuk populasi {population}.",
    "{actual} respondents are fewer than the Krejcie–Morgan minimum of {expected} for a population of {population}.",
))
def check_sample_size(table, ctx) -> Iterator:
    """The respondents reach the Krejcie & Morgan sample size for the stated population.

    S = 3,841·N·0,25 / (0,0025·(N−1) + 0,96025), rounded to the nearest
    respondent (the table PermenPANRB 14/2017 reproduces).

    *Salah:* population 2.800, 188 respondents.
    *Benar:* population 2.800, at least 338 respondents.
    """
    recap = parse_recap(table)
    if not recap.info.population or not recap.info.respondents:
        return
    population = recap.info.population[0].value
    stated = recap.info.respondents[0]
    need = calc.krejcie_morgan(population)
    if stated.value < need:
        yield ctx.finding(table, cell=stated.cell, row_key="Jumlah Responden", expected=need, actual=_whole(stated.value),
                          difference=_whole(stated.value - need), population=_whole(population),
                          related=(_ref(table.sheet, recap.info.population[0].cell),))


@rule("KX607", "skm-profile-sum", tables="skm", message=(
    "Profil responden {group}: {items} = {actual}, bukan jumlah responden {expected}.",
    "Respondent profile {group}: {items} = {actual}, not the {expected} respondents.",
))
def check_profile(table, ctx) -> Iterator:
    """Each respondent-profile breakdown (gender, education, age, …) sums to the respondents.

    *Salah:* 188 respondents, JENIS KELAMIN L 98 P 80.
    *Benar:* L 98 P 90 (= 188); PENDIDIKAN SD 0 SMP 17 SMA 116 DIII 14 S1 40 S2 1 (= 188).
    """
    recap = parse_recap(table)
    if not recap.info.respondents:
        return
    stated = recap.info.respondents[0]
    for g in recap.info.profile:
        if not g.items or g.total == stated.value:
            continue
        items = " + ".join(f"{cat} {_whole(count)}" for cat, count, _ in g.items)
        yield ctx.finding(table, cell=g.cell, row_key=g.label.title(), expected=_whole(stated.value), actual=_whole(g.total),
                          difference=_whole(g.total - stated.value), group=g.label.title(), items=items,
                          related=(_ref(table.sheet, stated.cell),))


@rule("KX608", "skm-rtmk", tables="skm", message=(
    "Jumlah RTMK {question} = {actual} tidak mungkin untuk {respondents} responden{detail_id}.",
    "RTMK of {question} = {actual} is impossible for {respondents} respondents{detail_en}.",
))
def check_rtmk(table, ctx) -> Iterator:
    """RTMK (respondents who left the question blank) is a whole number between 0 and the respondents.

    When the table also prints the answers per question, answers + RTMK =
    respondents.

    *Salah:* 188 respondents, RTMK 190 (or 2,5).
    *Benar:* RTMK 0 … 188.
    """
    recap = parse_recap(table)
    n = recap.respondents
    for q in recap.questions:
        if q.rtmk is None or n is None:
            continue
        detail_id = detail_en = ""
        bad = q.rtmk < 0 or q.rtmk > n or q.rtmk.denominator != 1
        if not bad and q.dijawab is not None and q.dijawab + q.rtmk != n:
            bad = True
            detail_id = f" (dijawab {_whole(q.dijawab)} + RTMK ≠ {_whole(n)})"
            detail_en = f" (answered {_whole(q.dijawab)} + RTMK ≠ {_whole(n)})"
        if bad:
            yield ctx.finding(table, "rtmk", q.row, row_key=q.key(), actual=_whole(q.rtmk), question=f"P{q.number}",
                              respondents=_whole(n), detail_id=detail_id, detail_en=detail_en)


@rule("KX609", "skm-nrr-tertimbang", tables="skm", message=(
    "NRR tertimbang unsur {unsur} tercetak {actual}, seharusnya nilai unsur × 1/9 = {expected}.{convention_id}",
    "Printed weighted value of unsur {unsur} is {actual}; nilai unsur × 1/9 = {expected}.{convention_en}",
))
def check_weighted(table, ctx) -> Iterator:
    """NRR tertimbang (weighted value) of an unsur = its nilai unsur × 1/9.

    Many documents print the weight as 0,111 or 0,11; the message says so
    when that reproduces the printed value.

    *Salah:* nilai unsur 3,41, NRR tertimbang 0,375 (× 0,11).
    *Benar:* 3,41 / 9 = 0,379.
    """
    recap = parse_recap(table)
    for u in recap.unsur:
        if u.weighted is None:
            continue
        bases = [b for b in (u.pooled(recap.respondents), u.printed) if b is not None]
        if not bases or any(calc.agrees(u.weighted, b / 9, u.weighted_dp) for b in bases):
            continue
        conv_id = conv_en = ""
        for name, w in (("0,111", calc.WEIGHTS["0,111"]), ("0,11", calc.WEIGHTS["0,11"])):
            if any(calc.agrees(u.weighted, b * w, u.weighted_dp) for b in bases):
                conv_id, conv_en = f" Nilai tercetak memakai bobot {name}.", f" The printed value uses the weight {name.replace(',', '.')}."
                break
        expected = bases[0] / 9
        yield ctx.finding(table, "nrr_tertimbang", u.weighted_row, row_key=u.key(), expected=_dec(expected, u.weighted_dp),
                          actual=_dec(u.weighted, u.weighted_dp), difference=_dec(u.weighted - expected, u.weighted_dp),
                          unsur=u.label or u.name, convention_id=conv_id, convention_en=conv_en)


@rule("KX612", "skm-info-missing", tables="skm", severity="info", message=(
    "{what_id} tidak ditemukan di sekitar tabel SKM; {skipped_id}",
    "{what_en} not found around the survey table; {skipped_en}",
))
def check_info_present(table, ctx) -> Iterator:
    """The recap states the number of respondents and the population.

    Without the respondents, the jumlah nilai ranges, nilai unsur and IKM
    cannot be recomputed; without the population, the sample size cannot be
    checked. Write them under the table: 'Jumlah Responden : 188',
    'Perkiraan Jumlah Populasi : 2.800'.
    """
    recap = parse_recap(table)
    anchor = recap.ikm_cell or cell_ref(table.header_rows[0], table.columns["unsur"])
    if not recap.info.respondents and not any(q.dijawab is not None for q in recap.questions):
        yield ctx.finding(table, cell=anchor, row_key="Jumlah Responden", what_id="Jumlah responden", what_en="The number of respondents",
                          skipped_id="jumlah nilai, nilai unsur dan IKM tidak dapat dihitung ulang.",
                          skipped_en="score sums, unsur values and the IKM cannot be recomputed.")
    if not recap.info.population:
        yield ctx.finding(table, cell=anchor, row_key="Populasi", what_id="Perkiraan jumlah populasi", what_en="The population",
                          skipped_id="ukuran sampel tidak dapat diperiksa.", skipped_en="the sample size cannot be checked.")


@rule("KX613", "skm-stated-twice", tables="skm", message=(
    "{what_id} tertulis {actual} di sini tetapi {expected} di {first}.",
    "{what_en} is {actual} here but {expected} at {first}.",
))
def check_repeated(table, ctx) -> Iterator:
    """A number stated twice (respondents in the recap and on the IKM poster, the IKM itself) agrees.

    *Salah:* 'Jumlah Responden : 188' under the recap, 'RESPONDEN JUMLAH : 180' on the poster.
    *Benar:* 188 in both.
    """
    recap = parse_recap(table)
    stated = recap.info.respondents
    for other in stated[1:]:
        if other.value != stated[0].value:
            yield ctx.finding(table, cell=other.cell, row_key="Jumlah Responden", expected=_whole(stated[0].value),
                              actual=_whole(other.value), first=_ref(table.sheet, stated[0].cell),
                              related=(_ref(table.sheet, stated[0].cell),), what_id="Jumlah responden", what_en="The number of respondents")
    if recap.ikm_printed is not None and recap.ikm_cell:
        for other in recap.info.ikm:
            if not calc.agrees(other.value, recap.ikm_printed, 2):
                yield ctx.finding(table, cell=other.cell, row_key="IKM", expected=_dec(recap.ikm_printed), actual=_dec(other.value),
                                  first=_ref(table.sheet, recap.ikm_cell), related=(_ref(table.sheet, recap.ikm_cell),),
                                  what_id="Nilai IKM", what_en="The IKM")


# --------------------------------------------------------------------------- rules: raw responses


@rule("KX610", "skm-raw-score", tables="skm_responden", message=(
    "Jawaban {actual} pada {question} bukan skor 1–4 (kosongkan bila tidak dijawab).",
    "Answer {actual} to {question} is not a score 1–4 (leave it blank when not answered).",
))
def check_raw_scores(table, ctx) -> Iterator:
    """Every answer in the responses sheet is a score 1, 2, 3 or 4, or blank.

    *Salah:* 5, 0 or 3,5 as an answer.
    *Benar:* 1–4; a question the respondent skipped stays blank (it counts as RTMK).
    """
    summary = summarize_responses(table)
    for q in summary.questions.values():
        for row, value in q.bad:
            who = _text(table, "responden", row) or _text(table, "no", row) or str(row)
            yield ctx.finding(table, q.key, row, row_key=f"Responden {who}", actual=_num_text(value), question=f"P{q.number}")


def _num_text(value: Any) -> Decimal:
    f = calc.to_fraction(float(value))
    return Decimal(f.numerator) if f.denominator == 1 else calc.round_half_up(f, 2)


_SUM_LABEL = r"(?:JUMLAH|TOTAL)(?: NILAI| SKOR)?(?: PER UNSUR| PER PERTANYAAN| UNSUR)?"
_MEAN_LABEL = r"(?:NRR|NILAI RATA RATA|RATA RATA|RERATA)(?: NILAI)?(?: PER UNSUR| PER PERTANYAAN| UNSUR)?"
_IKM_ROW_LABEL = r"(?:NILAI )?(?:IKM|SKM|INDEKS KEPUASAN MASYARAKAT)(?: UNIT PELAYANAN)?(?: .*)?"


@rule("KX614", "skm-raw-summary", tables="skm_responden", message=(
    "{what_id} tertulis {actual}, dari jawaban di atasnya {expected}.{convention_id}",
    "{what_en} reads {actual}; the answers above give {expected}.{convention_en}",
))
def check_raw_summary(table, ctx) -> Iterator:
    """The summary rows under the responses (JUMLAH, NRR, IKM) agree with the answers above them.

    The processing sheet of PermenPANRB 14/2017 puts, under the respondents,
    a row of sums per question (JUMLAH NILAI), of means (NRR = sum / answers,
    blanks left out) and the IKM (25 × mean of the NRR per unsur). Sums are
    compared exactly, means and the IKM at 0,005; for the IKM the message
    names the convention (weight 0,111 or 0,11…) that gives the printed one.

    *Salah:* NRR row 3,40 under a column summing 653 over 188 answers.
    *Benar:* 653 / 188 = 3,47.
    """
    raw = summarize_responses(table)
    for row, label in raw.summary_rows.items():
        if re.fullmatch(_SUM_LABEL, label) or re.fullmatch(_MEAN_LABEL, label):
            mean = re.fullmatch(_MEAN_LABEL, label) is not None
            for q in raw.questions.values():
                printed = _num(table, q.key, row)
                if printed is None:
                    continue
                exact = (q.total / q.answered if q.answered else None) if mean else q.total
                if exact is None or (calc.agrees(printed, exact, 2) if mean else printed == exact):
                    continue
                what = ("NRR", "NRR") if mean else ("Jumlah nilai", "The score sum")
                yield ctx.finding(table, q.key, row, row_key=f"{label.title()} P{q.number}",
                                  expected=_dec(exact) if mean else _whole(exact), actual=_dec(printed) if mean else _whole(printed),
                                  what_id=f"{what[0]} P{q.number}", what_en=f"{what[1]} of P{q.number}", convention_id="",
                                  convention_en="")
        elif re.fullmatch(_IKM_ROW_LABEL, label):
            nrr = raw.nrr() or ({q.number: q.total / q.answered for q in raw.questions.values() if q.answered}
                                if len(raw.questions) == 9 else None)
            key = next((q.key for q in raw.questions.values() if _num(table, q.key, row) is not None), None)
            if not nrr or key is None or any(v is None for v in nrr.values()):
                continue
            printed = _num(table, key, row)
            exact = calc.ikm(list(nrr.values()))
            if calc.agrees(printed, exact, 2):
                continue
            hits = calc.reproducing(printed, calc.ikm_variants(list(nrr.values())))
            conv_id = (" Nilai tertulis dihasilkan oleh " + "; ".join(v.label_id for v in hits) + ".") if hits else ""
            conv_en = (" The written value is what " + "; ".join(v.label_en for v in hits) + " gives.") if hits else ""
            yield ctx.finding(table, key, row, row_key="IKM", expected=_dec(exact), actual=_dec(printed),
                              difference=_dec(printed - exact), what_id="IKM (25 × rata-rata NRR per unsur, bobot 1/9)",
                              what_en="The IKM (25 × mean NRR per unsur, weight 1/9)", convention_id=conv_id, convention_en=conv_en)


@rule("KX611", "skm-raw-vs-recap", tables=("skm", "skm_responden"), scope="workbook", message=(
    "{what_id} di rekap {actual}, dari data responden {expected}.",
    "{what_en} in the recap is {actual}; the responses give {expected}.",
))
def check_raw_vs_recap(ctx) -> Iterator:
    """The recap agrees with the raw responses it summarises.

    From the responses sheet: respondents = rows with at least one answer;
    a question's jumlah nilai = Σ its scores, RTMK = its blanks; nilai unsur
    = pooled mean of its questions; IKM = 25 × mean of the nilai unsur.
    Questions are matched by number; the unsur of each question is taken
    from the recap.

    *Salah:* the responses sum to 629 for question 1, the recap prints 1018.
    *Benar:* 629 in both.
    """
    for recap_table, raw_table in _pairs(ctx.tables.get("skm", []), ctx.tables.get("skm_responden", [])):
        recap = parse_recap(recap_table)
        raw = summarize_responses(raw_table)
        yield from _compare(ctx, recap, raw)


def _pairs(recaps: list, raws: list) -> list[tuple[Any, Any]]:
    """Each recap with the responses on its own sheet, else with the only (or next) responses sheet."""
    out, left = [], list(raws)
    for t in recaps:
        same = [r for r in left if r.sheet == t.sheet]
        pick = same[0] if same else (left[0] if left else None)
        if pick is not None:
            out.append((t, pick))
            left.remove(pick)
    return out


def _compare(ctx, recap: Recap, raw: RawSummary) -> Iterator:
    table = recap.table
    n = raw.respondents
    if recap.info.respondents:
        stated = recap.info.respondents[0]
        if stated.value != n:
            yield ctx.finding(table, cell=stated.cell, row_key="Jumlah Responden", expected=n, actual=_whole(stated.value),
                              difference=_whole(stated.value - n), related=(raw.block(),),
                              what_id="Jumlah responden", what_en="The number of respondents")
    matched: set[int] = set()
    for q in recap.questions:
        rq = raw.questions.get(q.number)
        if rq is None:
            yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), actual=_whole(q.total) if q.total is not None else None,
                              expected=None, what_id=f"Pertanyaan P{q.number} tidak ada di data responden; jumlah nilai",
                              what_en=f"Question P{q.number} is missing from the responses; its score sum")
            continue
        matched.add(q.number)
        related = (raw.column_range(rq),)
        if q.total is not None and q.total != rq.total:
            yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), expected=_whole(rq.total), actual=_whole(q.total),
                              difference=_whole(q.total - rq.total), related=related,
                              what_id=f"Jumlah nilai P{q.number}", what_en=f"The score sum of P{q.number}")
        if q.rtmk is not None and table.has("rtmk") and q.rtmk != rq.blanks:
            yield ctx.finding(table, "rtmk", q.row, row_key=q.key(), expected=rq.blanks, actual=_whole(q.rtmk),
                              difference=_whole(q.rtmk - rq.blanks), related=related,
                              what_id=f"Jumlah RTMK P{q.number}", what_en=f"The RTMK of P{q.number}")
    for number, rq in sorted(raw.questions.items()):
        if number not in matched:
            col = raw.table.columns[rq.key]
            yield ctx.finding(raw.table, cell=cell_ref(raw.table.header_rows[1], col), row_key=f"P{number}", expected=None,
                              actual=_whole(rq.total), what_id=f"Pertanyaan P{number} ada di data responden tetapi tidak di rekap; jumlah nilai",
                              what_en=f"Question P{number} is in the responses but not in the recap; its score sum")
    raw_nrr: list[Fraction] = []
    for u in recap.unsur:
        qs = [raw.questions[q.number] for q in u.questions if q.number in raw.questions]
        value = calc.pooled_nrr((rq.total, rq.answered) for rq in qs) if qs and len(qs) == len(u.questions) else None
        if value is None:
            continue  # a question missing from the responses (reported above): no IKM from them either
        raw_nrr.append(value)
        if u.printed is not None and not calc.agrees(u.printed, value, u.printed_dp):
            yield ctx.finding(table, "nilai_unsur", u.cell_row, row_key=u.key(), expected=_dec(value, u.printed_dp),
                              actual=_dec(u.printed, u.printed_dp), difference=_dec(u.printed - value, u.printed_dp),
                              related=tuple(raw.column_range(rq) for rq in qs),
                              what_id=f"Nilai unsur {u.label or u.name}", what_en=f"The value of unsur {u.label or u.name}")
    if raw_nrr and len(raw_nrr) == len(recap.unsur) and recap.ikm_printed is not None:
        value = calc.ikm(raw_nrr)
        if not calc.agrees(recap.ikm_printed, value, recap.ikm_dp):
            yield ctx.finding(table, recap.ikm_key, recap.ikm_row, row_key="IKM", expected=_dec(value, recap.ikm_dp),
                              actual=_dec(recap.ikm_printed, recap.ikm_dp), difference=_dec(recap.ikm_printed - value, recap.ikm_dp),
                              what_id="IKM", what_en="The IKM")


# --------------------------------------------------------------------------- rule: IKU table vs survey


def _is_ikm_indicator(text: Any) -> bool:
    words = fold(text)
    return bool(re.search(r"\bIKM\b|INDEKS KEPUASAN MASYARAKAT|\bSKM\b|SURVEI KEPUASAN", words))


@rule("KX890", "ikm-iku-vs-survei", tables=("iku", "skm"), scope="workbook", message=(
    "Realisasi IKM di tabel capaian IKU {actual}, tetapi IKM rekap survei {expected} ({survey}).",
    "The IKM achieved in the IKU table is {actual}, but the survey recap's IKM is {expected} ({survey}).",
))
def check_ikm_iku(ctx) -> Iterator:
    """The IKM realisasi in the IKU capaian table equals the IKM of the survey recap.

    The recap's printed IKM is used (its own arithmetic is checked by
    KX603); when the recap prints none, its recomputed IKM.

    *Salah:* IKU table 'Nilai IKM Kecamatan' realisasi 87,28, survey recap 87,17.
    *Benar:* 87,28 in both.
    """
    survey = None
    for t in ctx.tables.get("skm", []):
        recap = parse_recap(t)
        value = recap.ikm_printed if recap.ikm_printed is not None else recap.ikm_regulation()
        if value is not None:
            cell = recap.ikm_cell
            survey = (value, _ref(t.sheet, cell) if cell else _ref(t.sheet, cell_ref(t.header_rows[0], t.columns["unsur"])))
            break
    if survey is None:
        return
    value, where = survey
    for t in ctx.tables.get("iku", []):
        if not (t.has("indikator") and t.has("realisasi")):
            continue
        for row in t.frame.index:
            if not _is_ikm_indicator(t.frame.at[row, "indikator"]):
                continue
            realisasi = _num(t, "realisasi", row)
            if realisasi is None:
                continue
            dp = _dp(t, "realisasi", row)
            if calc.agrees(realisasi, value, dp):
                continue
            yield ctx.finding(t, "realisasi", row, expected=_dec(value, dp), actual=_dec(realisasi, dp),
                              difference=_dec(realisasi - value, dp), related=(where,), survey=where)


# --------------------------------------------------------------------------- compute


def compute(table, config, tables=None) -> list:
    """Nilai unsur per unsur, IKM and mutu: into the recap's cells, or (responses sheet) as figures only."""
    if table.kind == "skm_responden":
        return _compute_raw(table)
    from kinerja_xl.kinds import Computed

    recap = parse_recap(table)
    out: list = []
    n = recap.respondents
    values: list[Fraction] = []
    impossible = {q.row for q in recap.impossible()}
    for u in recap.unsur:
        value = u.pooled(n)
        if value is None or any(q.row in impossible for q in u.questions):
            continue  # a sum no answers can give (KX601) gives no value to fill in
        values.append(value)
        has = table.has("nilai_unsur")
        row = u.cell_row
        out.append(Computed(
            kind="nilai_unsur", sheet=table.sheet, cell=table.cell("nilai_unsur", row) if has else None, row_key=u.key(),
            label_id=f"Nilai unsur (NRR) {u.name or ''}".strip(), label_en=f"Unsur value (NRR) {u.name or ''}".strip(),
            value=_dec(value, 2), number_format="0.00",
            existing=_dec(u.printed, u.printed_dp) if u.printed is not None else None,
            formula=has and (row, table.columns["nilai_unsur"]) in table.formulas,
        ))
    if not values or len(values) != len(recap.unsur):
        return out
    total = calc.ikm(values)
    cell = recap.ikm_cell
    out.append(Computed(
        kind="ikm", sheet=table.sheet, cell=cell, row_key="IKM", label_id="IKM (25 × rata-rata nilai unsur)",
        label_en="IKM (25 × mean of the unsur values)", value=_dec(total, 2), number_format="0.00",
        existing=_dec(recap.ikm_printed, recap.ikm_dp) if recap.ikm_printed is not None else None,
        formula=cell is not None and (recap.ikm_row, table.columns[recap.ikm_key]) in table.formulas,
    ))
    band = calc.mutu(total)
    out.append(Computed(
        kind="mutu", sheet=table.sheet, cell=recap.mutu_cell, row_key="Mutu", label_id="Mutu pelayanan",
        label_en="Service quality (mutu)", value=band.text(), existing=recap.mutu_text,
    ))
    return out


def _compute_raw(table) -> list:
    from kinerja_xl.kinds import Computed

    raw = summarize_responses(table)
    nrr = raw.nrr()
    out: list = []
    if not nrr or any(v is None for v in nrr.values()):
        return out
    for u, value in nrr.items():
        out.append(Computed(kind="nilai_unsur", sheet=table.sheet, cell=None, row_key=f"Unsur {u} {unsur_name(u)}",
                            label_id=f"Nilai unsur (NRR) {unsur_name(u)}", label_en=f"Unsur value (NRR) {unsur_name(u)}",
                            value=_dec(value, 2), number_format="0.00"))
    total = calc.ikm(list(nrr.values()))
    out.append(Computed(kind="ikm", sheet=table.sheet, cell=None, row_key="IKM", label_id="IKM dari data responden",
                        label_en="IKM from the responses", value=_dec(total, 2), number_format="0.00"))
    out.append(Computed(kind="mutu", sheet=table.sheet, cell=None, row_key="Mutu", label_id="Mutu pelayanan",
                        label_en="Service quality (mutu)", value=calc.mutu(total).text()))
    return out


def mutu_letter(ikm_value) -> str:
    """The service-quality letter (A–D) of an IKM, for the audit's summaries."""
    return calc.mutu(ikm_value).letter


_RULES = rules_in(globals())
KIND = TableKind(
    name="skm",
    title=(RECAP.title_id, RECAP.title_en),
    specs=(RECAP,),
    rules=tuple(r for r in _RULES if "skm_responden" not in r.tables),
    compute=compute,
    hooks={"mutu": mutu_letter},
)
RESPONSES_KIND = TableKind(
    name="skm_responden",
    title=(RESPONSES.title_id, RESPONSES.title_en),
    specs=(RESPONSES, RESPONSES_NUMBERED),
    rules=tuple(r for r in _RULES if "skm_responden" in r.tables),
    compute=compute,
)
