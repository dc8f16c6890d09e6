"""Realistic realisasi workbooks of any size, for benchmarks.

``realisasi_workbook(path, rows)`` writes one ``.xlsx`` with XlsxWriter
(~6 s and ~150 MB for 100.000 rows, shared strings as Excel saves them;
above 200.000 rows it streams in ``constant_memory`` mode with inline
strings) laid out like the seed report's realisasi table:

- a cover sheet with a few lines of text, then the sheet ``Realisasi TW3``;
- two title rows, then a two-row header with merged cells
  (``NO | KODE | NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN | PLAFON ANGGARAN |
  REALISASI KEUANGAN / JUMLAH (RP.) | SISA ANGGARAN (Rp.)``) and a
  column-number row ``1 2 3 4 5 6``;
- a TOTAL row, then programs (NO ``A``, ``B``, … ``AA``), kegiatan (``I``,
  ``II``, …), sub kegiatan (``1``, ``2``, …) and unnumbered rincian lines,
  with kode ``7.01.01`` / ``7.01.01.2.01`` / ``7.01.01.2.01.0002``; every
  parent is the exact sum of its children, TOTAL the sum of the programs;
- amounts in whole rupiah (a few with sen), zeros printed as ``-``, about
  1% of the numbers typed as Indonesian text (``6.255.403.861``,
  ``1.234.567,50``, ``Rp. 6.183.035.351,-``);
- with ``formulas=True`` (the default) every sisa cell is ``=D-E`` with its
  cached value, as Excel saves it, and TOTAL sums the program rows;
- about ``error_rate`` of the amount cells are wrong: a digit typo in plafon
  or realisasi, a sisa typed over its formula, or a sisa printed ``-``
  where it is not zero (the seed's own mistake). ``GenResult.errors`` lists
  them (ground truth for tests and benchmarks). A typo in plafon or
  realisasi leaves its row consistent when sisa is a formula (Excel
  recomputes it), so only its parent's sum breaks (``GenError.parent_cell``,
  the same column on the parent row); with ``formulas=False`` the printed
  sisa is the correct one, so the row's own identity breaks as well.

``cached_realisasi(rows)`` returns a cached file under ``bench/out/``
(regenerated when this module's ``VERSION`` or the options change).
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

VERSION = 2
OUT = Path(__file__).resolve().parent / "out"
SHEET = "Realisasi TW3"
HEADER_ROW = 4  # zero-based first header row (Excel row 5)

PROGRAMS = [
    "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
    "PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN",
    "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK",
    "PROGRAM KOORDINASI KETENTERAMAN DAN KETERTIBAN UMUM",
    "PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM",
]
KEGIATAN = [
    "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
    "Administrasi Keuangan Perangkat Daerah",
    "Administrasi Barang Milik Daerah pada Perangkat Daerah",
    "Administrasi Umum Perangkat Daerah",
    "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
    "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "Koordinasi Kegiatan Pemberdayaan Desa",
]
SUB_KEGIATAN = [
    "Koordinasi dan Penyusunan Dokumen RKA-SKPD",
    "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD",
    "Penyediaan Gaji dan Tunjangan ASN",
    "Penyediaan Administrasi Pelaksanaan Tugas ASN",
    "Penatausahaan Barang Milik Daerah pada SKPD",
    "Penyediaan Bahan Logistik Kantor",
    "Penyediaan Barang Cetak dan Penggandaan",
    "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD",
    "Pengadaan Peralatan dan Mesin Lainnya",
    "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
    "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya",
]
RINCIAN = [
    "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
    "Swakelola",
    "Belanja Modal Alat Kantor Lainnya",
    "Belanja Pemeliharaan Bangunan Gedung-Bangunan Gedung Tempat Tinggal",
    "Biaya perencanaan pengecatan rumah dinas dan rehab gedung kantor",
    "Belanja Makanan dan Minuman Rapat",
    "Belanja Jasa Tenaga Kebersihan",
]
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for value, numeral in ROMAN:
        while n >= value:
            out += numeral
            n -= value
    return out


def letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (program numbering beyond Z)."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def id_text(sen: int, rng: random.Random) -> str:
    """An amount in sen as Indonesian text: 6.255.403.861 / 1.234.567,50 / Rp. 6.183.035.351,-."""
    rupiah, rest = divmod(abs(sen), 100)
    body = f"{rupiah:,}".replace(",", ".")
    if rest:
        body += f",{rest:02d}"
    elif rng.random() < 0.2:
        body = f"Rp. {body},-"
    return ("-" if sen < 0 else "") + body


@dataclass
class Node:
    level: int  # 0 total, 1 program, 2 kegiatan, 3 sub kegiatan, 4 rincian
    no: str
    kode: str
    name: str
    children: list["Node"] = field(default_factory=list)
    plafon: int = 0  # sen
    realisasi: int = 0  # sen
    parent: int | None = None  # position of the parent row in the pre-order list

    @property
    def sisa(self) -> int:
        return self.plafon - self.realisasi


@dataclass
class GenError:
    cell: str
    kind: str  # "typo" | "sisa-typed" | "sisa-dash"
    column: str  # plafon | realisasi | sisa
    printed: int  # sen
    correct: int  # sen
    parent_cell: str | None = None  # the same column on the parent row (None for TOTAL)


@dataclass
class GenResult:
    path: Path
    rows: int  # data rows, TOTAL included
    sheet: str
    header_row: int  # Excel row of the first header row
    first_data_row: int  # Excel row of TOTAL
    errors: list[GenError]


def _leaf_amounts(node: Node, rng: random.Random) -> None:
    plafon = rng.randint(1, 500) * 100_000 * 100  # whole rupiah, in sen
    if rng.random() < 0.03:
        plafon += rng.randint(1, 99)  # amounts with sen stay exact
    r = rng.random()
    if r < 0.05:
        realisasi = 0
    elif r < 0.25:
        realisasi = plafon
    else:
        realisasi = int(plafon * rng.uniform(0.3, 0.99)) // 100 * 100
    node.plafon, node.realisasi = plafon, realisasi


def _tree(n_rows: int, rng: random.Random) -> list[Node]:
    """TOTAL plus programs with exactly ``n_rows`` rows in all (pre-order)."""
    total = Node(0, "", "", "TOTAL")
    left = n_rows - 1
    p = 0
    while left > 0:
        p += 1
        q = p - 1
        pkode = f"{1 + (q // 9801) % 8}.{1 + (q // 99) % 99:02d}.{1 + q % 99:02d}"
        prog = Node(1, letters(p), pkode, rng.choice(PROGRAMS))
        total.children.append(prog)
        left -= 1
        for k in range(1, rng.randint(3, 12) + 1):
            if left < 2:
                break
            keg = Node(2, roman(k), f"{pkode}.2.{k:02d}", rng.choice(KEGIATAN))
            prog.children.append(keg)
            left -= 1
            for s in range(1, rng.randint(1, 8) + 1):
                if left < 1:
                    break
                sub = Node(3, str(s), f"{keg.kode}.{s:04d}", rng.choice(SUB_KEGIATAN))
                keg.children.append(sub)
                left -= 1
                n_rinc = rng.randint(2, 6) if rng.random() < 0.5 else 0
                if n_rinc <= left:
                    for _ in range(n_rinc):
                        sub.children.append(Node(4, "", "", rng.choice(RINCIAN)))
                    left -= n_rinc

    def fill(node: Node) -> None:
        if not node.children:
            _leaf_amounts(node, rng)
            return
        for child in node.children:
            fill(child)
        node.plafon = sum(c.plafon for c in node.children)
        node.realisasi = sum(c.realisasi for c in node.children)

    fill(total)
    out: list[Node] = []
    stack: list[tuple[Node, int | None]] = [(total, None)]
    while stack:
        node, parent = stack.pop()
        node.parent = parent
        out.append(node)
        stack.extend((child, len(out) - 1) for child in reversed(node.children))
    return out


_PLACES = ("Desa", "Kelurahan", "Kecamatan", "Puskesmas", "Sekolah", "Pasar", "Posyandu", "Balai")
_TOWNS = ("Lumajang", "Sukodono", "Tempeh", "Pasirian", "Yosowilangun", "Kunir", "Jatiroto", "Randuagung",
          "Klakah", "Ranuyoso", "Senduro", "Gucialit", "Padang", "Tekung", "Candipuro", "Pronojiwo")


def _distinct_names(nodes: list[Node], rng: random.Random) -> None:
    """Each name but TOTAL's made unique by a place and a serial, its level-telling start kept."""
    for i, node in enumerate(nodes):
        if node.level:
            node.name = f"{node.name} {rng.choice(_PLACES)} {rng.choice(_TOWNS)} {i}"


def _typo(sen: int, rng: random.Random) -> int:
    """A plausible typing mistake: one digit of the rupiah part changed."""
    digits = len(str(max(sen // 100, 1)))
    place = 10 ** rng.randrange(max(digits - 1, 1)) * 100
    wrong = sen + rng.choice((-1, 1)) * rng.randint(1, 9) * place
    return wrong if wrong > 0 else sen + place


def realisasi_workbook(
    path: str | Path,
    rows: int,
    *,
    seed: int = 0,
    error_rate: float = 0.01,
    text_rate: float = 0.01,
    formulas: bool = True,
    kode: bool = True,
    column_numbers: bool = True,
    sheet: str = SHEET,
    constant_memory: bool | None = None,
    distinct_names: bool = False,
) -> GenResult:
    """Write a realisasi workbook with ``rows`` data rows (TOTAL included); see the module doc.

    ``distinct_names``: every uraian text different (as real sub kegiatan names are), the
    tree and the amounts those of the same ``seed`` without it.
    """
    import xlsxwriter

    rng = random.Random(seed)
    nodes = _tree(max(rows, 2), rng)
    if distinct_names:
        _distinct_names(nodes, random.Random(seed + 1))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if constant_memory is None:
        # shared strings as Excel writes them; streaming (inline strings) only
        # where holding the rows costs too much (~1,5 KB per row)
        constant_memory = rows > 200_000
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    money_bold = wb.add_format({"num_format": "#,##0", "border": 1, "bold": True})
    text_fmt = wb.add_format({"border": 1, "align": "right"})
    cell_fmt = wb.add_format({"border": 1})

    cover = wb.add_worksheet("Keterangan")
    cover.write(0, 0, "LAPORAN KINERJA TRIWULAN III TAHUN 2021", bold)
    cover.write(1, 0, "Kecamatan Lumajang")
    cover.write(3, 0, f"Dibuat oleh bench/_gen.py (seed {seed}, {rows} baris).")

    ws = wb.add_worksheet(sheet)
    cols = ["NO"] + (["KODE"] if kode else []) + ["NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN",
                                                   "REALISASI KEUANGAN", "SISA ANGGARAN (Rp.)"]
    c_name = 2 if kode else 1
    c_plafon, c_real, c_sisa = c_name + 1, c_name + 2, c_name + 3
    ws.set_column(0, 0, 5)
    if kode:
        ws.set_column(1, 1, 18)
    ws.set_column(c_name, c_name, 60)
    ws.set_column(c_plafon, c_sisa, 18)
    ws.merge_range(0, 0, 0, c_sisa, "TABEL REALISASI ANGGARAN TRIWULAN III TAHUN 2021", bold)
    ws.merge_range(1, 0, 1, c_sisa, "KECAMATAN LUMAJANG", bold)
    h = HEADER_ROW
    # constant_memory flushes a row once a later row is written, so merge_range
    # (which writes both rows) works once only: write both header rows cell by
    # cell and record the merges (XlsxWriter writes ``merge`` at close).
    for c, title in enumerate(cols):
        ws.write(h, c, title, head)
    for c in range(len(cols)):
        if c != c_real:
            ws.write_blank(h + 1, c, None, head)
            ws.merge.append([h, c, h + 1, c])
        else:
            ws.write(h + 1, c, "JUMLAH (RP.)", head)
    first = h + 2
    if column_numbers:
        for c in range(len(cols)):
            ws.write_number(first, c, c + 1, head)
        first += 1

    def col_name(c: int) -> str:
        return chr(65 + c)

    # choose the wrong cells first: (row index, column) -> kind
    n_amount_cells = 3 * len(nodes)
    wrong: dict[tuple[int, int], str] = {}
    for _ in range(round(n_amount_cells * error_rate)):
        i = rng.randrange(len(nodes))
        c = rng.choice((c_plafon, c_real, c_sisa, c_sisa))
        if c == c_sisa:
            kind = "sisa-dash" if nodes[i].sisa and rng.random() < 0.3 else "sisa-typed"
        else:
            kind = "typo"
        wrong[(i, c)] = kind
    errors: list[GenError] = []
    program_rows = [first + i + 1 for i, n in enumerate(nodes) if n.level == 1]

    def put_amount(r: int, c: int, sen: int, fmt) -> None:
        if sen == 0 and rng.random() < 0.6:
            ws.write_string(r, c, "-", text_fmt)
        elif rng.random() < text_rate:
            ws.write_string(r, c, id_text(sen, rng), text_fmt)
        elif sen % 100:
            ws.write_number(r, c, sen / 100, fmt)
        else:
            ws.write_number(r, c, sen // 100, fmt)

    for i, node in enumerate(nodes):
        r = first + i
        excel = r + 1
        parent_excel = None if node.parent is None else first + node.parent + 1
        fmt = money_bold if node.level <= 2 else money
        ws.write_string(r, 0, node.no, cell_fmt) if node.no else ws.write_blank(r, 0, None, cell_fmt)
        if kode:
            ws.write_string(r, 1, node.kode, cell_fmt) if node.kode else ws.write_blank(r, 1, None, cell_fmt)
        ws.write_string(r, c_name, node.name, bold if node.level <= 1 else cell_fmt)
        values = {c_plafon: node.plafon, c_real: node.realisasi}
        for c in (c_plafon, c_real):
            sen = values[c]
            if (i, c) in wrong:
                bad = _typo(sen, rng)
                errors.append(GenError(f"{col_name(c)}{excel}", "typo", "plafon" if c == c_plafon else "realisasi", bad, sen,
                                       parent_excel and f"{col_name(c)}{parent_excel}"))
                sen = bad
                values[c] = bad
            if node.level == 0 and formulas and program_rows and (i, c) not in wrong:
                refs = "+".join(f"{col_name(c)}{pr}" for pr in program_rows[:200])
                if len(program_rows) <= 200:
                    ws.write_formula(r, c, f"={refs}", fmt, sen / 100 if sen % 100 else sen // 100)
                    continue
            put_amount(r, c, sen, fmt)
        # a formula computes sisa from the printed cells; a typed sisa is the correct one
        sisa_true = values[c_plafon] - values[c_real] if formulas else node.sisa
        kind = wrong.get((i, c_sisa))
        ref = f"{col_name(c_sisa)}{excel}"
        if kind == "sisa-dash" and sisa_true:
            errors.append(GenError(ref, "sisa-dash", "sisa", 0, sisa_true, parent_excel and f"{col_name(c_sisa)}{parent_excel}"))
            ws.write_string(r, c_sisa, "-", text_fmt)
        elif kind is not None:
            bad = _typo(sisa_true, rng) if sisa_true > 0 else sisa_true + rng.randint(1, 9) * 100_000
            errors.append(GenError(ref, "sisa-typed", "sisa", bad, sisa_true, parent_excel and f"{col_name(c_sisa)}{parent_excel}"))
            put_amount(r, c_sisa, bad, fmt)
        elif formulas:
            value = sisa_true / 100 if sisa_true % 100 else sisa_true // 100
            ws.write_formula(r, c_sisa, f"={col_name(c_plafon)}{excel}-{col_name(c_real)}{excel}", fmt, value)
        else:
            put_amount(r, c_sisa, sisa_true, fmt)
    ws.freeze_panes(first, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    wb.close()
    return GenResult(path, len(nodes), sheet, h + 1, first + 1, errors)


def cached_realisasi(rows: int, **options) -> GenResult:
    """The workbook ``realisasi_workbook(..., rows, **options)`` under bench/out/, generated once."""
    import hashlib

    tag = ",".join(f"{k}={options[k]!r}" for k in sorted(options))
    name = f"realisasi-{rows}-v{VERSION}" + (f"-{hashlib.sha1(tag.encode()).hexdigest()[:8]}" if tag else "")
    path = OUT / f"{name}.xlsx"
    meta = OUT / f"{name}.json"
    if path.exists() and meta.exists():
        data = json.loads(meta.read_text())
        return GenResult(path, data["rows"], data["sheet"], data["header_row"], data["first_data_row"],
                         [GenError(**e) for e in data["errors"]])
    tmp = path.with_suffix(".tmp.xlsx")
    res = realisasi_workbook(tmp, rows, **options)
    tmp.replace(path)
    res.path = path
    meta.write_text(json.dumps({"rows": res.rows, "sheet": res.sheet, "header_row": res.header_row,
                                "first_data_row": res.first_data_row,
                                "errors": [asdict(e) for e in res.errors]}))
    return res


if __name__ == "__main__":
    import sys
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    t = time.perf_counter()
    res = realisasi_workbook(OUT / f"realisasi-{n}-demo.xlsx", n)
    print(f"{res.path}: {res.rows} rows, {len(res.errors)} wrong cells, {time.perf_counter() - t:.2f} s")
