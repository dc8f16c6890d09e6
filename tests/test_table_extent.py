"""Where a located table ends: an unrelated block two empty rows below it is not its data."""

from __future__ import annotations

from budget_books import REALISASI_HEAD, tables_of, validate_rows

REAL = [REALISASI_HEAD,
        ["1", "Program A", 300, 250, 50],
        ["1.1", "Kegiatan A1", 100, 90, 10],
        ["1.2", "Kegiatan A2", 200, 160, 40]]
# a cash book under it: Saldo = Penerimaan − Pengeluaran on 11 of 12 months
OTHER_HEAD = ["Bulan", "Penerimaan", "Pengeluaran", "Saldo", ""]
OTHER = [[f"Bulan {i}", 100 * i, 40 * i, 60 * i, None] for i in range(1, 13)]
OTHER[3][3] = 999


def sheet(gap: int, head: bool = True):
    return REAL + [[""] * 5] * gap + ([OTHER_HEAD] if head else []) + OTHER


def test_two_empty_rows_then_an_unknown_header_end_the_table_and_kx090_sees_the_block():
    assert [(t.kind, t.first_row, t.last_row) for t in tables_of(sheet(2))] == [("realisasi", 2, 4)]
    found = validate_rows(sheet(2))
    assert [(f.code, f.cell) for f in found] == [("KX090", "D11")]


def test_two_empty_rows_then_amounts_in_the_uraian_column_end_the_table():
    assert [(t.first_row, t.last_row) for t in tables_of(sheet(2, head=False))] == [(2, 4)]
    assert [f.code for f in validate_rows(sheet(2, head=False)) if f.code.startswith(("KX3", "KX4"))] == []


def test_rows_of_the_same_shape_after_two_empty_rows_still_belong_to_the_table():
    rows = REAL + [[""] * 5] * 2 + [["2", "Program B", 50, 20, 30], ["2.1", "Kegiatan B1", 50, 20, 30]]
    assert [(t.first_row, t.last_row) for t in tables_of(rows)] == [(2, 8)]
    rows[-1][4] = 31
    assert ("KX301", "E8") in [(f.code, f.cell) for f in validate_rows(rows)]


SKM_HEAD = ["No Resp"] + [f"U{i}" for i in range(1, 10)]
SKM_ROWS = [[str(i)] + [str(3 + (i + j) % 2) for j in range(9)] for i in range(1, 11)]


def test_a_label_typed_right_above_an_esmile_export_stays_out_of_its_header():
    for label in (["Jumlah Responden : 10"], ["PENGOLAHAN DATA SKM", "", "Periode: Semester 1"]):
        rows = [label + [""] * (10 - len(label))] + [SKM_HEAD] + SKM_ROWS
        (t,) = tables_of(rows)
        assert t.kind == "skm_responden"
        assert t.labels["no"] == "NO RESP" and t.labels["q_1"] == "U1"
        assert (t.first_row, t.last_row) == (3, 12)


def test_a_two_row_header_keeps_its_top_row():
    head = [["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI", "", "SISA ANGGARAN"],
            ["", "", "", "KEUANGAN", "FISIK (%)", ""]]
    rows = head + [["1", "Program A", 300, 250, 80, 50]]
    (t,) = tables_of(rows)
    assert t.labels["uraian"] == "URAIAN" and t.first_row == 3
