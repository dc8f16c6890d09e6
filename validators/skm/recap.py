"""Reading the survey recap (*Rekapitulasi Nilai Hasil SKM*): unsur, questions, the IKM row, and the
numbers stated around the table (population, respondents, profile, mutu).

``parse_recap(table)`` gives a ``Recap``; the arithmetic (NRR, IKM conventions,
mutu) is in ``kinerja_validators.ikm``.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kinerja_validators import ikm as calc
from kinerja_validators._memo import once_per_table
from kinerja_xl.tables import cell_ref, fold

# the recap's footer row: the table ends there (``TableSpec.end_row``)
IKM_LABEL = r"(?:NILAI )?(?:HASIL SURVEI|IKM|SKM|INDEKS KEPUASAN MASYARAKAT)(?: .*)?|NILAI INDEKS(?: .*)?"

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


_UNSUR_WORDS = tuple((number, re.compile(rf"\b(?:{keywords})\b")) for number, _, keywords in UNSUR)


def canonical_unsur(name: Any) -> int | None:
    """Which of the nine unsur a printed name is ('Sarana & Prasarana' -> 8), whatever its wording.

    Whole words only ('SARAN' is not 'SARANA'); the unsur with the most
    keywords wins, none or a tie gives None.
    """
    if isinstance(name, str):
        return _canonical_text(name)
    return _canonical(name)


@functools.lru_cache(maxsize=1024)
def _canonical_text(name: str) -> int | None:
    """``canonical_unsur`` of a text, remembered: the same nine names come back in every recap."""
    return _canonical(name)


def _canonical(name: Any) -> int | None:
    words = fold(name)
    if not words:
        return None
    scores = []
    for number, keywords in _UNSUR_WORDS:
        hits = len(keywords.findall(words))
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
    # told without pd.isna (~1 µs a call; a recap asks ~70 cells): <NA> by its type, NaN as unequal to itself
    return v is not None and v.__class__.__name__ != "NAType" and v == v


def _num(table, key: str, row: int) -> Fraction | None:
    if not table.has(key):
        return None
    v = table.value(key, row)
    if not _present(v):
        return None
    return calc.to_fraction(float(v))


def _dp(table, key: str, row: int, default: int = 2) -> int:
    col = f"{key}__dp"
    if col in table.frame.columns:
        v = table.value(col, row)
        if _present(v):
            return int(v)
    return default


def _text(table, key: str, row: int) -> str | None:
    if not table.has(key):
        return None
    v = table.value(key, row)
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
        # no RTMK: the respondents themselves, not a new equal Fraction (asked ~90 times per recap)
        return respondents - self.rtmk if self.rtmk else respondents

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
    # pooled NRR per number of respondents: the recap's checks, its frame and its rules each ask for it
    # (exact fractions, a few µs an operation); a parsed recap is only read, never changed
    _pooled: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def key(self) -> str:
        parts = ["Unsur", self.label or "", self.name or ""]
        return " ".join(p for p in parts if p)

    @property
    def cell_row(self) -> int:
        """Where the nilai unsur is printed, or belongs (the unsur's first row)."""
        return self.value_row if self.value_row is not None else self.first_row

    def pooled(self, respondents: Fraction | None) -> Fraction | None:
        """Σ jumlah nilai / Σ answers of its questions (None when a number is missing)."""
        if respondents in self._pooled:
            return self._pooled[respondents]
        value = self._pooled[respondents] = self._pool(respondents)
        return value

    def _pool(self, respondents: Fraction | None) -> Fraction | None:
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
        return calc.exact_sum(count for _, count, _ in self.items)


@dataclass
class SurveyInfo:
    population: list[Stated] = field(default_factory=list)
    respondents: list[Stated] = field(default_factory=list)
    ikm: list[Stated] = field(default_factory=list)      # 'NILAI IKM 87,28' printed again
    profile: list[ProfileGroup] = field(default_factory=list)
    weight: list[Stated] = field(default_factory=list)   # 'Bobot : 0,111', 'NRR tertimbang = NRR x 0,11'
    period: tuple[str, str] | None = None                # ('Triwulan III', cell): the survey's period


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


_RECAP_SUMMARY = re.compile(r"(?:JUMLAH|TOTAL|RATA RATA|RERATA|NRR)(?: .*)?")
_IKM_LABEL = re.compile(IKM_LABEL)
_QUESTION_NO = re.compile(r"[PQUpqu]?\s*\d{1,2}\.?")
_NUMBERED_TEXT = re.compile(r"^(\d{1,2})[.)]\s+(.+)$")


def _is_ikm_label(text: str | None) -> bool:
    return bool(text) and _IKM_LABEL.fullmatch(fold(text)) is not None


def _question_number(texts: list[str]) -> tuple[int | None, str | None]:
    """The question number and text out of the PERTANYAAN columns ('1', '', 'Kesesuaian…' or '1. Kesesuaian…')."""
    number, text = None, None
    for t in texts:
        if number is None and _QUESTION_NO.fullmatch(t):
            number = int("".join(ch for ch in t if ch.isdigit()))
            continue
        m = _NUMBERED_TEXT.match(t)
        if m and number is None:
            number, t = int(m.group(1)), m.group(2)
        if text is None or len(t) > len(text):
            text = t
    return number, text


def parse_recap(table) -> Recap:
    """``_parse_recap(table)``, once per table."""
    return once_per_table(table, "_recap", _parse_recap)


def _parse_recap(table) -> Recap:
    """The recap's unsur and questions, its IKM and mutu, and the facts around it."""
    unsur: list[Unsur] = []
    ikm_row = None
    seq = 0
    text_keys = [k for k in ("no", "unsur", "pertanyaan_no", "pertanyaan", "pertanyaan_2") if table.has(k)]
    # each text column read once as {row: value}; a cell is stripped and folded once
    columns = {k: table.column_values(k) for k in text_keys}
    folded: dict[str, str] = {}

    def folds(t: str) -> str:
        f = folded.get(t)
        if f is None:
            f = folded[t] = fold(t)
        return f

    def cell_text(k: str, row: int) -> str | None:
        column = columns.get(k)
        v = column[row] if column is not None else None
        return v.strip() if isinstance(v, str) and v.strip() else None

    for row in sorted(table.frame.index):
        row_texts = {k: cell_text(k, row) for k in text_keys}
        texts = [t for t in row_texts.values() if t]
        if any(_IKM_LABEL.fullmatch(folds(t)) for t in texts):
            ikm_row = row
            break
        if any(_RECAP_SUMMARY.fullmatch(folds(t)) for t in (row_texts.get("no"), row_texts.get("unsur")) if t):
            continue  # a JUMLAH / rata-rata row between the questions and the IKM
        name = row_texts.get("unsur")
        q_texts = [t for t in (row_texts.get(k) for k in ("pertanyaan_no", "pertanyaan", "pertanyaan_2")) if t]
        total = _num(table, "jumlah_nilai", row)
        if name and not (unsur and folds(unsur[-1].name) == folds(name)):  # a name repeated on each row continues it
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
_NOT_A_VALUE = frozenset(("", *_SEPARATORS))  # a cell holding only one of these says nothing
_HAS_LETTER = re.compile(r"[A-Za-z]")
# the label patterns compiled once: each label cell is tried against several of them
_PROFILE_RE, _POPULATION_RE, _RESPONDENTS_RE, _IKM_MENTION_RE, _MUTU_RE = (
    re.compile(p) for p in (_PROFILE, _POPULATION, _RESPONDENTS, _IKM_MENTION, _MUTU))


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


@functools.lru_cache(maxsize=4096)
def _label_and_rest(text: str) -> tuple[str, str | None]:
    """'Jumlah Responden : 188' -> ('JUMLAH RESPONDEN', '188'); 'Jumlah Responden = 150 orang' -> (…, '150 orang').

    The label is what stands before the first ':' or '=' when it has a letter. Found with ``str.find``:
    a regex spelling it backtracks over every long note without a ':' (most of the parse's time). Cached:
    the same label cells are read by the recap and again by the responses' rules.
    """
    cut = min((i for i in (text.find(":"), text.find("=")) if i >= 0), default=-1)
    if cut < 0 or not _HAS_LETTER.search(text, 0, cut):
        return fold(text.strip().lstrip("-•").strip()), None
    label, rest = text[:cut], text[cut + 1:]
    return fold(label.strip().lstrip("-•").strip()), rest.strip() or None


# 'Jumlah Responden 150 orang' in one cell, no separator: the count at the end of the label
_TRAILING_COUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:orang|org|responden|jiwa)?\.?\s*$", re.I)
_WEIGHT = r"BOBOT(?: .*)?"
_WEIGHT_RE = re.compile(_WEIGHT)
_WEIGHT_IN_TEXT = re.compile(r"(?:[x×*]|kali)\s*(0[,.]1{2,3})(?!\d)", re.I)
_PERIOD = re.compile(r"(?:(?:PERIODE|LAPORAN) )?((?:TRIWULAN|SEMESTER) (?:I{1,3}|IV|[1-4]))(?: .*)?")
#: rows above a table's header searched for its parameters ('Jumlah responden: 150' over the recap)
ROWS_ABOVE = 6


def _weight_value(value: Fraction) -> bool:
    """A number that can be a printed weight of the nine unsur (0,11 / 0,111 / 0,1111 / 1/9)."""
    return Fraction(1, 10) < value < Fraction(12, 100)


def read_info(table) -> SurveyInfo:
    """``_read_info(table)``, once per table (the recap's rules and the responses' ask for it)."""
    return once_per_table(table, "_survey_info", _read_info)


def _read_info(table) -> SurveyInfo:
    """Population, respondents, a repeated IKM, the profile, a printed weight and the period, read from
    the sheet around the table.

    Scans up to ``ROWS_ABOVE`` rows above the table's header (the label cells
    a recap is introduced with: 'Jumlah responden: 150', 'Triwulan III'),
    then from its header down to 120 rows below it, every column, leaving
    out the table's own cells. A label cell ('Jumlah Responden', 'JENIS
    KELAMIN') is followed by its value(s) in the cells to its right (':'
    cells skipped), after a ':' or '=' in the same cell, or at the end of the
    label itself ('Jumlah Responden 150 orang'); a profile continues on the
    next rows while its label column stays empty ('SMP 17', 'SMA 116'…).
    Labels saying what is most frequent ('… terbanyak') are statements, not
    counts, and are skipped.
    """
    info = SurveyInfo()
    sheet = table.sheet_data
    if sheet is None:
        return info
    header = table.header_rows[0] - 1
    top = max(0, header - ROWS_ABOVE)
    bottom = min(sheet.n_rows, table.last_row + 120)
    t_cols = table.columns.values()
    c_lo, c_hi = min(t_cols), max(t_cols)

    def outside(r: int) -> list[tuple[int, Any]]:
        row = sheet.rows[r]
        if header <= r < table.last_row:  # inside the table's rows: only the cells left and right of it
            pairs = itertools.chain(enumerate(row[:c_lo]), enumerate(row[c_hi + 1:], c_hi + 1))
        else:
            pairs = enumerate(row)
        # no list of every cell first: the scan asks this of ~90 rows of every column
        return [(c, v) for c, v in pairs if v is not None and not (isinstance(v, str) and v.strip() in _NOT_A_VALUE)]

    group: ProfileGroup | None = None
    group_col = -1
    heading_row = -10  # a 'RESPONDEN' heading makes the next 'JUMLAH' the respondent count
    pending_ikm: int | None = None
    for r in range(top, bottom):
        if r == header:
            group, pending_ikm = None, None  # what stands above the table does not run into it
        cells = outside(r)
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
        for c, v in cells:
            # the pattern needs '0,11' or '0.11': most cells are told without running it
            m = _WEIGHT_IN_TEXT.search(v) if isinstance(v, str) and ("0,11" in v or "0.11" in v) else None
            if m:
                info.weight.append(Stated(calc.to_fraction(m.group(1).replace(",", ".")), cell_ref(r + 1, c), "BOBOT"))
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
        profile, period, stated = _label_kind(label)
        if profile:
            group, group_col = ProfileGroup(label, cell_ref(r + 1, c0), []), c0
            info.profile.append(group)
            _add_items(group, r, tail)
            continue
        if label == "RESPONDEN" and not tail:
            heading_row = r
            continue
        if period is not None and info.period is None:
            info.period = (period, cell_ref(r + 1, c0))
            continue
        found = _first_number(tail)
        if found is None and rest is None:
            m = _TRAILING_COUNT.search(v0)
            if m and m.start() > 0 and not re.search(r"(?i)(tahun|semester|triwulan|tw)\s*$", v0[:m.start()]):
                found = (_count(m.group(1)), c0)
        if stated == "population":
            if found:
                info.population.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
        elif stated == "respondents" or (label == "JUMLAH" and r - heading_row <= 3):
            if found:
                info.respondents.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
        elif stated == "ikm":
            if found:
                info.ikm.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
            else:
                pending_ikm = r
        elif stated == "weight":
            found = _first_number(tail)
            if found and _weight_value(found[0]) and not any(w.cell == cell_ref(r + 1, found[1]) for w in info.weight):
                info.weight.append(Stated(found[0], cell_ref(r + 1, found[1]), label))
    return info


@functools.lru_cache(maxsize=4096)
def _label_kind(label: str) -> tuple[bool, str | None, str | None]:
    """What a folded label around the recap says: (a respondent profile, the period it names, which
    number it states: 'population', 'respondents', 'ikm', 'weight' or None). Remembered per label: the
    same few labels stand around every recap, each tried against half a dozen patterns."""
    period = _PERIOD.fullmatch(label)
    named = (period.group(1).title().replace("Iii", "III").replace("Ii", "II").replace("Iv", "IV")
             if period else None)
    stated = next((kind for kind, pattern in (("population", _POPULATION_RE), ("respondents", _RESPONDENTS_RE),
                                              ("ikm", _IKM_MENTION_RE), ("weight", _WEIGHT_RE))
                   if pattern.fullmatch(label)), None)
    return _PROFILE_RE.fullmatch(label) is not None, named, stated


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
            if not _MUTU_RE.fullmatch(label):
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


