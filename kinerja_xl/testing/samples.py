"""Test doubles for the auditor's mode: quarterly reports of many units and quarters.

Not part of the product (the wheel does not ship ``kinerja_xl.testing``); used by
the audit tests, ``bench/audit.py`` and ``scripts/render_audit.py``.

Two kinds of workbook:

- ``example_copy``: the bundled example report under another unit name and
  quarter, patched in its sheet XML so that everything else (formulas with
  their cached values, styles, print setup) stays as the example has it;
- ``write_report``: synthetic realisasi reports, many units, many quarters,
  a few wrong cells.

For the synthetic ones, each unit gets a stable plan
(its sub kegiatan and plafon, drawn from the seed report's nomenclature and
seeded by the unit's name); each quarter realises a growing share of it, as
cumulative reports do. ``ReportSpec`` lets a test change one thing (drop a
sub kegiatan, lower a realisasi, rename an uraian) to trigger one rule.

Written with XlsxWriter (about 5 ms a workbook; openpyxl is several times slower).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"

# Kode -> uraian, from the seed's refocusing table (Kecamatan Lumajang 2021).
CATALOGUE = [
    ("7.01.01.2.01.02", "Koordinasi dan Penyusunan Dokumen RKA-SKPD"),
    ("7.01.01.2.01.06", "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD"),
    ("7.01.01.2.02.01", "Penyediaan Gaji dan Tunjangan ASN"),
    ("7.01.01.2.02.02", "Penyediaan Administrasi Pelaksanaan Tugas ASN"),
    ("7.01.01.2.02.05", "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD"),
    ("7.01.01.2.03.06", "Penatausahaan Barang Milik Daerah pada SKPD"),
    ("7.01.01.2.06.01", "Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor"),
    ("7.01.01.2.06.04", "Penyediaan Bahan Logistik Kantor"),
    ("7.01.01.2.06.05", "Penyediaan Barang Cetak dan Penggandaan"),
    ("7.01.01.2.06.09", "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD"),
    ("7.01.01.2.07.06", "Pengadaan Peralatan dan Mesin Lainnya"),
    ("7.01.01.2.08.02", "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik"),
    ("7.01.01.2.08.04", "Penyediaan Jasa Pelayanan Umum Kantor"),
    ("7.01.01.2.09.02", "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas"),
    ("7.01.01.2.09.06", "Pemeliharaan Peralatan dan Mesin Lainnya"),
    ("7.01.01.2.09.09", "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya"),
    ("7.01.02.2.01.01", "Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa"),
    ("7.01.02.2.01.03", "Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan"),
    ("7.01.03.2.01.08", "Pelaksanaan Tugas Forum Koordinasi Pimpinan di Kecamatan"),
    ("7.01.06.2.01.02", "Fasilitasi Administrasi Tata Pemerintahan Desa"),
]
PROGRAMS = {
    "7.01.01": "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
    "7.01.02": "PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN",
    "7.01.03": "PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM",
    "7.01.06": "PROGRAM PEMBINAAN DAN PENGAWASAN PEMERINTAHAN DESA",
}
KEGIATAN = {
    "7.01.01.2.01": "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
    "7.01.01.2.02": "Administrasi Keuangan Perangkat Daerah",
    "7.01.01.2.03": "Administrasi Barang Milik Daerah pada Perangkat Daerah",
    "7.01.01.2.06": "Administrasi Umum Perangkat Daerah",
    "7.01.01.2.07": "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "7.01.01.2.08": "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
    "7.01.01.2.09": "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "7.01.02.2.01": "Koordinasi Kegiatan Pemberdayaan Desa",
    "7.01.03.2.01": "Penyelenggaraan Urusan Pemerintahan Umum Sesuai Penugasan Kepala Daerah",
    "7.01.06.2.01": "Fasilitasi, Rekomendasi dan Koordinasi Pembinaan dan Pengawasan Pemerintahan Desa",
}
UNITS = [
    "Kecamatan Lumajang", "Kecamatan Sukodono", "Kecamatan Sumbersuko", "Kecamatan Tempeh", "Kecamatan Pasirian",
    "Kecamatan Candipuro", "Kecamatan Pronojiwo", "Kecamatan Tempursari", "Kecamatan Kunir", "Kecamatan Yosowilangun",
    "Kecamatan Rowokangkung", "Kecamatan Jatiroto", "Kecamatan Randuagung", "Kecamatan Klakah", "Kecamatan Ranuyoso",
    "Kecamatan Kedungjajang", "Kecamatan Gucialit", "Kecamatan Senduro", "Kecamatan Pasrujambe", "Kecamatan Padang",
    "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Sosial", "Badan Pendapatan Daerah", "Inspektorat",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
UNSUR = ["Persyaratan", "Sistem, Mekanisme dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
         "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
         "Sarana dan Prasarana", "Penanganan Pengaduan, Saran dan Masukan"]


@dataclass
class Sub:
    kode: str
    uraian: str
    plafon: int  # rupiah
    realisasi: int


@dataclass
class ReportSpec:
    unit: str
    triwulan: int
    tahun: int = 2021
    subs: list[Sub] = field(default_factory=list)
    info_sheet: bool = True  # False: unit and period only in the titles
    titles: bool = True  # False: neither Info sheet nor titles name the unit (needs --map)
    kode_unit: str | None = None
    ikm: float | None = None
    wrong_cells: list[tuple[int, str, int]] = field(default_factory=list)  # (sub index, 'realisasi'|'sisa', delta)


def unit_plan(unit: str, tahun: int = 2021) -> list[Sub]:
    """The unit's sub kegiatan and plafon for the year (stable for one unit and year)."""
    rnd = random.Random(zlib.crc32(f"{unit}|{tahun}".encode()))
    chosen = sorted(rnd.sample(range(len(CATALOGUE)), rnd.randint(8, len(CATALOGUE))))
    return [Sub(CATALOGUE[i][0], CATALOGUE[i][1], rnd.randrange(500_000, 900_000_000, 1_000), 0) for i in chosen]


def quarter_spec(unit: str, triwulan: int, tahun: int = 2021, error_rate: float = 0.0, seed: int = 0, **kw) -> ReportSpec:
    """A cumulative report of ``unit`` for one quarter; ``error_rate`` of the money cells wrong."""
    rnd = random.Random(zlib.crc32(f"{unit}|{tahun}|{triwulan}|{seed}".encode()))
    subs = []
    for s in unit_plan(unit, tahun):
        share = min(1.0, triwulan * 0.25 * (0.7 + 0.3 * rnd.random()))
        subs.append(Sub(s.kode, s.uraian, s.plafon, int(s.plafon * share) // 1000 * 1000))
    wrong = []
    for i in range(len(subs)):
        for col in ("realisasi", "sisa"):
            if rnd.random() < error_rate * 3:  # ~3 of every 10 cells of a row are money cells of subs
                wrong.append((i, col, rnd.choice([1, -1]) * rnd.randrange(1_000, 5_000_000, 1_000)))
    ikm = round(rnd.uniform(78, 92), 2)
    return ReportSpec(unit=unit, triwulan=triwulan, tahun=tahun, subs=subs, ikm=ikm, wrong_cells=wrong, **kw)


def write_report(path: str | Path, spec: ReportSpec) -> Path:
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0"})
    tw = QUARTER_NAMES[spec.triwulan]
    if spec.info_sheet and spec.titles:
        info = wb.add_worksheet("Info")
        rows = [("Unit Kerja", spec.unit), ("Kabupaten", "Lumajang"), ("Triwulan", tw), ("Tahun", spec.tahun)]
        if spec.kode_unit:
            rows.insert(1, ("Kode Unit", spec.kode_unit))
        for r, (label, value) in enumerate(rows):
            info.write_string(r, 0, label, bold)
            info.write(r, 1, value)
    ws = wb.add_worksheet("Realisasi")
    r = 0
    if spec.titles:
        ws.write_string(0, 0, f"LAPORAN KINERJA TRIWULAN {tw}", bold)
        ws.write_string(1, 0, f"{spec.unit.upper()} TAHUN {spec.tahun}", bold)
        ws.write_string(3, 0, f"Tabel realisasi Triwulan {tw} Tahun {spec.tahun}")
        r = 5
    headers = ["NO", "KODE", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN (Rp.)"]
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, bold)
    r += 1
    wrong = {(i, col): d for i, col, d in spec.wrong_cells}
    # group sub kegiatan under kegiatan under program, sums exact in rupiah
    programs: dict[str, dict[str, list[tuple[int, Sub]]]] = {}
    for i, s in enumerate(spec.subs):
        programs.setdefault(s.kode[:7], {}).setdefault(s.kode[:12], []).append((i, s))

    def put(row, no, kode, name, plafon, real, sisa):
        ws.write_string(row, 0, no)
        if kode:
            ws.write_string(row, 1, kode)
        ws.write_string(row, 2, name)
        for c, v in ((3, plafon), (4, real), (5, sisa)):
            ws.write_number(row, c, v, money)

    total_p = sum(s.plafon for s in spec.subs)
    total_r = sum(s.realisasi for s in spec.subs)
    put(r, "", "", "TOTAL", total_p, total_r, total_p - total_r)
    r += 1
    for pi, (pk, kegiatan) in enumerate(sorted(programs.items())):
        subs = [s for items in kegiatan.values() for _, s in items]
        p, re_ = sum(s.plafon for s in subs), sum(s.realisasi for s in subs)
        put(r, chr(65 + pi), pk, PROGRAMS.get(pk, f"PROGRAM {pk}"), p, re_, p - re_)
        r += 1
        for ki, (kk, items) in enumerate(sorted(kegiatan.items())):
            p, re_ = sum(s.plafon for _, s in items), sum(s.realisasi for _, s in items)
            put(r, ROMAN[ki % len(ROMAN)], kk, KEGIATAN.get(kk, f"Kegiatan {kk}"), p, re_, p - re_)
            r += 1
            for si, (i, s) in enumerate(items):
                real = s.realisasi + wrong.get((i, "realisasi"), 0)
                sisa = s.plafon - s.realisasi + wrong.get((i, "sisa"), 0)
                put(r, str(si + 1), s.kode, s.uraian, s.plafon, real, sisa)
                r += 1
    ws.set_column(2, 2, 60)
    ws.set_column(3, 5, 16)
    if spec.ikm is not None:
        skm = wb.add_worksheet("SKM")
        if spec.titles:
            skm.write_string(0, 0, f"INDEKS KEPUASAN MASYARAKAT (IKM) {spec.unit.upper()}", bold)
            skm.write_string(1, 0, f"TRI BULAN {tw} TAHUN {spec.tahun}")
        skm.write_string(3, 0, "NILAI IKM", bold)
        skm.write_number(3, 1, spec.ikm)
    wb.close()
    return path


QUARTER_WORDS = {1: "SATU", 2: "DUA", 3: "TIGA", 4: "EMPAT"}


def example_copy(dest: str | Path, unit: str, triwulan: int, source: Path = EXAMPLE) -> Path:
    """The bundled example as the report of ``unit`` ("Kecamatan Tempeh") for quarter ``triwulan``.

    Only texts change: the unit in the Info sheet and the titles, the quarter
    in the Info sheet and the captions (the year stays 2021). The amounts stay the
    example's (with its known mistakes), so every copy has the same findings
    as the example. Patched in the XML, not saved through openpyxl, which
    would drop every formula's cached value.
    """
    import zipfile

    if not unit.lower().startswith("kecamatan "):
        raise ValueError("example_copy renames the example's kecamatan: give 'Kecamatan NAMA'")
    name = unit.split(" ", 1)[1]
    roman = QUARTER_NAMES[triwulan]
    swaps = [
        ("Kecamatan Lumajang", f"Kecamatan {name}"),
        ("KECAMATAN LUMAJANG", f"KECAMATAN {name.upper()}"),
        ("<t>III</t>", f"<t>{roman}</t>"),  # the Info sheet's Triwulan cell
        ("Triwulan III Tahun 2021", f"Triwulan {roman} Tahun 2021"),
        ("TRIBULAN TIGA TAHUN 2021", f"TRIBULAN {QUARTER_WORDS[triwulan]} TAHUN 2021"),
    ]
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for old, new in swaps:
                    if old.startswith("<") and item.filename != "xl/worksheets/sheet1.xml":
                        continue  # bare cell values are only the Info sheet's (sheet1)
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            out.writestr(item, data)
    return dest
