"""Reading the raw survey responses (one row per respondent, one column per question) into a
summary per question (``summarize_responses``): answers, sums, scores that are not 1–4, summary rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from kinerja_validators import ikm as calc
from kinerja_xl.tables import cell_ref, fold
from kinerja_validators._memo import once_per_table
from kinerja_validators.skm.recap import _ref, canonical_unsur

# question headers: P1 / Q1 / U1 / PERTANYAAN 1 … (optionally after the unsur's name), or the bare number
_Q_PREFIXED = r"(?:(?P<unsur>.*) )?(?P<prefix>P|Q|U|PERTANYAAN|SOAL|BUTIR) ?(?P<n>\d{1,2})"
_Q_BARE = r"(?:(?P<unsur>.*) )?(?P<n>\d{1,2})"

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
_SUMMARY_ROW_RE = re.compile(_SUMMARY_ROW)


def _summary_label(text: str) -> str:
    return fold(re.sub(r"^\s*[Σ∑]", "JUMLAH ", text))


def summarize_responses(table) -> RawSummary:
    """``_summarize_responses(table)``, once per table (KX610, KX611, KX614 and ``hitung`` each ask for it)."""
    return once_per_table(table, "_responses", _summarize_responses)


def _summarize_responses(table) -> RawSummary:
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
            # or a sign ('Σ Nilai / Unsur', as e-SMILE prints the sums; Σ is read as JUMLAH)
            labels = frame[k].dropna()
            labels = labels[labels.str.match(r"\s*[^\W\d_]|\s*[Σ∑]", na=False)].map(_summary_label)
            summary = labels[labels.map(lambda t: _SUMMARY_ROW_RE.fullmatch(t) is not None)]
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


