"""Survey recap (SKM/IKM) and raw responses: every KX6xx rule passing and failing, the IKU cross-check,
compute(), the templates, and the seed acceptance on a freshly built example.

Workbooks are built with the survey template builders (``kinerja_xl.templates.survey``) and read back
through the whole engine (``validate_file``), so the layout the rules see is the one users get. The
expected numbers are worked out here independently (Fraction and Decimal), not taken from the module.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kinerja_xl.config import Config
from kinerja_xl.runner import validate_file
from kinerja_xl.templates import build_example, build_template, survey
from test_schemas import failure_rows

N = 200          # respondents
POPULATION = 300  # Krejcie–Morgan: 169, so 200 is enough
FIRST = 6        # first data row: title (1), gap (2), header (3–4), column numbers (5)
RAW_FIRST = 5    # responses sheet: title (1), gap (2), header (3–4)

# (unsur name, its questions' jumlah nilai)
UNSUR = [
    ("Persyaratan", [700, 690]),
    ("Sistem, Mekanisme dan Prosedur", [650]),
    ("Waktu Penyelesaian", [660, 641]),
    ("Biaya/Tarif", [720, 710]),
    ("Produk Spesifikasi Jenis Pelayanan", [631]),
    ("Kompetensi Pelaksana", [683]),
    ("Perilaku Pelaksana", [677]),
    ("Sarana dan Prasarana", [655, 645]),
    ("Penanganan Pengaduan, Saran dan Masukan", [601, 610]),
]


def half_up(x: Fraction, places: int = 2) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pooled(totals, rtmks, n=N) -> Fraction:
    return Fraction(sum(totals), sum(n - r for r in rtmks))


def make_rows(unsur=UNSUR, rtmk=None, n=N, printed=None):
    """Recap rows (no, unsur, question no, text, jumlah nilai, RTMK, nilai unsur) and the exact NRR per unsur.

    ``rtmk``: {question number: blanks}; ``printed``: {unsur index: printed nilai unsur} overrides.
    """
    rtmk = rtmk or {}
    printed = printed or {}
    rows, exact, q = [], [], 0
    for i, (name, totals) in enumerate(unsur):
        numbers = list(range(q + 1, q + 1 + len(totals)))
        q += len(totals)
        blanks = [rtmk.get(k, 0) for k in numbers]
        value = pooled(totals, blanks, n)
        exact.append(value)
        shown = printed.get(i, float(half_up(value)))
        for j, (number, total, blank) in enumerate(zip(numbers, totals, blanks)):
            rows.append((str(i + 1) if j == 0 else None, name if j == 0 else None, number, f"Pertanyaan {number}",
                         total, blank, shown if j == 0 else None))
    return rows, exact


def regulation_ikm(exact) -> Decimal:
    return half_up(25 * sum(exact, Fraction(0)) / len(exact))


def build(path: Path, rows, ikm, *, mutu=None, mutu_row=False, population=POPULATION, respondents=N,
          gender=None, education=None, poster_respondents=None, raw=None, iku=None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    ws, row = survey.recap_sheet(wb, "SKM", ["REKAPITULASI SKM"], rows, ikm, mutu_row, mutu)
    if population is not None:
        row = survey.label_value(ws, row, "- Perkiraan Jumlah Populasi", population)
    if respondents is not None:
        row = survey.label_value(ws, row, "- Jumlah Responden", respondents)
    row += 1
    if gender is not None:
        row = survey.profile_block(ws, row, "JENIS KELAMIN", gender, one_line=True)
    if education is not None:
        row = survey.profile_block(ws, row, "PENDIDIKAN", education, one_line=False)
    if poster_respondents is not None:
        row += 1
        ws.cell(row, 1, "RESPONDEN")
        row = survey.label_value(ws, row + 1, "JUMLAH", poster_respondents)
    if raw is not None:
        questions, answers = raw
        survey.responses_sheet(wb, "Responden", ["DATA RESPONDEN"], questions,
                               rows=[[i + 1, f"R{i + 1}", *a] for i, a in enumerate(answers)], total_row=True)
    if iku is not None:
        _iku_sheet(wb, iku)
    wb.save(path)
    return path


def _iku_sheet(wb, realisasi) -> None:
    ws = wb.create_sheet("IKU")
    ws.append(["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target Tahun 2021", "Kinerja TW III", None,
               "Keterangan"])
    ws.append([None, None, None, None, "Capaian", "%", None])
    ws.merge_cells("E1:F1")
    for col in "ABCDG":
        ws.merge_cells(f"{col}1:{col}2")
    ws.append(["1.", "Meningkatnya kualitas pelayanan", "Nilai IKM Kecamatan", 86.4, realisasi,
               round(realisasi / 86.4 * 100, 2), None])
    ws.append([None, None, "Presentase hasil fasilitasi", 90, 100, 111.11, None])


def check(path: Path, select=("KX6", "KX890")):
    return validate_file(path, Config(select=select)).findings


def where(findings) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in findings}


def ikm_row(rows) -> int:
    return FIRST + len(rows)


def unsur_row(rows, index: int) -> int:
    starts = [FIRST + i for i, r in enumerate(rows) if r[1] is not None]
    return starts[index]


# --------------------------------------------------------------------------- a clean survey


def test_clean_survey_has_no_findings(tmp_path):
    rows, exact = make_rows()
    value = regulation_ikm(exact)
    letter = "A" if value >= Decimal("88.31") else "B" if value >= Decimal("76.61") else "C"
    path = build(tmp_path / "ok.xlsx", rows, float(value), mutu=letter, mutu_row=True,
                 gender=[("L", 120), ("P", 80)], education=[("SD", 10), ("SMP", 40), ("SMA", 100), ("S1", 50)],
                 poster_respondents=N)
    assert check(path) == []


def test_unsur_in_a_different_order_with_other_wording(tmp_path):
    renamed = {"Sarana dan Prasarana": "Sarana & Prasarana", "Produk Spesifikasi Jenis Pelayanan": "Produk Spesifikasi Jenis",
               "Biaya/Tarif": "Biaya / Tarif"}
    unsur = [(renamed.get(name, name), totals) for name, totals in reversed(UNSUR)]
    rows, exact = make_rows(unsur)
    path = build(tmp_path / "order.xlsx", rows, float(regulation_ikm(exact)))
    assert check(path) == []


# --------------------------------------------------------------------------- KX601 jumlah nilai range


@pytest.mark.parametrize("total, bound", [(4 * N + 1, 4 * N), (N - 1, N)])
def test_jumlah_nilai_outside_one_to_four_times_the_answers(tmp_path, total, bound):
    unsur = [("Persyaratan", [total, 690])] + UNSUR[1:]
    rows, exact = make_rows(unsur)
    path = build(tmp_path / "range.xlsx", rows, float(regulation_ikm(exact)))
    findings = check(path)
    assert where(findings) == {("KX601", f"E{FIRST}")}
    f = findings[0]
    assert f.actual == total and f.expected == bound
    assert f"{N}–{4 * N}" in f.message()


def test_rtmk_lowers_the_answers_for_the_range(tmp_path):
    # 780 fits 4 × 200 but not 4 × (200 − 10): RTMK are respondents who left the question blank
    unsur = [("Persyaratan", [780, 690])] + UNSUR[1:]
    rows, exact = make_rows(unsur, rtmk={1: 10})
    path = build(tmp_path / "rtmk.xlsx", rows, float(regulation_ikm(exact)))
    findings = check(path)
    assert where(findings) == {("KX601", f"E{FIRST}")}
    assert findings[0].expected == 4 * (N - 10)
    rows_ok, exact_ok = make_rows(unsur)
    assert check(build(tmp_path / "rtmk0.xlsx", rows_ok, float(regulation_ikm(exact_ok)))) == []


# --------------------------------------------------------------------------- KX602 nilai unsur


def test_wrong_nilai_unsur_is_reported_at_its_cell(tmp_path):
    _, exact = make_rows()
    wrong = float(half_up(exact[8]) + Decimal("0.01"))
    rows_bad, _ = make_rows(printed={8: wrong})
    path = build(tmp_path / "nrr.xlsx", rows_bad, float(regulation_ikm(exact)))
    findings = check(path)
    assert where(findings) == {("KX602", f"G{unsur_row(rows_bad, 8)}")}
    assert findings[0].expected == half_up(exact[8])


def test_nilai_unsur_pools_questions_and_names_the_mean_of_means(tmp_path):
    # question 1: 100 answers, all 4; question 2: 200 answers, all 2 -> pooled 800/300 = 2,67, mean of means 3,00
    unsur = [("Persyaratan", [400, 400])] + UNSUR[1:]
    rows, exact = make_rows(unsur, rtmk={1: 100})
    assert half_up(exact[0]) == Decimal("2.67")
    path = build(tmp_path / "pooled.xlsx", rows, float(regulation_ikm(exact)))
    assert check(path) == []
    rows_mean, _ = make_rows(unsur, rtmk={1: 100}, printed={0: 3.0})
    findings = check(build(tmp_path / "mean.xlsx", rows_mean, float(regulation_ikm(exact))), select=("KX602",))
    assert where(findings) == {("KX602", f"G{FIRST}")}
    assert "rata-rata dari rata-rata" in findings[0].message()
    assert "mean of the questions' means" in findings[0].message("en")


# --------------------------------------------------------------------------- KX603 IKM and its conventions


def _ikm_with(exact, weight) -> Decimal:
    return half_up(25 * sum(exact, Fraction(0)) * weight)


@pytest.mark.parametrize("weight, says_id, says_en", [
    (Fraction(111, 1000), "bobot 0,111", "weight 0.111"),
    (Fraction(11, 100), "bobot 0,11", "weight 0.11"),
])
def test_ikm_with_a_rounded_weight_names_it(tmp_path, weight, says_id, says_en):
    rows, exact = make_rows()
    printed = _ikm_with(exact, weight)
    path = build(tmp_path / "w.xlsx", rows, float(printed))
    findings = check(path)
    assert where(findings) == {("KX603", f"E{ikm_row(rows)}")}
    f = findings[0]
    assert f.expected == regulation_ikm(exact) and f.actual == printed
    assert says_id in f.message() and "1/9" in f.message()
    assert says_en in f.message("en")


def test_ikm_from_the_mean_of_the_questions_is_named(tmp_path):
    unsur = [("Persyaratan", [400, 400])] + UNSUR[1:]
    rows, exact = make_rows(unsur, rtmk={1: 100})
    means = [Fraction(400, 100), Fraction(400, 200)] + [Fraction(t, N) for _, totals in UNSUR[1:] for t in totals]
    printed = half_up(25 * sum(means, Fraction(0)) / len(means))
    assert printed != regulation_ikm(exact)
    findings = check(build(tmp_path / "q.xlsx", rows, float(printed)))
    assert where(findings) == {("KX603", f"E{ikm_row(rows)}")}
    assert "rata-rata per pertanyaan" in findings[0].message()
    # the conventions that reproduce it are listed in the finding's language
    assert "The printed value is what mean of the questions (not of the unsur)" in findings[0].message("en")


def test_ikm_from_wrong_printed_unsur_values_is_named(tmp_path):
    _, exact = make_rows()
    shown = [half_up(v) for v in exact]
    shown[0] += Decimal("0.05")
    rows_bad, _ = make_rows(printed={0: float(shown[0])})
    printed = half_up(Fraction(25) * sum((Fraction(v) for v in shown), Fraction(0)) / 9)
    findings = check(build(tmp_path / "p.xlsx", rows_bad, float(printed)))
    assert where(findings) == {("KX602", f"G{FIRST}"), ("KX603", f"E{ikm_row(rows_bad)}")}
    f = next(f for f in findings if f.code == "KX603")
    assert "nilai unsur tercetak" in f.message().split(". ")[-1]
    assert f.params["printed_unsur"] == printed


def test_ikm_from_right_rounded_unsur_values_passes(tmp_path):
    rows, exact = make_rows()
    rounded = half_up(Fraction(25) * sum((Fraction(half_up(v)) for v in exact), Fraction(0)) / 9)
    assert rounded != regulation_ikm(exact)  # the data make the two differ
    assert check(build(tmp_path / "r.xlsx", rows, float(rounded))) == []


# --------------------------------------------------------------------------- KX604 mutu


@pytest.mark.parametrize("ikm, mutu, wrong", [
    (64.99, "D", False), (65.00, "D", True), (65.00, "C (Kurang Baik)", False),
    (76.60, "C", False), (76.61, "C", True), (76.61, "Baik", False),
    (88.30, "B", False), (88.30, "A", True), (88.31, "A", False), (88.31, "B", True),
])
def test_mutu_bounds_in_the_table(tmp_path, ikm, mutu, wrong):
    rows, _ = make_rows()
    path = build(tmp_path / "m.xlsx", rows, ikm, mutu=mutu, mutu_row=True)
    findings = check(path, select=("KX604",))
    assert where(findings) == ({("KX604", f"E{ikm_row(rows) + 1}")} if wrong else set())


# --------------------------------------------------------------------------- KX605 the nine unsur


def test_eight_unsur_are_flagged_with_the_missing_one(tmp_path):
    unsur = [u for u in UNSUR if u[0] != "Biaya/Tarif"]
    rows, exact = make_rows(unsur)
    findings = check(build(tmp_path / "8.xlsx", rows, float(regulation_ikm(exact))))
    assert where(findings) == {("KX605", "B3")}
    assert "8 unsur" in findings[0].message() and "Biaya/Tarif" in findings[0].message()


def test_a_repeated_and_an_unknown_unsur(tmp_path):
    unsur = UNSUR + [("Sarana Prasarana", [650])]
    unsur[5] = ("Kebersihan Toilet", [683])
    rows, exact = make_rows(unsur)
    findings = check(build(tmp_path / "10.xlsx", rows, float(regulation_ikm(exact))))
    got = {(f.code, f.cell, f.severity.value) for f in findings}
    assert got == {
        ("KX605", f"B{unsur_row(rows, 5)}", "warning"),   # not one of the nine
        ("KX605", f"B{unsur_row(rows, 9)}", "error"),     # Sarana twice
        ("KX605", "B3", "error"),                         # ten rows, Kompetensi Pelaksana missing
    }
    assert "Kompetensi Pelaksana" in next(f for f in findings if f.cell == "B3").message()


# --------------------------------------------------------------------------- KX606 sample size


@pytest.mark.parametrize("respondents, warned", [(188, True), (337, True), (338, False)])
def test_sample_size_krejcie_morgan(tmp_path, respondents, warned):
    unsur = [(name, [t * respondents // N for t in totals]) for name, totals in UNSUR]
    rows, exact = make_rows(unsur, n=respondents)
    path = build(tmp_path / "s.xlsx", rows, float(regulation_ikm(exact)), population=2800, respondents=respondents)
    findings = check(path)
    if not warned:
        assert findings == []
        return
    assert [(f.code, f.severity.value) for f in findings] == [("KX606", "warning")]
    f = findings[0]
    assert f.expected == 338 and "338" in f.message() and "2.800" in f.message()
    ws = load_workbook(path)["SKM"]
    assert ws[f.cell].value == respondents


# --------------------------------------------------------------------------- KX607 profile, KX613 stated twice


def test_profile_counts_sum_to_the_respondents(tmp_path):
    rows, exact = make_rows()
    path = build(tmp_path / "pr.xlsx", rows, float(regulation_ikm(exact)), gender=[("L", 120), ("P", 70)],
                 education=[("SD", 0), ("SMP", 17), ("SMA", 116), ("DIII", 14), ("S1", 52), ("S2", 1)])
    findings = check(path)
    assert [(f.code, f.params["group"]) for f in findings] == [("KX607", "Jenis Kelamin")]
    assert findings[0].actual == 190 and findings[0].expected == N
    assert "L 120 + P 70" in findings[0].message()


def test_respondents_stated_twice_must_agree(tmp_path):
    rows, exact = make_rows()
    findings = check(build(tmp_path / "two.xlsx", rows, float(regulation_ikm(exact)), poster_respondents=180))
    assert [f.code for f in findings] == ["KX613"]
    assert findings[0].actual == 180 and findings[0].expected == N


# --------------------------------------------------------------------------- KX608 RTMK, KX612 missing facts


def test_rtmk_above_the_respondents(tmp_path):
    rows, exact = make_rows()
    rows[1] = rows[1][:5] + (N + 5,) + rows[1][6:]
    findings = check(build(tmp_path / "rt.xlsx", rows, float(regulation_ikm(exact))), select=("KX608",))
    assert where(findings) == {("KX608", f"F{FIRST + 1}")}
    assert findings[0].message("id") == f"Jumlah RTMK P2 = {N + 5} tidak mungkin untuk {N} responden."
    assert findings[0].message("en") == f"RTMK of P2 = {N + 5} is impossible for {N} respondents."


def test_missing_respondents_and_population_are_reported_as_info(tmp_path):
    rows, exact = make_rows()
    findings = check(build(tmp_path / "mi.xlsx", rows, float(regulation_ikm(exact)), population=None, respondents=None))
    assert [(f.code, f.severity.value) for f in findings] == [("KX612", "info"), ("KX612", "info")]
    # without the respondents an IKM is still checked against the printed unsur values, within their rounding
    findings = check(build(tmp_path / "mi2.xlsx", rows, float(regulation_ikm(exact)) + 0.2, respondents=None))
    assert [f.code for f in findings if f.severity.value == "error"] == ["KX603"]


# --------------------------------------------------------------------------- KX609 NRR tertimbang


def test_weighted_values_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "SKM"
    ws.append(["No", "Unsur Pelayanan", "Jumlah Nilai", "Jumlah RTMK", "NRR per Unsur", "NRR Tertimbang"])
    weights = [Fraction(1, 9)] * 9
    weights[2] = Fraction(111, 1000)  # unsur 3 printed with the 0,111 weight
    weights[4] = Fraction(11, 100)    # unsur 5 with 0,11
    singles = [(name, totals[0]) for name, totals in UNSUR]
    for i, (name, total) in enumerate(singles):
        value = Fraction(total, N)
        ws.append([str(i + 1), name, total, 0, float(half_up(value)), float(half_up(value * weights[i], 3))])
    ws.append(["IKM", None, float(half_up(25 * sum(Fraction(t, N) for _, t in singles) / 9))])
    ws.append([])
    ws.append(["Jumlah Responden", ":", N])
    ws.append(["Perkiraan Jumlah Populasi", ":", POPULATION])
    wb.save(tmp_path / "w.xlsx")
    findings = check(tmp_path / "w.xlsx")
    assert where(findings) == {("KX609", "F4"), ("KX609", "F6")}
    by_cell = {f.cell: f.message() for f in findings}
    assert "0,111" in by_cell["F4"] and "0,11." in by_cell["F6"]


# --------------------------------------------------------------------------- raw responses


def raw_answers(unsur=UNSUR, n=N, blanks=0.0, seed=7):
    """Random answers 1–4 (some blank) per question, and the recap computed from them here."""
    rnd = random.Random(seed)
    questions = [(name, None) for name, totals in unsur for _ in totals]
    questions = [(name, i + 1) for i, (name, _) in enumerate(questions)]
    answers = [[None if rnd.random() < blanks else rnd.choice((2, 3, 3, 4, 4)) for _ in questions] for _ in range(n)]
    sums = [sum(a[j] for a in answers if a[j] is not None) for j in range(len(questions))]
    empty = [sum(1 for a in answers if a[j] is None) for j in range(len(questions))]
    recomputed, k = [], 0
    for name, totals in unsur:
        recomputed.append((name, sums[k:k + len(totals)]))
        k += len(totals)
    rtmk = {j + 1: empty[j] for j in range(len(questions))}
    return questions, answers, recomputed, rtmk


def test_raw_sheet_with_blanks_matches_its_recap(tmp_path):
    questions, answers, unsur, rtmk = raw_answers(blanks=0.08)
    assert any(rtmk.values())
    rows, exact = make_rows(unsur, rtmk=rtmk)
    path = build(tmp_path / "raw.xlsx", rows, float(regulation_ikm(exact)), raw=(questions, answers))
    report = validate_file(path, Config(select=("KX6", "KX890")))
    assert report.findings == []
    from kinerja_validators.skm import compute, summarize_responses

    raw_table = report.tables_of("skm_responden")[0]
    summary = summarize_responses(raw_table)
    assert summary.respondents == N  # the JUMLAH row under the data is not a respondent
    for j, q in enumerate(questions):
        got = summary.questions[q[1]]
        assert got.blanks == rtmk[j + 1]
        assert got.total == sum(a[j] for a in answers if a[j] is not None)
        assert got.answered == N - rtmk[j + 1]
    computed = {c.kind: c for c in compute(raw_table, Config())}
    assert computed["ikm"].value == regulation_ikm(exact)
    assert computed["ikm"].cell is None


def test_raw_sheet_disagreeing_with_the_recap(tmp_path):
    questions, answers, unsur, rtmk = raw_answers(blanks=0.05, seed=3)
    rows, exact = make_rows(unsur, rtmk=rtmk)
    # the recap says one more point on question 3 and one blank less on question 5
    rows[2] = rows[2][:4] + (rows[2][4] + 1,) + rows[2][5:]
    rows[4] = rows[4][:5] + (rows[4][5] - 1,) + rows[4][6:]
    answers[10][0] = 5  # and a score that is no score
    path = build(tmp_path / "rawbad.xlsx", rows, float(regulation_ikm(exact)), raw=(questions, answers))
    findings = [f for f in check(path) if f.code in ("KX610", "KX611")]
    assert where(findings) >= {("KX611", f"E{FIRST + 2}"), ("KX611", f"F{FIRST + 4}"), ("KX610", f"C{RAW_FIRST + 10}")}
    q3 = next(f for f in findings if f.cell == f"E{FIRST + 2}" and f.code == "KX611")
    assert q3.related == (f"'Responden'!E{RAW_FIRST}:E{RAW_FIRST + N - 1}",)
    assert q3.actual - q3.expected == 1
    # what the finding is about ({what}) is a message of its own, in the finding's language
    assert q3.message("id").startswith("Jumlah nilai P3 di rekap ")
    assert q3.message("en").startswith("The score sum of P3 in the recap is ")
    kx610 = next(f for f in findings if f.code == "KX610")
    assert kx610.sheet == "Responden" and kx610.actual == 5
    # the score 5 is not counted: question 1's recap now disagrees (one answer fewer, one blank more)
    assert ("KX611", f"E{FIRST}") in where(findings)


def test_raw_with_unsur_prefixed_columns(tmp_path):
    # one question per unsur as U1..U9, no unsur names: U-n is unsur n
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["No", "Responden"] + [f"U{i}" for i in range(1, 10)])
    rnd = random.Random(1)
    answers = [[rnd.choice((1, 2, 3, 4, None)) for _ in range(9)] for _ in range(40)]
    for i, a in enumerate(answers):
        ws.append([i + 1, f"R{i}"] + a)
    wb.save(tmp_path / "u.xlsx")
    report = validate_file(tmp_path / "u.xlsx")
    from kinerja_validators.skm import compute

    computed = {c.kind: c for c in compute(report.tables_of("skm_responden")[0], Config())}
    means = [Fraction(sum(a[j] for a in answers if a[j]), sum(1 for a in answers if a[j])) for j in range(9)]
    assert computed["ikm"].value == half_up(25 * sum(means, Fraction(0)) / 9)


# --------------------------------------------------------------------------- KX890 IKU vs survey


def test_ikm_in_the_iku_table_equals_the_survey(tmp_path):
    rows, exact = make_rows()
    value = float(regulation_ikm(exact))
    assert check(build(tmp_path / "iku.xlsx", rows, value, iku=value)) == []
    findings = check(build(tmp_path / "iku2.xlsx", rows, value, iku=value - 0.11))
    assert where(findings) == {("KX890", "E3")}
    f = findings[0]
    assert f.sheet == "IKU" and f.related == (f"'SKM'!E{ikm_row(rows)}",)


# --------------------------------------------------------------------------- compute


def test_compute_fills_the_recap_cells(tmp_path):
    rows, exact = make_rows()
    path = build(tmp_path / "c.xlsx", rows, None, mutu_row=True)
    report = validate_file(path)
    from kinerja_validators.skm import compute

    items = compute(report.tables_of("skm")[0], Config())
    nilai = [c for c in items if c.kind == "nilai_unsur"]
    assert [c.cell for c in nilai] == [f"G{unsur_row(rows, i)}" for i in range(9)]
    assert [c.value for c in nilai] == [half_up(v) for v in exact]
    ikm = next(c for c in items if c.kind == "ikm")
    assert ikm.cell == f"E{ikm_row(rows)}" and ikm.value == regulation_ikm(exact) and ikm.existing is None
    mutu = next(c for c in items if c.kind == "mutu")
    assert mutu.cell == f"E{ikm_row(rows) + 1}"
    assert mutu.value.startswith("A" if regulation_ikm(exact) >= Decimal("88.31") else "B")


# --------------------------------------------------------------------------- templates


def test_recap_template_reads_back_and_only_asks_for_the_facts(tmp_path):
    path = build_template("survei-skm", tmp_path / "t.xlsx")
    report = validate_file(path)
    assert [t.kind for t in report.tables] == ["skm"]
    assert {f.code for f in report.findings} == {"KX612"}
    assert all(f.severity.value == "info" for f in report.findings)


def test_responses_template_is_found(tmp_path):
    path = build_template("survei-responden", tmp_path / "r.xlsx")
    report = validate_file(path)
    table = report.tables_of("skm_responden")[0]
    assert sorted(k for k in table.columns if k.startswith("q_")) == sorted(f"q_{i}" for i in range(1, 10))
    assert [f for f in report.findings if f.severity.value != "info"] == []
    (dv,) = load_workbook(path).active.data_validations.dataValidation
    assert (dv.type, dv.formula1, dv.formula2, dv.allow_blank) == ("whole", "1", "4", True)
    assert str(dv.sqref).startswith(f"C{table.first_row}:K")


def test_synthetic_responses_refuse_impossible_sums():
    with pytest.raises(ValueError):
        survey.synthetic_responses([1018], 188)


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    path = build_example(tmp_path_factory.mktemp("seed") / "contoh.xlsx")
    return path, validate_file(path)


def _cell_with(ws, value, col: str | None = None) -> str:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value and (col is None or cell.column_letter == col):
                return cell.coordinate
    raise AssertionError(f"{value!r} not on the sheet")


def test_seed_survey_findings(seed):
    path, report = seed
    ws = load_workbook(path)["SKM"]
    q1 = _cell_with(ws, 1018)
    unsur1 = _cell_with(ws, 3.41, "G")
    unsur9 = _cell_with(ws, 3.37, "G")
    ikm = _cell_with(ws, 87.28, "E")
    respondents = ws.cell(ws[_cell_with(ws, "- Jumlah Responden")].row, 4).coordinate
    survey_findings = [f for f in report.findings if f.code.startswith("KX6") or f.code == "KX890"]
    recap = {(f.code, f.cell) for f in survey_findings}
    assert recap == {("KX601", q1), ("KX602", unsur1), ("KX602", unsur9), ("KX603", ikm), ("KX606", respondents)}
    by = {f.code + f.cell: f for f in survey_findings}
    assert by["KX601" + q1].actual == 1018 and by["KX601" + q1].expected == 752
    assert by["KX602" + unsur9].expected == Decimal("3.36")
    kx603 = by["KX603" + ikm]
    assert kx603.actual == Decimal("87.28") and kx603.params["printed_unsur"] == Decimal("87.17")
    assert "87,17" in kx603.message() and "87,17" in kx603.message("en").replace(".", ",")
    kx606 = by["KX606" + respondents]
    assert kx606.severity.value == "warning" and "338" in kx606.message() and "2.800" in kx606.message()


def test_seed_right_unsur_and_profile_have_no_findings(seed):
    path, report = seed
    ws = load_workbook(path)["SKM"]
    wrong = {_cell_with(ws, 3.41, "G"), _cell_with(ws, 3.37, "G")}
    right = {c.coordinate for c in ws["G"] if isinstance(c.value, float)} - wrong  # unsur 2 prints 3,41 too, rightly
    flagged = {f.cell for f in report.findings if f.sheet == "SKM"}
    assert len(right) == 7 and not (right & flagged)
    assert not any(f.code in ("KX607", "KX613", "KX605", "KX604") for f in report.findings)


def test_seed_facts_around_the_recap_are_read(seed):
    _, report = seed
    from kinerja_validators.skm import parse_recap

    info = parse_recap(report.tables_of("skm")[0]).info
    assert [s.value for s in info.population] == [2800]
    assert [s.value for s in info.respondents] == [188, 188]  # under the recap and on the IKM poster
    assert [s.value for s in info.ikm] == [Fraction("87.28")]
    profile = {g.label: [(cat, int(n)) for cat, n, _ in g.items] for g in info.profile}
    assert profile == {"JENIS KELAMIN": [("L", 98), ("P", 90)],
                       "PENDIDIKAN": [("SD", 0), ("SMP", 17), ("SMA", 116), ("DIII", 14), ("S1", 40), ("S2", 1)]}


def test_seed_iku_ikm_equals_the_survey(seed):
    _, report = seed
    assert report.tables_of("iku") and report.tables_of("skm")
    assert not any(f.code == "KX890" for f in report.findings)


def test_seed_compute(seed):
    path, report = seed
    from kinerja_validators.skm import compute

    items = compute(report.tables_of("skm")[0], Config())
    nilai = {c.cell: c.value for c in items if c.kind == "nilai_unsur"}
    ws = load_workbook(path)["SKM"]
    # unsur 1 gets no value: question 1's 1018 cannot come from 188 answers, so neither can an IKM
    assert len(nilai) == 8 and _cell_with(ws, 3.41, "G") not in nilai
    assert nilai[_cell_with(ws, 3.37, "G")] == Decimal("3.36")
    assert not [c for c in items if c.kind in ("ikm", "mutu")]


def test_compute_with_the_seed_question_1_corrected(tmp_path):
    rows = [list(r) for r in survey.SEED_RECAP]
    rows[0][4] = survey.RAW_Q1_TOTAL
    path = build(tmp_path / "fixed.xlsx", rows, survey.SEED_IKM, mutu_row=True, population=2800, respondents=188)
    from kinerja_validators.skm import compute

    items = {c.kind: c for c in compute(validate_file(path).tables_of("skm")[0], Config())}
    assert items["ikm"].cell == f"E{ikm_row(rows)}" and items["ikm"].existing == Decimal("87.28")
    groups, sums = [], []
    for r in rows:
        if r[1] is not None:
            groups.append([])
        groups[-1].append(r[4])
    sums = [Fraction(sum(g), 188 * len(g)) for g in groups]
    assert items["ikm"].value == regulation_ikm(sums)
    assert items["mutu"].cell == f"E{ikm_row(rows) + 1}" and items["mutu"].value == "B (Baik)"


# --------------------------------------------------------------------------- KX614 summary rows under the responses


def _processing_sheet(path: Path, *, sum_delta=0, nrr_delta=0.0, weight=Fraction(1, 9)) -> tuple[Path, list]:
    """The PermenPANRB processing layout: U1..U9 columns, respondents, then JUMLAH, NRR and IKM rows."""
    rnd = random.Random(5)
    answers = [[rnd.choice((2, 3, 4, 4, None)) for _ in range(9)] for _ in range(60)]
    sums = [sum(a[j] for a in answers if a[j]) for j in range(9)]
    means = [Fraction(sums[j], sum(1 for a in answers if a[j])) for j in range(9)]
    wb = Workbook()
    ws = wb.active
    ws.title = "Olah Data"
    ws.append(["No", "Responden"] + [f"U{i}" for i in range(1, 10)])
    for i, a in enumerate(answers):
        ws.append([i + 1, f"R{i + 1}"] + a)
    ws.append(["Jumlah Nilai", None, sums[0] + sum_delta] + sums[1:])
    ws.append(["NRR", None, float(half_up(means[0])) + nrr_delta] + [float(half_up(m)) for m in means[1:]])
    ws.append(["IKM", None, float(half_up(25 * sum(means, Fraction(0)) * weight))])
    wb.save(path)
    return path, means


def test_processing_sheet_summary_rows_right(tmp_path):
    path, _ = _processing_sheet(tmp_path / "ok.xlsx")
    assert check(path) == []


def test_processing_sheet_summary_rows_wrong(tmp_path):
    path, means = _processing_sheet(tmp_path / "bad.xlsx", sum_delta=2, nrr_delta=0.02, weight=Fraction(111, 1000))
    findings = check(path)
    last = 1 + 60
    assert where(findings) == {("KX614", f"C{last + 1}"), ("KX614", f"C{last + 2}"), ("KX614", f"C{last + 3}")}
    ikm_finding = next(f for f in findings if f.cell == f"C{last + 3}")
    assert ikm_finding.expected == half_up(25 * sum(means, Fraction(0)) / 9)
    assert "0,111" in ikm_finding.message()


# --------------------------------------------------------------------------- another layout


def test_one_row_header_numbered_questions_ikm_in_the_nrr_column(tmp_path):
    """'No | Unsur | Pertanyaan | Jumlah Nilai | RTMK | NRR': numbers inside the question text, the IKM under NRR,
    the mutu written 'Mutu Pelayanan : B' in one cell, the respondents beside the table."""
    rows, exact = make_rows()
    ikm_value = regulation_ikm(exact)
    letter = "A" if ikm_value >= Decimal("88.31") else "B" if ikm_value >= Decimal("76.61") else "C"
    wrong_letter = "C" if letter != "C" else "A"
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(["No", "Unsur", "Pertanyaan", "Jumlah Nilai", "RTMK", "NRR", None, "Jumlah Responden", N])
    for no, name, q, text, total, rtmk, nrr in rows:
        ws.append([no, name, f"{q}. {text}", total, rtmk, nrr])
    ws.append([None, "IKM", None, None, None, float(ikm_value), None, "Populasi", POPULATION])
    ws.append([None, f"Mutu Pelayanan : {wrong_letter}"])
    wb.save(tmp_path / "l2.xlsx")
    report = validate_file(tmp_path / "l2.xlsx", Config(select=("KX6",)))
    assert [(f.code, f.cell) for f in report.findings] == [("KX604", f"B{len(rows) + 3}")]
    from kinerja_validators.skm import parse_recap

    recap = parse_recap(report.tables_of("skm")[0])
    assert [q.number for q in recap.questions] == list(range(1, 15))
    assert recap.questions[0].text == "Pertanyaan 1"
    assert recap.ikm_cell == f"F{len(rows) + 2}" and recap.respondents == N


def test_unsur_name_repeated_on_each_of_its_rows(tmp_path):
    rows, exact = make_rows()
    repeated, name, no = [], None, None
    for r in rows:
        no, name = (r[0], r[1]) if r[1] is not None else (no, name)
        repeated.append((no, name) + tuple(r[2:]))
    path = build(tmp_path / "rep.xlsx", repeated, float(regulation_ikm(exact)))
    assert check(path) == []
    from kinerja_validators.skm import parse_recap

    assert len(parse_recap(validate_file(path).tables_of("skm")[0]).unsur) == 9


@pytest.mark.parametrize("name, number", [
    ("Persyaratan", 1), ("Kesesuaian Persyaratan Pelayanan", 1), ("Sistem, Mekanisme, dan Prosedur", 2),
    ("Prosedur Pelayanan", 2), ("Waktu Penyelesaian", 3), ("Biaya / Tarif", 4), ("Biaya/Tarif", 4),
    ("Produk Spesifikasi Jenis", 5), ("Produk Spesifikasi Jenis Pelayanan", 5), ("Kompetensi Pelaksana", 6),
    ("Perilaku Pelaksana", 7), ("Sarana & Prasarana", 8), ("Sarana dan Prasarana", 8), ("SARPRAS", 8),
    ("Penanganan Pengaduan, Saran dan Masukan", 9), ("Penanganan Pengaduan Saran & Masukan", 9),
    ("Kebersihan Toilet", None), ("", None),
])
def test_unsur_names_are_matched_whatever_the_wording(name, number):
    from kinerja_validators.skm import canonical_unsur

    assert canonical_unsur(name) == number


def test_facts_typed_as_indonesian_text(tmp_path):
    """'2.800' and '188 orang' typed as text read as 2800 and 188; the poster's IKM is checked against the recap."""
    unsur = [(name, [t * 188 // N for t in totals]) for name, totals in UNSUR]
    rows, exact = make_rows(unsur, n=188)
    path = build(tmp_path / "t.xlsx", rows, float(regulation_ikm(exact)), population="2.800", respondents="188 orang")
    wb = load_workbook(path)
    ws = wb["SKM"]
    ws.append(["NILAI IKM"])
    ws.append([float(regulation_ikm(exact)) + 0.5])
    poster = ws.max_row
    wb.save(path)
    findings = check(path)
    assert [(f.code, f.cell) for f in findings if f.code == "KX613"] == [("KX613", f"A{poster}")]
    kx606 = [f for f in findings if f.code == "KX606"]
    assert len(kx606) == 1 and kx606[0].expected == 338 and kx606[0].actual == 188


def test_a_jumlah_row_before_the_ikm_is_not_a_question(tmp_path):
    rows, exact = make_rows()
    total = sum(r[4] for r in rows)
    rows = rows + [(None, "JUMLAH", None, None, total, None, None)]
    path = build(tmp_path / "j.xlsx", rows, float(regulation_ikm(exact)))
    assert check(path) == []
    from kinerja_validators.skm import parse_recap

    assert len(parse_recap(validate_file(path).tables_of("skm")[0]).questions) == 14


def test_survey_example_recap_against_its_raw_responses(tmp_path):
    """The survey example: the seed's recap beside synthetic answers that agree except question 1."""
    from kinerja_xl.templates import SURVEY_EXAMPLE_NAME

    path = build_example(tmp_path / "survei.xlsx", SURVEY_EXAMPLE_NAME)
    report = validate_file(path)
    ws = load_workbook(path)["SKM"]
    q1, unsur1, unsur9, ikm = (_cell_with(ws, 1018), _cell_with(ws, 3.41, "G"), _cell_with(ws, 3.37, "G"),
                               _cell_with(ws, 87.28, "E"))
    from_raw = {f.cell: f for f in report.findings if f.code == "KX611"}
    # the answers disagree with the recap only where the recap is wrong anyway, Q1 first of all
    assert q1 in from_raw and set(from_raw) <= {q1, unsur1, unsur9, ikm}
    assert from_raw[q1].actual == 1018 and from_raw[q1].expected == 629


# --------------------------------------------------------------------------- pandera schemas


def test_recap_nilai_unsur_ikm_and_mutu_fail_in_pandera_and_land_on_their_cells(tmp_path):
    from kinerja_validators import schemas
    from kinerja_validators.skm import parse_recap
    from kinerja_validators.skm.schema import recap_frame

    _, exact = make_rows()
    wrong = float(half_up(exact[8]) + Decimal("0.01"))
    rows_bad, _ = make_rows(printed={8: wrong})
    path = build(tmp_path / "nrr.xlsx", rows_bad, float(regulation_ikm(exact)) + 1, mutu="A")
    report = validate_file(path, Config(select=("KX60",)))
    (table,) = [t for t in report.tables if t.kind == "skm"]
    failed = failure_rows(schemas.skm, recap_frame(parse_recap(table)))
    assert failed["KX602"] == [unsur_row(rows_bad, 8)]
    assert failed["KX603"] == [ikm_row(rows_bad)]
    assert {(f.code, f.cell) for f in report.findings if f.code in ("KX602", "KX603")} == {
        ("KX602", f"G{unsur_row(rows_bad, 8)}"), ("KX603", f"E{ikm_row(rows_bad)}")}


def test_raw_score_outside_1_to_4_fails_in_pandera_at_its_cell(tmp_path):
    from kinerja_validators import schemas
    from kinerja_validators.skm import summarize_responses

    questions, answers, unsur, rtmk = raw_answers()
    answers[3][0] = 5
    rows, exact = make_rows(unsur, rtmk=rtmk)
    path = build(tmp_path / "raw5.xlsx", rows, float(regulation_ikm(exact)), raw=(questions, answers))
    report = validate_file(path, Config(select=("KX610",)))
    (table,) = [t for t in report.tables if t.kind == "skm_responden"]
    summary = summarize_responses(table)
    frame = table.frame.loc[summary.rows, [q.key for q in summary.questions.values()]]
    assert failure_rows(schemas.skm_responden, frame) == {"KX610:q_1": [RAW_FIRST + 3]}
    assert [(f.code, f.cell) for f in report.findings] == [("KX610", f"C{RAW_FIRST + 3}")]


# --------------------------------------------------------------------------- the 0,11 weight named once


def _weighted_recap(path: Path, weight: Fraction, *, ikm_weight: Fraction | None = None, above=(), below=(),
                    respondents=True) -> tuple[Path, list[Fraction]]:
    """A recap with an NRR TERTIMBANG column printed with ``weight`` (3 decimals) and the IKM as the document
    computes it: 25 × Σ of the printed weighted values, or 25 × Σ NRR × ``ikm_weight`` when given.

    ``above``/``below``: label rows written over the header / under the IKM row. Returns the exact NRR.
    """
    singles = [(name, totals[0]) for name, totals in UNSUR]
    exact = [Fraction(total, N) for _, total in singles]
    wb = Workbook()
    ws = wb.active
    ws.title = "SKM"
    for row in above:
        ws.append(list(row))
    ws.append(["No", "Unsur Pelayanan", "Jumlah Nilai", "Jumlah RTMK", "NRR per Unsur", "NRR Tertimbang"])
    weighted = []
    for i, ((name, total), value) in enumerate(zip(singles, exact)):
        shown = half_up(value)
        weighted.append(half_up(Fraction(shown) * weight, 3))
        ws.append([str(i + 1), name, total, 0, float(shown), float(weighted[-1])])
    ikm = 25 * sum(weighted) if ikm_weight is None else 25 * sum(exact, Fraction(0)) * ikm_weight
    ws.append(["IKM", None, float(half_up(Fraction(ikm)))])
    ws.append([])
    if respondents:
        ws.append(["Jumlah Responden", ":", N])
        ws.append(["Perkiraan Jumlah Populasi", ":", POPULATION])
    for row in below:
        ws.append(list(row))
    wb.save(path)
    return path, exact


@pytest.mark.parametrize("weight, name", [(Fraction(11, 100), "0,11"), (Fraction(111, 1000), "0,111")])
def test_rounded_weight_in_the_weighted_column_and_the_ikm_is_one_finding_at_the_ikm(tmp_path, weight, name):
    path, exact = _weighted_recap(tmp_path / "w.xlsx", weight)
    findings = check(path)
    assert where(findings) == {("KX603", "C11")}  # header on row 1, nine unsur on rows 2–10, the IKM on row 11
    f = findings[0]
    assert f.expected == half_up(25 * sum(exact, Fraction(0)) / 9)
    assert f"bobot {name}, bukan 1/9" in f.message()
    assert f"weight {name.replace(',', '.')} instead of 1/9" in f.message("en")


def test_the_rounded_weight_printed_beside_the_table_takes_the_finding(tmp_path):
    path, exact = _weighted_recap(tmp_path / "w.xlsx", Fraction(11, 100), below=[["Bobot nilai per unsur", ":", 0.11]])
    findings = check(path)
    assert where(findings) == {("KX603", "C15")}  # the 0,11 written under the table, not the IKM cell
    assert findings[0].related == ("'SKM'!C11",)
    assert findings[0].expected == half_up(25 * sum(exact, Fraction(0)) / 9)


def test_rounded_weight_with_a_right_ikm_is_said_once_at_the_first_weighted_value(tmp_path):
    path, exact = _weighted_recap(tmp_path / "w.xlsx", Fraction(11, 100), ikm_weight=Fraction(1, 9))
    findings = check(path)
    assert where(findings) == {("KX609", "F2")}
    assert "Semua NRR tertimbang memakai bobot 0,11" in findings[0].message()


def test_mixed_weights_are_still_flagged_row_by_row(tmp_path):
    # only some unsur use 0,11: no single cause, each wrong value is its own finding (see test_weighted_values_column)
    path, _ = _weighted_recap(tmp_path / "w.xlsx", Fraction(1, 9))
    assert check(path) == []


# --------------------------------------------------------------------------- label cells carrying the parameters


@pytest.mark.parametrize("respondents_label", [
    ["Jumlah responden: 200"], ["Jumlah Responden = 200 orang"], ["Jumlah Responden 200 orang"],
    ["Jumlah Responden", ":", 200],
])
def test_parameters_in_label_cells_above_the_recap(tmp_path, respondents_label):
    above = [["REKAPITULASI SKM"], ["Triwulan III"], respondents_label, ["Populasi: 2.800"], []]
    path, _ = _weighted_recap(tmp_path / "l.xlsx", Fraction(1, 9), above=above, respondents=False)
    report = validate_file(path, Config(select=("KX6",)))
    # the respondents are found: no 'Jumlah responden tidak ditemukan'; 200 < 338 for 2.800
    assert where(report.findings) == {("KX606", "A3" if len(respondents_label) == 1 else "C3")}
    from kinerja_validators.skm import parse_recap

    recap = parse_recap(report.tables_of("skm")[0])
    assert recap.respondents == N and recap.info.population[0].value == 2800
    assert recap.info.period == ("Triwulan III", "A2")
    from kinerja_validators.skm import compute

    ikm_item = next(c for c in compute(report.tables_of("skm")[0], Config()) if c.kind == "ikm")
    assert ikm_item.label("id").endswith(", Triwulan III") and ikm_item.cell == "C16"


def test_a_year_after_the_respondents_label_is_not_their_number(tmp_path):
    above = [["Jumlah Responden Tahun 2023"], []]
    path, _ = _weighted_recap(tmp_path / "y.xlsx", Fraction(1, 9), above=above, respondents=False)
    assert ("KX612", "C13") in where(validate_file(path, Config(select=("KX6",))).findings)


# --------------------------------------------------------------------------- per-respondent exports (e-SMILE)


def _export(path: Path, *, sum_delta=0, weight=Fraction(1, 9), weight_places=2, ikm_from_weighted=False,
            legend_below=True, legend_beside=True, n=12, stated=None):
    """'No Resp | U1 … U9', respondents, then Σ Nilai / Unsur, NRR / Unsur, NRR Tertimbang / Unsur (with their
    Σ in the column after U9) and IKM UNIT PELAYANAN, the unsur legend under and beside the table."""
    rnd = random.Random(11)
    answers = [[rnd.choice((2, 3, 3, 4, 4)) for _ in range(9)] for _ in range(n)]
    answers[0][:2] = [4, 2]  # not '1 2 3 …' under the header
    sums = [sum(a[j] for a in answers) for j in range(9)]
    means = [Fraction(s, n) for s in sums]
    weighted = [half_up(Fraction(half_up(m)) * weight, weight_places) for m in means]
    ikm = 25 * sum(weighted) if ikm_from_weighted else 25 * sum(means, Fraction(0)) / 9
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan"
    ws.append(["PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR PELAYANAN"])
    ws.append([])
    ws.append(["No Resp"] + [f"U{i}" for i in range(1, 10)] + [None, None, "NO", "UNSUR PELAYANAN"])
    legend = [(f"U{i}", name) for i, (name, _) in enumerate(UNSUR, 1)]
    for i, a in enumerate(answers):
        beside = list(legend[i]) if legend_beside and i < len(legend) else []
        ws.append([str(i + 1)] + a + [None, None] + beside)
    ws.append(["Σ Nilai / Unsur", sums[0] + sum_delta] + sums[1:])
    ws.append(["NRR / Unsur"] + [float(half_up(m)) for m in means])
    ws.append(["NRR Tertimbang / Unsur"] + [float(w) for w in weighted] + [float(sum(weighted))])
    ws.append(["IKM UNIT PELAYANAN", float(half_up(Fraction(ikm)))])
    if stated is not None:
        ws.append([])
        ws.append([f"Jumlah Responden = {stated} orang"])
    if legend_below:
        ws.append([])
        ws.append(["Keterangan"])
        ws.append(["NO", "UNSUR PELAYANAN"])
        for code, name in legend:
            ws.append([code, name])
    wb.save(path)
    return path, answers, means


def test_export_summary_rows_are_not_respondents_and_the_legend_no_answers(tmp_path):
    path, answers, _ = _export(tmp_path / "e.xlsx")
    report = validate_file(path, Config())
    assert [f for f in report.findings if f.code.startswith(("KX6", "KX1"))] == []
    from kinerja_validators.skm import summarize_responses

    table = report.tables_of("skm_responden")[0]
    raw = summarize_responses(table)
    assert raw.respondents == len(answers)
    assert table.last_row == 3 + len(answers) + 4  # the IKM row ends the table: the legend is not read
    assert sorted(raw.summary_rows.values()) == ["IKM UNIT PELAYANAN", "JUMLAH NILAI UNSUR", "NRR TERTIMBANG UNSUR",
                                                 "NRR UNSUR"]


def test_export_wrong_sum_is_found_at_its_cell(tmp_path):
    path, answers, _ = _export(tmp_path / "e.xlsx", sum_delta=1)
    findings = check(path, ("KX6",))
    assert where(findings) == {("KX614", f"B{4 + len(answers)}")}
    assert findings[0].actual - findings[0].expected == 1


def test_export_with_the_weight_0_11_is_one_finding_at_the_ikm(tmp_path):
    path, answers, means = _export(tmp_path / "e.xlsx", weight=Fraction(11, 100), weight_places=3, ikm_from_weighted=True)
    findings = check(path, ("KX6",))
    ikm_cell = f"B{4 + len(answers) + 3}"
    assert where(findings) == {("KX614", ikm_cell)}
    assert findings[0].expected == half_up(25 * sum(means, Fraction(0)) / 9)
    assert "bobot 0,11, bukan 1/9" in findings[0].message()


def test_export_weighted_value_wrong_on_its_own(tmp_path):
    path, answers, means = _export(tmp_path / "e.xlsx")
    wb = load_workbook(path)
    ws = wb["Laporan"]
    row = 4 + len(answers) + 2
    ws.cell(row, 4).value = 0.45  # two decimals, as printed: 3,17 / 9 = 0,35
    wb.save(path)
    findings = check(path, ("KX6",))
    assert where(findings) == {("KX614", f"D{row}")}
    assert findings[0].expected == half_up(means[2] / 9)


@pytest.mark.parametrize("stated, finding", [(12, False), (13, True)])
def test_export_respondents_written_under_it_are_counted(tmp_path, stated, finding):
    path, answers, _ = _export(tmp_path / "e.xlsx", stated=stated)
    findings = check(path, ("KX6",))
    label_row = 3 + len(answers) + 4 + 2  # the IKM row, a blank row, the label
    assert where(findings) == ({("KX614", f"A{label_row}")} if finding else set())
    if finding:
        assert findings[0].expected == len(answers) and findings[0].actual == 13
        assert "13" in findings[0].message() and "12 baris" in findings[0].message()


@pytest.mark.parametrize("label", ["Jumlah Responden : 12", "DATA RESPONDEN", "Triwulan III"])
def test_a_label_typed_right_above_an_export_leaves_its_respondents_and_summary_rows(tmp_path, label):
    """No blank row between a label and the 'No Resp | U1 …' header: the label is read into the header over
    it, and the respondent-number column must still be the export's first column (not the legend's NO
    beside it), so the Σ / NRR / IKM rows stay summary rows, not four more respondents with scores > 4."""
    from kinerja_validators.skm import summarize_responses

    path, answers, _ = _export(tmp_path / "e.xlsx")
    wb = load_workbook(path)
    ws = wb["Laporan"]
    ws.insert_rows(3)
    ws.cell(3, 1).value = label
    wb.save(path)
    report = validate_file(path, Config())
    (table,) = report.tables_of("skm_responden")
    assert table.columns["no"] == 0
    raw = summarize_responses(table)
    assert raw.respondents == len(answers)
    assert sorted(raw.summary_rows.values()) == ["IKM UNIT PELAYANAN", "JUMLAH NILAI UNSUR", "NRR TERTIMBANG UNSUR",
                                                 "NRR UNSUR"]
    assert [f for f in report.findings if f.code.startswith("KX6")] == []
