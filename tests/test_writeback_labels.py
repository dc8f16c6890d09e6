"""The Temuan sheet names a finding's row by its whole uraian, not the 60-character form of the terminal."""

from __future__ import annotations

import openpyxl

from budget_books import REALISASI_HEAD, write_xlsx
from kinerja_xl.runner import validate_file
from kinerja_xl.writeback.annotate import annotate_file
from kinerja_xl.writeback.plan import FINDINGS_SHEET

LONG = ("Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik serta Jasa Peralatan dan "
        "Perlengkapan Kantor yang Menunjang Tugas Pokok")


def test_the_findings_sheet_row_label_is_the_whole_uraian(tmp_path):
    path = write_xlsx(tmp_path / "lap.xlsx", {"Realisasi": [
        REALISASI_HEAD,
        ["1", "Program Penunjang", "300.000", "250.000", "50.000"],
        ["1.1", LONG, "100.000", "90.000", "11.000"],
        ["1.2", "Kegiatan Pendek", "200.000", "160.000", "39.000"],
    ]})
    report = validate_file(path)
    cut = [f for f in report.findings if f.cell == "E3"]
    assert cut and cut[0].row_key.endswith("…") and len(cut[0].row_key) < len(LONG)
    result = annotate_file(path)
    ws = openpyxl.load_workbook(result.output)[FINDINGS_SHEET]
    rows = list(ws.iter_rows(min_row=result.plan.findings.header_row + 1, values_only=True))
    labels = {r[2]: r[3] for r in rows}
    assert labels["E3"] == f"1.1 {LONG}"
    assert labels["E4"] == "1.2 Kegiatan Pendek"
    # the report the CLI prints keeps the short form
    assert [f.row_key for f in result.report.findings if f.cell == "E3"] == [cut[0].row_key]
