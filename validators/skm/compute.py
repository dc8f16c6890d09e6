"""``hitung`` values of the survey tables: nilai unsur, IKM, mutu (recap), NRR per question (responses)."""

from __future__ import annotations

from fractions import Fraction

from kinerja_validators import ikm as calc
from kinerja_xl.i18n import N_, Message
from kinerja_validators.skm.recap import (
    _dec, parse_recap, unsur_name,
)
from kinerja_validators.skm.responses import (
    summarize_responses,
)

# --------------------------------------------------------------------------- compute

_NILAI_UNSUR = N_("Nilai unsur (NRR) {name}")


def _nilai_unsur_label(name: str) -> str | Message:
    """'Nilai unsur (NRR) Persyaratan'; a recap row without an unsur name reads 'Nilai unsur (NRR)'."""
    return Message(_NILAI_UNSUR, name=name) if name else N_("Nilai unsur (NRR)")


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
            label_id=_nilai_unsur_label((u.name or "").rstrip()),
            value=_dec(value, 2), number_format="0.00",
            existing=_dec(u.printed, u.printed_dp) if u.printed is not None else None,
            formula=has and (row, table.columns["nilai_unsur"]) in table.formulas,
        ))
    if not values or len(values) != len(recap.unsur):
        return out
    total = calc.ikm(values)
    cell = recap.ikm_cell
    # the period written over the recap ('Triwulan III') says which survey the figure is of
    period = f", {recap.info.period[0]}" if recap.info.period else ""
    out.append(Computed(
        kind="ikm", sheet=table.sheet, cell=cell, row_key="IKM",
        label_id=Message(N_("IKM (25 × rata-rata nilai unsur){period}"), period=period),
        value=_dec(total, 2), number_format="0.00",
        existing=_dec(recap.ikm_printed, recap.ikm_dp) if recap.ikm_printed is not None else None,
        formula=cell is not None and (recap.ikm_row, table.columns[recap.ikm_key]) in table.formulas,
    ))
    band = calc.mutu(total)
    out.append(Computed(
        kind="mutu", sheet=table.sheet, cell=recap.mutu_cell, row_key="Mutu", label_id=N_("Mutu pelayanan"),
        value=band.text(), existing=recap.mutu_text,
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
                            label_id=Message(_NILAI_UNSUR, name=unsur_name(u)),
                            value=_dec(value, 2), number_format="0.00"))
    total = calc.ikm(list(nrr.values()))
    out.append(Computed(kind="ikm", sheet=table.sheet, cell=None, row_key="IKM", label_id=N_("IKM dari data responden"),
                        value=_dec(total, 2), number_format="0.00"))
    out.append(Computed(kind="mutu", sheet=table.sheet, cell=None, row_key="Mutu", label_id=N_("Mutu pelayanan"),
                        value=calc.mutu(total).text()))
    return out


