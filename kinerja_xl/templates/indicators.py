"""Template and example builders for the indicator tables.

Perjanjian Kinerja (indicator targets; program budgets with JUMLAH), Capaian
IKU (with a POLARITAS column), Perbandingan dengan tahun lalu (target /
realisasi, then realisasi / capaian, per year) and Renstra (targets over the
plan period, realisations so far).

The example sheets reproduce the seed report's tables as printed: where the
seed's own formatting shows the value was typed as text (``86.32%`` with a
dot, ``Rp. 6.183.035.351,-``, ``96,07 %`` with a space) it is text here too;
everything else is a number in percent units with the format that prints it
the same way (``common.PERCENT`` / ``PERCENT_0`` / ``DECIMAL_2``).
"""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from kinerja_xl.templates import example_sheet, template
from kinerja_xl.templates.common import (
    CHECK_NOTE, DECIMAL_2, HITUNG_NOTE, PERCENT, PERCENT_0, RIGHT, TEXT, TOTAL_FILL, Col, freeze_below, print_form_only,
    print_setup, renstra_year, report_year, style_row, title, triwulan_text, unit_title, write_info_sheet, write_note,
    write_signature, write_table, write_title,
)
from kinerja_xl.templates.formulas import Expr, put, sum_range
from kinerja_xl.i18n import N_

SASARAN = ("Meningkatnya kualitas pelayanan, fasilitasi dan koordinasi Kecamatan dan Akuntabilitas Keuangan "
           "dan Pemerintah Desa")
IKM = "Nilai IKM Kecamatan"
FASILITASI = "Presentase hasil fasilitasi dan koordinasi yang ditindaklanjuti"
DESA = "Presentase desa yang menyusun dokumen administrasi pemerintahan desa tepat waktu"
DESA_PERBANDINGAN = "Prosentase Desa yang menyusun dokumen administrasi Desa tepat waktu"
FASILITASI_PERBANDINGAN = "Prosentase hasil fasilitasi dan koordinasi yang ditindaklanjuti"

PK_TARGET_HEADER = [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"]]
PK_TARGET_COLS = [Col.label(6), Col.text(45), Col.text(50), Col(20, None, RIGHT)]
PK_PROGRAM_HEADER = [["NO", "PROGRAM", "ANGGARAN", "KETERANGAN"]]
PK_PROGRAM_COLS = [Col.label(6), Col.text(45), Col.money(50), Col.text(20)]

IKU_HEADER = [["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target Tahun {year}", "Kinerja TW {tw}", "<",
               "Keterangan"],
              [None, None, None, None, "Capaian", "%", None]]
IKU_COLS = [Col.label(6), Col.text(40), Col.text(45), Col(12, None, RIGHT), Col(12, None, RIGHT), Col.percent(12), Col.text(30)]


def _formats(ws, row: int, first_col: int, formats) -> None:
    """Per-cell number formats (a column mixes indices such as 86,40 and percentages such as 90%)."""
    for i, fmt in enumerate(formats):
        if fmt is not None:
            ws.cell(row, first_col + i).number_format = fmt


def _merge_down(ws, col: int, first: int, last: int) -> None:
    if last > first:
        ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def _polarity_list(ws, ref: str) -> None:
    dv = DataValidation(type="list", formula1='"positif,negatif"', allow_blank=True,
                        promptTitle="Polaritas", prompt="positif: makin tinggi makin baik; negatif: makin rendah makin baik")
    ws.add_data_validation(dv)
    dv.add(ref)


# --------------------------------------------------------------------------- blank templates


def _finish_form(ws, row: int, ncols: int, notes=()) -> None:
    """Signature from Info under the form, then the instructions (not printed)."""
    row = write_signature(ws, row, ncols)
    print_form_only(ws, row - 1, ncols)
    write_note(ws, row + 2, [CHECK_NOTE, *notes], ncols)


@template("perjanjian-kinerja", N_("Perjanjian Kinerja (target indikator dan anggaran program)"))
def build_pk(wb) -> None:
    write_info_sheet(wb, template=True)
    ws = wb.create_sheet("PK")
    # the year on the line nearest the table: that line is the table's caption, where the year is read from
    row = write_title(ws, ["PERJANJIAN KINERJA", unit_title(), title("TAHUN ", report_year())], 4)
    placed = write_table(ws, row=row, header=PK_TARGET_HEADER, cols=PK_TARGET_COLS, blank_rows=8, column_numbers=True)
    print_setup(ws, placed.header_first, placed.data_first - 1, landscape=False)
    row = placed.next_row + 2  # two blank rows keep the two tables apart
    program = write_table(ws, row=row, header=PK_PROGRAM_HEADER, cols=PK_PROGRAM_COLS, blank_rows=6, column_numbers=True)
    total = program.next_row
    style_row(ws, total, PK_PROGRAM_COLS, bold=True, fill=TOTAL_FILL)
    ws.cell(total, 2, "JUMLAH")
    put(ws.cell(total, 3), sum_range(ws.title, 3, program.data_first, 3, total - 1))
    _finish_form(ws, total + 1, 4, [
        "Target: angka atau persen (90%, 86,40). Satu indikator per baris; sasaran strategis cukup ditulis sekali.",
        "Anggaran program = Σ pagu awal sub kegiatannya (tabel refocusing). JUMLAH = Σ anggaran program (rumus SUM).",
        "Judul dan tanda tangan diambil dari lembar Info.",
    ])


@template("capaian-iku", N_("Capaian Indikator Kinerja Utama (IKU)"))
def build_iku(wb) -> None:
    write_info_sheet(wb, template=True)
    ws = wb.create_sheet("Capaian IKU")
    # the year on the line nearest the table: that line is the table's caption, where the year is read from
    row = write_title(ws, ["CAPAIAN INDIKATOR KINERJA UTAMA", unit_title(),
                           title("TRIWULAN ", triwulan_text(), " TAHUN ", report_year())], 8)
    # The year and quarter are in the title, not in these headers: a header that is a formula is blank in a
    # file saved by a program that drops formula values (openpyxl), and the table would not be found.
    header = [["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target", "Realisasi", "Capaian (%)",
               "Keterangan", "Polaritas"]]
    cols = [*IKU_COLS, Col.text(12)]
    placed = write_table(ws, row=row, header=header, cols=cols, blank_rows=10, column_numbers=True)
    _polarity_list(ws, f"H{placed.data_first}:H{placed.next_row - 1}")
    freeze_below(ws, placed.data_first)
    print_setup(ws, placed.header_first, placed.data_first - 1)
    _finish_form(ws, placed.next_row, 8, [
        "Target dan realisasi dalam satuan yang sama (persen ditulis 90 atau 90%, indeks ditulis 86,40).",
        f"Capaian (%) = realisasi / target × 100 ({HITUNG_NOTE}); indikator negatif (makin rendah makin baik): "
        "(2 − realisasi / target) × 100.",
        "Polaritas: pilih positif (bawaan bila kosong) atau negatif dari daftar.",
        "Tahun dan triwulan di judul mengikuti lembar Info.",
    ])


PERBANDINGAN_TR = [["No", "Indikator Kinerja", "Tahun {y0}", "<", "Tahun {y1}", "<"],
                   [None, None, "Target", "Realisasi", "Target", "Realisasi"]]
PERBANDINGAN_RC = [["No", "Indikator Kinerja", "Tahun {y0}", "<", "Tahun {y1}", "<"],
                   [None, None, "Realisasi", "Capaian", "Realisasi", "Capaian"]]
PERBANDINGAN_COLS = [Col.label(6), Col.text(50), *[Col(12, None, RIGHT)] * 4]


def _years(header, **years):
    """Fill ``{y0}``-style years: text (the example, as printed) or formulas from Info (the blank form)."""
    def one(h):
        if not isinstance(h, str) or "{" not in h:
            return h
        if all(isinstance(y, str) for y in years.values()):
            return h.format(**years)
        prefix, key = h.split("{")
        return title(prefix, years[key.rstrip("}")])
    return [[one(h) for h in line] for line in header]


@template("perbandingan", N_("Perbandingan realisasi dan capaian dengan tahun lalu"))
def build_perbandingan(wb) -> None:
    write_info_sheet(wb, template=True)
    ws = wb.create_sheet("Perbandingan")
    row = write_title(ws, ["PERBANDINGAN TARGET, REALISASI DAN CAPAIAN KINERJA",
                           title(unit_title(), " TAHUN ", report_year(-1), " DAN ", report_year())], 6)
    years = {"y0": report_year(-1), "y1": report_year()}
    first = write_table(ws, row=row, header=_years(PERBANDINGAN_TR, **years), cols=PERBANDINGAN_COLS, blank_rows=6,
                        column_numbers=True)
    row = first.next_row + 2
    second = write_table(ws, row=row, header=_years(PERBANDINGAN_RC, **years), cols=PERBANDINGAN_COLS, blank_rows=6,
                         column_numbers=True)
    print_setup(ws, first.header_first, first.data_first - 1)
    _finish_form(ws, second.next_row, 6, [
        "Tahun di judul kolom mengikuti Tahun di lembar Info (tahun lalu dan tahun laporan).",
        f"Capaian = realisasi / target tahun yang sama × 100 (target dari tabel di atas); {HITUNG_NOTE}.",
    ])


RENSTRA_HEADER = [["No", "Indikator Kinerja", "Target Jangka Menengah", "<", "<", "<", "<", "Realisasi Kinerja", "<", "<"],
                  [None, None, "Tahun 2019", "Tahun 2020", "Tahun 2021", "Tahun 2022", "Tahun 2023", "2019", "2020", "2021"]]
RENSTRA_COLS = [Col.label(6), Col.text(45), *[Col(11, None, RIGHT)] * 8]
RENSTRA_YEARS = 5  # a Renstra covers five years


@template("renstra", N_("Target jangka menengah (Renstra) dan realisasi"))
def build_renstra(wb) -> None:
    write_info_sheet(wb, template=True)
    ws = wb.create_sheet("Renstra")
    n = RENSTRA_YEARS
    ncols = 2 + 2 * n
    row = write_title(ws, ["PERBANDINGAN REALISASI KINERJA DENGAN TARGET JANGKA MENENGAH",
                           title(unit_title(), " PERIODE RENSTRA ", renstra_year(0), "–", renstra_year(n - 1))], ncols)
    header: list[list[Expr | str | None]] = [
        ["No", "Indikator Kinerja", "Target Jangka Menengah", *["<"] * (n - 1), "Realisasi Kinerja", *["<"] * (n - 1)],
        [None, None, *[title("Tahun ", renstra_year(i)) for i in range(n)] * 2],
    ]
    cols = [Col.label(6), Col.text(45), *[Col(11, None, RIGHT)] * (2 * n)]
    placed = write_table(ws, row=row, header=header, cols=cols, blank_rows=6, column_numbers=True)
    print_setup(ws, placed.header_first, placed.data_first - 1)
    _finish_form(ws, placed.next_row, ncols, [
        "Tahun di judul kolom mengikuti Awal Renstra di lembar Info (bila kosong: dua tahun sebelum Tahun laporan). "
        "Realisasi diisi sampai tahun laporan.",
        "Target tahun yang sama harus sama dengan tabel Capaian IKU dan Perbandingan.",
    ])


# --------------------------------------------------------------------------- the seed example


@example_sheet(20)
def example_pk(wb) -> None:
    ws = wb.create_sheet("PK")
    row = write_title(ws, ["PERJANJIAN KINERJA TAHUN 2021\nKECAMATAN LUMAJANG KABUPATEN LUMAJANG"], 4)
    ws.row_dimensions[1].height = 32
    rows = [[1, SASARAN, IKM, "86.32%"], [None, None, FASILITASI, "79,00%"], [None, None, DESA, "79,00%"]]
    placed = write_table(ws, row=row, header=PK_TARGET_HEADER, cols=PK_TARGET_COLS, rows=rows)
    for r in range(placed.data_first, placed.next_row):
        ws.cell(r, 4).number_format = TEXT
    _merge_down(ws, 1, placed.data_first, placed.next_row - 1)
    _merge_down(ws, 2, placed.data_first, placed.next_row - 1)
    row = placed.next_row + 1
    programs = [
        [1, "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Rp. 6.183.035.351,-", "Sumber Dana DAU"],
        [2, "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "Rp. 23.441.000,-", "Sumber Dana DAU"],
        [3, "Program Penyelenggaraan Pemerintahan Umum", "Rp. 3.600.000,-", "Sumber Dana DAU"],
        [4, "Program Pembinaan dan Pengawasan Desa", "Rp. 129.600.000,-", "Sumber Dana DAU"],
        [None, "JUMLAH", "Rp. 6.420.166.069,-", None],
    ]
    program = write_table(ws, row=row, header=PK_PROGRAM_HEADER, cols=PK_PROGRAM_COLS, rows=programs,
                          bold=lambda v: v[1] == "JUMLAH")
    for r in range(program.data_first, program.next_row):
        ws.cell(r, 3).number_format = TEXT
    print_setup(ws, placed.header_first, placed.data_first - 1, landscape=False)


@example_sheet(30)
def example_iku(wb) -> None:
    ws = wb.create_sheet("Capaian IKU")
    row = write_note(ws, 1, ["Capaian indikator antara target dengan kinerja Kecamatan Lumajang triwulan II "
                             "Tahun 2021 adalah sebagai berikut :"], 7) + 1
    header = [[h.format(year="2021", tw="III") if isinstance(h, str) else h for h in line] for line in IKU_HEADER]
    rows = [
        ["1.", SASARAN, IKM, 86.4, 87.28, 101.02, "Perhitungan berdasarkan survey kepuasan masyarakat"],
        [None, None, FASILITASI, 90, 100, 111.11, None],
        [None, None, DESA, 85, 100, 117.65, None],
    ]
    placed = write_table(ws, row=row, header=header, cols=IKU_COLS, rows=rows, column_numbers=True)
    first = placed.data_first
    _formats(ws, first, 4, [DECIMAL_2, DECIMAL_2])
    _formats(ws, first + 1, 4, [PERCENT_0, PERCENT_0])
    _formats(ws, first + 2, 4, [PERCENT_0, PERCENT_0])
    _merge_down(ws, 1, first, first + 2)
    _merge_down(ws, 2, first, first + 2)
    freeze_below(ws, first)
    print_setup(ws, placed.header_first, placed.data_first - 1)


@example_sheet(40)
def example_perbandingan(wb) -> None:
    ws = wb.create_sheet("Perbandingan")
    row = write_note(ws, 1, ["Berikut adalah perbandingan target dan realisasi indikator kinerja dari sasaran strategis "
                             "Kecamatan Lumajang Tahun 2020 dengan Tahun 2021"], 6) + 1
    rows = [
        [1, IKM, 86.32, 87.01, 86.4, 87.28],
        [2, DESA_PERBANDINGAN, 85, 100, 90, 100],
        [3, FASILITASI_PERBANDINGAN, 80, 96.07, 85, 100],
    ]
    first = write_table(ws, row=row, header=_years(PERBANDINGAN_TR, y0="2020", y1="2021"), cols=PERBANDINGAN_COLS,
                        rows=rows)
    d = first.data_first
    _formats(ws, d, 3, [DECIMAL_2] * 4)
    _formats(ws, d + 1, 3, [PERCENT_0] * 4)
    _formats(ws, d + 2, 3, [PERCENT_0, PERCENT, PERCENT_0, PERCENT_0])
    row = first.next_row + 3  # three blank rows end the first table
    row = write_note(ws, row, ["Berikut adalah perbandingan realisasi dan capaian indikator kinerja dari sasaran "
                               "strategis Kecamatan Lumajang Tahun 2020 dengan Tahun 2021."], 6) + 1
    rows = [
        [1, IKM, 87.01, 100.80, 87.28, 101.02],
        [2, DESA_PERBANDINGAN, 100, 117.65, 100, 111.11],
        [3, FASILITASI_PERBANDINGAN, 96.07, 120.09, 100, 117.65],
    ]
    second = write_table(ws, row=row, header=_years(PERBANDINGAN_RC, y0="2020", y1="2021"), cols=PERBANDINGAN_COLS,
                         rows=rows)
    d = second.data_first
    _formats(ws, d, 3, [DECIMAL_2, PERCENT, DECIMAL_2, PERCENT])
    _formats(ws, d + 1, 3, [PERCENT_0, PERCENT, "General", PERCENT])  # the seed prints 2021's realisasi as "100"
    _formats(ws, d + 2, 3, [PERCENT, PERCENT, "General", PERCENT])
    print_setup(ws, first.header_first, first.data_first - 1)


@example_sheet(50)
def example_renstra(wb) -> None:
    ws = wb.create_sheet("Renstra")
    row = write_note(ws, 1, ["Perbandingan realisasi kinerja sampai dengan tahun 2021 dengan target jangka menengah"], 10) + 1
    rows = [
        [1, IKM, 86.32, 86.32, 86.40, 86.45, 86.50, 86.70, 87.01, 87.28],
        # the seed breaks this name over a page; one cell here
        [2, DESA_PERBANDINGAN, 80, 85, 90, 95, 100, 100, 100, 100],
        [3, FASILITASI_PERBANDINGAN, 75, 80, 85, 90, 95, 93, "96,07 %", "100 %"],
    ]
    placed = write_table(ws, row=row, header=RENSTRA_HEADER, cols=RENSTRA_COLS, rows=rows)
    d = placed.data_first
    _formats(ws, d, 3, [DECIMAL_2] * 8)
    _formats(ws, d + 1, 3, [PERCENT_0] * 8)
    _formats(ws, d + 2, 3, [PERCENT_0] * 6 + [TEXT, TEXT])
    print_setup(ws, placed.header_first, placed.data_first - 1)
