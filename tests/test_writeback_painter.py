"""FilePainter on awkward packages: many notes, missing cells and rows, prefixed namespaces,
a user's own ``Temuan`` sheet, openpyxl-made files. Plans are built by hand here, so these
tests need no validator."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from kinerja_xl.findings import Severity
from kinerja_xl.writeback.files import FilePainter, split_ref
from kinerja_xl.writeback.painter import Painter
from kinerja_xl.writeback.pkgdiff import diff_packages, read_parts
from kinerja_xl.writeback.plan import (
    FILL, STATE_SHEET, CellMark, FindingsSheet, ValueWrite, apply_plan, clear_workbook,
)

xlsxwriter = pytest.importorskip("xlsxwriter")


def findings_sheet(n_rows: int = 1) -> FindingsSheet:
    return FindingsSheet(
        name="Temuan", title="Temuan", summary=[("Jumlah temuan", n_rows)], summary_formats=["0"],
        header=("No", "Lembar", "Sel", "Baris", "Kode", "Tingkat", "Pesan", "Seharusnya", "Tertulis", "Selisih"),
        rows=[[i + 1, "Data", "B2", "", "KX301", "galat", "pesan", 1, 2, -1] for i in range(n_rows)],
        formats=[[None] * 10 for _ in range(n_rows)], links=["'Data'!B2"] * n_rows,
        severity_fills=[FILL[Severity.ERROR]] * n_rows, widths=(6,) * 10)


class Plan:
    """The parts of an AnnotationPlan that apply_plan uses."""

    def __init__(self, marks, values=(), rows: int = 1):
        self.marks, self.values, self.findings = list(marks), list(values), findings_sheet(rows)


def mark(sheet: str, cell: str, severity=Severity.ERROR, note: str = "kinerja-xl\nKX301 salah") -> CellMark:
    return CellMark(sheet, cell, severity, FILL[severity], note, ("KX301",))


def annotate(src: Path, out: Path, plan: Plan) -> Path:
    painter = FilePainter(src)
    assert isinstance(painter, Painter)
    assert painter.load_state() is None
    apply_plan(painter, plan)
    painter.save(out)
    return out


def clear(src: Path, out: Path) -> Path:
    painter = FilePainter(src)
    assert clear_workbook(painter) is not None
    painter.save(out)
    return out


def numbers_workbook(path: Path, rows: int) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for r in range(rows):
        ws.write_row(r, 0, [r, r * 2, r * 3])
    wb.close()
    return path


def test_more_notes_than_one_vml_block(tmp_path):
    src = numbers_workbook(tmp_path / "n.xlsx", 1500)
    out = annotate(src, tmp_path / "out.xlsx", Plan([mark("Data", f"B{r}") for r in range(1, 1501)]))
    parts = read_parts(out)
    vml = next(v for k, v in parts.items() if k.endswith(".vml"))
    ids = [int(x) for x in re.findall(rb'id="_x0000_s(\d+)"', vml)]
    blocks = [int(b) for b in re.search(rb'data="([^"]*)"', vml).group(1).split(b",")]
    assert len(ids) == len(set(ids)) == 1500
    assert all(any(b * 1024 < i < (b + 1) * 1024 for b in blocks) for i in ids)
    wb = openpyxl.load_workbook(out)
    assert wb["Data"]["B1500"].comment.text.endswith("KX301 salah")
    assert diff_packages(src, clear(out, tmp_path / "back.xlsx")) == []


def test_cells_and_rows_created_in_order_and_removed_on_clear(tmp_path):
    path = tmp_path / "gaps.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    grey = wb.add_format({"bg_color": "#C0C0C0", "num_format": "0.00"})
    ws.set_column("D:D", 12, grey)  # a missing cell in D shows the column's format
    ws.write("A1", "x")
    ws.write("C1", 3)
    ws.write("A5", 5)
    wb.close()
    marks = [mark("Data", "B1"), mark("Data", "A3"), mark("Data", "E9", Severity.WARNING), mark("Data", "D5")]
    out = annotate(path, tmp_path / "out.xlsx", Plan(marks))

    sheet = etree.fromstring(read_parts(out)["xl/worksheets/sheet1.xml"])
    ns = {"m": sheet.nsmap[None]}
    rows = [int(r.get("r")) for r in sheet.iterfind(".//m:row", ns)]
    assert rows == sorted(rows) == [1, 3, 5, 9]
    for row in sheet.iterfind(".//m:row", ns):
        cols = [split_ref(c.get("r"))[1] for c in row.iterfind("m:c", ns)]
        assert cols == sorted(cols)
    book = openpyxl.load_workbook(out)
    assert book["Data"]["B1"].fill.fgColor.rgb == "FF" + FILL[Severity.ERROR]
    assert book["Data"]["E9"].fill.fgColor.rgb == "FF" + FILL[Severity.WARNING]
    assert book["Data"]["D5"].number_format == "0.00"  # cloned from the column's own format
    assert diff_packages(path, clear(out, tmp_path / "back.xlsx")) == []


def test_values_only_into_empty_cells(tmp_path):
    path = tmp_path / "v.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write("A1", 1)
    ws.write_formula("A2", "=A1*2", None, 2)
    wb.close()
    values = [ValueWrite("Data", "A1", 9, "0", "x", "diisi"), ValueWrite("Data", "A2", 9, "0", "x", "diisi"),
              ValueWrite("Data", "A3", 0.7708, "0.00%", "capaian", "diisi"), ValueWrite("Data", "A4", "B", "General", "mutu", "")]
    out = annotate(path, tmp_path / "out.xlsx", Plan([], values))
    book = openpyxl.load_workbook(out)
    ws = book["Data"]
    assert (ws["A1"].value, ws["A2"].value) == (1, "=A1*2")
    assert (ws["A3"].value, ws["A3"].number_format, ws["A4"].value) == (0.7708, "0.00%", "B")
    assert ws["A3"].comment.text == "diisi" and ws["A4"].comment is None
    assert diff_packages(path, clear(out, tmp_path / "back.xlsx")) == []


def _prefix_main_namespace(path: Path) -> None:
    """Rewrite every sheet with the main namespace under an ``x:`` prefix, as some producers do."""
    parts = read_parts(path)
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        root = etree.fromstring(parts[name])
        main = root.nsmap[None]
        nsmap = {("x" if k is None else k): v for k, v in root.nsmap.items()}
        new = etree.Element(root.tag, nsmap=nsmap)
        new.extend(list(root))
        for k, v in root.attrib.items():
            new.set(k, v)
        data = etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)
        assert b"<x:worksheet" in data and main.encode() in data
        parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_prefixed_namespace_and_a_users_own_temuan_sheet(tmp_path):
    path = tmp_path / "pfx.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Data").write_column("A1", [1, 2, 3])
    wb.add_worksheet("Temuan").write("A1", "catatan auditor")
    wb.close()
    _prefix_main_namespace(path)
    out = annotate(path, tmp_path / "out.xlsx", Plan([mark("Data", "A2"), mark("Data", "B7")]))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Temuan 2", "Data", "Temuan", STATE_SHEET]
    assert book["Temuan"]["A1"].value == "catatan auditor"
    assert book["Data"]["A2"].fill.fgColor.rgb == "FF" + FILL[Severity.ERROR]
    assert b"<x:c " in read_parts(out)["xl/worksheets/sheet1.xml"]  # the producer's prefix is kept
    assert diff_packages(path, clear(out, tmp_path / "back.xlsx")) == []


def test_openpyxl_made_workbook_with_notes_and_fills(tmp_path):
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    path = tmp_path / "opx.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = 10
    ws["A1"].fill = PatternFill("solid", fgColor="FF00FF00")
    ws["A1"].font = Font(bold=True)
    ws["A1"].comment = Comment("asli", "Bendahara")
    ws["A2"] = 20
    wb.save(path)
    out = annotate(path, tmp_path / "out.xlsx", Plan([mark("Data", "A1"), mark("Data", "A2", Severity.WARNING)]))
    book = openpyxl.load_workbook(out)
    a1 = book["Data"]["A1"]
    assert a1.fill.fgColor.rgb == "FF" + FILL[Severity.ERROR] and a1.font.b
    assert a1.comment.text.startswith("kinerja-xl") and a1.comment.text.endswith("asli")
    state = FilePainter(out).load_state()
    rec = {c.cell: c for c in state.cells}
    assert rec["A1"].fill_rgb == "00FF00" and rec["A1"].note == "asli"
    assert rec["A2"].fill_rgb == "" and rec["A2"].note is None
    back = openpyxl.load_workbook(clear(out, tmp_path / "back.xlsx"))["Data"]["A1"]
    assert back.fill.fgColor.rgb == "FF00FF00" and back.comment.text == "asli" and back.comment.author == "Bendahara"
    assert diff_packages(path, tmp_path / "back.xlsx") == []


def test_state_of_the_other_painter_is_cleared_by_colour(tmp_path):
    """A workbook painted by the add-in (tokens ``rgb:``) and saved: the file painter restores by colour."""
    src = numbers_workbook(tmp_path / "n.xlsx", 3)
    out = annotate(src, tmp_path / "out.xlsx", Plan([mark("Data", "B2")]))
    # pretend the annotation came from the xlwings painter
    parts = read_parts(out)
    state_part = [n for n in parts if n.startswith("xl/worksheets/sheet")][-1]
    parts[state_part] = parts[state_part].replace(b">file<", b">xlwings<")
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert FilePainter(out).load_state().painter == "xlwings"
    back = openpyxl.load_workbook(clear(out, tmp_path / "back.xlsx"))
    assert back.sheetnames == ["Data"]
    assert back["Data"]["B2"].fill.patternType in (None, "none")
    assert back["Data"]["B2"].comment is None


def test_sheet_with_a_form_button_drawing(tmp_path):
    """The sheet's VML holds a button and no note: our note shapes join it, and leave with clear."""
    path = tmp_path / "tombol.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_column("A1", [1, 2, 3])
    ws.insert_button("D2", {"macro": "Hitung", "caption": "Hitung"})
    wb.close()
    before = read_parts(path)
    vml_name = next(n for n in before if n.endswith(".vml"))
    assert b"_x0000_t202" not in before[vml_name]  # a button, no note shape type yet
    out = annotate(path, tmp_path / "out.xlsx", Plan([mark("Data", "A2")]))
    after = read_parts(out)
    assert b"_x0000_t201" in after[vml_name] and b"_x0000_t202" in after[vml_name]
    assert openpyxl.load_workbook(out)["Data"]["A2"].comment.text.endswith("KX301 salah")
    assert diff_packages(path, clear(out, tmp_path / "back.xlsx")) == []


def test_a_workbook_saved_by_excel(tmp_path):
    """xlwings ships quickstart.xlsm as Excel saved it (mc:AlternateContent, xr:uid, codeName, VBA)."""
    xlwings = pytest.importorskip("xlwings")
    src = Path(xlwings.__file__).parent / "quickstart.xlsm"
    if not src.exists():
        pytest.skip("quickstart.xlsm not shipped with this xlwings")
    path = tmp_path / "quickstart.xlsm"
    path.write_bytes(src.read_bytes())
    sheets = FilePainter(path).sheet_names()
    out = annotate(path, tmp_path / "out.xlsm", Plan([mark(sheets[0], "A1"), mark(sheets[0], "C3", Severity.WARNING)]))
    before, after = read_parts(path), read_parts(out)
    untouched = {n for n in before if before[n] == after[n]}
    assert {"xl/vbaProject.bin", "xl/theme/theme1.xml", "xl/sharedStrings.xml", "docProps/core.xml"} <= untouched
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb.sheetnames == ["Temuan", *sheets, STATE_SHEET]
    assert wb[sheets[0]]["C3"].fill.fgColor.rgb == "FF" + FILL[Severity.WARNING]
    assert diff_packages(path, clear(out, tmp_path / "back.xlsm")) == []
