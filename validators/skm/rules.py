"""The rules of the survey tables: the recap (KX601–KX609, KX612, KX613), the raw responses
(KX610, KX614), responses against the recap (KX611) and the IKU table against the survey (KX890)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kinerja_validators import ikm as calc
from kinerja_validators._memo import once_per_table
from kinerja_xl.i18n import N_, NP_, Message
from kinerja_xl.tables import cell_ref, fold
from kinerja_xl.rules import rule
from kinerja_validators.skm.recap import (
    Recap, UNSUR, Unsur, _dec, _dp, _num, _ref, _text, _whole, parse_recap, read_info, unsur_name,
)
from kinerja_validators.skm.schema import cell_row, info_anchor, places as _places, weighted_bases as _weighted_bases
from kinerja_validators.skm.responses import (
    RawSummary, summarize_responses,
)

# --------------------------------------------------------------------------- rules: the recap

# what several findings are about (the {what} of KX611, KX612, KX613, KX614)
_RESPONDENTS = N_("Jumlah responden")
_SCORE_SUM_OF = N_("Jumlah nilai {question}")
_NRR_OF = N_("NRR {question}")


def _wrong(table) -> dict[str, set[int]]:
    """Rows of the recap whose arithmetic pandera finds wrong, per check (worked out once per table)."""
    def build(t) -> dict[str, set[int]]:
        from kinerja_validators._pandera import failing_rows
        from kinerja_validators.skm.schema import RECAP_ERRORS, recap, recap_frame, recap_parts

        frame = recap_frame(parse_recap(t))
        failed = failing_rows(recap(rule_cases=True, errors=recap_parts(frame)), frame)
        # a check left out of the schema had no row to judge: nothing of it failed
        return {k: set(failed.get(k, ())) for k in RECAP_ERRORS}

    return once_per_table(table, "_kinerja_skm_wrong", build)



@rule("KX601", "skm-score-sum-range", aliases=("skm-jumlah-nilai-range",), tables="skm", message=N_(
    "Jumlah nilai {question} = {actual} di luar rentang {low}–{high} (1–4 × {answered} responden yang menjawab)."))
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
    wrong = _wrong(table)["KX601"]
    for q in recap.impossible():
        if q.row not in wrong:
            continue
        answered = q.answered(recap.respondents)
        low, high = answered, 4 * answered
        bound = high if q.total > high else low
        yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), expected=_whole(bound), actual=_whole(q.total),
                          difference=_whole(q.total - bound), question=f"P{q.number}", low=_whole(low), high=_whole(high),
                          answered=_whole(answered))


@rule("KX602", "skm-unsur-value", aliases=("skm-nilai-unsur",), tables="skm", message=N_(
    "Nilai unsur {unsur} tercetak {actual}, padahal Σ jumlah nilai {total} / Σ jawaban {answered} = {expected}.{variant}"))
def check_nilai_unsur(table, ctx) -> Iterator:
    """Nilai unsur (NRR) = Σ jumlah nilai of its questions / Σ their answers, pooled.

    An unsur with several questions pools them: the sums are added and
    divided by all answers together (blanks left out of both). The printed
    value is compared at half a unit of its last decimal.

    *Salah:* unsur 9 with questions 657 and 605, 188 answers each, printed 3,37.
    *Benar:* (657 + 605) / (188 + 188) = 3,356… printed 3,36.
    """
    recap = parse_recap(table)
    wrong = _wrong(table)["KX602"]
    n = recap.respondents
    for u in recap.unsur:
        if u.printed is None or u.cell_row not in wrong:
            continue
        pooled = u.pooled(n)
        total = calc.exact_sum(q.total for q in u.questions)
        answered = calc.exact_sum(q.answered(n) for q in u.questions)
        variant = ""
        means = u.question_means(n)
        if len(means) > 1 and calc.agrees(u.printed, sum(means) / len(means), u.printed_dp):
            variant = N_(" Nilai tercetak = rata-rata dari rata-rata tiap pertanyaan (tidak dipool).")
        elif n and calc.agrees(u.printed, total / (n * len(u.questions)), u.printed_dp):
            variant = N_(" Nilai tercetak dibagi jumlah responden tanpa mengurangi RTMK.")
        yield ctx.finding(table, "nilai_unsur", u.cell_row, row_key=u.key(), expected=_dec(pooled, u.printed_dp),
                          actual=_dec(u.printed, u.printed_dp), difference=_dec(u.printed - pooled, u.printed_dp),
                          unsur=u.label or u.name, total=_whole(total), answered=_whole(answered),
                          variant=variant)


def recap_weight_cause(recap: Recap) -> str | None:
    """The rounded weight that gives the recap's printed NRR tertimbang (see ``weight_cause``)."""
    return weight_cause([(w, bases, dp) for _, w, bases, dp in _weighted_bases(recap)])


def _conventions_text(printed: Fraction, recap: Recap, dp: int) -> tuple[Message, str | None]:
    """What reproduces a printed IKM, and the rounded weight when that is the cause (else None)."""
    values = recap.nrr_from_sums() or []
    weighted = [u.weighted for u in recap.unsur if u.weighted is not None]
    variants = calc.ikm_variants(values, recap.question_means(), recap.printed_unsur() or [],
                                 weighted if len(weighted) == len(recap.unsur) else [])
    hits = calc.reproducing(printed, variants, dp)
    cause = recap_weight_cause(recap)
    if cause is not None and not any(v.key in ("weighted", cause, f"printed-{cause}") for v in hits):
        cause = None  # the weighted column uses it, but the IKM went wrong some other way too
    cause = cause or _variant_weight(hits)
    if cause is not None:
        return Message(N_("Penyebabnya bobot:{weight_text}"), weight_text=_weight_text(cause)), cause
    if hits:
        return Message(N_("Nilai tercetak dihasilkan oleh: {conventions}."), conventions=_joined(hits)), None
    return Message(N_("Tidak satu pun cara hitung yang dikenal (bobot 1/9, 0,111 atau 0,11; rata-rata per pertanyaan; "
                      "nilai unsur tercetak) menghasilkan nilai tercetak.")), None


def _joined(variants) -> Message:
    """The labels of the conventions that reproduce a value, '; '-separated, each in the message's language."""
    return Message("; ".join(f"{{v{i}}}" for i in range(len(variants))),
                   **{f"v{i}": v.label for i, v in enumerate(variants)})


@rule("KX603", "skm-ikm", tables="skm", message=N_(
    "IKM tercetak {actual}; menurut PermenPANRB 14/2017 (25 × rata-rata nilai unsur dari jumlah nilai, bobot 1/9) = {expected}; "
    "25 × rata-rata nilai unsur tercetak = {printed_unsur}. {convention}"))
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
    if printed is None or not recap.unsur or recap.ikm_row not in _wrong(table)["KX603"]:
        return
    dp = recap.ikm_dp
    regulation = recap.ikm_regulation()
    printed_unsur = recap.printed_unsur()
    from_printed = calc.ikm(printed_unsur) if printed_unsur else None
    expected = regulation if regulation is not None else from_printed
    if expected is None:
        return
    convention, cause = _conventions_text(printed, recap, dp)
    where: dict[str, Any] = {"key": recap.ikm_key, "row": recap.ikm_row}
    if cause is not None and recap.info.weight:  # the weight is printed: the finding goes where it stands
        where = {"cell": recap.info.weight[0].cell, "related": (_ref(table.sheet, recap.ikm_cell),)}
    impossible = ", ".join(f"P{q.number}" for q in recap.impossible())
    if impossible:
        convention = Message(N_("{convention} Jumlah nilai {impossible} tidak mungkin (KX601), sehingga nilai menurut "
                                "aturan pun belum benar."), convention=convention, impossible=impossible)
    yield ctx.finding(table, **where, row_key="IKM", expected=_dec(expected, dp),
                      actual=_dec(printed, dp), difference=_dec(printed - expected, dp),
                      printed_unsur=_dec(from_printed, dp) if from_printed is not None else None,
                      convention=convention)


@rule("KX604", "skm-mutu", tables="skm", message=N_(
    "Mutu tercetak '{printed}', padahal IKM {ikm} bermutu {expected}."))
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
    if -1 not in _wrong(table)["KX604"]:  # the mutu's row of the checked frame (it stands anywhere on the sheet)
        return
    yield ctx.finding(table, cell=recap.mutu_cell, row_key="Mutu", expected=band.letter, actual=recap.mutu_text,
                      printed=recap.mutu_text, ikm=_dec(ikm_value, 2), expected_text=band.text())


@rule("KX605", "skm-unsur", tables="skm", message=N_("{problem}"))
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
    wrong = _wrong(table)
    seen: dict[int, Unsur] = {}
    for u in recap.unsur:
        if u.first_row in wrong["KX605:known"]:
            yield ctx.finding(table, "unsur", u.first_row, row_key=u.key(), severity="warning", actual=u.name,
                              problem=Message(N_("Unsur '{name}' bukan salah satu dari sembilan unsur PermenPANRB "
                                                 "14/2017."), name=u.name))
        elif u.first_row in wrong["KX605:once"]:
            first = seen[u.canonical]
            yield ctx.finding(table, "unsur", u.first_row, row_key=u.key(), actual=u.name,
                              related=(_ref(table.sheet, table.cell("unsur", first.first_row)),),
                              problem=Message(N_("Unsur '{name}' sama dengan '{first}' ({canonical}) yang sudah ada."),
                                              name=u.name, first=first.name, canonical=unsur_name(u.canonical)))
        elif u.canonical is not None:
            seen.setdefault(u.canonical, u)
    if table.header_rows[0] in wrong["KX605:nine"]:
        missing = [unsur_name(n) for n, _, _ in UNSUR if n not in seen]
        gone = Message(N_(" Tidak ada: {names}."), names=", ".join(missing)) if missing else ""
        header = cell_ref(table.header_rows[0], table.columns["unsur"])
        yield ctx.finding(table, cell=header, row_key="Unsur", expected=9, actual=len(recap.unsur),
                          problem=Message(N_("Tabel memuat {count} unsur, seharusnya sembilan.{missing}"),
                                          count=str(len(recap.unsur)), missing=gone))


@rule("KX606", "skm-sample-size", tables="skm", severity="warning", message=N_(
    "Jumlah responden {actual} kurang dari sampel minimal Krejcie–Morgan {expected} untuk populasi {population}."))
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
    if cell_row(stated.cell) in _wrong(table)["KX606"]:
        yield ctx.finding(table, cell=stated.cell, row_key="Jumlah Responden", expected=need, actual=_whole(stated.value),
                          difference=_whole(stated.value - need), population=_whole(population),
                          related=(_ref(table.sheet, recap.info.population[0].cell),))


@rule("KX607", "skm-profile-sum", tables="skm", message=N_(
    "Profil responden {group}: {items} = {actual}, bukan jumlah responden {expected}."))
def check_profile(table, ctx) -> Iterator:
    """Each respondent-profile breakdown (gender, education, age, …) sums to the respondents.

    *Salah:* 188 respondents, JENIS KELAMIN L 98 P 80.
    *Benar:* L 98 P 90 (= 188); PENDIDIKAN SD 0 SMP 17 SMA 116 DIII 14 S1 40 S2 1 (= 188).
    """
    recap = parse_recap(table)
    if not recap.info.respondents:
        return
    stated = recap.info.respondents[0]
    wrong = _wrong(table)["KX607"]
    for g in recap.info.profile:
        if not g.items or cell_row(g.cell) not in wrong:
            continue
        items = " + ".join(f"{cat} {_whole(count)}" for cat, count, _ in g.items)
        yield ctx.finding(table, cell=g.cell, row_key=g.label.title(), expected=_whole(stated.value), actual=_whole(g.total),
                          difference=_whole(g.total - stated.value), group=g.label.title(), items=items,
                          related=(_ref(table.sheet, stated.cell),))


@rule("KX608", "skm-rtmk", tables="skm", message=N_(
    "Jumlah RTMK {question} = {actual} tidak mungkin untuk {respondents} responden{detail}."))
def check_rtmk(table, ctx) -> Iterator:
    """RTMK (respondents who left the question blank) is a whole number between 0 and the respondents.

    When the table also prints the answers per question, answers + RTMK =
    respondents.

    *Salah:* 188 respondents, RTMK 190 (or 2,5).
    *Benar:* RTMK 0 … 188.
    """
    recap = parse_recap(table)
    n = recap.respondents
    wrong = _wrong(table)["KX608"]
    for q in recap.questions:
        if q.rtmk is None or n is None or q.row not in wrong:
            continue
        detail = ""
        if 0 <= q.rtmk <= n and q.rtmk.denominator == 1:  # a possible count: the printed answers disagree
            # str: these counts have always been written ungrouped, unlike the message's own numbers
            detail = Message(N_(" (dijawab {answered} + RTMK ≠ {respondents})"), answered=str(_whole(q.dijawab)),
                             respondents=str(_whole(n)))
        yield ctx.finding(table, "rtmk", q.row, row_key=q.key(), actual=_whole(q.rtmk), question=f"P{q.number}",
                          respondents=_whole(n), detail=detail)


@rule("KX609", "skm-weighted-nrr", aliases=("skm-nrr-tertimbang",), tables="skm", message=N_(
    "NRR tertimbang unsur {unsur} tercetak {actual}, seharusnya nilai unsur × 1/9 = {expected}.{convention}"))
def check_weighted(table, ctx) -> Iterator:
    """NRR tertimbang (weighted value) of an unsur = its nilai unsur × 1/9.

    Many documents print the weight as 0,111 or 0,11; the message says so
    when that reproduces the printed value.

    *Salah:* nilai unsur 3,41, NRR tertimbang 0,375 (× 0,11).
    *Benar:* 3,41 / 9 = 0,379.
    """
    recap = parse_recap(table)
    cause = recap_weight_cause(recap)
    if cause is not None and recap.ikm_printed is not None and recap.ikm_row in _wrong(table)["KX603"] and \
            _conventions_text(recap.ikm_printed, recap, recap.ikm_dp)[1] == cause:
        return  # one root cause, named once at the IKM (KX603): not nine weighted values more
    wrong = _wrong(table)["KX609"]
    for u, weighted, bases, dp in _weighted_bases(recap):
        if u.weighted_row not in wrong:
            continue
        convention: str | Message = ""
        if cause is not None:
            convention = Message(N_(" Semua NRR tertimbang memakai bobot {weight}, bukan 1/9."), weight=_weight(cause))
        else:
            for name, w in (("0,111", calc.WEIGHTS["0,111"]), ("0,11", calc.WEIGHTS["0,11"])):
                if any(calc.agrees(weighted, b * w, dp) for b in bases):
                    convention = Message(N_(" Nilai tercetak memakai bobot {weight}."), weight=_weight(name))
                    break
        expected = bases[0] / 9
        yield ctx.finding(table, "nrr_tertimbang", u.weighted_row, row_key=u.key(), expected=_dec(expected, dp),
                          actual=_dec(weighted, dp), difference=_dec(weighted - expected, dp),
                          unsur=u.label or u.name, convention=convention)
        if cause is not None:
            return  # the same weight everywhere: said once, at the first unsur


@rule("KX612", "skm-info-missing", tables="skm", severity="info", message=N_(
    "{what} tidak ditemukan di sekitar tabel SKM; {skipped}"))
def check_info_present(table, ctx) -> Iterator:
    """The recap states the number of respondents and the population.

    Without the respondents, the jumlah nilai ranges, nilai unsur and IKM
    cannot be recomputed; without the population, the sample size cannot be
    checked. Write them under the table: 'Jumlah Responden : 188',
    'Perkiraan Jumlah Populasi : 2.800'.
    Salah: di bawah tabel tidak ada 'Perkiraan Jumlah Populasi'. Benar: '- Perkiraan Jumlah Populasi : 2.800'.
    """
    recap = parse_recap(table)
    anchor = info_anchor(recap)
    wrong = _wrong(table)
    if cell_row(anchor) in wrong["KX612:respondents"]:
        yield ctx.finding(table, cell=anchor, row_key="Jumlah Responden", what=_RESPONDENTS,
                          skipped=N_("jumlah nilai, nilai unsur dan IKM tidak dapat dihitung ulang."))
    if cell_row(anchor) in wrong["KX612:population"]:
        yield ctx.finding(table, cell=anchor, row_key="Populasi", what=N_("Perkiraan jumlah populasi"),
                          skipped=N_("ukuran sampel tidak dapat diperiksa."))


@rule("KX613", "skm-stated-twice", tables="skm", message=N_(
    "{what} tertulis {actual} di sini tetapi {expected} di {first}."))
def check_repeated(table, ctx) -> Iterator:
    """A number stated twice (respondents in the recap and on the IKM poster, the IKM itself) agrees.

    *Salah:* 'Jumlah Responden : 188' under the recap, 'RESPONDEN JUMLAH : 180' on the poster.
    *Benar:* 188 in both.
    """
    recap = parse_recap(table)
    stated = recap.info.respondents
    wrong = _wrong(table)
    for other in stated[1:]:
        if cell_row(other.cell) in wrong["KX613:respondents"]:
            yield ctx.finding(table, cell=other.cell, row_key="Jumlah Responden", expected=_whole(stated[0].value),
                              actual=_whole(other.value), first=_ref(table.sheet, stated[0].cell),
                              related=(_ref(table.sheet, stated[0].cell),), what=_RESPONDENTS)
    if recap.ikm_printed is not None and recap.ikm_cell:
        for other in recap.info.ikm:
            if cell_row(other.cell) in wrong["KX613:ikm"]:
                yield ctx.finding(table, cell=other.cell, row_key="IKM", expected=_dec(recap.ikm_printed), actual=_dec(other.value),
                                  first=_ref(table.sheet, recap.ikm_cell), related=(_ref(table.sheet, recap.ikm_cell),),
                                  what=N_("Nilai IKM"))


# --------------------------------------------------------------------------- rules: raw responses


@rule("KX610", "skm-raw-score", tables="skm_responden", message=N_(
    "Jawaban {actual} pada {question} bukan skor 1–4 (kosongkan bila tidak dijawab)."))
def check_raw_scores(table, ctx) -> Iterator:
    """Every answer in the responses sheet is a score 1, 2, 3 or 4, or blank.

    *Salah:* 5, 0 or 3,5 as an answer.
    *Benar:* 1–4; a question the respondent skipped stays blank (it counts as RTMK).
    """
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.skm.schema import responses

    summary = summarize_responses(table)
    keys = tuple(q.key for q in summary.questions.values())
    if not keys:
        return
    wrong = failing_rows(responses(keys, rule_cases=True), table.frame.loc[summary.rows, list(keys)])
    for q in summary.questions.values():
        for row, value in q.bad:
            if row not in wrong[f"KX610:{q.key}"]:
                continue
            who = _text(table, "responden", row) or _text(table, "no", row) or str(row)
            yield ctx.finding(table, q.key, row, row_key=f"Responden {who}", actual=_num_text(value), question=f"P{q.number}")


def _num_text(value: Any) -> Decimal:
    f = calc.to_fraction(float(value))
    return Decimal(f.numerator) if f.denominator == 1 else calc.round_half_up(f, 2)


def weight_cause(printed: list[tuple[Fraction, list[Fraction], int]]) -> str | None:
    """The rounded weight ('0,111' or '0,11') that gives every printed NRR tertimbang when 1/9 does not.

    ``printed``: (printed weighted value, its possible bases: the NRR from the sums and the printed
    NRR, its decimals).
    """
    def fits(w: Fraction, value: Fraction, bases: list[Fraction], places: int) -> bool:
        return any(calc.agrees(value, b * w, places) for b in bases)

    if not printed or all(fits(calc.WEIGHTS["1/9"], *p) for p in printed):
        return None
    return next((name for name in ("0,111", "0,11") if all(fits(calc.WEIGHTS[name], *p) for p in printed)), None)


def _variant_weight(hits) -> str | None:
    """The rounded weight behind the first convention that reproduces a printed IKM, if it is one."""
    names = {"0,111": "0,111", "0,11": "0,11", "printed-0,111": "0,111", "printed-0,11": "0,11"}
    return next((names[v.key] for v in hits if v.key in names), None)


def _weight(name: str) -> Decimal:
    """A rounded weight ('0,111') as a number, written the way each language writes decimals."""
    return Decimal(name.replace(",", "."))


def _weight_text(name: str) -> Message:
    return Message(N_(" NRR tertimbang dan IKM dihitung dengan bobot {weight}, bukan 1/9 (PermenPANRB 14/2017)."),
                   weight=_weight(name))


@rule("KX614", "skm-raw-summary", tables="skm_responden", message=N_(
    "{what} tertulis {actual}, dari jawaban di atasnya {expected}.{convention}"))
def check_raw_summary(table, ctx) -> Iterator:
    """The summary rows under the responses (JUMLAH, NRR, NRR tertimbang, IKM) agree with the answers above them.

    The processing sheet of PermenPANRB 14/2017 (and the exports of survey
    applications such as e-SMILE: Σ Nilai / Unsur, NRR / Unsur, NRR
    Tertimbang / Unsur, IKM) puts, under the respondents, a row of sums per
    question, of means (NRR = sum / answers, blanks left out), of weighted
    means (NRR × 1/9) and the IKM (25 × mean of the NRR per unsur). Sums are
    compared exactly, means and the IKM at 0,005, weighted means at half a
    unit of their last digit. When the weighted means and the IKM come from
    the weight 0,111 or 0,11, one finding at the IKM names that weight. A
    number of respondents written around the export ('Jumlah Responden = 150
    orang') equals the respondents' rows.

    *Salah:* NRR row 3,40 under a column summing 653 over 188 answers.
    *Benar:* 653 / 188 = 3,47.
    """
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.skm.schema import raw_summary, raw_summary_frame, raw_summary_parts, raw_summary_rows

    raw = summarize_responses(table)
    if not raw.respondents:
        return  # no respondent row read: the summary rows have nothing to be checked against
    summary = raw_summary_rows(table, raw)
    keys = tuple(q.key for q in raw.questions.values())
    frame = raw_summary_frame(table, raw, summary)
    failed = failing_rows(raw_summary(keys, rule_cases=True, parts=raw_summary_parts(frame)), frame)
    wrong = {k: set(v) for k, v in failed.items()}
    nothing: set[int] = set()  # a check left out of the schema: its part has no value to judge
    for stated in read_info(table).respondents[:1]:  # 'Jumlah responden: 150' written over or under the export
        if cell_row(stated.cell) in wrong.get("KX614:respondents", nothing):
            yield ctx.finding(table, cell=stated.cell, row_key="Jumlah Responden", expected=raw.respondents,
                              actual=_whole(stated.value), difference=_whole(stated.value - raw.respondents),
                              related=(raw.block(),), message=N_(
                                  "Jumlah responden tertulis {actual}, tetapi tabel memuat {expected} baris jawaban responden."))
    nrr, ikm_row, ikm_key = summary.nrr, summary.ikm_row, summary.ikm_key
    weighted: list[tuple[int, Any, Fraction, list[Fraction]]] = []  # (row, question, printed, bases)
    for c in summary.cells:
        q = c.question
        if c.kind == "weighted":
            weighted.append((c.row, q, c.printed, c.reference))
            continue
        if c.row not in wrong.get(f"KX614:{c.kind}:{q.key}", nothing):
            continue
        mean = c.kind == "mean"
        what = _NRR_OF if mean else _SCORE_SUM_OF
        yield ctx.finding(table, q.key, c.row, row_key=f"{c.label.title()} P{q.number}",
                          expected=_dec(c.reference) if mean else _whole(c.reference),
                          actual=_dec(c.printed) if mean else _whole(c.printed),
                          what=Message(what, question=f"P{q.number}"), convention="")
    cause = weight_cause([(p, bases, _places(p)) for _, _, p, bases in weighted])
    ikm_wrong = False
    if nrr and ikm_key is not None and ikm_row in wrong.get("KX614:ikm", nothing):
        printed = _num(table, ikm_key, ikm_row)
        exact = calc.ikm(list(nrr.values()))
        ikm_wrong = True
        hits = calc.reproducing(printed, calc.ikm_variants(list(nrr.values()),
                                                           weighted_printed=[p for _, _, p, _ in weighted]))
        if cause is None:
            cause = _variant_weight(hits)
        if cause is not None:
            convention = _weight_text(cause)
        else:
            convention = Message(N_(" Nilai tertulis dihasilkan oleh {conventions}."),
                                 conventions=_joined(hits)) if hits else ""
        stated = read_info(table).weight
        where = {"cell": stated[0].cell, "related": (_ref(table.sheet, table.cell(ikm_key, ikm_row)),)} if (
            cause is not None and stated) else {"key": ikm_key, "row": ikm_row}
        yield ctx.finding(table, **where, row_key="IKM", expected=_dec(exact), actual=_dec(printed),
                          difference=_dec(printed - exact),
                          what=N_("IKM (25 × rata-rata NRR per unsur, bobot 1/9)"), convention=convention)
    if cause is not None and ikm_wrong:
        return  # the weight is named once, at the IKM: its nine weighted values are not repeated
    once = cause is not None
    for row, q, printed, bases in weighted:
        if row not in wrong.get(f"KX614:weighted:{q.key}", nothing):
            continue
        places = _places(printed)
        expected = bases[0] / 9
        convention: str | Message = ""
        if once:
            convention = Message(N_(" Semua NRR tertimbang memakai bobot {weight}, bukan 1/9; IKM tercetak tetap benar."),
                                 weight=_weight(cause))
        yield ctx.finding(table, q.key, row, row_key=f"NRR tertimbang P{q.number}", expected=_dec(expected, places),
                          actual=_dec(printed, places), difference=_dec(printed - expected, places),
                          what=Message(N_("NRR tertimbang {question} (NRR × 1/9)"), question=f"P{q.number}"),
                          convention=convention)
        if once:
            return


@rule("KX611", "skm-raw-vs-recap", tables=("skm", "skm_responden"), scope="workbook", message=N_(
    "{what} di rekap {actual}, dari data responden {expected}."))
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
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.skm.schema import raw_unsur_nrr, raw_vs_recap, raw_vs_recap_frame

    table = recap.table
    n = raw.respondents
    wrong = {k: set(v) for k, v in failing_rows(raw_vs_recap(rule_cases=True), raw_vs_recap_frame(recap, raw)).items()}
    if recap.info.respondents:
        stated = recap.info.respondents[0]
        if cell_row(stated.cell) in wrong["KX611:respondents"]:
            yield ctx.finding(table, cell=stated.cell, row_key="Jumlah Responden", expected=n, actual=_whole(stated.value),
                              difference=_whole(stated.value - n), related=(raw.block(),),
                              what=_RESPONDENTS)
    matched: set[int] = set()
    for q in recap.questions:
        rq = raw.questions.get(q.number)
        if rq is None:
            yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), actual=_whole(q.total) if q.total is not None else None,
                              expected=None, what=Message(N_("Pertanyaan {question} tidak ada di data responden; jumlah nilai"),
                                                          question=f"P{q.number}"))
            continue
        matched.add(q.number)
        related = (raw.column_range(rq),)
        if q.total is not None and q.row in wrong["KX611:total"]:
            yield ctx.finding(table, "jumlah_nilai", q.row, row_key=q.key(), expected=_whole(rq.total), actual=_whole(q.total),
                              difference=_whole(q.total - rq.total), related=related,
                              what=Message(_SCORE_SUM_OF, question=f"P{q.number}"))
        if q.rtmk is not None and table.has("rtmk") and q.row in wrong["KX611:rtmk"]:
            yield ctx.finding(table, "rtmk", q.row, row_key=q.key(), expected=rq.blanks, actual=_whole(q.rtmk),
                              difference=_whole(q.rtmk - rq.blanks), related=related,
                              what=Message(N_("Jumlah RTMK {question}"), question=f"P{q.number}"))
    for number, rq in sorted(raw.questions.items()):
        if number not in matched:
            col = raw.table.columns[rq.key]
            yield ctx.finding(raw.table, cell=cell_ref(raw.table.header_rows[1], col), row_key=f"P{number}", expected=None,
                              actual=_whole(rq.total),
                              what=Message(N_("Pertanyaan {question} ada di data responden tetapi tidak di rekap; jumlah nilai"),
                                           question=f"P{number}"))
    raw_nrr: list[Fraction] = []
    for u in recap.unsur:
        value, qs = raw_unsur_nrr(u, raw)
        if value is None:
            continue  # a question missing from the responses (reported above): no IKM from them either
        raw_nrr.append(value)
        if u.printed is not None and u.cell_row in wrong["KX611:nrr"]:
            yield ctx.finding(table, "nilai_unsur", u.cell_row, row_key=u.key(), expected=_dec(value, u.printed_dp),
                              actual=_dec(u.printed, u.printed_dp), difference=_dec(u.printed - value, u.printed_dp),
                              related=tuple(raw.column_range(rq) for rq in qs),
                              what=Message(N_("Nilai unsur {unsur}"), unsur=u.label or u.name))
    if raw_nrr and len(raw_nrr) == len(recap.unsur) and recap.ikm_printed is not None:
        value = calc.ikm(raw_nrr)
        if recap.ikm_row in wrong["KX611:ikm"]:
            yield ctx.finding(table, recap.ikm_key, recap.ikm_row, row_key="IKM", expected=_dec(value, recap.ikm_dp),
                              actual=_dec(recap.ikm_printed, recap.ikm_dp), difference=_dec(recap.ikm_printed - value, recap.ikm_dp),
                              what=NP_("pokok kalimat", "IKM"))


# --------------------------------------------------------------------------- rule: IKU table vs survey


_IKM_INDICATOR = re.compile(r"\bIKM\b|INDEKS KEPUASAN MASYARAKAT|\bSKM\b|SURVEI KEPUASAN")


def _is_ikm_indicator(text: Any) -> bool:
    return bool(_IKM_INDICATOR.search(fold(text)))


def ikm_indicator_rows(table) -> list[tuple[int, Fraction, int]]:
    """(Excel row, realisasi, its decimals) of the IKM indicators of an IKU table with a realisasi."""
    rows = []
    for row, indikator in table.column_values("indikator").items():
        if not _is_ikm_indicator(indikator):
            continue
        realisasi = _num(table, "realisasi", row)
        if realisasi is not None:
            rows.append((row, realisasi, _dp(table, "realisasi", row)))
    return rows


@rule("KX890", "ikm-iku-vs-survey", aliases=("ikm-iku-vs-survei",), tables=("iku", "skm"), scope="workbook", message=N_(
    "Realisasi IKM di tabel capaian IKU {actual}, tetapi IKM rekap survei {expected} ({survey})."))
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
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.skm.schema import iku_vs_survey, iku_vs_survey_frame

    value, where = survey
    for t in ctx.tables.get("iku", []):
        if not (t.has("indikator") and t.has("realisasi")):
            continue
        rows = ikm_indicator_rows(t)
        if not rows:
            continue
        wrong = set(failing_rows(iku_vs_survey(rule_cases=True), iku_vs_survey_frame(rows, value))["KX890"])
        for row, realisasi, dp in rows:
            if row in wrong:
                yield ctx.finding(t, "realisasi", row, expected=_dec(value, dp), actual=_dec(realisasi, dp),
                                  difference=_dec(realisasi - value, dp), related=(where,), survey=where)


