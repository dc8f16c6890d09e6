"""Relations found in the data (kinerja_xl.relations), on real corpus tables and adversarial ones.

The corpus cases (tests/corpus/*.yaml) are tables typed from published
reports; each is built into a workbook the way a clerk would have it and read
back with the engine's own reader, so the rows are what the runner would give.
"""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_xl.numbers import parse_number
from kinerja_xl.numfmt import format_number
from kinerja_xl.relations import (
    Work,
    build_block,
    describe,
    find_relations,
    numeric_blocks,
    related_cells,
)
from kinerja_xl.workbook.files import open_workbook

CORPUS = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(CORPUS))
import build as corpus


def _case(case_id: str) -> dict:
    return corpus.load_case(CORPUS / f"{case_id}.yaml")


def _workbook_rows(case: dict, tmp_path: Path) -> list[list]:
    path, _ = corpus.build(case, tmp_path)
    wb = open_workbook(path)
    try:
        return wb.read_sheet(wb.sheet_names()[0]).rows
    finally:
        wb.close()


def _text_rows(case: dict) -> list[list]:
    """The sheet as a copy of a web page gives it: every cell the printed text, laid out as build.py does."""
    where = corpus.placement(case)
    rows: list[list] = [[case["title"]], *[[x] for x in case.get("labels") or []], []]
    assert len(rows) == where.header_row - 1
    for r in [*case["header"], *case["rows"]]:
        rows.append([None if v in ("", None) else str(v) for v in r])
    return rows


def _rows(case: dict, mode: str, tmp_path: Path) -> list[list]:
    return _workbook_rows(case, tmp_path) if mode == "workbook" else _text_rows(case)


def _col(case: dict, header) -> int:
    """0-based sheet column of a case column (the tables start in column A)."""
    return corpus.column_index(case, header) - 1


def _find_col(case: dict, *words: str, without: str = "") -> int:
    for i, text in enumerate(case["header"][0]):
        t = str(text).upper()
        if all(w in t for w in words) and not (without and without in t):
            return i
    raise KeyError(words)


def _relations(rows, **kw):
    out = []
    for block in numeric_blocks(rows, **{k: v for k, v in kw.items() if k == "min_rows"}):
        out.extend((block, r) for r in find_relations(block, **kw))
    return out


def _column_relation(found, kind, target, operands):
    hits = [r for _, r in found if r.kind == kind and r.target == target and r.operands == operands]
    return hits[0] if hits else None


# --- real LRA desa tables ---------------------------------------------------

# case, whether the % relation has at least 5 informative rows (realisasi and anggaran non-zero),
# whether the row sums (code parents + JUMLAH rows) reach 5 parent rows
LRA = [
    ("desa-baturutara-lra-apbdes-2023", True, True),
    ("desa-belantih-lra-apbdes-2022", True, True),
    ("desa-gilis-lra-apbdes-2020", True, True),
    ("desa-gunungsari-lra-apbdes-2023", True, False),
    ("desa-katung-lra-apbdes-2023", True, False),
    ("desa-lebih-lra-apbdes-2023", True, True),
    ("desa-punjulharjo-lra-apbdes-2022", True, False),
    ("desa-tanjungputri-lra-apbdes-2022", True, False),
    ("desa-tiga-lra-apbdes-2022", True, True),
    ("desa-bangunmulyo-lra-apbdes-2025s1", False, False),
]


def _modes(case_id: str) -> list[str]:
    # text mode reads printed text with Indonesian separators only; en-style cases go through the workbook
    return ["workbook"] if _case(case_id).get("number_style") == "en" else ["workbook", "text"]


@pytest.mark.parametrize("case_id,with_pct,with_rows", LRA)
@pytest.mark.parametrize("mode", ["workbook", "text"])
def test_lra_desa_relations_named_in_holds_are_found(case_id, with_pct, with_rows, mode, tmp_path):
    if mode not in _modes(case_id):
        pytest.skip("printed with English separators")
    case = _case(case_id)
    found = _relations(_rows(case, mode, tmp_path))
    anggaran = _find_col(case, "ANGGARAN")
    realisasi = _find_col(case, "REALISASI")
    lebih = _find_col(case, "LEBIH")
    pct = _find_col(case, "%") if any("%" in str(h) for h in case["header"][0]) else _find_col(case, "PERSEN")
    # the desa portals print LEBIH/(KURANG) = ANGGARAN − REALISASI: the convention read from the rows
    diff = _column_relation(found, "difference", lebih, (anggaran, realisasi))
    assert diff is not None, [describe(r) for _, r in found]
    assert diff.holds == diff.applicable and not diff.violations
    # ANGGARAN = REALISASI + LEBIH/(KURANG) is the same identity: reported once, never also as a sum
    triple = {anggaran, realisasi, lebih}
    assert [r for _, r in found if r.kind in ("sum", "difference") and {r.target, *r.operands} == triple] == [diff]
    ratio = _column_relation(found, "ratio", pct, (realisasi, anggaran))
    if with_pct:
        assert ratio is not None, [describe(r) for _, r in found]
    else:
        assert ratio is None  # too few rows where both amounts are non-zero
    rows_rel = [r for _, r in found if r.kind == "rows"]
    assert bool(rows_rel) == with_rows
    where = corpus.placement(case)
    if with_rows:
        # every code parent and JUMLAH row the case checked by hand is among the cells checked
        # (but 0 = 0 + 0, which is no evidence either way)
        (rel,) = rows_rel
        style = case.get("number_style", "id")
        named = {
            f"{where.col_letter(corpus.column_index(case, h['column']))}{where.row_of(i)}"
            for h in case["holds"]
            if re.search(r"induk|JUMLAH (PENDAPATAN|BELANJA) =", h["identity"]) and _col(case, h["column"]) in rel.columns
            for i in h["rows"]
            if corpus.parse_printed(case["rows"][i - 1][_col(case, h["column"])], style)[0] != 0
        }
        assert named and named <= set(rel.checked), sorted(named - set(rel.checked))
    # no relation reports a cell the case lists as right
    right = {(where.row_of(i), _col(case, h["column"])) for h in case.get("holds") or [] for i in (h["rows"] if h["rows"] != "all" else [])}
    for _, rel in found:
        for v in rel.violations:
            assert (v.row, v.column) not in right, describe(rel, v)


def test_lra_row_sums_cover_code_parents_and_jumlah_rows(tmp_path):
    case = _case("desa-lebih-lra-apbdes-2023")
    (block,) = numeric_blocks(_workbook_rows(case, tmp_path))
    where = corpus.placement(case)
    assert block.header_rows == [where.header_row]
    assert block.first_row == where.row_of(1) and block.last_row == where.row_of(len(case["rows"]))
    assert block.codes[:3] == ["4", "4.1", "4.1.4"]
    (rows_rel,) = [r for r in find_relations(block) if r.kind == "rows"]
    assert rows_rel.methods == ("code", "total")
    # parents 4.1, 4.2, 4.3, 5.1, 5.2 and JUMLAH PENDAPATAN (5.3 is cut: no children typed)
    assert rows_rel.parents == 6
    assert [block_header for block_header in (rows_rel.headers[c] for c in rows_rel.columns)] == [
        "Anggaran (Rp)",
        "Realisasi (Rp)",
        "Lebih/(Kurang)(Rp)",
    ]
    assert rows_rel.holds == rows_rel.applicable and not rows_rel.violations


def _with_cell(case: dict, row: int, header: str, text: str) -> dict:
    changed = {**case, "rows": [list(r) for r in case["rows"]]}
    changed["rows"][row - 1][corpus.column_index(case, header) - 1] = text
    return changed


def test_a_wrong_lebih_kurang_is_flagged_with_its_expected_value(tmp_path):
    # 4.2.3 Alokasi Dana Desa: 846.370.000 − 491.243.683 = 355.126.317, typed wrong
    case = _with_cell(_case("desa-lebih-lra-apbdes-2023"), 7, "Lebih/(Kurang)(Rp)", "355.162.317,00")
    found = _relations(_workbook_rows(case, tmp_path))
    (diff,) = [r for _, r in found if r.kind == "difference"]
    where = corpus.placement(case)
    (v,) = diff.violations
    assert (v.row, v.cell) == (where.row_of(7), f"E{where.row_of(7)}")
    assert related_cells(diff, v) == (f"C{v.row}", f"D{v.row}")
    assert v.cell in diff.checked and len(diff.checked) == diff.applicable
    assert v.expected == Decimal(355126317) and v.actual == Decimal(355162317)
    assert (diff.holds, diff.applicable) == (14, 15)
    assert describe(diff, v) == (
        f"kolom Lebih/(Kurang)(Rp) = Anggaran (Rp) − Realisasi (Rp) berlaku pada 14 dari 15 baris; baris {v.row} "
        "(4.2.3 Alokasi Dana Desa) tidak (seharusnya 355.126.317, tertulis 355.162.317)"
    )
    assert describe(diff, v, "en") == (
        f"column Lebih/(Kurang)(Rp) = Anggaran (Rp) − Realisasi (Rp) holds on 14 of 15 rows; row {v.row} "
        "(4.2.3 Alokasi Dana Desa) does not (expected 355,126,317, found 355,162,317)"
    )
    # the row sums see the same slip from above: 4.2's printed total no longer matches its children
    # (JUMLAH PENDAPATAN adds the parents 4.1 + 4.2 + 4.3, which are unchanged)
    (rows_rel,) = [r for _, r in found if r.kind == "rows"]
    (p,) = rows_rel.violations
    assert (p.row, p.column, p.expected, p.actual) == (where.row_of(4), 4, Decimal(827758717), Decimal(827722717))


def test_a_wrong_parent_total_is_flagged_with_the_sum_of_its_children(tmp_path):
    # 4.2 Transfer Desa, Anggaran: Σ 4.2.1…4.2.4 = 2.402.175.000, typed 2.412.175.000
    case = _with_cell(_case("desa-lebih-lra-apbdes-2023"), 4, "Anggaran (Rp)", "2.412.175.000,00")
    found = _relations(_text_rows(case))
    (rows_rel,) = [r for _, r in found if r.kind == "rows"]
    where = corpus.placement(case)
    (v,) = rows_rel.violations
    assert (v.row, v.column) == (where.row_of(4), 2)
    assert v.expected == Decimal(2402175000) and v.actual == Decimal(2412175000)
    assert v.parts == tuple(where.row_of(i) for i in (5, 6, 7, 8))
    assert related_cells(rows_rel, v) == tuple(f"C{where.row_of(i)}" for i in (5, 6, 7, 8))
    msg = describe(rows_rel, v)
    assert msg.startswith("baris = Σ rinciannya (menurut kode rekening, baris JUMLAH; kolom Anggaran (Rp), Realisasi (Rp), Lebih/(Kurang)(Rp)) berlaku pada")
    assert msg.endswith(
        f"baris {v.row} (4.2 Transfer Desa) kolom Anggaran (Rp) = Σ baris {where.row_of(5)}–{where.row_of(8)} tidak "
        "(seharusnya 2.402.175.000,00, tertulis 2.412.175.000,00)"
    )
    # the row's own LEBIH/(KURANG) and % now disagree with the wrong anggaran too
    diff = _column_relation(found, "difference", 4, (2, 3))
    assert [x.row for x in diff.violations] == [where.row_of(4)]


@pytest.mark.parametrize(
    "case_id",
    ["desa-baturutara-lra-apbdes-2023", "desa-belantih-lra-apbdes-2022", "desa-gilis-lra-apbdes-2020"],
)
@pytest.mark.parametrize("mode", ["workbook", "text"])
def test_printed_percent_errors_are_flagged_at_their_cell_with_the_expected_value(case_id, mode, tmp_path):
    if mode not in _modes(case_id):
        pytest.skip("printed with English separators")
    case = _case(case_id)
    found = _relations(_rows(case, mode, tmp_path))
    where = corpus.placement(case)
    flagged = {(v.row, v.column): (rel, v) for _, rel in found if rel.kind == "ratio" for v in rel.violations}
    wanted = {(where.row_of(e["row"]), _col(case, e["column"])): e for e in case["expected"] if e["family"] == "percent"}
    assert wanted and set(flagged) == set(wanted)
    for key, e in wanted.items():
        rel, v = flagged[key]
        style = case.get("number_style", "id")
        expected = Decimal(str(corpus.parse_printed(e["expected"], style)[0]))
        printed = Decimal(str(corpus.parse_printed(e["printed"], style)[0]))
        # the cell may be a fraction formatted as % in one build and a plain 40,90 in another
        scale = Decimal(100) if rel.scale == 1 and abs(v.actual) < 10 else Decimal(1)
        assert abs(v.expected * scale - expected) <= Decimal("0.05"), describe(rel, v)
        assert abs(v.actual * scale - printed) <= Decimal("0.005")
        assert "SURPLUS" in v.label.upper()


def test_sumut_tabel19_absorption_error_needs_lower_thresholds(tmp_path):
    """Four rows carry amounts: below the default five, nothing is reported; at four rows the % error shows."""
    case = _case("sumut-setda-lkj-2021-tabel19")
    rows = _workbook_rows(case, tmp_path)
    assert numeric_blocks(rows) == []
    (block,) = numeric_blocks(rows, min_rows=4)
    where = corpus.placement(case)
    # the header and its row of column numbers 1…6 are both header, never data
    assert block.header_rows == [where.header_row, where.header_row + 1]
    assert block.first_row == where.row_of(1)
    rels = find_relations(block, min_rows=4, min_share=0.75)
    pct = _col(case, "CAPAIAN REALISASI ANGGARAN (%)")
    (ratio,) = [r for r in rels if r.kind == "ratio"]
    assert (ratio.target, ratio.operands, ratio.scale) == (pct, (_col(case, "REALISASI (Rp)"), _col(case, "ANGGARAN (Rp)")), 100)
    (v,) = ratio.violations
    assert v.cell == f"F{where.row_of(7)}"
    assert v.expected == Decimal("77.1") and v.actual == Decimal("80.5")
    assert describe(ratio, v, "en").endswith("does not (expected 77.1, found 80.5)")


# --- real APBD(es) perubahan tables ---------------------------------------------

PERUBAHAN = [
    "desa-jogoyitnan-apbdes-perubahan-2025",
    "desa-ngrombo-apbdes-perubahan-2024",
    "desa-pucungkerep-apbdes-perubahan-2025",
    "desa-pulosaren-apbdes-perubahan-2025",
    "desa-sojokerto-apbdes-perubahan-2025",
    "desa-tieng-apbdes-perubahan-2025",
]


@pytest.mark.parametrize("case_id", PERUBAHAN)
@pytest.mark.parametrize("mode", ["workbook", "text"])
def test_apbd_perubahan_bertambah_is_sesudah_minus_sebelum(case_id, mode, tmp_path):
    case = _case(case_id)
    found = _relations(_rows(case, mode, tmp_path))
    header = case["header"]
    flat = [" ".join(str(h[i]) for h in header if i < len(h) and h[i]).upper() for i in range(len(header[0]))]
    change = next(i for i, t in enumerate(flat) if "BERTAMBAH" in t)
    after = next(i for i, t in enumerate(flat) if "SETELAH" in t or "MENJADI" in t)
    before = next(i for i, t in enumerate(flat) if "AWAL" in t or "SEMULA" in t)
    rels = [r for _, r in found if r.kind == "difference" and r.target == change]
    assert rels and all(r.operands == (after, before) for r in rels)
    assert not any(r.violations for _, r in found)


def test_stacked_tables_are_split_at_the_repeated_header(tmp_path):
    """Ngrombo prints 'Printed by …' and the header again mid-table (a page break)."""
    case = _case("desa-ngrombo-apbdes-perubahan-2024")
    where = corpus.placement(case)
    blocks = numeric_blocks(_workbook_rows(case, tmp_path), min_rows=2)
    repeat = where.row_of(next(i for i, r in enumerate(case["rows"], 1) if r[0] == "KODE REK"))
    first, second = blocks
    assert first.header_rows == [where.header_row, where.header_row + 1, where.header_row + 2]
    assert first.last_row == repeat - 2  # the 'Printed by' line is not data
    assert second.header_rows == [repeat, repeat + 1, repeat + 2]
    assert [c.header for c in first.columns] == ["ANGGARAN (RP) SEMULA", "ANGGARAN (RP) MENJADI", "BERTAMBAH/ ( BERKURANG )"]


# --- real tables where nothing holds: nothing may be reported ---------------------


@pytest.mark.parametrize(
    "case_id",
    ["sekadau-skm-2019s1-responden", "tubaba-disdukcapil-skm-2023s1", "kotamagelang-ikk-capaian", "jabar-rpjmd-buku-tabel-kesbangpol",
     "polman-subbid-anggaran-pk-2022-kinerja", "desa-tongketongke-lra-apbdes-2022s2"],
)
def test_real_tables_without_identities_raise_nothing(case_id, tmp_path):
    case = _case(case_id)
    assert [describe(r) for _, r in _relations(_workbook_rows(case, tmp_path))] == []


# --- numeric_blocks on its own -----------------------------------------------------


def test_blocks_parse_indonesian_numbers_exactly_and_split_at_a_header():
    rows = [
        ["LAPORAN"],
        [],
        ["NO", "URAIAN", "ANGGARAN", "REALISASI", "SISA"],
        ["1", "Belanja A", "6.255.403.861", "6.000.000.000", "255.403.861"],
        ["2", "Belanja B", "1.234,50", "(1.234)", "2.468,50"],
        ["3", "Belanja C", "1.000", "-", "1.000"],
        ["4", "Belanja D", 5000, 2500.25, 2499.75],
        ["5", "Belanja E", "101,02", "1,02", "100"],
        [],
        ["KODE", "URAIAN", "PAGU", "REALISASI"],
        ["1", "X", 1, 2],
        ["2", "Y", 3, 4],
    ]
    first, second = numeric_blocks(rows, min_rows=2)
    assert (first.header_rows, first.first_row, first.last_row) == ([3], 4, 8)
    assert first.label_columns == [0, 1]
    assert [c.header for c in first.columns] == ["ANGGARAN", "REALISASI", "SISA"]
    assert first.matrix[0] == [Decimal(6255403861), Decimal(6000000000), Decimal(255403861)]
    assert first.matrix[1] == [Decimal("1234.50"), Decimal(-1234), Decimal("2468.50")]
    assert first.matrix[2] == [Decimal(1000), Decimal(0), Decimal(1000)]
    assert first.matrix[3] == [5000, Decimal("2500.25"), Decimal("2499.75")]
    assert all(isinstance(v, (int, Decimal)) for row in first.matrix for v in row)
    assert (second.header_rows, second.first_row) == ([10], 11)
    assert [b.first_row for b in numeric_blocks(rows)] == [4]  # five rows at least by default


def test_build_block_from_known_bounds():
    rows = [["URAIAN", "A", "B"], ["x", 1, 2], ["y", 3, 4]]
    block = build_block(rows, [0], 1, 2)
    assert [c.header for c in block.columns] == ["A", "B"]
    assert block.labels == ["x", "y"] and block.first_row == 2


# --- synthetic tables: real relations are found ------------------------------------


def _table(header, body):
    return [["TABEL"], [], header, *body]


def test_sum_and_percent_found_and_described_in_english():
    rng = random.Random(3)
    body = []
    for i in range(12):
        a, b = rng.randrange(10**6, 10**9), rng.randrange(10**6, 10**9)
        body.append([f"Kegiatan {i + 1}", a, b, a + b, float(round(Decimal(b) / Decimal(a + b) * 100, 2))])
    body[5][3] += 1_000  # one wrong total
    (block,) = numeric_blocks(_table(["URAIAN", "MURNI", "TAMBAHAN", "JUMLAH", "PORSI (%)"], body))
    rels = find_relations(block)
    by_kind = {r.kind: r for r in rels}
    assert set(by_kind) == {"sum", "ratio"}
    s = by_kind["sum"]
    assert (s.target, s.operands) == (3, (1, 2))
    (v,) = s.violations
    assert v.row == 9 and v.expected == body[5][1] + body[5][2]
    assert describe(s, v, "en").startswith("column JUMLAH = MURNI + TAMBAHAN holds on 11 of 12 rows; row 9 (Kegiatan 6) does not")
    r = by_kind["ratio"]
    # row 9's share was computed from the right total; 1.000 off a total near a billion moves it by
    # far less than half of 0,01 %, so the share still agrees with the wrong total
    assert (r.target, r.operands, r.scale) == (4, (2, 3), 100)
    assert r.violations == []


def test_outline_numbering_and_indentation_give_row_sums():
    body = [
        ["A. Belanja Operasi", 600, 500],
        ["1. Pegawai", 400, 300],
        ["2. Barang", 200, 200],
        ["B. Belanja Modal", 900, 700],
        ["1. Tanah", 100, 100],
        ["2. Gedung", 500, 400],
        ["3. Jalan", 300, 200],
        ["C. Belanja Tak Terduga", 70, 20],
        ["1. Bencana", 50, 20],
        ["2. Lainnya", 20, 0],
        ["D. Transfer", 330, 300],
        ["1. Bagi Hasil", 300, 300],
        ["2. Bantuan", 40, 0],
        ["JUMLAH", 1900, 1520],
    ]
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "REALISASI"], body))
    (rel,) = find_relations(block)
    assert rel.kind == "rows" and rel.methods == ("outline", "total")
    assert rel.parents == 5
    (v,) = rel.violations  # D: 300 + 40 = 340, printed 330
    assert (v.cell, v.expected, v.actual) == ("B14", 340, 330)
    # the same table with its levels shown by indentation only
    indented = [[("" if r[0][:2] in ("A.", "B.", "C.", "D.") or r[0] == "JUMLAH" else "    ") + r[0][3:] if r[0] != "JUMLAH" else r[0], *r[1:]] for r in body]
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "REALISASI"], indented))
    (rel,) = find_relations(block)
    assert rel.methods == ("indent", "total") and [x.cell for x in rel.violations] == ["B14"]


# --- adversarial tables: coincidences must not fire ---------------------------------


def _amounts(rng, n, lo=10**5, hi=10**9):
    return [rng.randrange(lo, hi) for _ in range(n)]


def test_near_sum_on_three_of_ten_rows_is_not_a_relation():
    rng = random.Random(11)
    body = []
    for i in range(10):
        a, b, c = _amounts(rng, 3)
        if i in (1, 4, 7):
            c = a + b
        body.append([f"Rekening {i + 1}", a, b, c])
    (block,) = numeric_blocks(_table(["URAIAN", "PAGU", "REALISASI", "SISA"], body))
    assert find_relations(block) == []


def test_percent_column_that_is_no_ratio_of_two_columns_is_not_a_relation():
    rng = random.Random(12)
    body = [[f"Kegiatan {i}", *_amounts(rng, 3), f"{rng.randrange(0, 15000) / 100:.2f}".replace(".", ",")] for i in range(20)]
    (block,) = numeric_blocks(_table(["URAIAN", "PAGU", "REALISASI", "TARGET", "CAPAIAN (%)"], body))
    assert find_relations(block) == []


def test_a_sum_that_holds_on_only_four_rows_is_not_reported():
    rng = random.Random(13)
    body = []
    for i in range(10):
        a, b = _amounts(rng, 2)
        body.append([f"Rekening {i + 1}", a, b, a + b if i < 4 else None])
    (block,) = numeric_blocks(_table(["URAIAN", "MURNI", "PERGESERAN", "JUMLAH"], body))
    assert find_relations(block) == []
    assert find_relations(block, min_rows=4)  # the threshold is what keeps it out


def test_row_sums_on_only_four_parents_are_not_reported():
    body = []
    for p in range(1, 5):
        body += [[f"{p}", f"Program {p}", 30 * p, 20 * p], [f"{p}.1", "a", 10 * p, 5 * p], [f"{p}.2", "b", 20 * p, 15 * p]]
    (block,) = numeric_blocks(_table(["KODE", "URAIAN", "PAGU", "REALISASI"], body))
    assert find_relations(block) == []
    (rel,) = find_relations(block, min_rows=4)
    assert rel.kind == "rows" and rel.parents == 4


@pytest.mark.parametrize("names_first", [False, True])
def test_running_numbers_and_years_take_no_part(names_first):
    rng = random.Random(14)
    body = []
    for i in range(1, 21):
        x = rng.randrange(10**3, 10**6)
        # HARGA = VOLUME + NO and NILAI = VOLUME + TAHUN hold on every row, and mean nothing
        row = [i, 2020 + (i % 3), f"Sub kegiatan {i}", x, x + i, x + 2020 + (i % 3), rng.randrange(10**3, 10**6)]
        body.append([row[2], row[0], row[1], *row[3:]] if names_first else row)
    header = ["NO", "TAHUN", "URAIAN", "VOLUME", "HARGA", "NILAI", "LAIN"]
    if names_first:  # NO and TAHUN among the numeric columns: only the column guards keep them out
        header = ["URAIAN", "NO", "TAHUN", *header[3:]]
    (block,) = numeric_blocks(_table(header, body))
    assert ("NO" in [c.header for c in block.columns]) == names_first
    assert find_relations(block) == []


def test_copied_and_mostly_zero_columns_are_not_relations():
    rng = random.Random(15)
    body = []
    for i in range(30):
        a, b = _amounts(rng, 2)
        zero_mostly = 0 if i % 10 else rng.randrange(1, 1000)
        body.append([f"Rincian {i}", a, a, b, zero_mostly, a])
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "ANGGARAN (SALINAN)", "REALISASI", "KOREKSI", "PAGU"], body))
    assert find_relations(block) == []


def test_small_integer_scores_do_not_make_relations():
    """SKM answers 1–4 per unsur: sums and differences coincide often per row, never on 90% of rows."""
    rng = random.Random(16)
    body = [[f"R{i}", *[rng.randint(1, 4) for _ in range(9)]] for i in range(60)]
    (block,) = numeric_blocks(_table(["RESPONDEN", *[f"U{i}" for i in range(1, 10)]], body))
    assert find_relations(block) == []


# --- the search is capped ----------------------------------------------------------


def test_wide_long_block_does_bounded_work():
    rng = random.Random(17)
    n_cols, n_rows = 40, 2000
    header = ["URAIAN", *[f"AKUN {i}" for i in range(1, n_cols - 3)], "ANGGARAN", "REALISASI", "SISA"]
    body = []
    for i in range(n_rows):
        amounts = _amounts(rng, n_cols - 4)
        anggaran = rng.randrange(10**6, 10**10)
        realisasi = rng.randrange(0, anggaran)
        body.append([f"Rincian {i}", *amounts, anggaran, realisasi, anggaran - realisasi + (7 if i == 1500 else 0)])
    (block,) = numeric_blocks(_table(header, body))
    work = Work()
    rels = find_relations(block, work=work)
    (diff,) = rels
    assert diff.text() == "SISA = ANGGARAN − REALISASI" and [v.row for v in diff.violations] == [4 + 1500]
    k = len(block.columns)
    assert work.sample_rows <= 24
    assert work.screened <= 4 * k**3  # the cube of the columns, on the sample only
    assert work.verified <= 4 * k  # full-length checks, each linear in the rows
    assert work.cells_checked <= work.verified * n_rows


def test_describe_indonesian_numbers_and_percent_cells():
    rows = _table(
        ["URAIAN", "ANGGARAN", "REALISASI", "LEBIH/(KURANG)", "%"],
        [[f"R{i}", 1_000_000 * i, 900_000 * i, 900_000 * i - 1_000_000 * i, 0.9] for i in range(1, 11)],
    )
    rows[-1][3] = -1_500_000  # printed wrong
    rows[-1][4] = 0.8525  # a % cell read back as a fraction, printed 85,25%
    (block,) = numeric_blocks(rows)
    rels = {r.kind: r for r in find_relations(block)}
    d, p = rels["difference"], rels["ratio"]
    assert describe(d) == "kolom LEBIH/(KURANG) = REALISASI − ANGGARAN berlaku pada 9 dari 10 baris"
    assert describe(d, d.violations[0]) == (
        "kolom LEBIH/(KURANG) = REALISASI − ANGGARAN berlaku pada 9 dari 10 baris; baris 13 (R10) tidak "
        "(seharusnya -1.000.000, tertulis -1.500.000)"
    )
    assert p.scale == 1
    assert describe(p, p.violations[0]).endswith("baris 13 (R10) tidak (seharusnya 90,00%, tertulis 85,25%)")
    assert describe(p, p.violations[0], "en").endswith("row 13 (R10) does not (expected 90.00%, found 85.25%)")


def test_parse_number_is_the_reader_of_text_cells():
    # the module reads printed text through the engine's own parser: same value, same decimals
    rows = _table(["URAIAN", "A", "B", "C"], [[f"x{i}", "1.234,50", "(1.234)", "-"] for i in range(5)])
    (block,) = numeric_blocks(rows)
    assert block.matrix[0] == [parse_number("1.234,50").value, parse_number("(1.234)").value, Decimal(0)]
    assert re.fullmatch(r"[A-Z]+\d+", f"{block.columns[0].letter}{block.first_row}")


def test_only_columns_keeps_what_no_rule_checked(tmp_path):
    """For a recognised table the runner asks only about the columns its rules did not check."""
    case = _with_cell(_case("desa-lebih-lra-apbdes-2023"), 7, "Lebih/(Kurang)(Rp)", "355.162.317,00")
    (block,) = numeric_blocks(_workbook_rows(case, tmp_path))
    lebih, pct = _col(case, "Lebih/(Kurang)(Rp)"), _col(case, "Persentase (%)")
    everything = find_relations(block)
    assert {r.kind for r in everything} == {"difference", "ratio", "rows"}
    only_pct = find_relations(block, only_columns={pct})
    assert [(r.kind, r.target) for r in only_pct] == [("ratio", pct)]
    only_lebih = find_relations(block, only_columns={lebih})
    assert [r.kind for r in only_lebih] == ["difference", "rows"]
    rows_rel = only_lebih[1]
    assert rows_rel.violations and all(v.column == lebih for v in rows_rel.violations)


def test_a_total_under_subtotals_adds_the_subtotals():
    body = [
        ["Honorarium", 100, 90],
        ["Perjalanan dinas", 50, 40],
        ["JUMLAH BELANJA PEGAWAI", 150, 130],
        ["Alat tulis", 30, 30],
        ["Konsumsi", 20, 10],
        ["Cetak", 15, 5],
        ["JUMLAH BELANJA BARANG", 65, 45],
        ["Gedung", 400, 300],
        ["Kendaraan", 200, 200],
        ["JUMLAH BELANJA MODAL", 600, 500],
        ["TOTAL BELANJA", 815, 675],
    ]
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "REALISASI"], body))
    (rel,) = find_relations(block, min_rows=4)
    assert rel.parents == 4 and rel.holds == rel.applicable == 8
    body[-1][2] = 665  # 130 + 45 + 500 = 675
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "REALISASI"], body))
    (rel,) = find_relations(block, min_rows=4, min_share=0.85)
    (v,) = rel.violations
    assert (v.cell, v.expected, v.actual) == ("C14", 675, 665)
    assert v.parts == (6, 10, 13)


def test_very_wide_block_seeks_operands_near_the_result():
    rng = random.Random(18)
    n_cols = 150
    body = []
    for i in range(60):
        amounts = _amounts(rng, n_cols)
        amounts[100] = amounts[98] - amounts[99]  # SISA = PAGU − REALISASI, far to the right
        body.append([f"Rincian {i}", *amounts])
    header = ["URAIAN", *[f"K{i}" for i in range(n_cols)]]
    header[99], header[100], header[101] = "PAGU", "REALISASI", "SISA"
    (block,) = numeric_blocks(_table(header, body))
    work = Work()
    (rel,) = find_relations(block, window=16, work=work)
    assert rel.text() == "SISA = PAGU − REALISASI"
    k = len(block.columns)
    assert work.screened <= 4 * k * (2 * 16) ** 2 < k**3  # not every pair of 150 columns for every result


def test_a_ratio_without_percent_header_is_shown_as_a_plain_number():
    """NRR = Σ nilai / responden: a ratio × 1 that is no percentage."""
    rng = random.Random(19)
    body = []
    for i in range(12):
        n = rng.randrange(20, 60)
        total = rng.randrange(2 * n, 4 * n)
        body.append([f"U{i + 1}", total, n, float(round(Decimal(total) / n, 2))])
    body[3][3] = 9.99
    (block,) = numeric_blocks(_table(["UNSUR", "JUMLAH NILAI", "RESPONDEN", "NRR"], body))
    (rel,) = find_relations(block)
    assert rel.text() == "NRR = JUMLAH NILAI / RESPONDEN" and rel.scale == 1
    (v,) = rel.violations
    expected = format_number(round(Decimal(body[3][1]) / body[3][2], 2), "id", 2)
    assert describe(rel, v).endswith(f"baris 7 (U4) tidak (seharusnya {expected}, tertulis 9,99)")


def test_roman_outline_levels():
    body = [
        ["I. Pendapatan", 300, 280],
        ["1. Pajak", 200, 190],
        ["2. Retribusi", 100, 90],
        ["II. Belanja", 500, 400],
        ["1. Pegawai", 300, 250],
        ["2. Barang", 200, 150],
        ["III. Pembiayaan", 50, 45],
        ["1. Penerimaan", 30, 30],
        ["2. Pengeluaran", 20, 15],
        ["IV. Lain-lain", 10, 9],
        ["1. Hibah", 6, 5],
        ["2. Bunga", 4, 4],
    ]
    (block,) = numeric_blocks(_table(["URAIAN", "ANGGARAN", "REALISASI"], body))
    assert block.codes[0] == "I:I" and block.codes[3] == "I:II"
    (rel,) = find_relations(block, min_rows=4)
    assert rel.methods == ("outline",) and rel.parents == 4 and rel.holds == rel.applicable == 8
