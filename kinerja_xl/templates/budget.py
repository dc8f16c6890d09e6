"""Template and example builders for the budget tables: refocusing and realisasi.

Blank templates (``kinerja-xl template refocusing|realisasi``) carry the
headers exactly as the seed report prints them, so the locator in
``kinerja_xl.tables`` (SPECs in ``validators/refocusing.py`` and
``validators/realisasi.py``) finds them unchanged.

The example sheets reproduce the seed report (Kecamatan Lumajang, Triwulan
III 2021) exactly as printed, errors included. How printed cells became cell
values:

* Amounts are numbers with the ``RUPIAH`` format, whose zero section prints
  ``-``: a printed ``-`` is the number 0, which Excel shows as ``-`` just like
  the report. A real sheet holds numbers there (often an accounting format).
* Except the three sisa cells of kegiatan V (the kegiatan, its sub kegiatan
  and its rincian line): they hold the *text* ``-``, as if typed by hand, which
  is how the seed's error (should be 39.710) arises in practice. The validator
  reads ``-`` text as zero, so both forms are exercised.
* NO as printed: letters and Roman numerals as text, sub kegiatan numbers as
  numbers, rincian lines blank; the refocusing table's trailing-dot kode
  ``7.01.06.2.01.02.`` is kept. The realisasi table has no kode column.
* The seed's blank lines inside the realisasi table are page breaks of the
  printed report, not rows, and are left out.
"""

from __future__ import annotations

from typing import Any, Sequence

from kinerja_xl.templates import example_sheet, template
from kinerja_xl.templates.common import (
    CHECK_NOTE,
    HITUNG_NOTE,
    LEFT_MERGE,
    TOTAL_FILL,
    Col,
    freeze_below,
    print_form_only,
    print_setup,
    report_year,
    style_row,
    title,
    triwulan_text,
    unit_title,
    write_info_sheet,
    write_note,
    write_table,
    write_signature,
    write_title,
)
from kinerja_xl.templates.formulas import put, sum_range
from kinerja_xl.i18n import N_

# --------------------------------------------------------------------------- refocusing

REFOCUSING_TITLE = "PAGU ANGGARAN SEBELUM DAN SESUDAH REFOCUSING"
REFOCUSING_HEADER = [["NO", "KODE SUB KEGIATAN", "URAIAN SUB KEGIATAN", "PAGU AWAL", "PAGU REFOKUSING", "BESARAN PENGURANGAN PAGU"]]
REFOCUSING_COLS = [Col.label(6), Col.text(18), Col.text(52), Col.money(18), Col.money(18), Col.money(18)]

#: (NO, kode, uraian, pagu awal, pagu refokusing, pengurangan) as the seed prints them; '-' -> 0
SEED_REFOCUSING: list[tuple[int, str, str, int, int, int]] = [
    (1, "7.01.01.2.01.02", "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 2_620_000, 2_620_000, 0),
    (2, "7.01.01.2.01.06", "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD", 1_408_000, 772_000, 636_000),
    (3, "7.01.01.2.02.01", "Penyediaan Gaji dan Tunjangan ASN", 5_651_946_797, 5_651_946_797, 0),
    (4, "7.01.01.2.02.02", "Penyediaan Administrasi Pelaksanaan Tugas ASN", 36_162_344, 8_953_086, 27_209_258),
    (5, "7.01.01.2.02.05", "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD", 1_408_000, 1_408_000, 0),
    (6, "7.01.01.2.03.06", "Penatausahaan Barang Milik Daerah pada SKPD", 2_376_000, 594_000, 1_782_000),
    (7, "7.01.01.2.06.01", "Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor", 2_745_380, 2_745_380, 0),
    (8, "7.01.01.2.06.04", "Penyediaan Bahan Logistik Kantor", 31_257_590, 31_257_590, 0),
    (9, "7.01.01.2.06.05", "Penyediaan Barang Cetak dan Penggandaan", 17_860_000, 17_136_250, 723_750),
    (10, "7.01.01.2.06.09", "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD", 32_680_000, 17_610_000, 15_070_000),
    (11, "7.01.01.2.07.06", "Pengadaan Peralatan dan Mesin Lainnya", 14_889_710, 14_889_710, 0),
    (12, "7.01.01.2.08.02", "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik", 107_873_800, 79_332_608, 28_541_192),
    (13, "7.01.01.2.08.04", "Penyediaan Jasa Pelayanan Umum Kantor", 225_600_000, 203_700_000, 21_900_000),
    (14, "7.01.01.2.09.02", "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas", 34_743_400, 34_743_400, 0),
    (15, "7.01.01.2.09.06", "Pemeliharaan Peralatan dan Mesin Lainnya", 24_350_000, 24_350_000, 0),
    (16, "7.01.01.2.09.09", "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya", 75_604_048, 13_504_040, 62_100_008),
    (17, "7.01.03.2.01.01", "Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa", 2_816_000, 2_816_000, 0),
    (18, "7.01.03.2.01.03", "Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan", 20_625_000, 15_625_000, 5_000_000),
    (19, "7.01.03.2.01.08", "Pelaksanaan Tugas Forum Koordinasi Pimpinan di Kecamatan", 3_600_000, 1_800_000, 1_800_000),
    (20, "7.01.06.2.01.02.", "Fasilitasi Administrasi Tata Pemerintahan Desa", 129_600_000, 129_600_000, 0),  # trailing dot as printed
]
#: the printed JUMLAH row (pagu awal, pagu refokusing, pengurangan)
SEED_REFOCUSING_JUMLAH = (6_420_166_069, 6_255_403_861, 164_762_208)

REFOCUSING_NOTES = [
    CHECK_NOTE,
    "Petunjuk pengisian:",
    "1. Satu baris per sub kegiatan. Kode sub kegiatan ditulis sebagai teks, mis. 7.01.01.2.01.02 (tanpa titik di akhir).",
    "2. Isi angka rupiah tanpa titik pemisah (Excel menampilkannya sebagai 6.255.403.861); nol tampil sebagai '-'.",
    "3. BESARAN PENGURANGAN PAGU = PAGU AWAL − PAGU REFOKUSING (tidak boleh negatif).",
    "4. Bila baris kurang, sisipkan baris di atas JUMLAH (rumus SUM ikut meluas); hapus baris kosong yang tidak terpakai.",
    "5. Judul dan tanda tangan diambil dari lembar Info: isi unit kerja, tahun, tempat, tanggal, jabatan, nama dan NIP di sana.",
]


def _jumlah_row(ws, row: int, first: int, last: int, cols: Sequence[Col], values: Sequence[Any] | None = None) -> int:
    """The JUMLAH row: label merged over NO..URAIAN; SUM formulas (template) or printed values (example)."""
    style_row(ws, row, cols, bold=True, fill=TOTAL_FILL)
    ws.cell(row, 1, "JUMLAH")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for i in range(3):
        if values is not None:
            ws.cell(row, 4 + i, values[i])
        else:
            put(ws.cell(row, 4 + i), sum_range(ws.title, 4 + i, first, 4 + i, last))
    return row + 1


def refocusing_sheet(wb, title_lines: Sequence[Any], rows: Sequence[Sequence[Any]] = (), blank_rows: int = 0,
                     jumlah: Sequence[Any] | None = None, name: str = "Refocusing", notes: bool = False,
                     form: bool = False):
    """``form``: the blank form's extras (column-number row, signature from Info); the example prints neither."""
    ws = wb.create_sheet(name)
    row = write_title(ws, title_lines, len(REFOCUSING_COLS))
    placed = write_table(ws, row=row, header=REFOCUSING_HEADER, cols=REFOCUSING_COLS, rows=rows, blank_rows=blank_rows,
                         column_numbers=form)
    ws.row_dimensions[placed.header_first].height = 32
    last_data = placed.next_row - 1
    row = _jumlah_row(ws, placed.next_row, placed.data_first, last_data, REFOCUSING_COLS, jumlah)
    if form:
        row = write_signature(ws, row, len(REFOCUSING_COLS))
        print_form_only(ws, row - 1, len(REFOCUSING_COLS))
    if notes:
        write_note(ws, row + 2, REFOCUSING_NOTES, len(REFOCUSING_COLS))
    print_setup(ws, placed.header_first, placed.data_first - 1)
    freeze_below(ws, placed.data_first)
    return ws


@template("refocusing", N_("Pagu anggaran sebelum dan sesudah refocusing"))
def build_refocusing_template(wb, input_rows: int = 20) -> None:
    write_info_sheet(wb, template=True)
    refocusing_sheet(wb, [REFOCUSING_TITLE, title(unit_title(), " TAHUN ", report_year())], blank_rows=input_rows,
                     notes=True, form=True)


@example_sheet(10)
def build_refocusing_example(wb) -> None:
    refocusing_sheet(wb, [REFOCUSING_TITLE, "KECAMATAN LUMAJANG TAHUN 2021"], rows=SEED_REFOCUSING,
                     jumlah=SEED_REFOCUSING_JUMLAH)


# --------------------------------------------------------------------------- realisasi

REALISASI_HEADER = [
    ["NO", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN (Rp.)", "% SERAPAN"],
    [None, None, None, "JUMLAH (RP.)", None, None],
]
REALISASI_COLS = [Col.label(6), Col.text(60), Col.money(18), Col.money(18), Col.money(18), Col.percent(11)]

DASH = "-"  # a '-' typed as text (see the module doc)

#: (NO, uraian, plafon, realisasi, sisa) as the seed prints them; '-' -> 0, except DASH where typed
SEED_REALISASI: list[tuple[Any, str, int, int, Any]] = [
    (None, "TOTAL", 6_255_403_861, 4_156_201_042, 2_099_202_819),
    ("A", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", 6_105_562_861, 4_044_060_042, 2_061_502_819),
    ("I", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah", 3_392_000, 2_620_000, 772_000),
    (1, "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 2_620_000, 2_620_000, 0),
    (2, "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD", 772_000, 0, 772_000),
    ("II", "Administrasi Keuangan Perangkat Daerah", 5_662_307_883, 3_707_055_272, 1_955_252_611),
    (1, "Penyediaan Gaji dan Tunjangan ASN", 5_651_946_797, 3_696_694_186, 1_955_252_611),
    (2, "Penyediaan Administrasi Pelaksanaan Tugas ASN", 8_953_086, 8_953_086, 0),
    (3, "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD", 1_408_000, 1_408_000, 0),
    ("III", "Administrasi Barang Milik Daerah pada Perangkat Daerah", 594_000, 594_000, 0),
    (1, "Penatausahaan Barang Milik Daerah pada SKPD", 594_000, 594_000, 0),
    ("IV", "Administrasi Umum Perangkat Daerah", 68_749_220, 60_551_000, 8_198_220),
    (1, "Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor", 2_745_380, 2_745_380, 0),
    (2, "Penyediaan Bahan Logistik Kantor", 31_257_590, 29_914_270, 1_343_320),
    (None, "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor", 26_204_090, 26_204_090, 0),
    (None, "Swakelola", 5_053_500, 3_710_180, 1_343_320),
    (3, "Penyediaan Barang Cetak dan Penggandaan", 17_136_250, 14_781_350, 2_354_900),
    (4, "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD", 17_610_000, 13_110_000, 4_500_000),
    # the seed's error: sisa printed '-' on these three rows, should be 39.710
    ("V", "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah", 14_889_710, 14_850_000, DASH),
    (1, "Pengadaan Peralatan dan Mesin Lainnya", 14_889_710, 14_850_000, DASH),
    (None, "Belanja Modal Alat Kantor Lainnya", 14_889_710, 14_850_000, DASH),
    ("VI", "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah", 283_032_608, 201_908_415, 81_124_193),
    (1, "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik", 79_332_608, 51_674_449, 27_658_159),
    (2, "Penyediaan Jasa Pelayanan Umum Kantor", 203_700_000, 150_233_966, 53_466_034),
    ("VII", "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah", 72_597_440, 56_481_355, 16_116_085),
    (1, "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas", 34_743_400, 25_196_355, 9_547_045),
    (2, "Pemeliharaan Peralatan dan Mesin Lainnya", 24_350_000, 17_800_000, 6_550_000),
    (3, "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya", 13_504_040, 13_485_000, 19_040),
    (None, "Belanja Pemeliharaan Bangunan Gedung-Bangunan Gedung Tempat Tinggal-Rumah Negara Golongan III", 10_004_040, 9_990_000, 14_040),
    (None, "Belanja Modal Bangunan Gedung Kantor", 0, 0, 0),
    (None, "Biaya perencanaan pengecatan rumah dinas dan rehab gedung kantor", 3_500_000, 3_495_000, 5_000),
    (None, "Biaya pengawasan pengecatan rumah dinas", 0, 0, 0),
    (None, "Biaya perencanaan rehab gedung kantor", 0, 0, 0),
    (None, "Biaya pengawasan rehab gedung kantor", 0, 0, 0),
    (None, "Biaya pelaksanaan", 0, 0, 0),
    ("B", "PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN", 18_441_000, 13_141_000, 5_300_000),
    ("I", "Koordinasi Kegiatan Pemberdayaan Desa", 18_441_000, 13_141_000, 5_300_000),
    (1, "Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa", 2_816_000, 2_816_000, 0),
    (2, "Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan", 15_625_000, 10_325_000, 5_300_000),
    ("C", "PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM", 1_800_000, 1_800_000, 0),
    ("I", "Penyelenggaraan Urusan Pemerintahan Umum Sesuai Penugasan Kepala Daerah", 1_800_000, 1_800_000, 0),
    (1, "Pelaksanaan Tugas Forum Koordinasi Pimpinan di Kecamatan", 1_800_000, 1_800_000, 0),
    ("D", "PROGRAM PEMBINAAN DAN PENGAWASAN PEMERINTAHAN DESA", 129_600_000, 97_200_000, 32_400_000),
    ("I", "Fasilitasi, Rekomendasi dan Koordinasi Pembinaan dan Pengawasan Pemerintahan Desa", 129_600_000, 97_200_000, 32_400_000),
    (1, "Fasilitasi Administrasi Tata Pemerintahan Desa", 129_600_000, 97_200_000, 32_400_000),
]

REALISASI_NOTES = [
    CHECK_NOTE,
    "Petunjuk pengisian:",
    "1. NO: huruf (A, B, …) untuk program, angka Romawi (I, II, …) untuk kegiatan, angka (1, 2, …) untuk sub kegiatan; rincian tanpa nomor.",
    "2. Baris TOTAL = jumlah semua program; baris induk = jumlah anak langsungnya.",
    "3. Isi angka rupiah tanpa titik pemisah (Excel menampilkannya sebagai 6.255.403.861); nol tampil sebagai '-'.",
    "4. SISA ANGGARAN = PLAFON ANGGARAN − REALISASI; REALISASI KEUANGAN kumulatif s.d. triwulan ini.",
    f"5. Kolom % SERAPAN (realisasi ÷ plafon × 100, dalam satuan persen: 77,08) boleh dikosongkan: {HITUNG_NOTE}.",
    "6. Judul dan tanda tangan diambil dari lembar Info: isi unit kerja, triwulan, tahun, tempat, tanggal, jabatan, nama dan NIP di sana.",
]


def _is_parent(values: Sequence[Any]) -> bool:
    """TOTAL, program (A) and kegiatan (I) rows print bold."""
    no = values[0]
    return values[1] == "TOTAL" or (isinstance(no, str) and no.strip() != "")


def realisasi_sheet(wb, title_lines: Sequence[Any], rows: Sequence[Sequence[Any]], blank_rows: int = 0,
                    serapan: bool = True, name: str = "Realisasi", notes: bool = False, form: bool = False):
    """``form``: the blank form's extras (column-number row, signature from Info); the example prints neither."""
    header = REALISASI_HEADER if serapan else [line[:5] for line in REALISASI_HEADER]
    cols = REALISASI_COLS if serapan else REALISASI_COLS[:5]
    ws = wb.create_sheet(name)
    row = write_title(ws, title_lines, len(cols))
    placed = write_table(ws, row=row, header=header, cols=cols, rows=rows, blank_rows=blank_rows, bold=_is_parent,
                         column_numbers=form)
    ws.row_dimensions[placed.header_first].height = 32
    row = placed.next_row
    if form:
        row = write_signature(ws, row, len(cols))
        print_form_only(ws, row - 1, len(cols))
    if notes:
        write_note(ws, row + 2, REALISASI_NOTES, len(cols))
    print_setup(ws, placed.header_first, placed.data_first - 1)
    freeze_below(ws, placed.data_first)
    return ws


@template("realisasi", N_("Tabel realisasi anggaran triwulan"))
def build_realisasi_template(wb, input_rows: int = 40) -> None:
    write_info_sheet(wb, template=True)
    realisasi_sheet(wb, REALISASI_TITLE, rows=[(None, "TOTAL")], blank_rows=input_rows, notes=True, form=True)


#: the blank form's title, from Info: "TABEL REALISASI TRIWULAN III TAHUN 2021" / "KECAMATAN LUMAJANG"
REALISASI_TITLE = [title("TABEL REALISASI TRIWULAN ", triwulan_text(), " TAHUN ", report_year()), unit_title()]

REALISASI_TW_HEADER = [
    ["NO", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", LEFT_MERGE, LEFT_MERGE,
     LEFT_MERGE, LEFT_MERGE, "SISA ANGGARAN (Rp.)", "% SERAPAN"],
    [None, None, None, "TW I", "TW II", "TW III", "TW IV", "JUMLAH (RP.)", None, None],
]
REALISASI_TW_COLS = [Col.label(6), Col.text(50)] + [Col.money(16)] * 7 + [Col.percent(10)]


@template("realisasi-triwulan", N_("Tabel realisasi anggaran dengan kolom per triwulan (TW I–IV dan JUMLAH)"))
def build_realisasi_tw_template(wb, input_rows: int = 40) -> None:
    write_info_sheet(wb, template=True)
    ws = wb.create_sheet("Realisasi")
    row = write_title(ws, REALISASI_TITLE, len(REALISASI_TW_COLS))
    placed = write_table(ws, row=row, header=REALISASI_TW_HEADER, cols=REALISASI_TW_COLS, rows=[(None, "TOTAL")],
                         blank_rows=input_rows, bold=_is_parent, column_numbers=True)
    ws.row_dimensions[placed.header_first].height = 20
    row = write_signature(ws, placed.next_row, len(REALISASI_TW_COLS))
    print_form_only(ws, row - 1, len(REALISASI_TW_COLS))
    notes = REALISASI_NOTES[:5] + [
        ("4. JUMLAH (RP.) = TW I + TW II + TW III + TW IV (triwulan yang belum berjalan dikosongkan); "
         "SISA ANGGARAN = PLAFON ANGGARAN − JUMLAH."),
    ] + REALISASI_NOTES[6:]
    write_note(ws, row + 2, notes, len(REALISASI_TW_COLS))
    print_setup(ws, placed.header_first, placed.data_first - 1)
    freeze_below(ws, placed.data_first)


@example_sheet(60)
def build_realisasi_example(wb) -> None:
    # the seed has no % serapan column: reproduced as printed
    realisasi_sheet(wb, ["Tabel realisasi Triwulan III Tahun 2021", "KECAMATAN LUMAJANG"], rows=SEED_REALISASI,
                    serapan=False, name="Realisasi TW III")


# --------------------------------------------------------------------------- Info (the example's first sheet)

SEED_INFO = {
    "Unit Kerja": "Kecamatan Lumajang",
    "Kabupaten": "Lumajang",
    "Triwulan": "III",
    "Tahun": 2021,
    "Kepala Unit": "Drs. DEDWI SUPRAPTO, M.Si.",
    "NIP": "19701218 199101 1 002",
    "Tanggal Laporan": "8 Oktober 2021",
}


@example_sheet(0)
def build_info_example(wb) -> None:
    write_info_sheet(wb, SEED_INFO)
