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
``kinerja_validators.ikm``; this package finds the numbers and blames cells.

The kind's declaration: header vocabulary (``RECAP``, ``RESPONSES``), reading
(``recap.py``, ``responses.py``), rules (``rules.py``), pandera schemas
(``schema.py``), ``hitung`` values (``compute.py``).
"""

from __future__ import annotations

from kinerja_xl.i18n import N_
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rules_in
from kinerja_xl.tables import LABEL, NUMBER, PERCENT, TEXT, Field, TableSpec, values_within
from kinerja_validators import ikm as calc
from kinerja_validators.skm import rules
from kinerja_validators.skm.compute import compute
from kinerja_validators.skm.recap import IKM_LABEL, canonical_unsur, parse_recap, read_info, unsur_name
from kinerja_validators.skm.responses import _Q_BARE, _Q_PREFIXED, summarize_responses

# --------------------------------------------------------------------------- specs

_PERTANYAAN = r"(?:.* )?(?:NO |NOMOR )?(?:PERTANYAAN|BUTIR PERTANYAAN|SOAL)(?: .*)?"

RECAP = TableSpec(
    kind="skm",
    title_id=N_("Rekapitulasi Survei Kepuasan Masyarakat (SKM/IKM)"),
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

# 'No Resp' / 'NO. RESP' is how e-SMILE and similar survey applications head the respondent number; a label
# typed on the row right above an export ('Jumlah Responden : 150', no blank row) is read into the header
# over it, so the respondent number may follow other words (the answers' U1 … U9 may too: ``_Q_PREFIXED``)
_RESPONDEN_NO = (r"NO|NO URUT|NOMOR|(?:.* )?NO (?:RESPONDEN|RESP|RES)",)
# the IKM row closes an export's summary rows: a legend of the unsur typed under it is no respondent
_RESPONSES_END = r"(?:NILAI )?IKM(?: UNIT PELAYANAN)?|(?:NILAI )?INDEKS KEPUASAN MASYARAKAT(?: UNIT PELAYANAN)?"
_RESPONDEN = (r"(?:NAMA |KODE |ID )?RESPONDEN|NAMA(?: RESPONDEN)?",)

RESPONSES = TableSpec(
    kind="skm_responden",
    title_id=N_("Data jawaban responden SKM"),
    fields=(
        Field("no", _RESPONDEN_NO, LABEL),
        Field("responden", _RESPONDEN, TEXT),
        Field("q_{n}", (_Q_PREFIXED,), NUMBER),
    ),
    min_matched=4,
    end_row=_RESPONSES_END,
    # P1 … P9 alone is one field's headers (a sales sheet's Q1 … Q4 look alike): answers on the
    # 1–4 scale (5 where a survey uses five) are the evidence that it is a survey
    plausible=values_within(1, 5),
)
# Question numbers alone as headers ('1 2 3 …' under PERTANYAAN is caught above):
# only with a respondent column, so a row of numbers elsewhere is not taken for a header.
RESPONSES_NUMBERED = TableSpec(
    kind="skm_responden",
    title_id=RESPONSES.title_id,
    fields=(
        Field("no", _RESPONDEN_NO, LABEL),
        Field("responden", _RESPONDEN, TEXT, required=True),
        Field("q_{n}", (_Q_BARE,), NUMBER),
    ),
    min_matched=5,
    end_row=_RESPONSES_END,
    plausible=values_within(1, 5),
)

SPECS = [RECAP, RESPONSES, RESPONSES_NUMBERED]


def mutu_letter(ikm_value) -> str:
    """The service-quality letter (A–D) of an IKM, for the audit's summaries."""
    return calc.mutu(ikm_value).letter


def recap_schema():
    """The recap's arithmetic as a pandera schema (built on first use)."""
    from kinerja_validators.skm.schema import recap

    return recap()


def responses_schema():
    """The raw responses' arithmetic as a pandera schema (built on first use)."""
    from kinerja_validators.skm.schema import responses

    return responses()


_RULES = rules_in(vars(rules))
KIND = TableKind(
    name="skm",
    title=RECAP.title_id,
    specs=(RECAP,),
    rules=tuple(r for r in _RULES if "skm_responden" not in r.tables),
    schema=recap_schema,
    compute=compute,
    hooks={"mutu": mutu_letter},
    # the recap is parsed as a whole (nilai unsur, NRR tertimbang, IKM, mutu): each rule may read every column
    checked_fields={"jumlah_nilai": None, "nilai_unsur": None, "nrr_tertimbang": None, "dijawab": None, "rtmk": None},
)
RESPONSES_KIND = TableKind(
    name="skm_responden",
    title=RESPONSES.title_id,
    specs=(RESPONSES, RESPONSES_NUMBERED),
    rules=tuple(r for r in _RULES if "skm_responden" in r.tables),
    schema=responses_schema,
    compute=compute,
    checked_fields={"q_*": ("KX610", "KX611", "KX614")},
)

__all__ = ["IKM_LABEL", "KIND", "RECAP", "RESPONSES", "RESPONSES_KIND", "RESPONSES_NUMBERED", "SPECS",
           "canonical_unsur", "compute", "mutu_letter", "parse_recap", "read_info", "summarize_responses", "unsur_name"]
